package track

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// fakeLinks is a LinkSource driven by the test.
type fakeLinks struct {
	mu      sync.Mutex
	initial map[string]bool
	fn      func(string, bool)
}

func (f *fakeLinks) Subscribe(_ context.Context, fn func(string, bool)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fn = fn
	for n, up := range f.initial {
		fn(n, up)
	}
	return nil
}

func (f *fakeLinks) set(name string, up bool) {
	f.mu.Lock()
	fn := f.fn
	f.mu.Unlock()
	fn(name, up)
}

func TestIfaceTrackerFake(t *testing.T) {
	src := &fakeLinks{initial: map[string]bool{"eth0": true, "eth1": false, "lo": true}}
	var ups updates
	tr := NewIfaceTracker([]string{"eth0", "eth1", "missing"}, ups.emit)
	init, err := tr.Start(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]State{}
	for _, u := range init {
		got[u.Name] = u.State
	}
	if len(got) != 3 || got["eth0"] != Up || got["eth1"] != Down || got["missing"] != Down {
		t.Fatalf("initial %+v", init)
	}
	src.set("eth0", true) // no change
	src.set("lo", false)  // not tracked
	src.set("eth1", true)
	src.set("missing", true)
	src.set("eth0", false)
	us := ups.take()
	want := []Update{ifUpdate("eth1", true), ifUpdate("missing", true), ifUpdate("eth0", false)}
	if fmt.Sprint(us) != fmt.Sprint(want) {
		t.Errorf("updates %+v, want %+v", us, want)
	}
}

// run runs a command, failing the test on error.
func run(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// testNetns creates a namespace removed at cleanup.
func testNetns(t *testing.T) (string, netns.NsHandle) {
	t.Helper()
	needRoot(t)
	name := fmt.Sprintf("katrack%d", os.Getpid())
	_ = exec.Command("ip", "netns", "del", name).Run()
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	h, err := netns.GetFromName(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return name, h
}

// A veth pair inside a namespace: link down/up of either end is seen.
func TestIfaceTrackerNetlink(t *testing.T) {
	checkGoroutines(t)
	ns, h := testNetns(t)
	ipns := func(args ...string) { t.Helper(); run(t, append([]string{"ip", "-n", ns}, args...)...) }
	ipns("link", "add", "vtA", "type", "veth", "peer", "name", "vtB")
	ipns("link", "set", "vtA", "up")
	ipns("link", "set", "vtB", "up")

	ch := make(chan Update, 32)
	tr := NewIfaceTracker([]string{"vtA", "vtC"}, func(u Update) { ch <- u })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	init, err := tr.Start(ctx, NetlinkLinks{NS: &h})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]State{}
	for _, u := range init {
		states[u.Name] = u.State
	}
	// vtA may still be coming up (carrier) when listed.
	if states["vtC"] != Down {
		t.Fatalf("initial %+v", init)
	}
	expect := func(want State) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case u := <-ch:
				if u.Name == "vtA" && u.State == want {
					return
				}
			case <-deadline:
				t.Fatalf("vtA never %v", want)
			}
		}
	}
	if states["vtA"] != Up {
		expect(Up)
	}
	ipns("link", "set", "vtA", "down")
	expect(Down)
	ipns("link", "set", "vtA", "up")
	expect(Up)
	// The peer going down takes the carrier (IFF_RUNNING) away.
	ipns("link", "set", "vtB", "down")
	expect(Down)
	ipns("link", "set", "vtB", "up")
	expect(Up)
	// Deleted: down.
	ipns("link", "del", "vtA")
	expect(Down)
	// Created later under a tracked name.
	ipns("link", "add", "vtC", "type", "veth", "peer", "name", "vtD")
	ipns("link", "set", "vtC", "up")
	ipns("link", "set", "vtD", "up")
	deadline := time.After(5 * time.Second)
	for {
		select {
		case u := <-ch:
			if u.Name == "vtC" && u.State == Up {
				return
			}
		case <-deadline:
			t.Fatal("vtC never up")
		}
	}
}
