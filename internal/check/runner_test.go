package check

import (
	"context"
	"net"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// recorder logs probe results and events in order.
type recorder struct {
	mu    sync.Mutex
	trail []string
	ch    chan Event
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.trail = append(r.trail, s)
	r.mu.Unlock()
}

func (r *recorder) Update(e Event) {
	if e.Up {
		r.add("UP")
	} else {
		r.add("DOWN")
	}
	r.ch <- e
}

func (r *recorder) wait(t *testing.T, up bool) {
	t.Helper()
	select {
	case e := <-r.ch:
		if e.Up != up {
			t.Fatalf("event %v, want up=%v", e, up)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no event (want up=%v)", up)
	}
}

func TestRunnerTCPDownAndUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ap := addrPort(t, ln.Addr())
	m := load(t, `
virtual_server 10.0.0.1 80 {
	protocol TCP
	real_server 127.0.0.1 `+strconv.Itoa(int(ap.Port()))+` {
		TCP_CHECK {
			retry 2
			warmup 0
		}
	}
}
`)
	c := m.VirtualServers[0].RealServers[0].Checkers[0]
	c.DelayLoop, c.DelayBeforeRetry, c.ConnectTimeout = 150*time.Millisecond, 50*time.Millisecond, time.Second

	rec := &recorder{ch: make(chan Event, 16)}
	build := func(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, ssl *config.SSLConfig) (Prober, string, error) {
		p, key, err := BuildProber(vs, rs, c, ssl)
		if err != nil {
			return nil, "", err
		}
		return ProberFunc(func(ctx context.Context, step int) Result {
			r := p.Probe(ctx, step)
			if r.OK {
				rec.add("ok")
			} else {
				rec.add("fail")
			}
			return r
		}), key, nil
	}
	base := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	run := &Runner{Sched: New(m, Options{Build: build}), Sink: rec, Concurrency: 4}
	stopped := make(chan error)
	go func() { stopped <- run.Run(ctx) }()

	rec.wait(t, true) // initial state
	time.Sleep(BootstrapDelay + 200*time.Millisecond)
	ln.Close()
	start := time.Now()
	rec.wait(t, false)
	downAfter := time.Since(start)
	ln, err = net.Listen("tcp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start = time.Now()
	rec.wait(t, true)
	upAfter := time.Since(start)
	cancel()
	<-stopped
	// No goroutine outlives Run.
	for i := 0; runtime.NumGoroutine() > base && i < 100; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Errorf("%d goroutines after Run returned, %d before", n, base)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	// After the listener closed: the first failure, 2 retries, then DOWN;
	// a down TCP_CHECK keeps retrying; one success brings it UP.
	trail := rec.trail
	i := 0
	for i < len(trail) && trail[i] != "fail" {
		i++
	}
	want := []string{"fail", "fail", "fail", "DOWN"}
	if len(trail) < i+4 {
		t.Fatalf("trail %v", trail)
	}
	for k, w := range want {
		if trail[i+k] != w {
			t.Fatalf("trail %v: want %v after the first failure", trail, want)
		}
	}
	j := len(trail) - 1
	for j >= 0 && trail[j] != "UP" {
		j--
	}
	if j < 1 || trail[j-1] != "ok" {
		t.Fatalf("trail %v: UP must follow one success", trail)
	}
	t.Logf("down %v after the listener closed, up %v after it reopened; trail %v", downAfter, upAfter, trail)
}
