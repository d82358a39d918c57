package track

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

func TestScriptStateRiseFall(t *testing.T) {
	s := newScriptState("chk", 2, 3, false)
	type step struct {
		r     script.Result
		state State
		logs  []string
	}
	steps := []step{
		// INIT: one result decides.
		{exited(1), Down, []string{"Script `chk` now returning 1", "VRRP_Script(chk) failed (exited with status 1)"}},
		{exited(1), Down, nil},
		{exited(0), Down, []string{"Script `chk` now returning 0"}},
		{exited(0), Up, []string{"VRRP_Script(chk) succeeded"}},
		{exited(0), Up, nil},
		{exited(2), Up, []string{"Script `chk` now returning 2"}},
		{exited(2), Up, nil},
		{exited(2), Down, []string{"VRRP_Script(chk) failed (exited with status 2)"}},
		{exited(2), Down, nil},
		{exited(0), Down, []string{"Script `chk` now returning 0"}},
		{script.Result{Signaled: true, Signal: syscall.SIGTERM, TimedOut: true}, Down, nil},
		{exited(0), Down, nil},
		{exited(0), Up, []string{"VRRP_Script(chk) succeeded"}},
		{script.Result{Signaled: true, Signal: syscall.SIGKILL, TimedOut: true}, Up, nil},
		{script.Result{Signaled: true, Signal: syscall.SIGSEGV}, Up, nil},
		{script.Result{Signaled: true, Signal: syscall.SIGTERM, TimedOut: true}, Down, []string{"VRRP_Script(chk) timed_out"}},
		{script.Result{Canceled: true}, Down, nil},
	}
	for i, st := range steps {
		logs, _ := s.apply(st.r)
		if s.state != st.state || !slices.Equal(logs, st.logs) {
			t.Errorf("step %d: state %v logs %q, want %v %q", i, s.state, logs, st.state, st.logs)
		}
	}
}

func TestScriptStateInit(t *testing.T) {
	// Without init_fail one success is enough, whatever rise.
	s := newScriptState("c", 3, 1, false)
	if s.state != Unknown {
		t.Fatal(s.state)
	}
	if logs, ch := s.apply(exited(0)); !ch || s.state != Up || !slices.Equal(logs, []string{"VRRP_Script(c) succeeded"}) {
		t.Errorf("first success: %v %v %q", ch, s.state, logs)
	}
	// init_fail: starts Down, needs rise successes; failures say nothing.
	s = newScriptState("c", 2, 1, true)
	if s.state != Down {
		t.Fatal(s.state)
	}
	if logs, ch := s.apply(exited(1)); ch || len(logs) != 1 {
		t.Errorf("fail at init_fail: %v %q", ch, logs)
	}
	s.apply(exited(0))
	if s.state != Down {
		t.Error("up after 1 of rise 2")
	}
	if _, ch := s.apply(exited(0)); !ch || s.state != Up {
		t.Error("not up after rise")
	}
	// A signal from elsewhere.
	s = newScriptState("c", 1, 1, false)
	logs, _ := s.apply(script.Result{Signaled: true, Signal: syscall.SIGSEGV})
	if !slices.Equal(logs, []string{"VRRP_Script(c) failed (due to signal 11)"}) {
		t.Errorf("%q", logs)
	}
	// Start failure counts as failed.
	s = newScriptState("c", 1, 1, false)
	if _, ch := s.apply(script.Result{Err: errors.New("x")}); !ch || s.state != Down {
		t.Error("start error not a failure")
	}
}

func vscript(name string) *config.VRRPScript {
	return &config.VRRPScript{Name: name, Script: &config.Script{Args: []string{"/bin/true"}},
		Interval: 2 * time.Second, Timeout: time.Second, Rise: 1, Fall: 2}
}

func TestScriptTrackerSchedule(t *testing.T) {
	clk := newFakeClock()
	run := &fakeStarter{}
	rec := &logRecorder{}
	var ups updates
	cfg := vscript("chk")
	cfg.Timeout = 3 * time.Second
	tr := NewScriptTracker(cfg, run, clk, slog.New(rec), ups.emit)
	if u := tr.Initial(); u.State != Unknown || u.Kind != KindScript || u.Name != "chk" {
		t.Fatalf("initial %+v", u)
	}
	tr.Start(context.Background())
	clk.Advance(0)
	if run.running() != 1 {
		t.Fatalf("first run not immediate: %d", run.running())
	}
	if j := run.jobs[0].job; j.Timeout != 3*time.Second || j.Script.Args[0] != "/bin/true" {
		t.Errorf("job %+v", j)
	}
	run.finish(exited(0))
	if us := ups.take(); len(us) != 1 || us[0].State != Up {
		t.Fatalf("updates %+v", us)
	}
	clk.Advance(time.Second)
	if run.running() != 0 {
		t.Fatal("ran before interval")
	}
	clk.Advance(time.Second)
	if run.running() != 1 {
		t.Fatal("no run at interval")
	}
	// Still running at the next turn: skipped.
	rec.take()
	clk.Advance(2 * time.Second)
	if run.running() != 1 {
		t.Fatalf("overlapping run: %d", run.running())
	}
	if l := rec.take(); !slices.Contains(l, "Track script chk is already running, expect idle - skipping run") {
		t.Errorf("logs %q", l)
	}
	clk.Advance(2 * time.Second) // past the 3 s timeout
	if l := rec.take(); !slices.Contains(l, "Track script chk is being timed out, expect idle - skipping run") {
		t.Errorf("logs %q", l)
	}
	run.finish(exited(1)) // fall 2: first failure
	if us := ups.take(); len(us) != 0 {
		t.Errorf("update after 1 of fall 2: %+v", us)
	}
	clk.Advance(2 * time.Second)
	run.finish(exited(1))
	if us := ups.take(); len(us) != 1 || us[0].State != Down {
		t.Errorf("updates %+v", us)
	}
	tr.Stop()
	clk.Advance(10 * time.Second)
	if run.running() != 0 {
		t.Error("ran after Stop")
	}
}

func TestScriptTrackerStartError(t *testing.T) {
	clk := newFakeClock()
	run := &fakeStarter{err: script.ErrBusy}
	var ups updates
	tr := NewScriptTracker(vscript("chk"), run, clk, discard(), ups.emit)
	tr.Start(context.Background())
	clk.Advance(5 * time.Second)
	run.err = nil
	clk.Advance(time.Second)
	if run.running() != 1 {
		t.Errorf("no run after the runner recovered: %d", run.running())
	}
	tr.Stop()
}

// Real script through the real runner: a script that flips on a file.
func TestScriptTrackerReal(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	flag := dir + "/ok"
	cfg := &config.VRRPScript{Name: "flip", Script: &config.Script{Args: []string{"/bin/sh", "-c", "test -e " + flag}, User: currentUser()},
		Interval: 50 * time.Millisecond, Timeout: 2 * time.Second, Rise: 1, Fall: 1}
	ch := make(chan Update, 16)
	r := script.New(script.Options{})
	tr := NewScriptTracker(cfg, r, SystemClock{}, discard(), func(u Update) { ch <- u })
	tr.Start(context.Background())
	defer tr.Stop()
	expect := func(want State) {
		t.Helper()
		select {
		case u := <-ch:
			if u.State != want {
				t.Fatalf("got %v, want %v", u.State, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no %v update", want)
		}
	}
	expect(Down)
	writeFile(t, flag, "")
	expect(Up)
	removeFile(t, flag)
	expect(Down)
}
