package vrrp

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// loopClock is a manual clock with one timer channel per NewTimer.
type loopClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*loopTimer
}

func newLoopClock() *loopClock {
	return &loopClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *loopClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *loopClock) NewTimer() Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &loopTimer{c: make(chan time.Time), clk: c}
	c.timers = append(c.timers, t)
	return t
}

type loopTimer struct {
	c   chan time.Time
	clk *loopClock
	at  time.Time
}

func (t *loopTimer) C() <-chan time.Time { return t.c }
func (t *loopTimer) Reset(at time.Time) {
	t.clk.mu.Lock()
	t.at = at
	t.clk.mu.Unlock()
}
func (t *loopTimer) Stop() { t.Reset(time.Time{}) }

// next returns the earliest armed timer.
func (c *loopClock) next() (*loopTimer, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var best *loopTimer
	for _, t := range c.timers {
		if !t.at.IsZero() && (best == nil || t.at.Before(best.at)) {
			best = t
		}
	}
	if best == nil {
		return nil, time.Time{}
	}
	return best, best.at
}

// advance moves time forward by d, firing due timers in order; sync waits
// for the loop after each firing.
func (c *loopClock) advance(d time.Duration, sync func()) {
	end := c.Now().Add(d)
	for {
		t, at := c.next()
		if t == nil || at.After(end) {
			break
		}
		c.mu.Lock()
		c.now = at
		t.at = time.Time{}
		c.mu.Unlock()
		t.c <- at
		sync()
	}
	c.mu.Lock()
	c.now = end
	c.mu.Unlock()
	sync()
}

// recorder collects everything the fakes were asked to do, in order.
type recorder struct {
	mu  sync.Mutex
	log []string
}

func (r *recorder) add(format string, a ...any) {
	r.mu.Lock()
	r.log = append(r.log, fmt.Sprintf(format, a...))
	r.mu.Unlock()
}

// take returns and clears the record.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.log
	r.log = nil
	return out
}

type fakeTransport struct {
	rec   *recorder
	mu    sync.Mutex
	opens int
	rx    map[string]func(Received)
	src   netip.Addr
}

func (f *fakeTransport) Open(_ context.Context, spec NetSpec, rx func(Received)) (Endpoint, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opens++
	if f.rx == nil {
		f.rx = map[string]func(Received){}
	}
	f.rx[spec.Instance] = rx
	return &fakeEndpoint{name: spec.Instance, rec: f.rec, src: f.src}, nil
}

func (f *fakeTransport) deliver(name string, r Received) {
	f.mu.Lock()
	rx := f.rx[name]
	f.mu.Unlock()
	rx(r)
}

type fakeEndpoint struct {
	name string
	rec  *recorder
	src  netip.Addr
}

func (e *fakeEndpoint) Send(a wire.Advert) error {
	e.rec.add("send %s prio %d", e.name, a.Priority)
	return nil
}
func (e *fakeEndpoint) Source() netip.Addr { return e.src }
func (e *fakeEndpoint) Close() error {
	e.rec.add("close %s", e.name)
	return nil
}

type fakeAddrs struct{ rec *recorder }

func (f *fakeAddrs) Add(_ context.Context, s AddrSet) error {
	f.rec.add("add %s", addrNames(s))
	return nil
}
func (f *fakeAddrs) Remove(_ context.Context, s AddrSet) error {
	f.rec.add("remove %s", addrNames(s))
	return nil
}

func addrNames(s AddrSet) string {
	out := ""
	for _, a := range s.VIPs {
		if out != "" {
			out += ","
		}
		out += a.Prefix().String()
	}
	return out
}

type fakeAnnouncer struct{ rec *recorder }

func (f *fakeAnnouncer) Announce(_ context.Context, iface string, addrs []netip.Addr, repeat int, _ time.Duration) error {
	f.rec.add("garp %s %v x%d", iface, addrs, repeat)
	return nil
}

type fakeNotifier struct {
	mu  sync.Mutex
	got []string
}

