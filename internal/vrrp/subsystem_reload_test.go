package vrrp

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// reloadConf reloads h with conf and waits for the loop.
func reloadConf(t *testing.T, h *harness, conf string) {
	t.Helper()
	if err := h.s.Reload(context.Background(), nil, loadModel(t, conf)); err != nil {
		t.Fatal(err)
	}
	h.sync()
}

// masterSettled runs VI_1 of h to MASTER and past its delayed GARP, then
// clears the records.
func masterSettled(t *testing.T, h *harness) {
	t.Helper()
	becomeMaster(t, h)
	h.advance(6 * time.Second)
	h.rec.take()
	h.notes.take()
}

// withPrio returns confOne with another priority.
func withPrio(p int) string {
	return strings.Replace(confOne, "priority 100", fmt.Sprintf("priority %d", p), 1)
}

// onlySends fails unless every record is an advert of VI_1 at prio.
func onlySends(t *testing.T, what string, got []string, prio int) int {
	t.Helper()
	want := fmt.Sprintf("send VI_1 prio %d", prio)
	for _, g := range got {
		if g != want {
			t.Fatalf("%s: unexpected %q in %q", what, g, got)
		}
	}
	return len(got)
}

// TestReloadIssue1425: keepalived 2.0.7 went MASTER -> BACKUP (init) ->
// MASTER and re-sent every GARP on each reload. Neither an unchanged nor a
// changed reload may move the master, notify, touch the VIPs or GARP.
func TestReloadIssue1425(t *testing.T) {
	h := startOne(t, confOne)
	masterSettled(t, h)
	for i, conf := range []string{confOne, withPrio(110), withPrio(110), confOne} {
		reloadConf(t, h, conf)
		wantRec(t, fmt.Sprintf("reload %d actions", i), h.rec.take(), nil)
		wantRec(t, fmt.Sprintf("reload %d notify", i), h.notes.take(), nil)
		if st := h.state("VI_1"); st != StateMaster {
			t.Fatalf("reload %d: state %v", i, st)
		}
		h.advance(time.Second)
		prio := 100
		if i == 1 || i == 2 {
			prio = 110
		}
		wantRec(t, fmt.Sprintf("reload %d advert", i), h.rec.take(), []string{fmt.Sprintf("send VI_1 prio %d", prio)})
	}
	if h.tr.opens != 1 {
		t.Errorf("sockets opened %d, want 1", h.tr.opens)
	}
}

// TestReloadIssue349: reloading every second made keepalived drop to
// BACKUP. Twenty reloads a second apart, alternating two configurations,
// leave the master in MASTER with one advert a second throughout.
func TestReloadIssue349(t *testing.T) {
	h := startOne(t, confOne)
	masterSettled(t, h)
	sent := 0
	for i := 0; i < 20; i++ {
		p := 100 + 10*(i%2)
		reloadConf(t, h, withPrio(p))
		h.advance(time.Second)
		sent += onlySends(t, fmt.Sprintf("second %d", i), h.rec.take(), p)
		if st := h.state("VI_1"); st != StateMaster {
			t.Fatalf("second %d: state %v", i, st)
		}
	}
	if sent != 20 {
		t.Errorf("adverts in 20 s: %d, want 20", sent)
	}
	wantRec(t, "notify", h.notes.take(), nil)
}

// TestReloadIssue208: two HUPs in a row flipped keepalived's master to
// backup. Two changed reloads back to back keep MASTER and the advert
// timer.
func TestReloadIssue208(t *testing.T) {
	h := startOne(t, confOne)
	masterSettled(t, h)
	h.advance(400 * time.Millisecond)
	reloadConf(t, h, withPrio(120))
	reloadConf(t, h, withPrio(130))
	wantRec(t, "reloads", h.rec.take(), nil)
	wantRec(t, "notify", h.notes.take(), nil)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("state %v", st)
	}
	// The advert due 600 ms later still comes then, not a full interval
	// after the reload.
	h.advance(599 * time.Millisecond)
	wantRec(t, "before due", h.rec.take(), nil)
	h.advance(time.Millisecond)
	wantRec(t, "due", h.rec.take(), []string{"send VI_1 prio 130"})
}

// blockingTrackers holds the first Trackers.Stop (the reload's) until
// released, standing for a slow reload.
type blockingTrackers struct {
	fakeTrackers
	stops   atomic.Int32
	entered chan struct{}
	gate    chan struct{}
}

