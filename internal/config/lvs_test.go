package config

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loadLVS loads conf and returns the result and its warning-level messages.
func loadLVS(t *testing.T, conf string) (*Result, []string) {
	t.Helper()
	r := LoadBytes("test.conf", []byte(conf), Options{})
	var warns []string
	for _, d := range r.Diags {
		if d.Severity >= SevWarning {
			warns = append(warns, d.String())
		}
	}
	return r, warns
}

// vsConf wraps virtual server body lines with a complete, clean header.
func vsConf(head, body string) string {
	return "virtual_server " + head + " {\n" + body + "\n}\n"
}

// secureHdr enables script security so that scripts in tests are clean.
const secureHdr = "global_defs {\n enable_script_security\n script_user root\n}\n"

const cleanRS = "real_server 10.0.0.2 80 {\n weight 1\n}"

func TestLVSWarnings(t *testing.T) {
	tests := []struct {
		name string
		conf string
		want []string // substrings of the warnings, in order; nil: none
	}{
		{"clean", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\n"+cleanRS), nil},
		{"defaults reported", vsConf("10.0.0.1 80", "protocol TCP\n"+cleanRS), []string{
			"test.conf:1: Virtual server [10.0.0.1]:tcp:80: no scheduler set, setting default 'wlc'",
			"test.conf:1: Virtual server [10.0.0.1]:tcp:80: no forwarding method set, setting default NAT"}},
		{"fwmark protocol", vsConf("fwmark 1", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 {\n}"),
			[]string{"Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"}},
		{"no real servers", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR"),
			[]string{"Virtual server [10.0.0.1]:tcp:80 has no real servers - ignoring"}},
		{"zero port", vsConf("10.0.0.1", "protocol TCP\nlb_algo rr\nlb_kind NAT\n"+cleanRS),
			[]string{"Virtual server [10.0.0.1]:tcp:0: zero port only valid for persistent services - setting"}},
		{"zero port persistent", vsConf("10.0.0.1", "protocol TCP\nlb_algo rr\nlb_kind NAT\npersistence_timeout\n"+cleanRS), nil},
		{"unknown scheduler", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo bogus\nlb_kind DR\n"+cleanRS), []string{
			"test.conf:3: Invalid lvs_scheduler 'bogus' - ignoring", "no scheduler set"}},
		{"no protocol", vsConf("10.0.0.1 80", "lb_algo rr\nlb_kind DR\n"+cleanRS),
			[]string{"Virtual server [10.0.0.1]:none:80: no protocol set - defaulting to UDP"}},
		{"ops needs udp", vsConf("10.0.0.1 80", "protocol TCP\nops\nlb_algo rr\nlb_kind DR\n"+cleanRS),
			[]string{"one packet scheduling requires UDP - resetting"}},
		{"sh flags", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nsh-port\nlb_kind DR\n"+cleanRS),
			[]string{"test.conf:4: sh-port only applies to sh scheduler - ignoring"}},
		{"ports differ DR", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 81 {\n}"),
			[]string{"WARNING - virtual server [10.0.0.1]:tcp:80 and real server [10.0.0.2]:tcp:81 ports don't match - resetting"}},
		{"ports differ NAT ok", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind NAT\nreal_server 10.0.0.2 81 {\n}"), nil},
		{"sorry with fwmark", vsConf("fwmark 7", "lb_algo rr\nlb_kind DR\nsorry_server 10.0.0.9 80\nreal_server 10.0.0.2 {\n}"),
			[]string{"WARNING - virtual server FWM 7, sorry server has port specified - clearing"}},
		{"duplicate rs", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\n"+cleanRS+"\n"+cleanRS),
			[]string{"VS [10.0.0.1]:tcp:80: real server [10.0.0.2]:tcp:80 is duplicated - removing second rs"}},
		{"quorum and hysteresis", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nquorum 5\nhysteresis 5\n"+cleanRS), []string{
			"Warning - quorum 5 for [10.0.0.1]:tcp:80 exceeds total weight of real servers 1, reducing quorum to 1",
			"hysteresis 5 >= quorum 1; setting hysteresis to 0"}},
		{"ha_suspend fwmark", vsConf("fwmark 3", "lb_algo rr\nlb_kind DR\nha_suspend\nreal_server 10.0.0.2 {\n}"),
			[]string{"Virtual server FWM 3: cannot use ha_suspend with fwmarks - clearing ha_suspend"}},
		{"persistence range", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\npersistence_timeout 0\n"+cleanRS),
			[]string{"number '0' outside range [1, 2678400]", "persistence_timeout invalid"}},
		{"bad routing", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind FOO\nlb_kind DR\n"+cleanRS),
			[]string{"PARSER : unknown [FOO] routing method for virtual server."}},
		{"tun ipip csum", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlvs_method TUN type ipip csum\nlb_kind DR\n"+cleanRS),
			[]string{"ipip tunnels do not support checksum option."}},
		{"tun gue", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlvs_method TUN type gue port 6080 remcsum\n"+cleanRS), nil},
		{"unknown group is info", vsConf("group NOPE", "protocol TCP\nlb_algo rr\nlb_kind DR\n"+cleanRS), nil},
		{"empty group", "virtual_server_group E {\n}\n", []string{"virtual server group E has no entries - removing"}},
		{"group mixed families", "virtual_server_group G {\n10.0.0.1 80\n2001:db8::1 80\nfwmark 5\n}\n",
			[]string{"virtual server group G cannot have IPv4, IPv6 and fwmark without family - removing"}},
		{"group bad entries", "virtual_server_group G {\n10.0.0.5-3 80\n10.0.0.0/33 80\n10.0.0.1/24 80\n10.0.0.9-10.0.0.1 80\nfwmark 3 foo\n10.0.0.1 99999\n10.0.0.1 80\n}\n", []string{
			"Address range end is not greater than address range start - 10.0.0.5-3 - skipping",
			"Invalid netmask - 10.0.0.0/33 - skipping",
			"Address mask bits not empty - 10.0.0.1/24 - skipping",
			"Address range end is less than address range start - 10.0.0.9-10.0.0.1 - skipping",
			"(G): fwmark '3' family foo unknown - ignoring",
			"number '99999' outside range [1, 65535]",
			"Invalid virtual server group IP address 10.0.0.1 /port/99999 - skipping"}},
		{"group ports", "virtual_server_group G1 {\n10.0.0.1 80\n10.0.0.50\nfwmark 5\n}\n" +
			vsConf("group G1", "protocol TCP\nlb_algo rr\nlb_kind DR\n"+cleanRS), []string{
			"Virtual server [G1]:0: zero port only valid for persistent services - setting",
			"WARNING - fwmark virtual server [G1]:0, real server [10.0.0.2]:tcp:80 has port specified - port will be ignored",
			"virtual server [G1]:0:[10.0.0.50,0] and real server [10.0.0.2]:tcp:80 ports don't match"}},
		{"nb_get_retry", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 80 {\nHTTP_GET {\nurl {\npath /\n}\nnb_get_retry 3\n}\n}"),
			[]string{"test.conf:10: nb_get_retry is deprecated - please use 'retry'"}},
		{"http errors", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 80 {\nSSL_GET {\nurl {\npath /\ndigest zz\ndigest 9b3a0c85a887a256d6939da88aabd8cz\nstatus_code 600 100-50 abc 200-204\n}\nhttp_protocol 2.0\n}\n}"), []string{
			"digest 'zz' character length should be 32 rather than 2",
			"Unable to interpret hex digit in '9b3a0c85a887a256d6939da88aabd8cz' at offset 30/31",
			"Invalid HTTP_GET status code '600'", "Invalid HTTP_GET status code '100-50'", "Invalid HTTP_GET status code 'abc'",
			"Invalid http_protocol version 2.0"}},
		{"checker drops", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 80 {\nHTTP_GET {\n}\nMISC_CHECK {\nconnect_ip 1.2.3.4\n}\nDNS_CHECK {\ntype BOGUS\n}\nUDP_CHECK {\npayload zz\n}\nFILE_CHECK {\nweight 3\n}\nBFD_CHECK {\nname b\n}\n}"), []string{
			"HTTP/SSL_GET checker has no urls specified - ignoring",
			"Unknown keyword 'connect_ip'",
			"No script path has been specified for MISC_CHECKER - skipping",
			"Unknown DNS check type BOGUS - ignoring",
			"Invalid hex string for UDP_CHECK payload",
			"FILE_CHECK has no track_file specified - ignoring",
			"([10.0.0.2]:tcp:80) BFD_CHECK - BFD b not configured"}},
		{"rs values", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nretry 0\nquorum 0\nreal_server 10.0.0.2 80 {\nalpha bogus\nweight -5\nuthreshold abc\n}"), []string{
			"number '0' outside range [1, 4294967295]", "retry value invalid - 0",
			"number '0' outside range [1, 4294967295]", "Quorum 0 must be in [1, 4294967295]. Setting to 1.",
			"Invalid alpha parameter bogus",
			"negative number '-5'", "Real server weight -5 is outside range 0-2147483647",
			"invalid number 'abc'", "Invalid real_server uthreshold 'abc' - ignoring"}},
		{"sorry without server", vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nsorry_server_inhibit\nsorry_server_lvs_method DR\nip_family inet6\n"+cleanRS), []string{
			"Ignoring sorry_server inhibit used before or without sorry_server",
			"sorry_server forwarding used without sorry_server",
			"Virtual server specified family inet6 conflicts with server family"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, warns := loadLVS(t, tc.conf)
			i := 0
			for _, w := range warns {
				if i < len(tc.want) && strings.Contains(w, tc.want[i]) {
					i++
				}
			}
			if i < len(tc.want) {
				t.Errorf("missing warning %q (in order); got:\n%s", tc.want[i], strings.Join(warns, "\n"))
			}
			if tc.want == nil && len(warns) > 0 {
				t.Errorf("unexpected warnings:\n%s", strings.Join(warns, "\n"))
			}
		})
	}
}

