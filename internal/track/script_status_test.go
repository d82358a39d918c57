package track

import (
	"context"
	"testing"
	"time"
)

func TestScriptTrackerStatus(t *testing.T) {
	clk := newFakeClock()
	run := &fakeStarter{}
	var ups updates
	tr := NewScriptTracker(vscript("chk"), run, clk, discard(), ups.emit)
	want := ScriptStatus{Name: "chk", Args: []string{"/bin/true"}, Interval: 2 * time.Second, Timeout: time.Second,
		Rise: 1, Fall: 2, Result: 0, State: Unknown}
	if s := tr.Status(); s.Name != want.Name || s.Args[0] != "/bin/true" || s.Interval != want.Interval ||
		s.Rise != 1 || s.Fall != 2 || s.Result != 0 || s.State != Unknown || s.Running {
		t.Fatalf("before a run: %+v", s)
	}
	tr.Start(context.Background())
	t.Cleanup(tr.Stop)
	clk.Advance(0)
	if s := tr.Status(); !s.Running {
		t.Fatalf("during the run: %+v", s)
	}
	run.finish(exited(0))
	if s := tr.Status(); s.Running || s.State != Up || s.Result != 2 {
		t.Fatalf("after success: %+v", s)
	}
	mg := &Manager{scripts: []*ScriptTracker{tr}}
	if ss := mg.ScriptStatuses(); len(ss) != 1 || ss[0].State != Up {
		t.Fatalf("manager: %+v", ss)
	}
}
