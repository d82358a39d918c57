package metrics

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/gokeepalived/keepalived/internal/ipvs"
	"github.com/gokeepalived/keepalived/internal/lvs"
	"github.com/gokeepalived/keepalived/internal/vrrp"
)

// BenchmarkGather1000 is one scrape's collection with 1,000 VRRP
// instances and 100 virtual servers of 10 real servers each (with IPVS
// counters and one checker per real server): about 35,000 series.
func BenchmarkGather1000(b *testing.B) {
	var insts []vrrp.InstanceStatus
	for i := range 1000 {
		insts = append(insts, vrrp.InstanceStatus{Name: fmt.Sprintf("VI_%d", i), Interface: "eth0", VRID: i%255 + 1, Family: 4, State: vrrp.StateBackup, Priority: 100, EffectivePriority: 100})
	}
	var st lvs.Status
	for v := range 100 {
		vs := ipvs.VSStatus{Name: fmt.Sprintf("[10.0.%d.1]:tcp:80", v), QuorumUp: true}
		sc := ipvs.ServiceCounters{ServiceStats: ipvs.ServiceStats{ServiceKey: ipvs.ServiceKey{Family: ipvs.AFInet, Protocol: 6, Addr: netip.AddrFrom4([4]byte{10, 0, byte(v), 1}), Port: 80}}}
		for r := range 10 {
			a := netip.AddrFrom4([4]byte{10, 1, byte(v), byte(r + 1)})
			rs := ipvs.RSStatus{Name: fmt.Sprintf("[%s]:tcp:80", a), Addr: a, Port: 80, Up: true, Weight: 1}
			vs.Reals = append(vs.Reals, rs)
			sc.Dests = append(sc.Dests, ipvs.DestStats{DestKey: ipvs.DestKey{Addr: a, Port: 80}})
			st.Checks = append(st.Checks, lvs.CheckStatus{VS: vs.Name, RS: rs.Name, Kind: "TCP_CHECK", Probes: 1})
		}
		vs.Services = []ipvs.ServiceCounters{sc}
		st.VirtualServers = append(st.VirtualServers, vs)
	}
	reg := NewRegistry(Options{NoProcess: true}, fakeVRRP{st: insts}, fakeLVS{st: st})
	b.ResetTimer()
	for b.Loop() {
		if _, err := reg.Gather(); err != nil {
			b.Fatal(err)
		}
	}
}