func (b *blockingTrackers) Stop() {
	if b.stops.Add(1) == 1 {
		close(b.entered)
		<-b.gate
	}
}

// TestReloadIssue2159: a slow reload made keepalived miss adverts, so the
// peers took over. While Reload is held up, the loop keeps advertising on
// time.
func TestReloadIssue2159(t *testing.T) {
	h := newHarness(t)
	bt := &blockingTrackers{entered: make(chan struct{}), gate: make(chan struct{})}
	h.s.deps.Trackers = bt
	if err := h.s.Start(context.Background(), loadModel(t, confOne)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	masterSettled(t, h)
	l := h.s.l
	sync := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.call(ctx, func() {}); err != nil {
			t.Fatalf("loop sync: %v", err)
		}
	}
	released := false
	t.Cleanup(func() {
		if !released {
			close(bt.gate)
		}
	})
	done := make(chan error, 1)
	go func() { done <- h.s.Reload(context.Background(), nil, loadModel(t, withPrio(120))) }()
	select {
	case <-bt.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("reload never reached the trackers")
	}
	h.clk.advance(5*time.Second, sync)
	if n := onlySends(t, "during reload", h.rec.take(), 100); n != 5 {
		t.Errorf("adverts during a 5 s reload: %d, want 5", n)
	}
	close(bt.gate)
	released = true
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reload did not finish")
	}
	h.sync()
	h.advance(time.Second)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("state %v", st)
	}
	onlySends(t, "after reload", h.rec.take(), 120)
	wantRec(t, "notify", h.notes.take(), nil)
}

const confTwo = `
vrrp_instance VI_1 {
    interface veth9
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.9.0.100/24
        %s
    }
}
vrrp_instance VI_2 {
    interface veth9
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        10.9.0.200/24
        %s
    }
}
`

// addrTable replays the fake address manager's records over a set, as
// the kernel would hold them.
func addrTable(set map[string]bool, recs []string) {
	for _, r := range recs {
		verb, list, ok := strings.Cut(r, " ")
		if !ok || (verb != "add" && verb != "remove") {
			continue
		}
		for _, a := range strings.Split(list, ",") {
			if verb == "add" {
				set[a] = true
			} else {
				delete(set, a)
			}
		}
	}
}

// TestReloadIssue1854: a VIP moved from one instance to another vanished
// after keepalived's reload (the new owner added it before the old one
// removed it). One reload moves it, both masters staying MASTER, and only
// the moved address is announced.
func TestReloadIssue1854(t *testing.T) {
	h := startOne(t, fmt.Sprintf(confTwo, "", "10.9.0.201/24"))
	h.advance(3609375 * time.Microsecond)
	h.advance(6 * time.Second)
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateMaster || b != StateMaster {
		t.Fatalf("states %v %v", a, b)
	}
	table := map[string]bool{}
	addrTable(table, h.rec.take())
	h.notes.take()
	reloadConf(t, h, fmt.Sprintf(confTwo, "10.9.0.201/24", ""))
	recs := h.rec.take()
	addrTable(table, recs)
	var have []string
	for a := range table {
		have = append(have, a)
	}
	slices.Sort(have)
	wantRec(t, "addresses after one reload", have, []string{"10.9.0.100/24", "10.9.0.200/24", "10.9.0.201/24"})
	ri := slices.Index(recs, "remove 10.9.0.201/24")
	ai := slices.Index(recs, "add 10.9.0.201/24")
	if ri < 0 || ai < ri {
		t.Errorf("the old instance must release before the new one adds: %q", recs)
	}
	if !slices.Contains(recs, "garp veth9 [10.9.0.201] x5") {
		t.Errorf("no GARP for the moved address alone: %q", recs)
	}
	for _, r := range recs {
		if strings.HasPrefix(r, "garp") && r != "garp veth9 [10.9.0.201] x5" {
			t.Errorf("extra GARP %q", r)
		}
	}
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateMaster || b != StateMaster {
		t.Fatalf("states after reload %v %v", a, b)
	}
	wantRec(t, "notify", h.notes.take(), nil)
}

