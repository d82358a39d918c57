package track

import (
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"golang.org/x/sys/unix"
)

// procMsg builds one connector netlink message.
func procMsg(what ProcEventKind, words ...uint32) []byte {
	ne := binary.NativeEndian
	data := make([]byte, procEventHdrLen+4*len(words))
	ne.PutUint32(data, uint32(what))
	for i, w := range words {
		ne.PutUint32(data[procEventHdrLen+4*i:], w)
	}
	cn := make([]byte, cnMsgLen)
	ne.PutUint32(cn[0:], cnIdxProc)
	ne.PutUint32(cn[4:], cnValProc)
	ne.PutUint16(cn[16:], uint16(len(data)))
	body := append(cn, data...)
	b := make([]byte, unix.NLMSG_HDRLEN, unix.NLMSG_HDRLEN+len(body)+4)
	ne.PutUint32(b, uint32(unix.NLMSG_HDRLEN+len(body)))
	b = append(b, body...)
	for len(b)%unix.NLMSG_ALIGNTO != 0 {
		b = append(b, 0)
	}
	return b
}

func TestParseProcEvents(t *testing.T) {
	var b []byte
	b = append(b, procMsg(ProcFork, 10, 10, 11, 11)...)
	b = append(b, procMsg(ProcExec, 11, 11)...)
	b = append(b, procMsg(4 /* uid */, 11, 11, 0, 0)...)
	b = append(b, procMsg(ProcExit, 11, 11, 0, 9)...)
	var got []ProcEvent
	parseProcEvents(b, func(e ProcEvent) { got = append(got, e) })
	want := []ProcEvent{
		{Kind: ProcFork, PID: 11, TGID: 11, ParentTGID: 10},
		{Kind: ProcExec, PID: 11, TGID: 11},
		{Kind: ProcExit, PID: 11, TGID: 11},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// Truncations never panic.
	for i := range b {
		parseProcEvents(b[:i], func(ProcEvent) {})
	}
}

func FuzzParseProcEvents(f *testing.F) {
	f.Add(procMsg(ProcFork, 1, 1, 2, 2))
	f.Add(append(procMsg(ProcExec, 3, 3), procMsg(ProcExit, 3, 3, 0, 0)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		parseProcEvents(b, func(ProcEvent) {})
	})
}

func FuzzEventsName(f *testing.F) {
	ev := make([]byte, unix.SizeofInotifyEvent+8)
	binary.NativeEndian.PutUint32(ev[4:], unix.IN_CLOSE_WRITE)
	binary.NativeEndian.PutUint32(ev[12:], 8)
	copy(ev[unix.SizeofInotifyEvent:], "state")
	f.Add(ev, "state")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		eventsName(b, name)
	})
}

// fakeEvents is a ProcEvents the test drives.
type fakeEvents struct {
	mu sync.Mutex
	fn func(ProcEvent)
}

func (f *fakeEvents) Listen(_ context.Context, fn func(ProcEvent), _ func()) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fn = fn
	return nil
}

func (f *fakeEvents) send(e ProcEvent) {
	f.mu.Lock()
	fn := f.fn
	f.mu.Unlock()
	fn(e)
}

// fakeTable is a ProcSource and ProcReader over a pid table.
type fakeTable struct {
	mu    sync.Mutex
	procs map[int]ProcInfo
}

func (f *fakeTable) Scan() ([]ProcInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ProcInfo
	for _, p := range f.procs {
		out = append(out, p)
	}
	return out, nil
}

func (f *fakeTable) Read(pid int) (ProcInfo, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.procs[pid]
	return p, ok
}

func (f *fakeTable) set(pid int, comm string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if comm == "" {
		delete(f.procs, pid)
		return
	}
	f.procs[pid] = ProcInfo{PID: pid, Comm: comm}
}