func (f *fakeNotifier) Notify(_ context.Context, n Notification) {
	f.mu.Lock()
	kind := "INSTANCE"
	if n.Group {
		kind = "GROUP"
	}
	f.got = append(f.got, fmt.Sprintf("%s %s %s %d", kind, n.Name, n.State, n.Priority))
	f.mu.Unlock()
}

func (f *fakeNotifier) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.got
	f.got = nil
	return out
}

type fakeTrackers struct {
	mu      sync.Mutex
	update  func(TrackState)
	onStart func(update func(TrackState)) // initial reports, if any
}

func (f *fakeTrackers) Start(_ context.Context, _ *config.Model, update func(TrackState)) error {
	f.mu.Lock()
	f.update = update
	on := f.onStart
	f.mu.Unlock()
	if on != nil {
		on(update)
	}
	return nil
}
func (f *fakeTrackers) Stop() {}
func (f *fakeTrackers) set(ts TrackState) {
	f.mu.Lock()
	u := f.update
	f.mu.Unlock()
	u(ts)
}

type fakeLinks struct {
	mu sync.Mutex
	fn func(string, bool)
}

func (f *fakeLinks) Watch(_ context.Context, fn func(string, bool)) error {
	f.mu.Lock()
	f.fn = fn
	f.mu.Unlock()
	return nil
}
func (f *fakeLinks) Up(string) (bool, error) { return true, nil }
func (f *fakeLinks) set(iface string, up bool) {
	f.mu.Lock()
	fn := f.fn
	f.mu.Unlock()
	fn(iface, up)
}

// fakeVMACs records VMAC creation and deletion.
type fakeVMACs struct{ rec *recorder }

func (f *fakeVMACs) Create(_ context.Context, v VMACSpec) (bool, error) {
	f.rec.add("vmac+ %s on %s", v.Name, v.Parent)
	return true, nil
}

func (f *fakeVMACs) Delete(_ context.Context, name string) error {
	f.rec.add("vmac- %s", name)
	return nil
}

// harness is a Subsystem over fakes.
type harness struct {
	t     *testing.T
	clk   *loopClock
	rec   *recorder
	tr    *fakeTransport
	notes *fakeNotifier
	track *fakeTrackers
	links *fakeLinks
	s     *Subsystem
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, clk: newLoopClock(), rec: &recorder{}, notes: &fakeNotifier{}, track: &fakeTrackers{}, links: &fakeLinks{}}
	h.tr = &fakeTransport{rec: h.rec, src: netip.MustParseAddr("10.9.0.1")}
	h.s = NewSubsystem(Deps{
		Transport: h.tr,
		Addrs:     &fakeAddrs{rec: h.rec},
		Announcer: &fakeAnnouncer{rec: h.rec},
		Notifier:  h.notes,
		Trackers:  h.track,
		Links:     h.links,
		VMACs:     &fakeVMACs{rec: h.rec},
		Clock:     h.clk,
	}, SubsystemOptions{})
	t.Cleanup(func() { _ = h.s.Stop(context.Background()) })
	return h
}

// sync waits until the loop processed everything queued and the
// notifications were handed over.
func (h *harness) sync() {
	h.s.mu.Lock()
	l := h.s.l
	h.s.mu.Unlock()
	if l == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.call(ctx, func() {}); err != nil {
		h.t.Fatalf("loop sync: %v", err)
	}
	l.notes.drain(ctx)
}

func (h *harness) advance(d time.Duration) { h.clk.advance(d, h.sync) }

func (h *harness) state(name string) State {
	var st State
	h.s.mu.Lock()
	l := h.s.l
	h.s.mu.Unlock()
	_ = l.call(context.Background(), func() {
		if in := l.byName[name]; in != nil {
			st = in.m.State()
		}
	})
	return st
}

func loadModel(t *testing.T, conf string) *config.Model {
	t.Helper()
	res := config.LoadBytes("test.conf", []byte(conf), config.Options{InterfaceExists: func(string) bool { return true }})
	if res.HasErrors() {
		t.Fatalf("config errors: %v", res.Diags)
	}
	return res.Model
}