func TestLVSNeverPanics(t *testing.T) {
	for _, conf := range []string{
		"virtual_server\n", "virtual_server {\n}\n", "virtual_server fwmark\n", "virtual_server group\n",
		"virtual_server 1.2.3.4 80 {\nreal_server\nreal_server 1.2.3.5 {\nHTTP_GET {\nurl\nurl {\n}\n}\n}\nsorry_server\nlvs_method TUN type\nlvs_method TUN port\n}\n",
		"virtual_server_group\nvirtual_server_group G {\nfwmark\n-\n/\n1.2.3.4-\n::-::1\n}\nSSL {\npassword\n}\n",
		"virtual_server 1.2.3.4 80 {\nreal_server 1.2.3.5 {\nUDP_CHECK {\npayload\nrequire_reply\n}\nSMTP_CHECK {\nhost\n}\n}\n}\n",
	} {
		LoadBytes("x.conf", []byte(conf), Options{})
	}
}

func TestLVSDefaultsAndInheritance(t *testing.T) {
	conf := secureHdr + `virtual_server 10.0.0.1 80 {
  protocol TCP
  lb_algo rr
  lb_kind DR
  delay_loop 10
  connect_timeout 4
  retry 4
  alpha
  virtualhost vs.example
  real_server 10.0.0.2 80 {
    delay_before_retry 2
    TCP_CHECK {
    }
    HTTP_GET {
      url {
        path /
      }
      delay_loop 7
      retry 9
    }
  }
  real_server 10.0.0.3 8080 {
    inhibit_on_failure
    lvs_method NAT
    weight 5
    DNS_CHECK {
      connect_timeout 1
    }
    MISC_CHECK {
      misc_path "/bin/true arg"
      alpha off
    }
    SSL_GET {
      url {
        path /
        status_code 200 301-302
        virtualhost url.example
      }
    }
  }
}
`
	r, warns := loadLVS(t, conf)
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns)
	}
	if len(r.Model.VirtualServers) != 1 {
		t.Fatalf("got %d virtual servers", len(r.Model.VirtualServers))
	}
	vs := r.Model.VirtualServers[0]
	if vs.Quorum != 1 || vs.Hysteresis != 0 || vs.Scheduler != "rr" || vs.Forwarding != FwdDR || vs.Family != FamilyIPv4 {
		t.Errorf("vs defaults: %+v", vs)
	}
	rs1, rs2 := vs.RealServers[0], vs.RealServers[1]
	if rs1.Weight != 1 || rs1.Forwarding != FwdDR || !rs1.Alpha || rs1.ConnectTimeout != 4*time.Second || rs1.DelayLoop != 10*time.Second || !rs1.SMTPAlert {
		t.Errorf("rs1: %+v", rs1)
	}
	if rs2.Weight != 5 || rs2.Forwarding != FwdNAT || !rs2.Inhibit {
		t.Errorf("rs2: %+v", rs2)
	}
	type eff struct {
		kind           CheckerKind
		retry          uint32
		dbr, loop, cto time.Duration
		warmup         time.Duration
		alpha          bool
		ip             string
		port           uint16
	}
	want := []eff{
		{CheckTCP, 4, 2 * time.Second, 10 * time.Second, 4 * time.Second, 10 * time.Second, true, "10.0.0.2", 80},
		{CheckHTTP, 9, 2 * time.Second, 7 * time.Second, 4 * time.Second, 7 * time.Second, true, "10.0.0.2", 80},
		{CheckDNS, 4, 10 * time.Second, 10 * time.Second, time.Second, 10 * time.Second, true, "10.0.0.3", 8080},
		{CheckMisc, 4, time.Second, 10 * time.Second, 4 * time.Second, 10 * time.Second, false, "", 0},
		{CheckSSL, 4, 3 * time.Second, 10 * time.Second, 4 * time.Second, 10 * time.Second, true, "10.0.0.3", 8080},
	}
	var got []*Checker
	got = append(got, rs1.Checkers...)
	got = append(got, rs2.Checkers...)
	if len(got) != len(want) {
		t.Fatalf("got %d checkers", len(got))
	}
	for i, w := range want {
		c := got[i]
		ip := ""
		if c.ConnectIP.IsValid() {
			ip = c.ConnectIP.String()
		}
		g := eff{c.Kind, c.Retry, c.DelayBeforeRetry, c.DelayLoop, c.ConnectTimeout, c.Warmup, c.Alpha, ip, c.ConnectPort}
		if g != w {
			t.Errorf("checker %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	// vs retry 4 overrides the kind defaults; check the defaults without it.
	if u := got[4].HTTP.URLs[0]; u.Virtualhost != "url.example" || !u.Accepts(301) || u.Accepts(200+100) || !u.Accepts(200) {
		t.Errorf("ssl url: %+v", u)
	}
	if u := got[1].HTTP.URLs[0]; u.Virtualhost != "vs.example" || !u.Accepts(299) || u.Accepts(300) {
		t.Errorf("http url: %+v", u)
	}
	if m := got[3].Misc; m.Path == nil || m.Path.String() != "/bin/true arg" || m.Timeout != 10*time.Second {
		t.Errorf("misc: %+v", m)
	}
}

func TestCheckerDefaultRetry(t *testing.T) {
	conf := secureHdr + vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\ndelay_loop 20\nreal_server 10.0.0.2 80 {\n"+
		"TCP_CHECK {\n}\nMISC_CHECK {\nmisc_path /bin/true\n}\nDNS_CHECK {\n}\nHTTP_GET {\nurl {\npath /\n}\n}\n}")
	r, warns := loadLVS(t, conf)
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns)
	}
	cs := r.Model.VirtualServers[0].RealServers[0].Checkers
	want := []struct {
		retry uint32
		dbr   time.Duration
	}{{1, time.Second}, {0, time.Second}, {3, 20 * time.Second}, {1, 3 * time.Second}}
	for i, w := range want {
		if cs[i].Retry != w.retry || cs[i].DelayBeforeRetry != w.dbr {
			t.Errorf("%s: retry %d dbr %v, want %d %v", cs[i].Kind, cs[i].Retry, cs[i].DelayBeforeRetry, w.retry, w.dbr)
		}
	}
	if d := cs[2].DNS; d.Type != "SOA" || d.Name != "." || cs[2].ConnectPort != 80 {
		t.Errorf("dns defaults: %+v port %d", d, cs[2].ConnectPort)
	}
}