func TestProcessTrackerEvents(t *testing.T) {
	tab := &fakeTable{procs: map[int]ProcInfo{1: {PID: 1, Comm: "init"}, 5: {PID: 5, Comm: "web"}}}
	ev := &fakeEvents{}
	var ups updates
	cfg := &config.TrackProcess{Name: "web", Process: []string{"web"}, Quorum: 2, QuorumMax: 65535}
	tr := NewProcessTracker([]*config.TrackProcess{cfg}, tab, newFakeClock(), time.Second, discard(), ups.emit)
	if err := tr.ListenEvents(context.Background(), ev, tab); err != nil {
		t.Fatal(err)
	}
	// An event before the scan: replayed after it.
	tab.set(6, "web")
	ev.send(ProcEvent{Kind: ProcExec, PID: 6, TGID: 6})
	init, _ := tr.Initial()
	if init[0].State != Up || init[0].Value != 2 {
		t.Fatalf("initial %+v", init)
	}
	tab.set(6, "")
	ev.send(ProcEvent{Kind: ProcExit, PID: 6, TGID: 6})
	if us := ups.take(); len(us) != 1 || us[0].State != Down || us[0].Value != 1 {
		t.Fatalf("exit: %+v", us)
	}
	// A thread's events are ignored.
	ev.send(ProcEvent{Kind: ProcFork, PID: 7, TGID: 5, ParentTGID: 5})
	// A fork of a tracked process counts.
	ev.send(ProcEvent{Kind: ProcFork, PID: 8, TGID: 8, ParentTGID: 5})
	if us := ups.take(); len(us) != 1 || us[0].State != Up || us[0].Value != 2 {
		t.Fatalf("fork: %+v", us)
	}
	// It execs something else: no longer counted.
	tab.set(8, "sh")
	ev.send(ProcEvent{Kind: ProcExec, PID: 8, TGID: 8})
	if us := ups.take(); len(us) != 1 || us[0].State != Down {
		t.Fatalf("exec away: %+v", us)
	}
	// A fork of an untracked process does not count.
	ev.send(ProcEvent{Kind: ProcFork, PID: 9, TGID: 9, ParentTGID: 1})
	if us := ups.take(); len(us) != 0 {
		t.Fatalf("untracked fork: %+v", us)
	}
	// Lost events: a rescan puts things right.
	tab.set(10, "web")
	tr.rescan()
	if us := ups.take(); len(us) != 1 || us[0].State != Up || us[0].Value != 2 {
		t.Fatalf("rescan: %+v", us)
	}
	tr.Stop()
	ev.send(ProcEvent{Kind: ProcExit, PID: 10, TGID: 10})
	if us := ups.take(); len(us) != 0 {
		t.Fatalf("after stop: %+v", us)
	}
}

// The kernel's proc connector: a process started and killed is seen
// without polling.
func TestProcConnectorReal(t *testing.T) {
	checkGoroutines(t)
	needRoot(t)
	arg := strconv.Itoa(200000+os.Getpid()) + ".25"
	cfg := &config.TrackProcess{Name: "sleeper", Process: []string{"/bin/sleep", arg}, Quorum: 1, QuorumMax: 65535}
	ch := make(chan Update, 8)
	src := ProcFS{Cmdline: true}
	tr := NewProcessTracker([]*config.TrackProcess{cfg}, src, SystemClock{}, time.Hour, discard(), func(u Update) { ch <- u })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := tr.ListenEvents(ctx, ProcConnector{}, src); err != nil {
		t.Fatal(err)
	}
	defer tr.Stop()
	if init, err := tr.Initial(); err != nil || init[0].State != Down {
		t.Fatalf("initial %+v %v", init, err)
	}
	t0 := time.Now()
	cmd := exec.Command("/bin/sleep", arg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	expect := func(want State) {
		t.Helper()
		select {
		case u := <-ch:
			if u.State != want {
				t.Fatalf("got %+v, want %v", u, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %v update", want)
		}
	}
	expect(Up)
	t.Logf("start seen after %v", time.Since(t0))
	t0 = time.Now()
	cmd.Process.Kill()
	cmd.Wait()
	expect(Down)
	t.Logf("exit seen after %v", time.Since(t0))
}
