package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/gokeepalived/keepalived/internal/vrrp"
)

type fakeVRRP struct {
	st  []vrrp.InstanceStatus
	err error
}

func (f fakeVRRP) Status(context.Context) ([]vrrp.InstanceStatus, error) { return f.st, f.err }

func TestVRRPCollector(t *testing.T) {
	src := fakeVRRP{st: []vrrp.InstanceStatus{{
		Name: "VI_1", Interface: "eth0", VRID: 51, Family: 4, Version: 2,
		State: vrrp.StateMaster, Priority: 100, EffectivePriority: 90,
		LastTransition: time.Unix(1700000000, 500_000_000),
		Stats: vrrp.Stats{AdvertRcvd: 3, AdvertSent: 40, BecomeMaster: 1, ReleaseMaster: 0,
			PacketLenErr: 2, IPTTLErr: 1, AuthFailure: 4, PriZeroRcvd: 1, PriZeroSent: 2, ChecksumErr: 5},
	}, {
		Name: "VI_6", Interface: "eth1", VRID: 7, Family: 6, Version: 3, State: vrrp.StateFault, Priority: 50, EffectivePriority: 50,
	}}}
	reg := NewRegistry(Options{Version: "2.2.7", NoProcess: true}, src)
	want := `
# HELP keepalived_vrrp_instance_state State of the VRRP instance as keepalived numbers it: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP.
# TYPE keepalived_vrrp_instance_state gauge
keepalived_vrrp_instance_state{iname="VI_1",intf="eth0",ip_type="ipv4",vrid="51"} 2
keepalived_vrrp_instance_state{iname="VI_6",intf="eth1",ip_type="ipv6",vrid="7"} 3
# HELP keepalived_vrrp_instance_effective_priority Effective priority of the VRRP instance: the configured one plus the weights of its trackers.
# TYPE keepalived_vrrp_instance_effective_priority gauge
keepalived_vrrp_instance_effective_priority{iname="VI_1",intf="eth0",ip_type="ipv4",vrid="51"} 90
keepalived_vrrp_instance_effective_priority{iname="VI_6",intf="eth1",ip_type="ipv6",vrid="7"} 50
# HELP keepalived_vrrp_instance_last_transition_timestamp_seconds Time of the VRRP instance's last state change, in seconds since the epoch (0 before the first).
# TYPE keepalived_vrrp_instance_last_transition_timestamp_seconds gauge
keepalived_vrrp_instance_last_transition_timestamp_seconds{iname="VI_1",intf="eth0",ip_type="ipv4",vrid="51"} 1.7000000005e+09
keepalived_vrrp_instance_last_transition_timestamp_seconds{iname="VI_6",intf="eth1",ip_type="ipv6",vrid="7"} 0
# HELP keepalived_vrrp_auth_errors_total VRRP packets refused for authentication, by keepalived's counter name.
# TYPE keepalived_vrrp_auth_errors_total counter
keepalived_vrrp_auth_errors_total{iname="VI_1",intf="eth0",ip_type="ipv4",reason="auth_failure",vrid="51"} 4
keepalived_vrrp_auth_errors_total{iname="VI_1",intf="eth0",ip_type="ipv4",reason="authtype_mismatch",vrid="51"} 0
keepalived_vrrp_auth_errors_total{iname="VI_1",intf="eth0",ip_type="ipv4",reason="invalid_authtype",vrid="51"} 0
keepalived_vrrp_auth_errors_total{iname="VI_6",intf="eth1",ip_type="ipv6",reason="auth_failure",vrid="7"} 0
keepalived_vrrp_auth_errors_total{iname="VI_6",intf="eth1",ip_type="ipv6",reason="authtype_mismatch",vrid="7"} 0
keepalived_vrrp_auth_errors_total{iname="VI_6",intf="eth1",ip_type="ipv6",reason="invalid_authtype",vrid="7"} 0
# HELP keepalived_vrrp_scrape_success 1 when the VRRP subsystem answered this scrape, 0 when it did not in time.
# TYPE keepalived_vrrp_scrape_success gauge
keepalived_vrrp_scrape_success 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"keepalived_vrrp_instance_state", "keepalived_vrrp_instance_effective_priority",
		"keepalived_vrrp_instance_last_transition_timestamp_seconds", "keepalived_vrrp_auth_errors_total",
		"keepalived_vrrp_scrape_success"); err != nil {
		t.Error(err)
	}
	for name, want := range map[string]float64{
		`keepalived_vrrp_packet_errors_total{iname="VI_1",reason="packet_len_err"}`: 2,
		`keepalived_vrrp_packet_errors_total{iname="VI_1",reason="ip_ttl_err"}`:     1,
		`keepalived_vrrp_packet_errors_total{iname="VI_1",reason="chk_err"}`:        5,
		`keepalived_vrrp_adverts_sent_total{iname="VI_1"}`:                          40,
		`keepalived_vrrp_adverts_received_total{iname="VI_1"}`:                      3,
		`keepalived_vrrp_became_master_total{iname="VI_1"}`:                         1,
		`keepalived_vrrp_priority_zero_received_total{iname="VI_1"}`:                1,
		`keepalived_vrrp_priority_zero_sent_total{iname="VI_1"}`:                    2,
		`keepalived_vrrp_instance_priority{iname="VI_1"}`:                           100,
		`keepalived_vrrp_instance_in_state{iname="VI_1",state="MASTER"}`:            1,
		`keepalived_vrrp_instance_in_state{iname="VI_1",state="BACKUP"}`:            0,
		`keepalived_vrrp_instance_in_state{iname="VI_6",state="FAULT"}`:             1,
	} {
		if got := gathered(t, reg, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if n, err := testutil.GatherAndCount(reg, "keepalived_vrrp_packet_errors_total"); err != nil || n != 14 {
		t.Errorf("packet error series: %d, %v (want 7 reasons x 2 instances)", n, err)
	}
}

func TestVRRPCollectorError(t *testing.T) {
	reg := NewRegistry(Options{NoProcess: true}, fakeVRRP{err: errors.New("loop busy")})
	if got := gathered(t, reg, "keepalived_vrrp_scrape_success"); got != 0 {
		t.Errorf("scrape_success = %v, want 0", got)
	}
	if n, _ := testutil.GatherAndCount(reg, "keepalived_vrrp_instance_state"); n != 0 {
		t.Errorf("%d instance series after an error", n)
	}
}