func TestVirtualServerForms(t *testing.T) {
	conf := "virtual_server_group G {\n10.0.0.1 80\n}\n" +
		vsConf("fwmark 9", "lb_algo rr\nlb_kind DR\npersistence_timeout\nreal_server 10.0.0.2 {\n}") +
		vsConf("group G", "protocol UDP\nlb_algo sh\nsh-port\nsh-fallback\nlb_kind NAT\npersistence_timeout 50\npersistence_granularity 255.255.255.0\n"+cleanRS) +
		vsConf("2001:db8::1 443", "protocol SCTP\nlb_algo mh\nmh-port\nlb_kind DR\nreal_server 2001:db8::2 443 {\n}")
	r, warns := loadLVS(t, conf)
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns)
	}
	v := r.Model.VirtualServers
	if len(v) != 3 {
		t.Fatalf("got %d virtual servers", len(v))
	}
	if v[0].Fwmark != 9 || v[0].PersistenceTimeout != 360 || v[0].Flags&SvcPersistent == 0 || v[0].Protocol != ProtoNone {
		t.Errorf("fwmark vs: %+v", v[0])
	}
	if v[1].Group == nil || v[1].Group.Name != "G" || v[1].Flags&(SvcSched1|SvcSched2) != SvcSched1|SvcSched2 ||
		v[1].PersistenceGranularity != 24 || v[1].PersistenceTimeout != 50 || fmtVS(v[1]) != "[G]:0" {
		t.Errorf("group vs: %+v", v[1])
	}
	if v[2].Family != FamilyIPv6 || v[2].Flags != SvcSched2 || fmtVS(v[2]) != "[2001:db8::1]:sctp:443" {
		t.Errorf("ipv6 vs: %+v", v[2])
	}
}

