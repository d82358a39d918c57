package ipvs

import (
	"bytes"
	"context"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

const baseConf = `virtual_server 10.0.0.1 80 { lb_algo rr
 protocol TCP
 real_server 10.0.0.2 80 { weight 2 }
 real_server 10.0.0.3 80 { } }
virtual_server fwmark 7 { lb_kind DR
 real_server 10.0.0.4 { } }`

var foreign = Service{ServiceKey: ServiceKey{Family: AFInet, Protocol: 6, Addr: netip.MustParseAddr("10.9.9.9"), Port: 1}, Sched: "rr", Netmask: 32}

func withForeign(k *fakeKernel) {
	_ = k.NewService(foreign)
	_ = k.NewDestination(foreign, Dest{DestKey: DestKey{Addr: netip.MustParseAddr("10.9.9.10"), Port: 1}, Weight: 1})
	k.calls = nil
}

func TestAdoptAtStart(t *testing.T) {
	k1, _ := applied(t, baseConf)
	want := k1.dump()
	// A second manager (a restart after kill -9) finds the table in place.
	k1.calls = nil
	m2 := NewManager(k1, nil, Options{})
	if err := m2.Apply(context.Background(), load(t, baseConf), nil); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(k1.calls) != 0 {
		t.Errorf("restart made changes: %v", k1.calls)
	}
	if got := k1.dump(); got != want {
		t.Errorf("table changed:\n%s\nwant\n%s", got, want)
	}
	// The adopted services are ours: Stop removes them.
	if err := m2.Stop(context.Background()); err != nil || k1.dump() != "" {
		t.Errorf("Stop: %v, left %q", err, k1.dump())
	}
}

func TestAdoptFixesDrift(t *testing.T) {
	k := newFake()
	s := Service{ServiceKey: ServiceKey{Family: AFInet, Protocol: 6, Addr: netip.MustParseAddr("10.0.0.1"), Port: 80}, Sched: "wlc", Netmask: 32}
	_ = k.NewService(s)
	_ = k.NewDestination(s, Dest{DestKey: DestKey{Addr: netip.MustParseAddr("10.0.0.2"), Port: 80}, Weight: 7})
	_ = k.NewDestination(s, Dest{DestKey: DestKey{Addr: netip.MustParseAddr("10.0.0.8"), Port: 80}, Weight: 1})
	k.calls = nil
	m := NewManager(k, nil, Options{})
	if err := m.Apply(context.Background(), load(t, baseConf), nil); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(k.calls, "; ")
	for _, w := range []string{"edit [10.0.0.1]:tcp:80", "editdest [10.0.0.1]:tcp:80 10.0.0.2", "adddest [10.0.0.1]:tcp:80 10.0.0.3", "deldest [10.0.0.1]:tcp:80 10.0.0.8", "add FWM 7"} {
		if !strings.Contains(got, w) {
			t.Errorf("calls %q lack %q", got, w)
		}
	}
	if strings.Contains(got, "add [10.0.0.1]") {
		t.Errorf("existing service re-added: %s", got)
	}
}

func TestHandDeletedRestored(t *testing.T) {
	k, m := applied(t, baseConf)
	want := k.dump()
	_ = k.DelService(Service{ServiceKey: ServiceKey{Family: AFInet, Fwmark: 7}})
	_ = k.DelDestination(k.svcs[k.order[0]].Service, Dest{DestKey: DestKey{Addr: netip.MustParseAddr("10.0.0.3"), Port: 80}})
	if err := m.Reconcile(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := k.dump(); got != want {
		t.Errorf("not restored:\n%s\nwant\n%s", got, want)
	}
	// And on reload (SIGHUP) with the same configuration.
	_ = k.DelService(Service{ServiceKey: ServiceKey{Family: AFInet, Fwmark: 7}})
	if err := m.Apply(context.Background(), load(t, baseConf), nil); err != nil {
		t.Fatal(err)
	}
	if got := k.dump(); got != want {
		t.Errorf("not restored on reload:\n%s\nwant\n%s", got, want)
	}
}

func TestForeignUntouched(t *testing.T) {
	k := newFake()
	withForeign(k)
	before := k.dump()
	m := NewManager(k, nil, Options{})
	ctx := context.Background()
	if err := m.Apply(ctx, load(t, baseConf), nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Apply(ctx, load(t, `virtual_server 10.0.0.1 80 { protocol TCP
 real_server 10.0.0.2 80 { } }`), nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got := k.dump(); got != before {
		t.Errorf("after start, reload, stop:\n%s\nwant only the foreign service:\n%s", got, before)
	}
	for _, c := range k.calls {
		if strings.Contains(c, "10.9.9.9") {
			t.Errorf("foreign service touched: %s", c)
		}
	}
}

func TestStopCleanupAndDontRelease(t *testing.T) {
	k, m := applied(t, baseConf)
	if err := m.Stop(context.Background()); err != nil || k.dump() != "" {
		t.Errorf("Stop: %v, left %q", err, k.dump())
	}
	k2 := newFake()
	m2 := NewManager(k2, nil, Options{DontRelease: true})
	_ = m2.Apply(context.Background(), load(t, baseConf), nil)
	want := k2.dump()
	if err := m2.Stop(context.Background()); err != nil || k2.dump() != want {
		t.Errorf("dont-release Stop: %v, table %q", err, k2.dump())
	}
}

func TestFlushKeywords(t *testing.T) {
	k := newFake()
	withForeign(k)
	m := NewManager(k, nil, Options{})
	conf := "global_defs { lvs_flush\n lvs_timeouts tcp 7200 tcpfin 120 udp 300\n lvs_flush_on_stop }\n" + baseConf
	if err := m.Apply(context.Background(), load(t, conf), nil); err != nil {
		t.Fatal(err)
	}
	if k.calls[0] != "flush" || k.calls[1] != "timeouts 2h0m0s 2m0s 5m0s" {
		t.Errorf("calls start %v, want flush then timeouts", k.calls[:2])
	}
	if strings.Contains(k.dump(), "10.9.9.9") {
		t.Errorf("lvs_flush kept the foreign service")
	}
	// A reload sets the timeouts again (stock does, even unchanged) but
	// does not flush.
	withForeign(k)
	if err := m.Apply(context.Background(), load(t, conf), nil); err != nil {
		t.Fatal(err)
	}
	if len(k.calls) != 1 || k.calls[0] != "timeouts 2h0m0s 2m0s 5m0s" || !strings.Contains(k.dump(), "10.9.9.9") {
		t.Errorf("reload calls %v, table %q", k.calls, k.dump())
	}
	withForeign(k)
	if err := m.Stop(context.Background()); err != nil || k.dump() != "" || k.calls[len(k.calls)-1] != "flush" {
		t.Errorf("lvs_flush_on_stop: %v %v %q", err, k.calls, k.dump())
	}
	// lvs_flush_on_stop VS removes only the configured services.
	k = newFake()
	withForeign(k)
	m = NewManager(k, nil, Options{})
	_ = m.Apply(context.Background(), load(t, "global_defs { lvs_flush_on_stop VS }\n"+baseConf), nil)
	_ = m.Stop(context.Background())
	if !strings.Contains(k.dump(), "10.9.9.9") || strings.Contains(k.dump(), "10.0.0.1") {
		t.Errorf("lvs_flush_on_stop VS left %q", k.dump())
	}
}

func TestReloadMinimal(t *testing.T) {
	k, m := applied(t, baseConf)
	k.calls = nil
	changed := strings.Replace(baseConf, "weight 2", "weight 5", 1)
	if err := m.Apply(context.Background(), load(t, changed), nil); err != nil {
		t.Fatal(err)
	}
	if len(k.calls) != 1 || k.calls[0] != "editdest [10.0.0.1]:tcp:80 10.0.0.2" {
		t.Errorf("reload calls %v, want one destination edit", k.calls)
	}
	// Dropping a virtual server and a real server removes exactly those.
	k.calls = nil
	var buf bytes.Buffer
	m.log = slog.New(slog.NewTextHandler(&buf, nil))
	if err := m.Apply(context.Background(), load(t, `virtual_server 10.0.0.1 80 { lb_algo rr
 protocol TCP
 real_server 10.0.0.2 80 { weight 5 } }`), nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(k.calls, "; "); got != "deldest [10.0.0.1]:tcp:80 10.0.0.3; del FWM 7" {
		t.Errorf("calls %q", got)
	}
	for _, w := range []string{"Removing Virtual Server FWM 7", "service [10.0.0.3]:tcp:80 no longer exist"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, buf.String())
		}
	}
}

func TestSetRealServerQuorum(t *testing.T) {
	conf := `virtual_server 10.0.0.1 80 { protocol TCP
 quorum 3
 hysteresis 1
 sorry_server 10.0.0.99 80
 real_server 10.0.0.2 80 { }
 real_server 10.0.0.3 80 { }
 real_server 10.0.0.4 80 { inhibit_on_failure }
 real_server 10.0.0.5 80 { } }`
	k, m := applied(t, conf)
	var buf bytes.Buffer
	m.log = slog.New(slog.NewTextHandler(&buf, nil))
	ctx := context.Background()
	ref := func(a string) RSRef { return RSRef{VS: "[10.0.0.1]:tcp:80", Addr: netip.MustParseAddr(a), Port: 80} }
	dests := func() string {
		var out []string
		for _, d := range k.svcs[k.order[0]].Dests {
			out = append(out, d.Addr.String()+"/"+strconv.Itoa(d.Weight))
		}
		return strings.Join(sortedCopy(out), " ")
	}
	steps := []struct {
		addr string
		up   bool
		want string
		log  string
	}{
		{"10.0.0.2", false, "10.0.0.3/1 10.0.0.4/1 10.0.0.5/1", "Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80"},
		{"10.0.0.4", false, "10.0.0.3/1 10.0.0.4/0 10.0.0.5/1", "Disabling service [10.0.0.4]:tcp:80 of VS [10.0.0.1]:tcp:80"},
		// sum 1 < quorum-hysteresis (2): quorum lost, the sorry server
		// replaces the live servers (inhibited ones stay at weight 0).
		{"10.0.0.3", false, "10.0.0.4/0 10.0.0.99/1", "Lost quorum 3-1=2 > 1 for VS [10.0.0.1]:tcp:80"},
		// sum 2 < quorum+hysteresis (4): still down, sorry server stays.
		{"10.0.0.2", true, "10.0.0.4/0 10.0.0.99/1", "Adding service [10.0.0.2]:tcp:80 to VS [10.0.0.1]:tcp:80"},
		{"10.0.0.3", true, "10.0.0.4/0 10.0.0.99/1", ""},
		{"10.0.0.4", true, "10.0.0.2/1 10.0.0.3/1 10.0.0.4/1 10.0.0.5/1", "Gained quorum 3+1=4 <= 4 for VS [10.0.0.1]:tcp:80"},
	}
	for i, s := range steps {
		buf.Reset()
		if err := m.SetRealServer(ctx, ref(s.addr), s.up); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := dests(); got != s.want {
			t.Errorf("step %d (%s up=%v): dests %q, want %q", i, s.addr, s.up, got, s.want)
		}
		if s.log != "" && !strings.Contains(buf.String(), s.log) {
			t.Errorf("step %d: log lacks %q:\n%s", i, s.log, buf.String())
		}
	}
	if err := m.SetRealServer(ctx, ref("10.0.0.77"), true); err == nil {
		t.Errorf("unknown real server accepted")
	}
	buf.Reset()
	if err := m.SetWeight(ctx, ref("10.0.0.5"), 9); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dests(), "10.0.0.5/9") || !strings.Contains(buf.String(), "Changing weight from 1 to 9 for active service [10.0.0.5]:tcp:80 of VS [10.0.0.1]:tcp:80") {
		t.Errorf("SetWeight: %s\n%s", dests(), buf.String())
	}
}

func TestStartingWithQuorumDownLog(t *testing.T) {
	k := newFake()
	var buf bytes.Buffer
	m := NewManager(k, slog.New(slog.NewTextHandler(&buf, nil)), Options{})
	_ = m.Apply(context.Background(), load(t, `virtual_server 10.0.0.1 80 { protocol TCP
 sorry_server 10.0.0.99 80
 real_server 10.0.0.2 80 { weight 0 } }`), nil)
	for _, w := range []string{"Starting with quorum down 0-4294967295=1 > 0 for VS [10.0.0.1]:tcp:80", "Adding sorry server [10.0.0.99]:tcp:80 to VS [10.0.0.1]:tcp:80"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, buf.String())
		}
	}
}

