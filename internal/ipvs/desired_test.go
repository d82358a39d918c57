package ipvs

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
)

func load(t *testing.T, conf string) *config.Model {
	t.Helper()
	r := config.LoadBytes("test.conf", []byte(conf), config.Options{})
	return r.Model
}

// applied returns the fake table after a first Apply with every server up.
func applied(t *testing.T, conf string) (*fakeKernel, *Manager) {
	t.Helper()
	k := newFake()
	m := NewManager(k, nil, Options{})
	if err := m.Apply(context.Background(), load(t, conf), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return k, m
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestBuildKeywords(t *testing.T) {
	tests := []struct {
		name, conf string
		want       []string
	}{
		{"nat rr weight", `virtual_server 10.0.0.1 80 { lb_algo rr
 lb_kind NAT
 protocol TCP
 real_server 10.0.0.2 8080 { weight 3 } }`,
			[]string{"-A -t 10.0.0.1:80 -s rr", "-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 3"}},
		{"nat port inherited, default wlc, lvs_sched", `virtual_server 10.0.0.1 80 { protocol TCP
 real_server 10.0.0.2 { } }
virtual_server 10.0.0.1 81 { lvs_sched lc
 protocol TCP
 real_server 10.0.0.2 81 { } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1",
				"-A -t 10.0.0.1:81 -s lc", "-a -t 10.0.0.1:81 -r 10.0.0.2:81 -m -w 1"}},
		{"dr persistence default and granularity", `virtual_server 10.0.0.1 443 { lb_algo rr
 lb_kind DR
 protocol TCP
 persistence_timeout
 persistence_granularity 255.255.255.0
 real_server 10.0.0.3 443 { weight 0 } real_server 10.0.0.4 443 { } }`,
			[]string{"-A -t 10.0.0.1:443 -s rr -p 360 -M 24", "-a -t 10.0.0.1:443 -r 10.0.0.3:443 -g -w 0", "-a -t 10.0.0.1:443 -r 10.0.0.4:443 -g -w 1"}},
		{"persistence timeout value", `virtual_server 10.0.0.1 80 { lb_kind DR
 protocol TCP
 persistence_timeout 50
 real_server 10.0.0.3 80 { } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc -p 50", "-a -t 10.0.0.1:80 -r 10.0.0.3:80 -g -w 1"}},
		{"fwmark dr port 0", `virtual_server fwmark 7 { lb_kind DR
 persistence_timeout 300
 real_server 10.0.0.9 80 { } }`,
			[]string{"-A -f 7 -s wlc -p 300", "-a -f 7 -r 10.0.0.9:0 -g -w 1"}},
		{"fwmark ipv6", `virtual_server fwmark 8 { lb_kind DR
 real_server fd00::9 { } }`,
			[]string{"-A -f 8 -6 -s wlc", "-a -f 8 -6 -r [fd00::9]:0 -g -w 1"}},
		{"tunnels", `virtual_server 10.0.0.1 53 { lb_algo sh
 lb_kind TUN
 protocol UDP
 real_server 10.0.0.5 53 { }
 real_server 10.0.0.6 53 { lvs_method TUN type gue port 6080 csum }
 real_server 10.0.0.7 53 { lvs_method TUN type gre csum } }`,
			[]string{"-A -u 10.0.0.1:53 -s sh", "-a -u 10.0.0.1:53 -r 10.0.0.5:53 -i -w 1 tun 0/0/0",
				"-a -u 10.0.0.1:53 -r 10.0.0.6:53 -i -w 1 tun 1/6080/1", "-a -u 10.0.0.1:53 -r 10.0.0.7:53 -i -w 1 tun 2/0/1"}},
		{"tunnel to other family", `virtual_server 10.0.0.1 80 { lb_kind TUN
 protocol TCP
 real_server fd00::5 80 { } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r [fd00::5]:80 -i -w 1 tun 0/0/0"}},
		{"scheduler flags", `virtual_server 10.0.0.1 80 { lb_algo sh
 sh-port
 sh-fallback
 protocol TCP
 real_server 10.0.0.2 80 { } }
virtual_server 10.0.0.1 53 { lb_algo mh
 mh-port
 ops
 protocol UDP
 real_server 10.0.0.2 53 { } }
virtual_server 10.0.0.1 54 { lb_algo rr
 flag-1
 flag-2
 flag-3
 hashed
 protocol UDP
 real_server 10.0.0.2 54 { } }`,
			[]string{"-A -t 10.0.0.1:80 -s sh flags 0x18", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1",
				"-A -u 10.0.0.1:53 -s mh flags 0x14", "-a -u 10.0.0.1:53 -r 10.0.0.2:53 -m -w 1",
				"-A -u 10.0.0.1:54 -s rr flags 0x38", "-a -u 10.0.0.1:54 -r 10.0.0.2:54 -m -w 1"}},
		{"thresholds", `virtual_server 10.0.0.1 80 { protocol TCP
 real_server 10.0.0.2 80 { uthreshold 100
 lthreshold 10 } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1 -x 100 -y 10"}},
		{"ipv6 sctp", `virtual_server fd00::1 80 { protocol SCTP
 real_server fd00::2 80 { } }`,
			[]string{"-A --sctp-service [fd00::1]:80 -s wlc", "-a --sctp-service [fd00::1]:80 -r [fd00::2]:80 -m -w 1"}},
		{"group ranges and fwmarks", `virtual_server_group G {
 10.0.1.1-3 80
 10.0.2.0/31 80
 fwmark 9
}
virtual_server group G { lb_kind DR
 protocol TCP
 real_server 10.0.0.2 80 { } }`,
			[]string{"-A -t 10.0.1.1:80 -s wlc", "-a -t 10.0.1.1:80 -r 10.0.0.2:80 -g -w 1",
				"-A -t 10.0.1.2:80 -s wlc", "-a -t 10.0.1.2:80 -r 10.0.0.2:80 -g -w 1",
				"-A -t 10.0.1.3:80 -s wlc", "-a -t 10.0.1.3:80 -r 10.0.0.2:80 -g -w 1",
				"-A -t 10.0.2.0:80 -s wlc", "-a -t 10.0.2.0:80 -r 10.0.0.2:80 -g -w 1",
				"-A -t 10.0.2.1:80 -s wlc", "-a -t 10.0.2.1:80 -r 10.0.0.2:80 -g -w 1",
				"-A -f 9 -s wlc", "-a -f 9 -r 10.0.0.2:0 -g -w 1"}},
		{"group fwmark shared by two virtual servers", `virtual_server_group G { fwmark 4 }
virtual_server group G { lb_kind DR
 real_server 10.0.0.2 { } }
virtual_server group G { lb_kind DR
 real_server 10.0.0.2 { }
 real_server 10.0.0.3 { } }`,
			[]string{"-A -f 4 -s wlc", "-a -f 4 -r 10.0.0.2:0 -g -w 1", "-a -f 4 -r 10.0.0.3:0 -g -w 1"}},
		{"no real servers: never created", `virtual_server 10.0.0.1 80 { protocol TCP }`, nil},
		{"sorry server replaces weightless real servers", `virtual_server 10.0.0.1 80 { protocol TCP
 sorry_server 10.0.0.99 80
 real_server 10.0.0.2 80 { weight 0 } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.99:80 -m -w 1"}},
		{"sorry server with inhibit real server", `virtual_server 10.0.0.1 80 { protocol TCP
 sorry_server 10.0.0.99 80
 inhibit_on_failure
 real_server 10.0.0.2 80 { weight 0 } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 0", "-a -t 10.0.0.1:80 -r 10.0.0.99:80 -m -w 1"}},
		{"sorry server unused", `virtual_server 10.0.0.1 80 { protocol TCP
 sorry_server 10.0.0.99 80
 real_server 10.0.0.2 80 { } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1"}},
		{"sorry server inhibit unused: weight 0", `virtual_server 10.0.0.1 80 { protocol TCP
 sorry_server 10.0.0.99 80
 sorry_server_inhibit
 sorry_server_lvs_method DR
 real_server 10.0.0.2 80 { } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1", "-a -t 10.0.0.1:80 -r 10.0.0.99:80 -g -w 0"}},
		{"fwmark sorry server port 0", `virtual_server fwmark 5 { lb_kind DR
 sorry_server 10.0.0.99 80
 real_server 10.0.0.2 { weight 0 } }`,
			[]string{"-A -f 5 -s wlc", "-a -f 5 -r 10.0.0.99:0 -g -w 1"}},
		{"alpha, ha_suspend, quorum keywords parse and keep all up", `virtual_server 10.0.0.1 80 { protocol TCP
 alpha
 omega
 ha_suspend
 quorum 2
 hysteresis 1
 real_server 10.0.0.2 80 { weight 2 } }`,
			[]string{"-A -t 10.0.0.1:80 -s wlc", "-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, _ := applied(t, tc.conf)
			if got, want := k.dump(), strings.Join(sortedCopy(tc.want), "\n"); got != want {
				t.Errorf("table:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// fixedState is a State with explicit up/down servers.
type fixedState struct {
	down   map[string]bool // by address
	noQuor bool
}

func (s fixedState) RealServer(vs *config.VirtualServer, rs *config.RealServer) (bool, int) {
	return !s.down[rs.Addr.String()], rs.Weight
}
func (s fixedState) QuorumUp(*config.VirtualServer) bool { return !s.noQuor }

func TestDestsStates(t *testing.T) {
	conf := `virtual_server 10.0.0.1 80 { protocol TCP
 sorry_server 10.0.0.99 80
 real_server 10.0.0.2 80 { weight 2 }
 real_server 10.0.0.3 80 { inhibit_on_failure }
 real_server 10.0.0.4 80 { } }`
	vs := load(t, conf).VirtualServers[0]
	tests := []struct {
		name string
		st   fixedState
		want string
	}{
		{"all up", fixedState{}, "10.0.0.2:2 10.0.0.3:1 10.0.0.4:1"},
		{"one down removed", fixedState{down: map[string]bool{"10.0.0.2": true}}, "10.0.0.3:1 10.0.0.4:1"},
		{"inhibit down at weight 0", fixedState{down: map[string]bool{"10.0.0.3": true}}, "10.0.0.2:2 10.0.0.3:0 10.0.0.4:1"},
		{"quorum lost: sorry replaces, inhibit kept at 0", fixedState{down: map[string]bool{"10.0.0.2": true}, noQuor: true}, "10.0.0.3:0 10.0.0.99:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range Dests(vs, tc.st) {
				got = append(got, d.Addr.String()+":"+strconv.Itoa(d.Weight))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("dests %q, want %q", g, tc.want)
			}
		})
	}
}

func TestInitialUpAlpha(t *testing.T) {
	m := load(t, `virtual_server 10.0.0.1 80 { protocol TCP
 alpha
 real_server 10.0.0.2 80 { TCP_CHECK { } }
 real_server 10.0.0.3 80 { } }`)
	rs := m.VirtualServers[0].RealServers
	if InitialUp(rs[0]) || !InitialUp(rs[1]) {
		t.Errorf("InitialUp = %v, %v; want false (alpha checker), true (no checker)", InitialUp(rs[0]), InitialUp(rs[1]))
	}
}

func TestVSNames(t *testing.T) {
	m := load(t, `virtual_server_group G { 10.0.1.1 80 }
virtual_server group G { protocol TCP
 real_server 10.0.0.2 80 { } }
virtual_server fwmark 3 { real_server 10.0.0.2 80 { } }
virtual_server fd00::1 80 { protocol UDP
 real_server fd00::2 80 { } }`)
	var got []string
	for _, vs := range m.VirtualServers {
		got = append(got, VSName(vs))
	}
	if g := strings.Join(got, ","); g != "[G]:0,FWM 3,[fd00::1]:udp:80" {
		t.Errorf("names %s", g)
	}
	if n := RSName(m.VirtualServers[2], m.VirtualServers[2].RealServers[0]); n != "[fd00::2]:udp:80" {
		t.Errorf("RSName %s", n)
	}
}