func TestSSLBlock(t *testing.T) {
	r, warns := loadLVS(t, "SSL {\npassword pw\nca /ca.pem\ncertificate /c.pem\nkey /k.pem\n}\n")
	if len(warns) > 0 {
		t.Fatal(warns)
	}
	s := r.Model.SSL
	if s == nil || s.Password != "pw" || s.CAFile != "/ca.pem" || s.CertFile != "/c.pem" || s.KeyFile != "/k.pem" {
		t.Errorf("SSL: %+v", s)
	}
}

func TestParseAddrRange(t *testing.T) {
	tests := []struct{ in, start, end, msg string }{
		{"10.0.0.1", "10.0.0.1", "10.0.0.1", ""},
		{"10.0.0.10-20", "10.0.0.10", "10.0.0.20", ""},
		{"10.0.0.250-10.0.1.3", "10.0.0.250", "10.0.1.3", ""},
		{"10.0.1.0/30", "10.0.1.0", "10.0.1.3", ""},
		{"2001:db8::1-a", "2001:db8::1", "2001:db8::a", ""},
		{"2001:db8::/126", "2001:db8::", "2001:db8::3", ""},
		{"2001:db8::1-2001:db8::1:0", "2001:db8::1", "2001:db8::1:0", ""},
		{"10.0.0.5-3", "", "", "Address range end is not greater than address range start"},
		{"10.0.0.5-5", "", "", "Address range end is not greater than address range start"},
		{"10.0.0.5-256", "", "", "Invalid virtual server group IP address"},
		{"10.0.0.0/33", "", "", "Invalid netmask"},
		{"10.0.0.1/24", "", "", "Address mask bits not empty"},
		{"10.0.0.9-10.0.0.1", "", "", "Address range end is less than address range start"},
		{"10.0.0.9-2001:db8::1", "", "", "Invalid virtual server group IP address"},
		{"bogus", "", "", "Invalid virtual server group IP address"},
	}
	for _, tc := range tests {
		s, e, msg := parseVSGRange(tc.in)
		if msg != tc.msg {
			t.Errorf("%s: msg %q want %q", tc.in, msg, tc.msg)
			continue
		}
		if msg == "" && (s.String() != tc.start || e.String() != tc.end) {
			t.Errorf("%s: got %s-%s want %s-%s", tc.in, s, e, tc.start, tc.end)
		}
	}
}

