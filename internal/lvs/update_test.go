package lvs

import (
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/check"
)

func TestEventWeightReachesKernel(t *testing.T) {
	e := newEnv(t)
	e.p.block.Store(true)
	m := e.start(alphaConf)
	vs := m.VirtualServers[0]
	// The Runner sends the initial states before its first probe: wait
	// for that probe so they do not overtake the events below.
	deadline := time.Now().Add(5 * time.Second)
	for e.p.count.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no probe started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// misc_dynamic gave the live server weight 5; the alpha one came up
	// with weight 7.
	e.s.update(e.s.batch, check.Event{VS: vs, RS: vs.RealServers[0], Up: true, Weight: 5})
	e.s.update(e.s.batch, check.Event{VS: vs, RS: vs.RealServers[1], Up: true, Weight: 7})
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w5
[10.0.0.1]:tcp:80 10.0.1.2:80 w7`)
}

const initNotifyConf = `
global_defs {
	rs_init_notifies
}
virtual_server 10.0.0.1 80 {
	delay_loop 1
	protocol TCP
	real_server 10.0.1.1 80 {
		notify_up "DIR/note.sh a-up"
		TCP_CHECK {
		}
	}
	real_server 10.0.1.2 80 {
		alpha
		notify_up "DIR/note.sh b-up"
		notify_down "DIR/note.sh b-down"
		TCP_CHECK {
		}
	}
}
`

func TestRSInitNotifies(t *testing.T) {
	e := newEnv(t)
	e.p.block.Store(true)
	e.start(initNotifyConf)
	// Only servers that start up are notified.
	e.waitNotes("a-up")
}