func TestApplyDownStates(t *testing.T) {
	k := newFake()
	m := NewManager(k, nil, Options{})
	ref := RSRef{VS: "[10.0.0.1]:tcp:80", Addr: netip.MustParseAddr("10.0.0.2"), Port: 80}
	_ = m.Apply(context.Background(), load(t, baseConf), map[RSRef]RSState{ref: {Up: false, Weight: 2}})
	if strings.Contains(k.dump(), "-r 10.0.0.2:80") {
		t.Errorf("down server programmed:\n%s", k.dump())
	}
	// A reload keeps the known state.
	_ = m.Apply(context.Background(), load(t, baseConf), nil)
	if strings.Contains(k.dump(), "-r 10.0.0.2:80") {
		t.Errorf("reload brought a down server back:\n%s", k.dump())
	}
}

func TestUpdateBatchReadsOnlyChanged(t *testing.T) {
	k, m := applied(t, baseConf)
	ctx := context.Background()
	ref := func(vs, a string, port uint16, up bool, w int) RSUpdate {
		return RSUpdate{Ref: RSRef{VS: vs, Addr: netip.MustParseAddr(a), Port: port}, RSState: RSState{Up: up, Weight: w}}
	}
	// Unchanged states: no request at all.
	k.calls, k.reads = nil, 0
	if err := m.Update(ctx, []RSUpdate{ref("[10.0.0.1]:tcp:80", "10.0.0.2", 80, true, 2), ref("FWM 7", "10.0.0.4", 0, true, 1)}); err != nil {
		t.Fatal(err)
	}
	if k.reads != 0 || len(k.calls) != 0 {
		t.Errorf("no-op update: %d reads, calls %v", k.reads, k.calls)
	}
	// Two changes of one service: one pass, the service list and that
	// service's destinations read once.
	if err := m.Update(ctx, []RSUpdate{ref("[10.0.0.1]:tcp:80", "10.0.0.2", 80, true, 5), ref("[10.0.0.1]:tcp:80", "10.0.0.3", 80, false, 1)}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(k.calls, "; "); k.reads != 2 || got != "editdest [10.0.0.1]:tcp:80 10.0.0.2; deldest [10.0.0.1]:tcp:80 10.0.0.3" {
		t.Errorf("update: %d reads, calls %q", k.reads, got)
	}
	// A service deleted by hand shows in the service list of the next
	// partial pass and is restored with its destinations.
	_ = k.DelService(Service{ServiceKey: ServiceKey{Family: AFInet, Fwmark: 7}})
	k.calls, k.reads = nil, 0
	if err := m.Update(ctx, []RSUpdate{ref("[10.0.0.1]:tcp:80", "10.0.0.3", 80, true, 1)}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(k.calls, "; "); k.reads != 2 || got != "adddest [10.0.0.1]:tcp:80 10.0.0.3; add FWM 7; adddest FWM 7 10.0.0.4" {
		t.Errorf("restore: %d reads, calls %q", k.reads, got)
	}
	if err := m.Update(ctx, []RSUpdate{ref("[10.0.0.1]:tcp:80", "10.0.0.77", 80, true, 1)}); err == nil {
		t.Errorf("unknown real server accepted")
	}
}

// batchFake is a fakeKernel that takes changes in batches, as Netlink
// does.
type batchFake struct {
	*fakeKernel
	batches int
}

func (b *batchFake) Do(ops []Op) []error {
	b.batches++
	m := &Manager{k: b.fakeKernel}
	errs := make([]error, len(ops))
	for i, op := range ops {
		errs[i] = m.call(op)
	}
	return errs
}

func TestBatchedKernel(t *testing.T) {
	plain, _ := applied(t, baseConf)
	k := &batchFake{fakeKernel: newFake()}
	// A destination already there: "exists" is no error.
	m := NewManager(k, nil, Options{})
	ctx := context.Background()
	if err := m.Apply(ctx, load(t, baseConf), nil); err != nil {
		t.Fatal(err)
	}
	if k.batches != 1 || k.dump() != plain.dump() {
		t.Errorf("%d batches, table:\n%s\nwant\n%s", k.batches, k.dump(), plain.dump())
	}
	_ = k.DelService(Service{ServiceKey: ServiceKey{Family: AFInet, Fwmark: 7}})
	if err := m.Reconcile(ctx); err != nil || k.dump() != plain.dump() {
		t.Errorf("restore: %v\n%s", err, k.dump())
	}
	if err := m.Stop(ctx); err != nil || k.dump() != "" {
		t.Errorf("stop: %v, left %q", err, k.dump())
	}
}

func TestSummary(t *testing.T) {
	ops := []Op{{Kind: AddService}, {Kind: AddDest}, {Kind: AddDest}, {Kind: DelService}}
	if got := summary(ops); got != "4 changes: 1 add service, 1 delete service, 2 add destination" {
		t.Errorf("summary = %q", got)
	}
}
