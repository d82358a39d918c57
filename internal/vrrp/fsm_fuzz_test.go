package vrrp

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// FuzzMachine feeds arbitrary event sequences, including malformed adverts,
// to machines of arbitrary configuration and checks the invariants: no
// panic, VIPs set exactly in MASTER, a master always has a timer, no
// deadline in the past, the last ArmTimer equals Deadline.
func FuzzMachine(f *testing.F) {
	for seed := uint64(0); seed < 64; seed++ {
		f.Add(seed, []byte{byte(seed), byte(seed * 7), byte(seed * 13), 3, 200, 0, 255, 1, 2})
	}
	f.Fuzz(func(t *testing.T, seed uint64, script []byte) {
		rng := rand.New(rand.NewPCG(seed, uint64(len(script))))
		c := testConfig(func(c *Config) {
			c.Version = 2 + rng.IntN(2)
			c.Priority = rng.IntN(256)
			c.AdvertInterval = time.Duration(1+rng.IntN(300)) * 10 * time.Millisecond
			c.InitialState = State(rng.IntN(3))
			c.Nopreempt = rng.IntN(2) == 0
			c.PreemptDelay = time.Duration(rng.IntN(3)) * time.Second
			c.Strict = rng.IntN(4) == 0
			c.LowerPrioNoAdvert = rng.IntN(2) == 0
			c.HigherPrioSendAdvert = rng.IntN(2) == 0
			c.SkipCheckAdvAddr = rng.IntN(2) == 0
			c.GARPMasterRefresh = time.Duration(rng.IntN(3)) * time.Second
			c.DownTimerAdverts = rng.IntN(5)
		})
		clk := &fakeClock{now: t0}
		m, _, err := New(c, clk)
		if err != nil {
			return
		}
		addrs := []netip.Addr{{}, loAddr, ourAddr, hiAddr, netip.MustParseAddr("fe80::1"), netip.MustParseAddr("::ffff:10.0.0.9")}
		var armed time.Time
		for i, b := range script {
			var ev Event
			switch b % 8 {
			case 0:
				switch rng.IntN(4) {
				case 0:
					ev = StartEvent{}
				case 1:
					ev = ResumeEvent{Prev: Snapshot{
						State: State(rng.IntN(6)), VIPsSet: rng.IntN(2) == 0,
						Timer:          clk.now.Add(time.Duration(rng.Int64N(4e9) - 1e9)),
						MasterAdverInt: time.Duration(rng.Int64N(5e9) - 1e8),
						MasterAddr:     addrs[rng.IntN(len(addrs))], MasterPrio: rng.IntN(300),
						Delta: rng.IntN(600) - 300,
					}, Added: rng.IntN(2) == 0}
				default:
					ev = GroupEvent{To: State(rng.IntN(6))}
				}
			case 1, 2:
				var list []netip.Addr
				for j := 0; j < rng.IntN(3); j++ {
					list = append(list, []netip.Addr{vip1, hiAddr, {}}[rng.IntN(3)])
				}
				ev = AdvertEvent{Advert: Advert{Source: addrs[rng.IntN(len(addrs))], Version: rng.IntN(5),
					Priority: uint8(rng.IntN(256)), Interval: time.Duration(rng.Int64N(5e9) - 1e8), Addresses: list}}
			case 3, 4:
				if d := m.Deadline(); !d.IsZero() && rng.IntN(4) > 0 {
					clk.now = d
				}
				ev = TimerEvent{}
			case 5:
				ev = PriorityEvent{Delta: rng.IntN(600) - 300}
			case 6:
				ev = FaultEvent{Reason: []string{"a", "b"}[rng.IntN(2)], Down: rng.IntN(2) == 0}
			case 7:
				if i == len(script)-1 || rng.IntN(8) == 0 {
					ev = StopEvent{}
				} else {
					ev = InterfaceEvent{Name: "eth0", Up: rng.IntN(2) == 0}
				}
			}
			clk.now = clk.now.Add(time.Duration(rng.IntN(50)) * time.Millisecond)
			for _, a := range m.Handle(ev) {
				if at, ok := a.(ArmTimer); ok {
					armed = at.Deadline
				}
			}
			if m.VIPsSet() != (m.State() == StateMaster) {
				t.Fatalf("step %d %T: vips %v in %v", i, ev, m.VIPsSet(), m.State())
			}
			if m.State() == StateMaster && m.sands.IsZero() {
				t.Fatalf("step %d: master without timer", i)
			}
			if d := m.Deadline(); !d.Equal(armed) {
				t.Fatalf("step %d: deadline %v, last armed %v", i, d, armed)
			}
			if p := m.EffectivePriority(); p < 1 || p > 255 {
				t.Fatalf("step %d: priority %d", i, p)
			}
		}
	})
}
