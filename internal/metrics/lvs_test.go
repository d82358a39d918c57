package metrics

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gokeepalived/keepalived/internal/ipvs"
	"github.com/gokeepalived/keepalived/internal/lvs"
)

type fakeLVS struct {
	st  lvs.Status
	err error
}

func (f fakeLVS) Status(context.Context) (lvs.Status, error) { return f.st, f.err }

var lvsStatus = lvs.Status{
	VirtualServers: []ipvs.VSStatus{{
		Name: "[10.0.0.1]:tcp:80", QuorumUp: true,
		Reals: []ipvs.RSStatus{
			{Name: "[10.0.1.1]:tcp:80", Addr: netip.MustParseAddr("10.0.1.1"), Port: 80, Up: true, Weight: 3},
			{Name: "[10.0.1.2]:tcp:80", Addr: netip.MustParseAddr("10.0.1.2"), Port: 80, Up: false, Weight: 1},
		},
		Services: []ipvs.ServiceCounters{{
			ServiceStats: ipvs.ServiceStats{
				ServiceKey: ipvs.ServiceKey{Family: ipvs.AFInet, Protocol: 6, Addr: netip.MustParseAddr("10.0.0.1"), Port: 80},
				Counters:   ipvs.Counters{Conns: 10, InPkts: 100, OutPkts: 90, InBytes: 1000, OutBytes: 9000},
			},
			Dests: []ipvs.DestStats{
				{DestKey: ipvs.DestKey{Addr: netip.MustParseAddr("10.0.1.1"), Port: 80}, Counters: ipvs.Counters{Conns: 10, InBytes: 1000}, ActiveConns: 2, InactConns: 5},
				{DestKey: ipvs.DestKey{Addr: netip.MustParseAddr("10.0.9.9"), Port: 80}, Counters: ipvs.Counters{Conns: 1}},
			},
		}},
	}, {
		Name: "FWM 7", QuorumUp: false,
	}},
	Checks: []lvs.CheckStatus{
		{VS: "[10.0.0.1]:tcp:80", RS: "[10.0.1.1]:tcp:80", Kind: "TCP_CHECK", Probes: 4, Total: 200 * time.Millisecond, Last: 50 * time.Millisecond, LastOK: true},
		{VS: "[10.0.0.1]:tcp:80", RS: "[10.0.1.2]:tcp:80", Kind: "HTTP_GET", Probes: 3, Failures: 3, Total: 3 * time.Second, Last: time.Second},
	},
}

func TestLVSCollector(t *testing.T) {
	reg := NewRegistry(Options{NoProcess: true}, fakeLVS{st: lvsStatus})
	want := `
# HELP keepalived_lvs_real_server_up 1 when every checker of the real server succeeds (it is in the IPVS table), 0 when it is down.
# TYPE keepalived_lvs_real_server_up gauge
keepalived_lvs_real_server_up{rs="[10.0.1.1]:tcp:80",vs="[10.0.0.1]:tcp:80"} 1
keepalived_lvs_real_server_up{rs="[10.0.1.2]:tcp:80",vs="[10.0.0.1]:tcp:80"} 0
# HELP keepalived_lvs_virtual_server_quorum_up 1 when the virtual server has quorum (its live real servers' weights reach quorum), 0 when its sorry server (or nothing) serves.
# TYPE keepalived_lvs_virtual_server_quorum_up gauge
keepalived_lvs_virtual_server_quorum_up{vs="FWM 7"} 0
keepalived_lvs_virtual_server_quorum_up{vs="[10.0.0.1]:tcp:80"} 1
# HELP keepalived_check_duration_seconds Duration of the checker's probes (count: probes run, sum: their total time).
# TYPE keepalived_check_duration_seconds summary
keepalived_check_duration_seconds_sum{check="HTTP_GET",rs="[10.0.1.2]:tcp:80",vs="[10.0.0.1]:tcp:80"} 3
keepalived_check_duration_seconds_count{check="HTTP_GET",rs="[10.0.1.2]:tcp:80",vs="[10.0.0.1]:tcp:80"} 3
keepalived_check_duration_seconds_sum{check="TCP_CHECK",rs="[10.0.1.1]:tcp:80",vs="[10.0.0.1]:tcp:80"} 0.2
keepalived_check_duration_seconds_count{check="TCP_CHECK",rs="[10.0.1.1]:tcp:80",vs="[10.0.0.1]:tcp:80"} 4
# HELP keepalived_ipvs_real_server_connections_total Connections the kernel scheduled to the real server of the IPVS service.
# TYPE keepalived_ipvs_real_server_connections_total counter
keepalived_ipvs_real_server_connections_total{rs="[10.0.1.1]:tcp:80",service="[10.0.0.1]:tcp:80",vs="[10.0.0.1]:tcp:80"} 10
keepalived_ipvs_real_server_connections_total{rs="[10.0.9.9]:tcp:80",service="[10.0.0.1]:tcp:80",vs="[10.0.0.1]:tcp:80"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"keepalived_lvs_real_server_up", "keepalived_lvs_virtual_server_quorum_up",
		"keepalived_check_duration_seconds", "keepalived_ipvs_real_server_connections_total"); err != nil {
		t.Error(err)
	}
	for sel, want := range map[string]float64{
		`keepalived_lvs_real_server_weight{rs="[10.0.1.1]:tcp:80"}`:                3,
		`keepalived_check_failures_total{check="HTTP_GET"}`:                        3,
		`keepalived_check_last_success{check="TCP_CHECK"}`:                         1,
		`keepalived_check_last_duration_seconds{check="HTTP_GET"}`:                 1,
		`keepalived_ipvs_service_bytes_out_total{vs="[10.0.0.1]:tcp:80"}`:          9000,
		`keepalived_ipvs_service_packets_in_total{vs="[10.0.0.1]:tcp:80"}`:         100,
		`keepalived_ipvs_real_server_active_connections{rs="[10.0.1.1]:tcp:80"}`:   2,
		`keepalived_ipvs_real_server_inactive_connections{rs="[10.0.1.1]:tcp:80"}`: 5,
		`keepalived_ipvs_real_server_bytes_in_total{rs="[10.0.1.1]:tcp:80"}`:       1000,
		`keepalived_lvs_scrape_success`:                                            1,
	} {
		if got := gathered(t, reg, sel); got != want {
			t.Errorf("%s = %v, want %v", sel, got, want)
		}
	}
}

func TestLVSCollectorPartial(t *testing.T) {
	// Counters that could not be read: the rest is still reported.
	reg := NewRegistry(Options{NoProcess: true}, fakeLVS{st: lvs.Status{VirtualServers: lvsStatus.VirtualServers[1:]}, err: errors.New("netlink")})
	if got := gathered(t, reg, "keepalived_lvs_scrape_success"); got != 0 {
		t.Errorf("scrape_success = %v", got)
	}
	if got := gathered(t, reg, `keepalived_lvs_virtual_server_quorum_up{vs="FWM 7"}`); got != 0 {
		t.Errorf("quorum = %v", got)
	}
}

func TestRegistrySkipsOtherSources(t *testing.T) {
	reg := NewRegistry(Options{Version: "2.2.7"}, nil, 42, fakeLVS{})
	if got := gathered(t, reg, `keepalived_build_info{version="2.2.7"}`); got != 1 {
		t.Errorf("build info = %v", got)
	}
	for _, name := range []string{"process_cpu_seconds_total", "go_goroutines"} {
		if n, err := testutil.GatherAndCount(reg, name); err != nil || n != 1 {
			t.Errorf("%s: %d series, %v", name, n, err)
		}
	}
}
