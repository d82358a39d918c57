package vrrp_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/gokeepalived/keepalived/internal/vrrp"
)

type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

// A daemon runs one loop per instance: deliver events, carry out actions,
// and deliver a TimerEvent when the last armed deadline passes.
func ExampleMachine() {
	clk := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cfg := vrrp.DefaultConfig("VI_1")
	cfg.VRID = 51
	cfg.Priority = 150
	cfg.PrimaryAddr = netip.MustParseAddr("192.168.1.10")
	cfg.VIPs = []netip.Addr{netip.MustParseAddr("192.168.1.100")}
	m, _, err := vrrp.New(cfg, clk)
	if err != nil {
		fmt.Println(err)
		return
	}
	start := clk.now
	var deadline time.Time
	run := func(acts []vrrp.Action) {
		for _, a := range acts {
			switch a := a.(type) {
			case vrrp.LogLine:
				if !a.Detail { // keepalived prints these only with -D
					fmt.Println(clk.now.Sub(start), a.Text)
				}
			case vrrp.SendAdvert:
				fmt.Println(clk.now.Sub(start), "advert, priority", a.Priority)
			case vrrp.ArmTimer:
				deadline = a.Deadline
			}
		}
	}
	run(m.Handle(vrrp.StartEvent{}))
	clk.now = deadline // nobody else is advertising: the down timer runs out
	run(m.Handle(vrrp.TimerEvent{}))
	run(m.Handle(vrrp.StopEvent{}))
	// Output:
	// 0s (VI_1) Entering BACKUP STATE (init)
	// 3.414062s advert, priority 150
	// 3.414062s (VI_1) Entering MASTER STATE
	// 3.414062s advert, priority 0
}
