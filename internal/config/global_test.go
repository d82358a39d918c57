package config

import (
	"errors"
	"io/fs"
	"net/netip"
	"os/user"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// testOptions gives Load fake system probes: interfaces eth0/eth1, users
// root and nobody, no file system.
func testOptions() Options {
	return Options{
		InterfaceExists: func(name string) bool { return name == "eth0" || name == "eth1" },
		LookupUser: func(name string) (*user.User, error) {
			switch name {
			case "root":
				return &user.User{Username: "root", Uid: "0", Gid: "0"}, nil
			case "nobody":
				return &user.User{Username: "nobody", Uid: "65534", Gid: "65534"}, nil
			}
			return nil, user.UnknownUserError(name)
		},
		LookupGroup: func(name string) (*user.Group, error) {
			if name == "nogroup" {
				return &user.Group{Name: name, Gid: "65534"}, nil
			}
			return nil, user.UnknownGroupError(name)
		},
		Stat: func(string) (fs.FileInfo, error) { return nil, fs.ErrNotExist },
	}
}

func loadGlobal(t *testing.T, body string) *Result {
	t.Helper()
	return LoadBytes("test.conf", []byte("global_defs {\n"+body+"\n}\n"), testOptions())
}

func diagText(r *Result) string {
	var b strings.Builder
	for _, d := range r.Diags {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestGlobalDefaults(t *testing.T) {
	r := LoadBytes("test.conf", nil, testOptions())
	g := r.Model.Global
	checks := []struct {
		name      string
		got, want any
	}{
		{"VRRPVersion", g.VRRPVersion, 2},
		{"DefaultInterface", g.DefaultInterface, "eth0"},
		{"VRRPMcastGroup4", g.VRRPMcastGroup4, netip.MustParseAddr("224.0.0.18")},
		{"VRRPMcastGroup6", g.VRRPMcastGroup6, netip.MustParseAddr("ff02::12")},
		{"VRRPGarpMasterDelay", g.VRRPGarpMasterDelay, 5 * time.Second},
		{"VRRPGarpMasterRepeat", g.VRRPGarpMasterRepeat, 5},
		{"VRRPGarpMasterRefresh", g.VRRPGarpMasterRefresh, time.Duration(0)},
		{"VRRPGarpMasterRefreshRepeat", g.VRRPGarpMasterRefreshRepeat, 1},
		{"VRRPGarpLowerPrioDelay", g.VRRPGarpLowerPrioDelay, 5 * time.Second},
		{"VRRPGarpLowerPrioRepeat", g.VRRPGarpLowerPrioRepeat, 5},
		{"VRRPDownTimerAdverts", g.VRRPDownTimerAdverts, 3},
		{"SMTPConnectTimeout", g.SMTPConnectTimeout, 30 * time.Second},
		{"SMTPPort", g.SMTPServer.Port, 25},
		{"StateDumpFile", g.StateDumpFile, "/tmp/keepalived.data"},
		{"StatsDumpFile", g.StatsDumpFile, "/tmp/keepalived.stats"},
		{"JSONDumpFile", g.JSONDumpFile, "/tmp/keepalived.json"},
		{"LVSSyncDaemon", g.LVSSyncDaemon == nil, true},
		{"VmacPrefix", g.VmacPrefix, "vrrp"},
		{"ChildWaitTime", r.Model.Root.ChildWaitTime, 5 * time.Second},
		{"VRRPStrict", g.VRRPStrict, false},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if r.Problems() != 0 {
		t.Errorf("empty config: %s", diagText(r))
	}
}

func TestGlobalKeywords(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(g GlobalDefs) bool
	}{
		{"router_id", "router_id LVS_1", func(g GlobalDefs) bool { return g.RouterID == "LVS_1" }},
		{"vrrp_strict", "vrrp_strict", func(g GlobalDefs) bool { return g.VRRPStrict }},
		{"vrrp_version", "vrrp_version 3", func(g GlobalDefs) bool { return g.VRRPVersion == 3 }},
		{"mcast4", "vrrp_mcast_group4 224.0.0.19", func(g GlobalDefs) bool {
			return g.VRRPMcastGroup4 == netip.MustParseAddr("224.0.0.19")
		}},
		{"garp delay follows to lower prio", "vrrp_garp_master_delay 2\nvrrp_garp_master_repeat 3", func(g GlobalDefs) bool {
			return g.VRRPGarpMasterDelay == 2*time.Second && g.VRRPGarpLowerPrioDelay == 2*time.Second &&
				g.VRRPGarpMasterRepeat == 3 && g.VRRPGarpLowerPrioRepeat == 3
		}},
		{"lower prio explicit", "vrrp_garp_lower_prio_delay 1\nvrrp_garp_master_delay 2", func(g GlobalDefs) bool {
			return g.VRRPGarpLowerPrioDelay == time.Second
		}},
		{"garp interval", "vrrp_garp_interval 0.001\nvrrp_gna_interval 0.000001", func(g GlobalDefs) bool {
			return g.VRRPGarpInterval == time.Millisecond && g.VRRPGnaInterval == time.Microsecond
		}},
		{"min garp", "vrrp_min_garp", func(g GlobalDefs) bool {
			return g.VRRPGarpMasterRepeat == 1 && g.VRRPGarpMasterDelay == 0
		}},
		{"bools", "vrrp_lower_prio_no_advert\nvrrp_higher_prio_send_advert off\nvrrp_skip_check_adv_addr\nvrrp_check_unicast_src",
			func(g GlobalDefs) bool {
				return g.VRRPLowerPrioNoAdvert && !g.VRRPHigherPrioSendAdvert && g.VRRPSkipCheckAdvAddr && g.VRRPCheckUnicastSrc
			}},
		{"lvs", "lvs_flush\nlvs_flush_onstop\nlvs_timeouts tcp 7200 tcpfin 120 udp 300", func(g GlobalDefs) bool {
			return g.LVSFlush && g.LVSFlushOnStop && g.LVSFlushOnStopMode == LVSFlushFull &&
				g.LVSTimeoutTCP == 2*time.Hour && g.LVSTimeoutTCPFin == 2*time.Minute && g.LVSTimeoutUDP == 5*time.Minute
		}},
		{"lvs_flush_on_stop VS", "lvs_flush_on_stop VS", func(g GlobalDefs) bool { return g.LVSFlushOnStopMode == LVSFlushVS }},
		{"email", "notification_email {\n a@example.com\n b@example.com c@example.com\n}\nnotification_email_from lb@example.com\nsmtp_server 192.0.2.1 2525\nsmtp_connect_timeout 10",
			func(g GlobalDefs) bool {
				return reflect.DeepEqual(g.NotificationEmail, []string{"a@example.com", "b@example.com", "c@example.com"}) &&
					g.NotificationEmailFrom == "lb@example.com" && g.SMTPServer.Addr == netip.MustParseAddr("192.0.2.1") &&
					g.SMTPServer.Port == 2525 && g.SMTPConnectTimeout == 10*time.Second
			}},
		{"smtp by name", "smtp_server mail.example.com", func(g GlobalDefs) bool {
			return g.SMTPServer.Host == "mail.example.com" && !g.SMTPServer.Addr.IsValid() && g.SMTPServer.Port == 25
		}},
		{"fifo", "vrrp_notify_fifo /run/k.fifo\nnotify_fifo /run/all.fifo nobody", func(g GlobalDefs) bool {
			return g.VRRPNotifyFifo.Path == "/run/k.fifo" && g.NotifyFifo.User == "nobody"
		}},
		{"dynamic", "dynamic_interfaces allow_if_changes", func(g GlobalDefs) bool {
			return g.DynamicInterfaces && g.DynamicInterfacesAllowChange
		}},
		{"processes", "vrrp_priority -5\nchecker_no_swap\nbfd_rt_priority 10\nvrrp_rlimit_rttime 20000", func(g GlobalDefs) bool {
			return g.VRRPProcess.Priority == -5 && g.CheckerProcess.NoSwap && g.BFDProcess.RTPriority == 10 &&
				g.VRRPProcess.RLimitRTTime == 20*time.Millisecond
		}},
		{"netlink", "vrrp_netlink_cmd_rcv_bufs 1048576\nvrrp_netlink_cmd_rcv_bufs_force", func(g GlobalDefs) bool {
			return g.VRRPNetlinkCmdRcvBufs == NetlinkBufs{Size: 1048576, Force: true}
		}},
		{"nftables", "nftables\nnftables_priority -10\nnftables_counters", func(g GlobalDefs) bool {
			return g.Nftables == "keepalived" && g.NftablesPriority == -10 && g.NftablesCounters
		}},
		{"umask symbolic", "umask IWGRP|IWOTH", func(g GlobalDefs) bool { return g.Umask == 0o022 }},
		{"umask number", "umask 0077", func(g GlobalDefs) bool { return g.Umask == 0o077 }},
		{"snmp", "enable_snmp_rfc\nenable_traps\nsnmp_socket udp:1.2.3.4:705", func(g GlobalDefs) bool {
			return g.EnableSNMPRFCv2 && g.EnableSNMPRFCv3 && g.EnableTraps && g.SNMPSocket == "udp:1.2.3.4:705"
		}},
		{"auto priority", "max_auto_priority\nmin_auto_priority_delay 1000", func(g GlobalDefs) bool {
			return g.MaxAutoPriority == 99 && g.MinAutoPriorityDelay == time.Millisecond
		}},
		{"smtp alerts", "smtp_alert\nsmtp_alert_vrrp false", func(g GlobalDefs) bool {
			return g.SMTPAlert == 1 && g.SMTPAlertVRRP == 0 && g.SMTPAlertChecker == -1
		}},
		{"script security", "enable_script_security\nscript_user nobody nogroup", func(g GlobalDefs) bool {
			return g.EnableScriptSecurity && g.ScriptUser == "nobody" && g.ScriptGroup == "nogroup"
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := loadGlobal(t, tc.body)
			if !tc.check(r.Model.Global) {
				t.Errorf("unexpected model: %+v", r.Model.Global)
			}
			if r.Problems() != 0 {
				t.Errorf("unexpected problems:\n%s", diagText(r))
			}
		})
	}
}

func TestGlobalErrors(t *testing.T) {
	tests := []struct {
		body string
		want string // a diagnostic that must appear (warning level or above)
	}{
		{"vrrp_gna_interval 0", "vrrp_gna_interval '0' is invalid"},
		{"vrrp_garp_interval 0", "number '0' outside range [0.000001, 4294.967295]"},
		{"vrrp_version 4", "VRRP Error: Version must be either 2 or 3"},
		{"router_id", "routerid name missing - ignoring"},
		{"vrrp_priority -30", "Invalid vrrp process priority specified"},
		{"vrrp_rt_priority 200", "vrrp process real-time priority 200 greater than maximum 99 - setting to maximum"},
		{"notification_email {\n}", "Warning - empty notification_email block"},
		{"vrrp_mcast_group4 1.2.3.4", "vrrp_mcast_group4 [1.2.3.4] is not multicast. Skipping"},
		{"vrrp_mcast_group6 ff05::1", "vrrp_mcast_group6 [ff05::1] should be link-local multicast."},
		{"vrrp_vmac_garp_intvl 5", `Keyword "vrrp_vmac_garp_intvl" is deprecated - please use "vrrp_garp_extra_if"`},
		{"vrrp_iptables", "iptables not supported, using nftables instead."},
		{"smtp_server 1.2.3.4 x", "Invalid smtp server 1.2.3.4 x"},
		{"smtp_server 10.0.0.1 99999", "number '99999' outside range [1, 65535]"},
		{"lvs_timeouts tcp", "lvs_timeouts requires at least one option"},
		{"lvs_timeouts tcp x", "Invalid lvs_timeout tcp (x) - ignoring"},
		{"lvs_flush_on_stop ALL", "Unknown lvs_flush_on_stop type ALL"},
		{"script_user nosuch", "Error setting global script uid/gid"},
		{"smtp_connect_timeout 0", "smtp_conect_timeout must be greater than 0, setting to 1"},
		{"vrrp_garp_master_repeat 0", "vrrp_garp_master_repeat must be greater than 0, setting to 1"},
		{"umask IWFOO", "Unknown umask bit IWFOO"},
		{"process_name averyveryverylongname", "Process name averyveryverylongname more than 15 characters, truncating"},
		{"vrrp_down_timer_adverts 0", "Invalid vrrp_down_timer_adverts [1:100] '0'"},
		{"state_dump_file", "state_dump_file: missing argument"},
		{"vrrp_ipsets foo", "Unknown keyword 'vrrp_ipsets'"},
	}
	for _, tc := range tests {
		t.Run(tc.body, func(t *testing.T) {
			r := loadGlobal(t, tc.body)
			found := false
			for _, d := range r.Diags {
				if d.Severity >= SevWarning && strings.Contains(d.Msg, tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want %q in:\n%s", tc.want, diagText(r))
			}
			if r.SecurityViolation {
				t.Errorf("unexpected security violation")
			}
		})
	}
}

func TestGlobalNotImplementedIsInfo(t *testing.T) {
	r := loadGlobal(t, "enable_dbus\nenable_snmp_vrrp\nenable_snmp_vrrp")
	if r.Problems() != 0 {
		t.Fatalf("not-implemented notes must be informational:\n%s", diagText(r))
	}
	n := 0
	for _, d := range r.Diags {
		if strings.Contains(d.Msg, "not implemented") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want one note per keyword, got %d:\n%s", n, diagText(r))
	}
}

// TestGlobalInfoOnly covers messages keepalived only logs: they must not
// change the -t exit status.
func TestGlobalInfoOnly(t *testing.T) {
	tests := []struct{ body, want string }{
		{"lvs_process_name x", "'lvs_process_name' is deprecated - please use 'checker_process_name'"},
		{"default_interface eth9", "WARNING - default interface eth9 doesn't exist"},
		{"checker_rlimit_rtime 1000", "Keyword 'checker_rlimit_rtime' is deprecated - please use 'checker_rlimit_rttime'"},
		{"vrrp_garp_interval 2", "The vrrp_garp_interval is very large - 2 seconds"},
		{"notify_fifo /run/f nosuch", "Invalid user/group for  fifo /run/f - ignoring"},
	}
	for _, tc := range tests {
		r := loadGlobal(t, tc.body)
		if r.Problems() != 0 || !strings.Contains(diagText(r), tc.want) {
			t.Errorf("%s: want only info %q:\n%s", tc.body, tc.want, diagText(r))
		}
	}
}

func TestRootKeywords(t *testing.T) {
	r := LoadBytes("test.conf", []byte("net_namespace blue\ninstance one\nchild_wait_time 0\nlinkbeat_use_polling\nnet_namespace_ipvs\ninstance two\n"), testOptions())
	root := r.Model.Root
	if root.NetNamespace != "blue" || root.Instance != "one" || !root.UsePidDir || root.ChildWaitTime != 0 ||
		!root.LinkbeatUsePolling || !root.NetNamespaceIPVSSet || root.NetNamespaceIPVS != "" {
		t.Errorf("root = %+v", root)
	}
	if !strings.Contains(diagText(r), "Duplicate instance definition two - ignoring") {
		t.Errorf("missing duplicate warning:\n%s", diagText(r))
	}
}

func TestScriptUserMissingWithoutStat(t *testing.T) {
	// The Stat fake reports nothing exists: probes must not panic.
	opt := testOptions()
	opt.Stat = func(string) (fs.FileInfo, error) { return nil, errors.New("boom") }
	r := LoadBytes("test.conf", []byte("global_defs {\nstartup_script /bin/true\n}\n"), opt)
	if r.SecurityViolation {
		t.Errorf("missing program must not count as a script")
	}
}

// TestLVSSyncDaemon checks the handler alone: finishVRRP later clears the
// setting when the named instance does not exist.
func TestLVSSyncDaemon(t *testing.T) {
	tests := []struct {
		args []string
		want LVSSyncDaemon
		warn string
	}{
		{[]string{"eth0", "VI_1", "id", "5", "maxlen", "1000", "port", "9000", "ttl", "2", "group", "224.0.0.82"},
			LVSSyncDaemon{Interface: "eth0", Instance: "VI_1", SyncID: 5, MaxLen: 1000, Port: 9000, TTL: 2, Group: netip.MustParseAddr("224.0.0.82")}, ""},
		{[]string{"eth1", "VI_2"},
			LVSSyncDaemon{Interface: "eth1", Instance: "VI_2", SyncID: -1, Port: 8848, Group: netip.MustParseAddr("224.0.0.81")}, ""},
		{[]string{"eth1", "VI_2", "7"},
			LVSSyncDaemon{Interface: "eth1", Instance: "VI_2", SyncID: 7, Port: 8848, Group: netip.MustParseAddr("224.0.0.81")},
			`Please use keyword "id" before lvs_sync_daemon SYNCID`},
		{[]string{"eth1", "inst", "VI_3", "group", "10.0.0.1"},
			LVSSyncDaemon{Interface: "eth1", Instance: "VI_3", SyncID: -1, Port: 8848, Group: netip.MustParseAddr("224.0.0.81")},
			"lvs_sync_daemon group address 10.0.0.1 is not multicast - ignoring"},
	}
	for _, tc := range tests {
		p := newTestParser(testOptions())
		p.walk([]*kaconf.Node{node(append([]string{"lvs_sync_daemon"}, tc.args...)...)}, globalTable())
		if got := p.m.Global.LVSSyncDaemon; got == nil || *got != tc.want {
			t.Errorf("%v: got %+v", tc.args, got)
		}
		found := tc.warn == ""
		for _, d := range p.diags {
			if d.Severity >= SevWarning && d.Msg == tc.warn {
				found = true
			}
		}
		if !found {
			t.Errorf("%v: want %q in %v", tc.args, tc.warn, p.diags)
		}
	}
}

// TestIncludeCheckTypes checks include_check's words as keepalived 2.2.7
// takes them: "readable" and unknown words warn; the result carries
// IncludeFailed for a missing include under the check.
func TestIncludeCheckTypes(t *testing.T) {
	r := loadGlobal(t, "include_check readable +match -brace_match bogus")
	var got []string
	for _, d := range r.Diags {
		if strings.Contains(d.Msg, "include_check") {
			got = append(got, d.Msg)
		}
	}
	want := []string{"Unknown include_check type 'readable' - ignoring", "Unknown include_check type 'bogus' - ignoring"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	r = LoadBytes("main.conf", []byte("global_defs {\n include_check match\n}\ninclude /nonexistent/x.conf\n"), testOptions())
	if !r.IncludeFailed || !r.HasErrors() {
		t.Errorf("missing include under include_check match: IncludeFailed %v, errors %v", r.IncludeFailed, r.HasErrors())
	}
}

func TestGlobalDumpFiles(t *testing.T) {
	conf := "global_defs {\n state_dump_file /var/run/ka.data\n stats_dump_file /var/run/ka.stats\n json_dump_file /var/run/ka.json\n json_dump_file /x\n}\n"
	res := LoadBytes("k.conf", []byte(conf), Options{})
	g := res.Model.Global
	if g.StateDumpFile != "/var/run/ka.data" || g.StatsDumpFile != "/var/run/ka.stats" || g.JSONDumpFile != "/var/run/ka.json" {
		t.Errorf("dump files: %q %q %q", g.StateDumpFile, g.StatsDumpFile, g.JSONDumpFile)
	}
	found := false
	for _, d := range res.Diags {
		if strings.Contains(d.String(), "already been specified") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for the second json_dump_file: %v", res.Diags)
	}
}