func TestVSGroupExpansion(t *testing.T) {
	r, warns := loadLVS(t, `virtual_server_group G {
  10.0.0.1 80
  10.0.0.254-10.0.1.1 443
  192.168.0.8/31
  fwmark 7
  fwmark 8 inet
}
`)
	if len(warns) > 0 {
		t.Fatal(warns)
	}
	g := r.Model.VSGroups[0]
	members, complete := g.Members(0)
	var got []string
	for _, m := range members {
		if m.IsFwmark {
			got = append(got, "fwm "+strconv.FormatUint(uint64(m.Fwmark), 10)+" "+m.Family.String())
			continue
		}
		got = append(got, netip.AddrPortFrom(m.Addr, m.Port).String())
	}
	want := []string{"10.0.0.1:80", "10.0.0.254:443", "10.0.0.255:443", "10.0.1.0:443", "10.0.1.1:443",
		"192.168.0.8:0", "192.168.0.9:0", "fwm 7 unspec", "fwm 8 inet"}
	if !complete || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("members:\n got %v\nwant %v", got, want)
	}
	if g.Size() != uint64(len(want)) {
		t.Errorf("size %d", g.Size())
	}
	if part, complete := g.Members(3); complete || len(part) != 3 {
		t.Errorf("limited: %d %v", len(part), complete)
	}
	if !g.HaveIPv4 || g.HaveIPv6 || !g.FwmarkNoFamily {
		t.Errorf("flags: %+v", g)
	}
}

