package track

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

func cmdline(words ...string) []byte {
	var b []byte
	for _, w := range words {
		b = append(append(b, w...), 0)
	}
	return b
}

func TestProcMatcher(t *testing.T) {
	procs := []ProcInfo{
		{PID: 1, Comm: "nginx", Cmdline: cmdline("/usr/sbin/nginx", "-g", "daemon off;")},
		{PID: 2, Comm: "nginx", Cmdline: cmdline("/usr/sbin/nginx")},
		{PID: 3, Comm: "averyveryverylo", Cmdline: cmdline("/bin/averyveryverylongname")},
		{PID: 4, Comm: "python3", Cmdline: cmdline("/usr/bin/python3", "server.py", "--port", "8080")},
	}
	for _, tc := range []struct {
		tp   config.TrackProcess
		want []int
	}{
		{config.TrackProcess{Process: []string{"nginx"}}, []int{1, 2}},
		{config.TrackProcess{Process: []string{"averyveryverylongname"}}, []int{3}},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx"}, FullCommand: true}, []int{1, 2}},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx"}, ParamMatchSet: true}, []int{2}},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx", "-g", "daemon off;"}}, []int{1}},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx", "-g"}}, nil},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx", "-g"}, ParamMatch: "partial", ParamMatchSet: true}, []int{1}},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx", "-g", "daemon"}, ParamMatch: "partial", ParamMatchSet: true}, nil},
		{config.TrackProcess{Process: []string{"/usr/sbin/nginx", "-g", "daemon"}, ParamMatch: "initial", ParamMatchSet: true}, []int{1}},
		{config.TrackProcess{Process: []string{"/usr/bin/python3", "server.py"}, ParamMatch: "initial", ParamMatchSet: true}, []int{4}},
		{config.TrackProcess{Process: []string{"/usr/bin/python3", "serv"}, ParamMatch: "initial", ParamMatchSet: true}, []int{4}},
		{config.TrackProcess{Process: []string{"python3"}, FullCommand: true}, nil},
	} {
		m := newProcMatcher(&tc.tp)
		var got []int
		for _, p := range procs {
			if m.match(p) {
				got = append(got, p.PID)
			}
		}
		if len(got) != len(tc.want) || (len(got) > 0 && !equalInts(got, tc.want)) {
			t.Errorf("%v %q: matched %v, want %v", tc.tp.Process, tc.tp.ParamMatch, got, tc.want)
		}
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// fakeProcs is a ProcSource with a settable list.
type fakeProcs struct{ n map[string]int }

func (f *fakeProcs) Scan() ([]ProcInfo, error) {
	var out []ProcInfo
	for name, n := range f.n {
		for i := 0; i < n; i++ {
			out = append(out, ProcInfo{PID: len(out) + 1, Comm: name})
		}
	}
	return out, nil
}

func TestProcessTrackerQuorumAndDelays(t *testing.T) {
	clk := newFakeClock()
	src := &fakeProcs{n: map[string]int{"a": 2}}
	var ups updates
	cfgs := []*config.TrackProcess{
		{Name: "pa", Process: []string{"a"}, Quorum: 2, QuorumMax: 3, ForkDelay: 5 * time.Second, TerminateDelay: 3 * time.Second},
		{Name: "pb", Process: []string{"b"}, Quorum: 1, QuorumMax: 65535},
	}
	tr := NewProcessTracker(cfgs, src, clk, time.Second, discard(), ups.emit)
	init, err := tr.Initial()
	if err != nil || len(init) != 2 || init[0].State != Up || init[0].Value != 2 || init[1].State != Down {
		t.Fatalf("initial %+v %v", init, err)
	}
	tr.Start(context.Background())
	// pb appears: no delay configured, reported at the next scan.
	src.n["b"] = 1
	clk.Advance(time.Second)
	if us := ups.take(); len(us) != 1 || us[0].Name != "pb" || us[0].State != Up {
		t.Fatalf("pb: %+v", us)
	}
	// pa drops below quorum: reported only after terminate_delay.
	src.n["a"] = 1
	clk.Advance(time.Second)
	clk.Advance(2 * time.Second)
	if us := ups.take(); len(us) != 0 {
		t.Fatalf("before terminate_delay: %+v", us)
	}
	clk.Advance(time.Second)
	if us := ups.take(); len(us) != 1 || us[0].State != Down || us[0].Value != 1 {
		t.Fatalf("after terminate_delay: %+v", us)
	}
	// Back within fork_delay and gone again: nothing reported.
	src.n["a"] = 2
	clk.Advance(time.Second)
	src.n["a"] = 1
	clk.Advance(10 * time.Second)
	if us := ups.take(); len(us) != 0 {
		t.Fatalf("flap reported: %+v", us)
	}
	// Above quorum_max by forking: after fork_delay.
	src.n["a"] = 2
	clk.Advance(6 * time.Second)
	if us := ups.take(); len(us) != 1 || us[0].State != Up {
		t.Fatalf("regained: %+v", us)
	}
	src.n["a"] = 4
	clk.Advance(time.Second)
	if us := ups.take(); len(us) != 0 {
		t.Fatalf("too many, before delay: %+v", us)
	}
	clk.Advance(5 * time.Second)
	if us := ups.take(); len(us) != 1 || us[0].State != Down || us[0].Value != 4 {
		t.Fatalf("too many: %+v", us)
	}
	tr.Observe(1, 0)
	if us := ups.take(); len(us) != 1 || us[0].Name != "pb" || us[0].State != Down {
		t.Fatalf("observe: %+v", us)
	}
	tr.Stop()
	src.n["b"] = 5
	clk.Advance(10 * time.Second)
	if us := ups.take(); len(us) != 0 {
		t.Fatalf("after stop: %+v", us)
	}
}

func TestProcFSScanSelf(t *testing.T) {
	ps, err := ProcFS{Cmdline: true}.Scan()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.PID == os.Getpid() {
			exe, _ := os.Readlink("/proc/self/exe")
			if len(p.Comm) == 0 || len(p.Cmdline) == 0 {
				t.Errorf("self: %+v (exe %s)", p, exe)
			}
			return
		}
	}
	t.Error("own process not found")
}

// A real process started and stopped, matched by its full command line
// (a unique argument keeps other processes on the machine out).
func TestProcessTrackerReal(t *testing.T) {
	checkGoroutines(t)
	arg := strconv.Itoa(100000+os.Getpid()) + ".5"
	cfg := &config.TrackProcess{Name: "sleeper", Process: []string{"/bin/sleep", arg}, Quorum: 1, QuorumMax: 65535}
	ch := make(chan Update, 8)
	tr := NewProcessTracker([]*config.TrackProcess{cfg}, ProcFS{Cmdline: true}, SystemClock{}, 20*time.Millisecond, discard(), func(u Update) { ch <- u })
	init, err := tr.Initial()
	if err != nil || init[0].State != Down {
		t.Fatalf("initial %+v %v", init, err)
	}
	tr.Start(context.Background())
	defer tr.Stop()
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
	cmd.Process.Kill()
	cmd.Wait()
	expect(Down)
}
