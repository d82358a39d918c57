package lvs

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// countingKernel counts the requests made to a fakeKernel by kind.
type countingKernel struct {
	*fakeKernel
	getSvc, getDest, setDest atomic.Int64
}

func (c *countingKernel) GetServices() ([]ipvs.Service, error) {
	c.getSvc.Add(1)
	return c.fakeKernel.GetServices()
}
func (c *countingKernel) GetDestinations(s ipvs.Service) ([]ipvs.Dest, error) {
	c.getDest.Add(1)
	return c.fakeKernel.GetDestinations(s)
}
func (c *countingKernel) UpdateDestination(s ipvs.Service, d ipvs.Dest) error {
	c.setDest.Add(1)
	return c.fakeKernel.UpdateDestination(s, d)
}

func (c *countingKernel) String() string {
	return fmt.Sprintf("get-service %d, get-dest %d, set-dest %d", c.getSvc.Load(), c.getDest.Load(), c.setDest.Load())
}

func (c *countingKernel) reset() {
	c.getSvc.Store(0)
	c.getDest.Store(0)
	c.setDest.Store(0)
}

// scaleConf is the benchmark's configuration: vs virtual servers of rs
// real servers; real server 1 of every (vs/changed)th one has weight w.
func scaleConf(vs, rs, changed, w int) string {
	var b strings.Builder
	step := vs / changed
	for i := 0; i < vs; i++ {
		a := fmt.Sprintf("%d.%d", i/250, i%250+1)
		fmt.Fprintf(&b, "virtual_server 10.1.%s 80 {\n\tlb_algo wlc\n\tlb_kind NAT\n\tprotocol TCP\n", a)
		for j := 1; j <= rs; j++ {
			wt := 1
			if j == 1 && i%step == 0 {
				wt = w
			}
			fmt.Fprintf(&b, "\treal_server 10.2.%s %d {\n\t\tweight %d\n\t}\n", a, 8000+j, wt)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// TestReloadAtScale is the benchmark's reload on the fake kernel: 1,000
// virtual servers x 10 real servers, 10 weights changed. The start reads
// the kernel once (an empty service list); the reload reads the service
// list and the destinations of the 10 changed services, and writes only
// the 10 weights; the checker events that follow change nothing.
func TestReloadAtScale(t *testing.T) {
	e := newEnv(t)
	ck := &countingKernel{fakeKernel: e.k}
	e.s.h.open = func() (ipvs.Kernel, func(), error) { return ck, func() {}, nil }
	a, b := e.model(scaleConf(1000, 10, 10, 1)), e.model(scaleConf(1000, 10, 10, 2))
	ctx := context.Background()
	if err := e.s.Start(ctx, a); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.s.Stop(ctx) })
	if got := ck.String(); got != "get-service 1, get-dest 0, set-dest 0" {
		t.Errorf("start: %s", got)
	}
	for _, step := range []struct {
		name   string
		from   *config.Model
		to     *config.Model
		weight string
	}{{"reload", a, b, " w2"}, {"reload back", b, a, " w1"}} {
		settle(t, ck)
		ck.reset()
		if err := e.s.Reload(ctx, step.from, step.to); err != nil {
			t.Fatal(err)
		}
		settle(t, ck)
		if got := ck.String(); got != "get-service 1, get-dest 10, set-dest 10" {
			t.Errorf("%s: %s, want the service list, 10 get-dest and 10 set-dest", step.name, got)
		}
		if n := strings.Count(e.k.dump(), ":8001"+step.weight); n < 10 {
			t.Errorf("%s: %d changed destinations in the table", step.name, n)
		}
	}
}

// settle waits until the kernel saw no request for 300 ms (the Runner's
// initial events are applied by then).
func settle(t *testing.T, ck *countingKernel) {
	t.Helper()
	last, quiet := ck.String(), time.Now()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cur := ck.String(); cur != last {
			last, quiet = cur, time.Now()
		} else if time.Since(quiet) > 300*time.Millisecond {
			return
		}
	}
	t.Fatalf("kernel requests did not settle: %s", last)
}

// BenchmarkStartStop1000x10 is the CPU of a start (Apply of the whole
// table on the fake kernel, the Runner's initial events) and a stop for
// the benchmark's 1,000 x 10 configuration, parsed once.
func BenchmarkStartStop1000x10(b *testing.B) {
	r := config.LoadBytes("bench.conf", []byte(scaleConf(1000, 10, 10, 1)), config.Options{})
	if r.HasErrors() {
		b.Fatal(r.Diags)
	}
	ctx := context.Background()
	for b.Loop() {
		k := newFakeKernel()
		s := newSubsystem(nil, Options{}, hooks{open: func() (ipvs.Kernel, func(), error) { return k, func() {}, nil }})
		if err := s.Start(ctx, r.Model); err != nil {
			b.Fatal(err)
		}
		if err := s.Stop(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad1000x10 is the CPU of parsing the benchmark's
// configuration (35,000 lines).
func BenchmarkLoad1000x10(b *testing.B) {
	conf := []byte(scaleConf(1000, 10, 10, 1))
	for b.Loop() {
		if r := config.LoadBytes("bench.conf", conf, config.Options{}); r.HasErrors() {
			b.Fatal(r.Diags)
		}
	}
}