func TestVSGroupHugeRange(t *testing.T) {
	r, _ := loadLVS(t, "virtual_server_group G {\n2001:db8::/64 80\n}\n")
	g := r.Model.VSGroups[0]
	if g.Size() != 1<<64-1 {
		t.Errorf("size %d", g.Size())
	}
	m, complete := g.Members(10)
	if complete || len(m) != 10 || m[9].Addr.String() != "2001:db8::9" {
		t.Errorf("members %v %v", m, complete)
	}
}

func TestLVSTimers(t *testing.T) {
	conf := vsConf("10.0.0.4 80", `protocol TCP
lb_algo rr
lb_kind DR
delay_loop 0
connect_timeout 0
delay_before_retry 0
real_server 10.0.0.2 80 {
delay_loop 0
connect_timeout 0
TCP_CHECK {
warmup 0
connect_timeout 5000
delay_loop abc
retry 0
}
}`)
	r, warns := loadLVS(t, conf)
	want := []string{
		"test.conf:5: number '0' outside range [0.000001, 18446744073709.551614]",
		"test.conf:5: virtual server delay loop '0' invalid - ignoring",
		"test.conf:6: number '0' outside range [0.000001, 4294.967295]",
		"test.conf:6: virtual server connect_timeout 0 invalid - ignoring",
		"test.conf:9: number '0' outside range [0.000001, 18446744073709.551614]",
		"test.conf:9: real server delay_loop '0' invalid - ignoring",
		"test.conf:10: number '0' outside range [0.000001, 4294.967295]",
		"test.conf:10: real server connect_timeout 0 invalid - ignoring",
		"test.conf:13: number '5000' outside range [0.000001, 4294.967295]",
		"test.conf:13: connect_timeout 5000 invalid - ignoring",
		"test.conf:14: invalid number 'abc'",
		"test.conf:14: delay_loop 'abc' is invalid - ignoring",
	}
	if strings.Join(warns, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(want, "\n"))
	}
	c := r.Model.VirtualServers[0].RealServers[0].Checkers[0]
	if c.Retry != 0 || c.Warmup != 0 || c.DelayLoop != 60*time.Second || c.ConnectTimeout != 5*time.Second || c.DelayBeforeRetry != 0 {
		t.Errorf("checker: %+v", c)
	}
}

func TestMiscCheckMissingProgram(t *testing.T) {
	conf := secureHdr + vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 80 {\n"+
		"MISC_CHECK {\nmisc_path /nonexistent/prog\n}\nMISC_CHECK {\nmisc_path \"/bin/sh -c true\"\nmisc_dynamic\n}\n}")
	r, warns := loadLVS(t, conf)
	if len(warns) > 0 {
		t.Fatalf("warnings: %v", warns)
	}
	cs := r.Model.VirtualServers[0].RealServers[0].Checkers
	if len(cs) != 1 || cs[0].Misc.Path.String() != "/bin/sh -c true" || !cs[0].Misc.Dynamic || cs[0].Retry != 0 {
		t.Fatalf("checkers: %+v", cs)
	}
}

func TestFileCheckTrackFile(t *testing.T) {
	conf := "track_file tf {\nfile /tmp/x\n}\n" + vsConf("10.0.0.1 80", "protocol TCP\nlb_algo rr\nlb_kind DR\nreal_server 10.0.0.2 80 {\n"+
		"FILE_CHECK {\ntrack_file tf\nweight -3 reverse\n}\nFILE_CHECK {\ntrack_file later\n}\n}") + "track_file later {\nfile /tmp/y\n}\n"
	r, warns := loadLVS(t, conf)
	want := []string{"test.conf:14: track_file later not found", "test.conf:15: FILE_CHECK has no track_file specified - ignoring"}
	if strings.Join(warns, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(want, "\n"))
	}
	cs := r.Model.VirtualServers[0].RealServers[0].Checkers
	if len(cs) != 1 || cs[0].File.Track == nil || cs[0].File.Weight != -3 || !cs[0].File.Reverse {
		t.Fatalf("checkers: %+v", cs)
	}
}
