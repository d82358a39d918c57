package config

import (
	"io/fs"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// vrrpOpts has eth0..eth3 and a filesystem where only /bin/true exists.
func vrrpOpts() Options {
	return Options{
		InterfaceExists: func(n string) bool { return corpusIfs[n] },
		Stat: func(path string) (fs.FileInfo, error) {
			if path == "/bin/true" {
				return os.Stat("/")
			}
			return nil, fs.ErrNotExist
		},
	}
}

func loadVRRP(t *testing.T, text string) *Result {
	t.Helper()
	return LoadBytes("test.conf", []byte(text), vrrpOpts())
}

// vrrpMsgs returns "line: message" for every warning or error.
func vrrpMsgs(r *Result) []string {
	var out []string
	for _, d := range r.Diags {
		// Script security belongs to the global side.
		if d.Severity >= SevWarning && !strings.HasPrefix(d.Msg, "SECURITY VIOLATION") {
			out = append(out, itoa(d.Pos.Line)+": "+d.Msg)
		}
	}
	return out
}

func hasMsg(msgs []string, want string) bool {
	for _, m := range msgs {
		if strings.Contains(m, want) {
			return true
		}
	}
	return false
}

const minimalInstance = `vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  virtual_ipaddress {
    10.0.0.1/24
  }
}
`

func TestVRRPDefaults(t *testing.T) {
	r := loadVRRP(t, minimalInstance)
	if msgs := vrrpMsgs(r); len(msgs) != 0 {
		t.Fatalf("unexpected problems: %q", msgs)
	}
	if len(r.Model.Instances) != 1 {
		t.Fatalf("instances: %d", len(r.Model.Instances))
	}
	vi := r.Model.Instances[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"state", vi.State, StateBackup},
		{"priority", vi.Priority, 100},
		{"advert", vi.AdvertInt, time.Second},
		{"version", vi.Version, 2},
		{"family", vi.Family, 4},
		{"accept", vi.Accept, 1},
		{"garp delay", vi.GarpMasterDelay, 5 * time.Second},
		{"garp repeat", vi.GarpMasterRepeat, 5},
		{"garp refresh repeat", vi.GarpMasterRefreshRepeat, 1},
		{"lower prio repeat", vi.GarpLowerPrioRepeat, 5},
		{"down timer adverts", vi.DownTimerAdverts, 3},
		{"mcast", vi.McastDst, netip.MustParseAddr("224.0.0.18")},
		{"vip dev", vi.VIPs[0].Dev, "eth0"},
		{"vip bits", vi.VIPs[0].Bits, 24},
		{"vip scope", vi.VIPs[0].Scope, "global"},
		{"lower prio no advert", vi.LowerPrioNoAdvert, 0},
		{"smtp", vi.SMTPAlert, 0},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestVRRPDerivedDefaults(t *testing.T) {
	r := loadVRRP(t, `global_defs {
  vrrp_version 3
  vrrp_garp_master_delay 2
  vrrp_garp_master_repeat 3
}
vrrp_instance A {
  state MASTER
  interface eth0
  virtual_router_id 1
  virtual_ipaddress {
    10.0.0.1
  }
}
vrrp_instance B {
  interface eth1
  virtual_router_id 2
  virtual_ipaddress {
    fe80::1
    2001:db8::1/64 dev eth2
  }
}
vrrp_instance C {
  interface eth1
  virtual_router_id 3
  priority 255
  garp_master_delay 7
  virtual_ipaddress {
    10.0.0.3
  }
}
`)
	if msgs := vrrpMsgs(r); len(msgs) != 0 {
		t.Fatalf("unexpected problems: %q", msgs)
	}
	a, b, c := r.Model.Instances[0], r.Model.Instances[1], r.Model.Instances[2]
	if a.Priority != 255 || a.State != StateMaster || a.Version != 3 {
		t.Errorf("A: priority %d state %s version %d", a.Priority, a.State, a.Version)
	}
	if a.GarpMasterDelay != 2*time.Second || a.GarpMasterRepeat != 3 {
		t.Errorf("A garp: %v %d", a.GarpMasterDelay, a.GarpMasterRepeat)
	}
	if b.Family != 6 || b.Version != 3 || b.McastDst != netip.MustParseAddr("ff02::12") {
		t.Errorf("B: family %d version %d mcast %v", b.Family, b.Version, b.McastDst)
	}
	if b.VIPs[1].Dev != "eth2" || b.VIPs[1].Bits != 64 {
		t.Errorf("B vip: %+v", b.VIPs[1])
	}
	if c.State != StateMaster || c.GarpMasterDelay != 7*time.Second {
		t.Errorf("C: state %s garp %v", c.State, c.GarpMasterDelay)
	}
}

// instance wraps instance body lines into a complete vrrp_instance VI_1.
func instance(body string) string {
	return "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 51\n" + body + "\n}\n"
}

const vip = "  virtual_ipaddress {\n    10.0.0.1\n  }\n"

func TestVRRPWarnings(t *testing.T) {
	tests := []struct {
		name string
		conf string
		want []string // substrings, each must appear
	}{
		{"missing interface", strings.Replace(minimalInstance, "eth0", "eth9", 1), []string{
			"2: WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist",
			"2: Non-existent interface specified in configuration"}},
		{"no vrid", "vrrp_instance VI_1 {\n interface eth0\n" + vip + "}\n", []string{
			"1: (VI_1) the virtual router id must be set"}},
		{"bad vrid", instance("virtual_router_id 256\n" + vip), []string{
			"number '256' outside range [1, 255]", "(VI_1): VRID '256' not valid - must be between 1 & 255"}},
		{"no interface", "vrrp_instance VI_1 {\n virtual_router_id 5\n" + vip + "}\n", []string{
			"(VI_1) Unknown interface!"}},
		{"priority", instance("priority 300\n" + vip), []string{
			"4: number '300' outside range [1, 255]",
			"4: (VI_1) Priority not valid! must be between 1 & 255. Using default 100"}},
		{"state", instance("state FOO\n" + vip), []string{"(VI_1) unknown state 'FOO', defaulting to BACKUP"}},
		{"ah master", instance("state MASTER\npriority 100\nauthentication {\nauth_type AH\nauth_pass x\n}\n" + vip), []string{
			"6: (VI_1) Initial state master is incompatible with AH authentication - clearing"}},
		{"auth v3", instance("version 3\nauthentication {\nauth_type PASS\nauth_pass 123456789\n}\n" + vip), []string{
			"7: Truncating auth_pass to 8 characters",
			"(VI_1) VRRP version 3 does not support authentication. Ignoring."}},
		{"auth no pass", instance("authentication {\nauth_type PASS\n}\n" + vip), []string{
			"(VI_1) Authentication specified but no password given. Ignoring"}},
		{"auth type", instance("authentication {\nauth_type FOO\n}\n" + vip), []string{
			"(VI_1) unknown authentication type 'FOO'"}},
		{"v2 rounding", instance("advert_int 1.5\n" + vip), []string{
			"(VI_1) VRRPv2 advertisement interval 1.500000s must be an integer. rounding"}},
		{"v3 rounding", instance("version 3\nadvert_int 0.123\n" + vip), []string{
			"(VI_1) VRRPv3 advertisement interval 0.123000s must be in units of 10ms - rounding"}},
		{"v3 max", instance("version 3\nadvert_int 50\n" + vip), []string{
			"(VI_1) VRRPv3 advertisement interval 50.00s is out of range. Must be less than 40.96s. Setting to 40.95s"}},
		{"advert range", instance("advert_int 300\n" + vip), []string{
			"number '300' outside range [0.010000, 255.000000]",
			"(VI_1) Advert interval (300) not valid! Must be > 0 - ignoring"}},
		{"no vip", instance(""), []string{"(VI_1) No VIP specified; at least one is sensible"}},
		{"no vip v3", instance("version 3"), []string{"(VI_1) No VIP specified; at least one is required"}},
		{"invalid ip", instance("virtual_ipaddress {\n10.0.0.300\n192.168.200./24\n}"), []string{
			"5: VRRP parsed invalid IP 10.0.0.300. skipping IP...",
			"6: VRRP parsed invalid IP 192.168.200./24. skipping IP..."}},
		{"family", instance("virtual_ipaddress {\n10.0.0.1\nfe80::1\n}"), []string{
			"6: (VI_1): address family must match VRRP instance [fe80::1] - ignoring"}},
		{"addr options", instance("virtual_ipaddress {\n10.0.0.2/33\n10.0.0.3 scope bogus\n10.0.0.4 dev eth7\n}"), []string{
			"Invalid address prefix len 33 for address 10.0.0.2/33 - using 32",
			"Invalid scope 'bogus' specified for 10.0.0.3 - ignoring",
			"WARNING - interface eth7 for ip address 10.0.0.4 doesn't exist",
			"Non-existent interface specified in configuration"}},
		{"nopreempt owner", instance("priority 255\nnopreempt\n" + vip), []string{
			"(VI_1) nopreempt is incompatible with priority 255. resetting nopreempt"}},
		{"preempt master", instance("state MASTER\npriority 100\npreempt_delay 5\n" + vip), []string{
			"(VI_1) Warning - preempt delay will not work with initial state MASTER - clearing"}},
		{"preempt nopreempt", instance("nopreempt\npreempt_delay 5\n" + vip), []string{
			"(VI_1) preempt_delay is incompatible with nopreempt mode - resetting"}},
		{"unicast ttl", instance("unicast_ttl 20\n" + vip), []string{
			"(VI_1): Cannot use unicast_ttl without unicast peers - resetting"}},
		{"unicast keyword", instance("check_unicast_src\n" + vip), []string{
			"(VI_1) A unicast keyword has been specified without any unicast peers."}},
		{"peer ttl", instance("unicast_peer {\n10.0.0.2 min_ttl 300\n}\n" + vip), []string{
			"number '300' outside range [0, 255]"}},
		{"track missing", instance("track_script {\nnosuch\n}\ntrack_interface {\neth9\neth1 weight 300\n}\ntrack_file {\nf9\n}\n" + vip), []string{
			"5: (VI_1) track script nosuch not found, ignoring...",
			"8: (VI_1) tracked interface eth9 doesn't exist",
			"9: number '300' outside range [-254, 254]",
			"9: (VI_1) weight 300 for eth1 must be between [-253..253] inclusive. Ignoring...",
			"12: (VI_1) track file f9 not found, ignoring...",
			"Non-existent interface specified in configuration"}},
		{"own interface", instance("track_interface {\neth0\n}\n" + vip), []string{
			"(VI_1) Ignoring track_interface eth0 since own interface"}},
		{"owner weights", "vrrp_script s {\nscript /bin/true\nweight 10\n}\n" +
			instance("priority 255\ntrack_script {\ns\n}\ntrack_interface {\neth1 weight 5\n}\n"+vip), []string{
			"(VI_1) ignoring tracked script s with weights due to address_owner",
			"(VI_1) ignoring eth1 tracked interface due to address owner"}},
		{"unicast src no peers", instance("unicast_src_ip 10.0.0.5\nunicast_peer {\n}\n" + vip), []string{
			"(VI_1) A unicast keyword has been specified without any unicast peers. Defaulting to multicast."}},
		{"debug", instance("debug 9\ndown_timer_adverts 200\nnotify_master /bin/true\nnotify_master /bin/false\n" + vip), []string{
			"4: number '9' outside range [0, 4]", "4: (VI_1) Debug value '9' not valid; must be between 0-4",
			"5: (VI_1): Invalid down_timer_adverts [1:100] '200'",
			"7: (VI_1) notify_master script already specified - ignoring /bin/false"}},
		{"vmac", instance("use_vmac\npromote_secondaries\nmcast_dst_ip 10.0.0.1\n" + vip), []string{
			"6: (VI_1) mcast_dst_ip 10.0.0.1 not multicast. Skipping...",
			"(VI_1) promote_secondaries is automatically set for vmacs - ignoring"}},
		{"static missing ifs", "static_ipaddress {\n10.9.9.9/24 dev eth8\n}\nstatic_rules {\nfrom 10.0.0.0/8 table 5 iif eth6 priority 5\n}\n", []string{
			"2: WARNING - interface eth8 for ip address 10.9.9.9/24 doesn't exist",
			"5: WARNING - interface eth6 for rule doesn't exist",
			"2: Non-existent interface specified in configuration"}},
		{"peer prefix", instance("virtual_ipaddress {\n10.0.0.2 peer 10.0.0.9/32\n}"), []string{
			"5: VRRP parsed invalid IP 10.0.0.9/32. skipping IP...", "5: Invalid peer address 10.0.0.9/32"}},
		{"unknown", instance("bogus_kw\n" + vip), []string{"4: Unknown keyword 'bogus_kw'"}},
		{"newer keyword", instance("v3_checksum_as_v2\n" + vip), []string{"4: Unknown keyword 'v3_checksum_as_v2'"}},
		{"lvs sync if", instance("lvs_sync_daemon_interface eth1\n" + vip), []string{
			"4: (VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.",
			"4:         Please use global lvs_sync_daemon"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs := vrrpMsgs(loadVRRP(t, tc.conf))
			for _, w := range tc.want {
				if !hasMsg(msgs, w) {
					t.Errorf("missing %q in %q", w, msgs)
				}
			}
		})
	}
}

func TestVRRPStrict(t *testing.T) {
	r := loadVRRP(t, `global_defs {
  vrrp_strict
}
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 100
  preempt_delay 3
  garp_lower_prio_repeat 2
  lower_prio_no_advert off
  higher_prio_send_advert
  authentication {
    auth_type PASS
    auth_pass 1111
  }
  virtual_ipaddress {
    10.0.0.1
  }
}
vrrp_instance VI_2 {
  interface eth1
  virtual_router_id 52
  unicast_peer {
    10.0.0.9
  }
  virtual_ipaddress {
    10.0.0.2
  }
}
`)
	msgs := vrrpMsgs(r)
	for _, w := range []string{
		"(VI_1) State MASTER must match being address owner",
		"13: (VI_1) Strict mode does not support authentication. Ignoring.",
		"(VI_1) Strict mode requires no repeat garps. resetting",
		"(VI_1) Strict mode requires no lower priority advert. resetting",
		"(VI_1) strict mode requires higher_prio_send_advert to be clear. resetting",
		"(VI_1) preempt_delay is incompatible with strict mode - resetting",
	} {
		if !hasMsg(msgs, w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
	vi := r.Model.Instances[0]
	if vi.State != StateBackup || vi.Accept != 0 || vi.AuthType != AuthNone || vi.LowerPrioNoAdvert != 1 || vi.PreemptDelay != 0 {
		t.Errorf("strict VI_1: %+v", vi)
	}
}

func TestVRRPDuplicateVRID(t *testing.T) {
	conf := minimalInstance + strings.Replace(minimalInstance, "VI_1", "VI_2", 1)
	if !hasMsg(vrrpMsgs(loadVRRP(t, conf)), "VI_1 and VI_2 both use VRID 51 with IPv4 on interface eth0") {
		t.Error("duplicate VRID not reported")
	}
	other := minimalInstance + strings.NewReplacer("VI_1", "VI_2", "eth0", "eth1").Replace(minimalInstance)
	if msgs := vrrpMsgs(loadVRRP(t, other)); len(msgs) != 0 {
		t.Errorf("different interfaces: %q", msgs)
	}
}

func TestVRRPSyncGroups(t *testing.T) {
	base := minimalInstance + strings.NewReplacer("VI_1", "VI_2", "51", "52").Replace(minimalInstance)
	tests := []struct {
		group string
		want  string
	}{
		{"vrrp_sync_group G {\n VI_1\n}\n", "Sync group G has no virtual router(s). removing"},
		{"vrrp_sync_group G {\n group {\n VI_9\n }\n}\n", "Sync group G, no matching virtual router found in group declaration - removing"},
		{"vrrp_sync_group G {\n group {\n VI_1\n VI_9\n }\n}\n", "Virtual router VI_9 specified in sync group G doesn't exist - ignoring"},
		{"vrrp_sync_group G {\n group {\n VI_1\n }\n}\n", "Sync group G has only 1 virtual router(s) - this probably isn't what you want"},
	}
	for _, tc := range tests {
		if msgs := vrrpMsgs(loadVRRP(t, base+tc.group)); !hasMsg(msgs, tc.want) {
			t.Errorf("%q: missing %q in %q", tc.group, tc.want, msgs)
		}
	}
	r := loadVRRP(t, base+"vrrp_sync_group G {\n group {\n VI_1\n VI_2\n }\n notify_master /bin/true\n smtp_alert\n}\n")
	if msgs := vrrpMsgs(r); len(msgs) != 0 {
		t.Fatalf("good group: %q", msgs)
	}
	g := r.Model.SyncGroups[0]
	if len(g.Instances) != 2 || r.Model.Instances[0].Sync != g || g.Notify.Master == nil || g.SMTPAlert != 1 {
		t.Errorf("group: %+v", g)
	}
}

func TestVRRPScripts(t *testing.T) {
	r := loadVRRP(t, `vrrp_script ok {
  script "/bin/true arg"
  interval 2
  weight -20 reverse
  rise 3
  fall 4
  init_fail
}
vrrp_script missing {
  script /nonexistent/check.sh
}
vrrp_script empty {
  interval 1
}
vrrp_script unused {
  script /bin/true
}
vrrp_script bad {
  script /bin/true
  weight 300
  interval 0
  rise 0
}
`+instance("track_script {\nok\nmissing\nbad weight 5\n}\n"+vip))
	msgs := vrrpMsgs(r)
	for _, w := range []string{
		"9: Disabling track script missing since not found/accessible",
		"14: No script set for vrrp_script empty - removing",
		"20: vrrp_script bad weight 300 must be in [-253, 253]",
		"21: (bad): vrrp script interval must be greater than 0, setting to 1",
		"22: (bad): vrrp script rise value '0' invalid, defaulting to 1",
	} {
		if !hasMsg(msgs, w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
	s := r.Model.Scripts[0]
	if s.Name != "ok" || s.Interval != 2*time.Second || s.Timeout != 2*time.Second || s.Weight != -20 ||
		!s.Reverse || s.Rise != 3 || s.Fall != 4 || !s.InitFail || s.Script.String() != "/bin/true arg" {
		t.Errorf("script: %+v", s)
	}
	vi := r.Model.Instances[0]
	if len(vi.TrackScripts) != 3 || vi.TrackScripts[0].Weight != -20 || !vi.TrackScripts[0].Reverse || vi.TrackScripts[2].Weight != 5 {
		t.Errorf("track scripts: %+v", vi.TrackScripts)
	}
}

func TestVRRPTrackProcessAndFile(t *testing.T) {
	r := loadVRRP(t, `vrrp_track_process httpd {
  process httpd -k start
  param_match initial
  weight 10 reverse
  quorum 2
  quorum_max 4
  delay 1.5
  full_command
}
vrrp_track_process bad {
  quorum 0
  weight 300
}
track_file tf {
  file /run/app/state
  weight -5
  init_file 3 overwrite
}
vrrp_track_file old {
  file /run/old
}
`+instance("track_process {\nhttpd\n}\ntrack_file {\ntf weight 2 reverse\nold weight 0\n}\n"+vip))
	msgs := vrrpMsgs(r)
	for _, w := range []string{
		"11: Quorum (0) for vrrp_track_process bad must be between [1..65535] inclusive. Ignoring...",
		"12: Weight (300) for vrrp_track_process bad must be between [-254..254] inclusive. Ignoring...",
		"13: track process 'bad' process name not specified",
	} {
		if !hasMsg(msgs, w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
	if len(r.Model.TrackProcesses) != 1 || len(r.Model.TrackFiles) != 2 {
		t.Fatalf("processes %d files %d", len(r.Model.TrackProcesses), len(r.Model.TrackFiles))
	}
	tp := r.Model.TrackProcesses[0]
	if strings.Join(tp.Process, " ") != "httpd -k start" || tp.ParamMatch != "initial" || tp.Weight != 10 || !tp.Reverse ||
		tp.Quorum != 2 || tp.QuorumMax != 4 || tp.ForkDelay != 1500*time.Millisecond || tp.TerminateDelay != tp.ForkDelay || !tp.FullCommand {
		t.Errorf("track process: %+v", tp)
	}
	tf := r.Model.TrackFiles[0]
	if tf.File != "/run/app/state" || tf.Weight != -5 || !tf.InitFile || tf.InitValue != 3 || !tf.InitOverwrite {
		t.Errorf("track file: %+v", tf)
	}
	vi := r.Model.Instances[0]
	if vi.TrackProcesses[0].Weight != 10 || vi.TrackFiles[0].Weight != 2 || !vi.TrackFiles[0].Reverse {
		t.Errorf("instance tracking: %+v %+v", vi.TrackProcesses, vi.TrackFiles)
	}
}

func TestVRRPAddressOptions(t *testing.T) {
	r := loadVRRP(t, instance(`virtual_ipaddress {
  10.0.0.1/24 brd + dev eth1 scope link label eth1:3 no_track use_vmac
  10.0.0.2 brd 10.0.0.255 peer 10.0.0.9 home -nodad mngtmpaddr noprefixroute autojoin preferred_lft forever
}
virtual_ipaddress_excluded {
  fd00::1/64 dev eth2 preferred_lft 0
}
unicast_src_ip 10.0.0.5
unicast_peer {
  10.0.0.6 min_ttl 2 max_ttl 250
  10.0.0.7
}
`))
	if msgs := vrrpMsgs(r); len(msgs) != 0 {
		t.Fatalf("problems: %q", msgs)
	}
	vi := r.Model.Instances[0]
	a, b, e := vi.VIPs[0], vi.VIPs[1], vi.EVIPs[0]
	if a.BroadcastMode != "+" || a.Dev != "eth1" || a.Scope != "link" || a.Label != "eth1:3" || !a.NoTrack || !a.UseVMAC || a.Bits != 24 {
		t.Errorf("a: %+v", a)
	}
	if b.Broadcast != netip.MustParseAddr("10.0.0.255") || b.Peer != netip.MustParsePrefix("10.0.0.9/32") ||
		!b.Home || !b.NoDAD || !b.MngTmpAddr || !b.NoPrefixRoute || !b.AutoJoin || b.PreferredLft != "forever" || b.Dev != "eth0" {
		t.Errorf("b: %+v", b)
	}
	if e.Addr != netip.MustParseAddr("fd00::1") || e.Dev != "eth2" || e.PreferredLft != "0" {
		t.Errorf("evip: %+v", e)
	}
	if len(vi.UnicastPeers) != 2 || vi.UnicastPeers[0].MinTTL != 2 || vi.UnicastPeers[0].MaxTTL != 250 || !vi.CheckUnicastSrc ||
		vi.UnicastSrc != netip.MustParseAddr("10.0.0.5") {
		t.Errorf("unicast: %+v src %v", vi.UnicastPeers, vi.UnicastSrc)
	}
}

func TestVRRPRoutesAndRules(t *testing.T) {
	r := loadVRRP(t, instance(vip+`virtual_routes {
  src 10.0.0.1 10.1.0.0/16 via 10.0.0.254 dev eth1 table 100 metric 5 scope link protocol static onlink mtu lock 1400
  10.2.0.0/16 via 10.0.0.254
  blackhole 10.3.0.0/16
  default gw 10.0.0.1 dev eth0
  10.4.0.0/16 dev eth9
  10.5.0.0/16 nexthop via 10.0.0.1 dev eth0 weight 1 nexthop via 10.0.0.2 dev eth1 weight 2
}
virtual_rules {
  from 10.0.0.0/24 table 2 priority 100
  to 10.9.0.0/16 iif eth1 fwmark 0x10/0xff table 3
  from all to 10.8.0.0/16 blackhole
}
`))
	msgs := vrrpMsgs(r)
	for _, w := range []string{
		"9: Warning - cannot track route 10.2.0.0/16 with no interface specified, not tracking",
		"10: Warning - cannot track route 10.3.0.0/16 with no interface specified, not tracking",
		"8: Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol",
		"11: \"gw\" for routes is deprecated. Please use \"via\"",
		"13: Warning - cannot track route 10.5.0.0/16 with no interface specified, not tracking",
		"12: WARNING - interface eth9 for VROUTE nexthop doesn't exist",
		"Non-existent interface specified in configuration",
		"17: Rule has no preference specified - setting to 16384. This is probably not what you want.",
		"18: Rule has no preference specified - setting to 16383. This is probably not what you want.",
	} {
		if !hasMsg(msgs, w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
	vi := r.Model.Instances[0]
	if len(vi.Routes) != 6 || len(vi.Rules) != 3 {
		t.Fatalf("routes %d rules %d", len(vi.Routes), len(vi.Rules))
	}
	rt := vi.Routes[0]
	if rt.Src != netip.MustParseAddr("10.0.0.1") || rt.Dst != netip.MustParsePrefix("10.1.0.0/16") || rt.Via != netip.MustParseAddr("10.0.0.254") ||
		rt.Dev != "eth1" || rt.Table != "100" || rt.Metric != 5 || rt.Scope != "link" || rt.Proto != "" || !rt.OnLink ||
		rt.Options["mtu lock"] != "1400" || rt.NoTrack {
		t.Errorf("route 0: %+v", rt)
	}
	if vi.Routes[2].Type != "blackhole" || !vi.Routes[2].NoTrack {
		t.Errorf("blackhole: %+v", vi.Routes[2])
	}
	if vi.Routes[3].Dst != netip.MustParsePrefix("0.0.0.0/0") || vi.Routes[3].Via != netip.MustParseAddr("10.0.0.1") {
		t.Errorf("default: %+v", vi.Routes[3])
	}
	if nh := vi.Routes[5].Nexthops; len(nh) != 2 || nh[1].Weight != 2 || nh[1].Dev != "eth1" {
		t.Errorf("nexthops: %+v", nh)
	}
	ru := vi.Rules[1]
	if ru.To != netip.MustParsePrefix("10.9.0.0/16") || ru.IIF != "eth1" || ru.FwMark != "0x10/0xff" || ru.Table != "3" || ru.Priority != 16384 {
		t.Errorf("rule: %+v", ru)
	}
	if vi.Rules[0].Priority != 100 || vi.Rules[2].Action != "blackhole" {
		t.Errorf("rules: %+v %+v", vi.Rules[0], vi.Rules[2])
	}
}

func TestVRRPStaticAndExtras(t *testing.T) {
	r := loadVRRP(t, `static_ipaddress {
  10.9.9.9/24 dev eth0 scope link
  10.9.9.300
}
static_routes {
  10.8.0.0/16 via 10.9.9.1 dev eth0
}
static_rules {
  from 10.9.9.0/24 table 5 preference 10
}
garp_group {
  garp_interval 0.1
  interfaces {
    eth0
    eth1
  }
}
garp_group {
  interface eth2
}
linkbeat_interfaces {
  eth2 ETHTOOL
  eth9
}
track_group TG {
  group {
    VI_1
  }
}
interface_up_down_delays {
  eth1 1 2
  eth2
}
`)
	msgs := vrrpMsgs(r)
	for _, w := range []string{
		"3: VRRP parsed invalid IP 10.9.9.300. skipping IP...",
		"garp group 1 does not have any delay set - removing",
		"23: unknown interface eth9 specified for linkbeat interface",
		"32: No timeouts specified for eth2 up/down delays",
	} {
		if !hasMsg(msgs, w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
	if len(r.Model.StaticAddresses) != 1 || len(r.Model.StaticRoutes) != 1 || len(r.Model.StaticRules) != 1 {
		t.Errorf("static: %d %d %d", len(r.Model.StaticAddresses), len(r.Model.StaticRoutes), len(r.Model.StaticRules))
	}
	if hasMsg(msgs, "Rule has no preference") {
		t.Errorf("rule with preference warned: %q", msgs)
	}
}

// TestVRRPNeverPanics feeds fragments of valid configs and odd argument
// counts; only the absence of a panic is checked.
func TestVRRPNeverPanics(t *testing.T) {
	kws := []string{}
	for k := range instanceTable() {
		kws = append(kws, k)
	}
	var b strings.Builder
	b.WriteString("vrrp_instance X {\n")
	for _, k := range kws {
		b.WriteString(k + "\n" + k + " a b c d\n" + k + " {\n x y\n 1 2 3\n}\n")
	}
	b.WriteString("}\nvrrp_sync_group\nvrrp_instance\nvrrp_script\nvrrp_script s {\nweight\nrise\n}\n")
	b.WriteString("static_routes {\nsrc\nvia\n1.2.3.4/8 nexthop\n1.2.3.4/8 nexthop via\nto\nblackhole\n}\nstatic_rules {\nfrom\nto\n}\n")
	b.WriteString("garp_group {\ninterface\n}\ninterface_up_down_delays {\neth1 x y\n}\ntrack_file t {\ninit_file x y z\nweight\n}\n")
	loadVRRP(t, b.String())
}

// TestVRRPSyncTrackingWeights checks the weight rules of sync group
// members (messages as measured with keepalived 2.2.7).
func TestVRRPSyncTrackingWeights(t *testing.T) {
	r := loadVRRP(t, `vrrp_script s {
  script /bin/true
  weight 10
}
track_file tf {
  file /tmp/tfx
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  track_script {
    s
  }
  track_interface {
    eth1 weight 5
  }
  track_file {
    tf
  }
  virtual_ipaddress {
    10.0.0.1
  }
}
vrrp_instance VI_2 {
  interface eth1
  virtual_router_id 52
  priority 255
  virtual_ipaddress {
    10.0.1.1
  }
}
vrrp_sync_group G {
  group {
    VI_1
    VI_2
  }
  track_script {
    s weight 3
  }
}
`)
	want := []string{
		"15: (VI_1) ignoring eth1 tracked interface weight due to SYNC group",
		"12: (VI_1) ignoring tracked script s with weights due to SYNC group",
		"18: (VI_1) ignoring weight from tracked file tf due to SYNC group. specify weight 0",
		"38: (G) Cannot have weighted track script 's' with member having priority 255 - clearing weight",
	}
	msgs := vrrpMsgs(r)
	for _, w := range want {
		if !hasMsg(msgs, w) {
			t.Errorf("missing %q in %q", w, msgs)
		}
	}
	vi := r.Model.Instances[0]
	if len(vi.TrackScripts) != 0 || vi.TrackInterfaces[0].Weight != 0 || vi.TrackFiles[0].Weight != 0 {
		t.Errorf("VI_1 tracking: %+v %+v %+v", vi.TrackScripts, vi.TrackInterfaces, vi.TrackFiles)
	}
	if g := r.Model.SyncGroups[0]; g.TrackScripts[0].Weight != 0 {
		t.Errorf("group weight not cleared: %+v", g.TrackScripts)
	}
}
