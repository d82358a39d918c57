package lvs

import (
	"context"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if st, err := e.s.Status(ctx); err != nil || st.VirtualServers != nil || st.Checks != nil {
		t.Fatalf("Status before Start = %+v, %v", st, err)
	}
	e.p.set("10.0.1.1:80", true)
	e.p.set("10.0.1.2:80", false)
	e.start(alphaConf)
	// The first probes run after the bootstrap delay (1 s).
	var st Status
	deadline := time.Now().Add(15 * time.Second)
	for {
		var err error
		st, err = e.s.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Checks) == 2 && st.Checks[0].Probes > 0 && st.Checks[1].Probes > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no probes recorded: %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ok, bad := st.Checks[0], st.Checks[1]
	if ok.VS != "[10.0.0.1]:tcp:80" || ok.RS != "[10.0.1.1]:tcp:80" || ok.Kind != "TCP_CHECK" || !ok.LastOK || ok.Failures != 0 {
		t.Errorf("healthy check = %+v", ok)
	}
	if bad.RS != "[10.0.1.2]:tcp:80" || bad.LastOK || bad.Failures != bad.Probes || bad.Total < bad.Last {
		t.Errorf("failing check = %+v", bad)
	}
	if len(st.VirtualServers) != 1 {
		t.Fatalf("virtual servers = %+v", st.VirtualServers)
	}
	vs := st.VirtualServers[0]
	if vs.Name != "[10.0.0.1]:tcp:80" || !vs.QuorumUp || len(vs.Reals) != 2 || !vs.Reals[0].Up || vs.Reals[1].Up {
		t.Errorf("virtual server = %+v", vs)
	}
	if err := e.s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := e.s.Status(ctx); err != nil || st.VirtualServers != nil {
		t.Errorf("Status after Stop = %+v, %v", st, err)
	}
}

// TestStatusDuringLifeCycle scrapes while the subsystem starts, reloads
// and stops (run with -race).
func TestStatusDuringLifeCycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := e.s.Status(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	m := e.model(alphaConf)
	if err := e.s.Start(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Reload(ctx, m, e.model(alphaConf)); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-done
}