// TestReloadSyncGroupMemberKeepsMaster: a changed member of a master sync
// group resumes MASTER; neither the group nor its members notify.
func TestReloadSyncGroupMemberKeepsMaster(t *testing.T) {
	h := startOne(t, confSync)
	h.advance(3609375 * time.Microsecond)
	h.advance(6 * time.Second)
	h.rec.take()
	h.notes.take()
	reloadConf(t, h, strings.Replace(confSync, "priority 90", "priority 95", 1))
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateMaster || b != StateMaster {
		t.Fatalf("states %v %v", a, b)
	}
	for _, r := range h.rec.take() {
		if !strings.HasPrefix(r, "send ") {
			t.Errorf("unexpected %q", r)
		}
	}
	wantRec(t, "notify", h.notes.take(), nil)
}

// TestReloadChangedBackupStaysBackup: a changed backup keeps BACKUP and its
// master-down deadline, with no "(init)" notify.
func TestReloadChangedBackupStaysBackup(t *testing.T) {
	h := startOne(t, confOne)
	h.notes.take()
	master := Received{Advert: Advert{
		Source: netip.MustParseAddr("10.9.0.2"), Version: 2, Priority: 200,
		Interval: time.Second, Addresses: []netip.Addr{netip.MustParseAddr("10.9.0.100")},
	}}
	for i := 0; i < 5; i++ {
		h.tr.deliver("VI_1", master)
		h.sync()
		reloadConf(t, h, withPrio(100+i))
		h.advance(time.Second)
		if st := h.state("VI_1"); st != StateBackup {
			t.Fatalf("round %d: state %v", i, st)
		}
	}
	wantRec(t, "actions", h.rec.take(), nil)
	wantRec(t, "notify", h.notes.take(), nil)
}

// TestReloadRenamedInstanceContinues: keepalived matches instances across
// a reload by virtual router (vrrp_exist), not by name; a renamed master
// stays MASTER under its new name.
func TestReloadRenamedInstanceContinues(t *testing.T) {
	h := startOne(t, confOne)
	masterSettled(t, h)
	reloadConf(t, h, strings.Replace(confOne, "VI_1", "VI_9", 1))
	if st := h.state("VI_9"); st != StateMaster {
		t.Fatalf("renamed: state %v", st)
	}
	for _, r := range h.rec.take() {
		if strings.HasPrefix(r, "add") || strings.HasPrefix(r, "remove") || strings.HasPrefix(r, "garp") || strings.Contains(r, "prio 0") {
			t.Errorf("unexpected %q", r)
		}
	}
	wantRec(t, "notify", h.notes.take(), nil)
	h.advance(time.Second)
	if got := h.rec.take(); !slices.Contains(got, "send VI_9 prio 100") {
		t.Errorf("adverts %q", got)
	}
}

// TestReloadRouterChangedRestarts: the same name on another VRID is
// another virtual router: the old one gives up (priority 0, VIPs
// released, notified FAULT as keepalived does for a removed instance)
// and the new one starts in BACKUP.
func TestReloadRouterChangedRestarts(t *testing.T) {
	h := startOne(t, confOne)
	masterSettled(t, h)
	reloadConf(t, h, strings.Replace(confOne, "virtual_router_id 51", "virtual_router_id 61", 1))
	wantRec(t, "reload", h.rec.take(), []string{"send VI_1 prio 0", "remove 10.9.0.100/24", "close VI_1"})
	wantRec(t, "notify", h.notes.take(), []string{"INSTANCE VI_1 FAULT 100", "INSTANCE VI_1 BACKUP 100"})
	if st := h.state("VI_1"); st != StateBackup {
		t.Fatalf("state %v", st)
	}
}

// TestReloadNameReusedByAnotherRouter: VI_1's router continues as VI_2,
// while the name VI_1 now belongs to a new router; both run.
func TestReloadNameReusedByAnotherRouter(t *testing.T) {
	h := startOne(t, confOne)
	masterSettled(t, h)
	newOne := strings.Replace(confOne, "virtual_router_id 51", "virtual_router_id 61", 1)
	newOne = strings.Replace(newOne, "10.9.0.100/24", "10.9.0.161/24", 1)
	reloadConf(t, h, newOne+strings.Replace(confOne, "VI_1", "VI_2", 1))
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateBackup || b != StateMaster {
		t.Fatalf("states VI_1 %v VI_2 %v", a, b)
	}
	wantRec(t, "notify", h.notes.take(), []string{"INSTANCE VI_1 BACKUP 100"})
}
