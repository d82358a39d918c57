package track

import (
	"slices"
	"time"
)

// ScriptStatus is one running vrrp_script as keepalived's data file
// shows it (SIGUSR1, "VRRP Scripts").
type ScriptStatus struct {
	Name              string
	Args              []string // the command
	Interval, Timeout time.Duration
	Weight            int
	Reverse           bool
	Rise, Fall        int
	// Result is keepalived's rise/fall counter (0..rise+fall-1).
	Result int
	// State is Up (keepalived's Status GOOD), Down (BAD) or Unknown
	// before the first result.
	State State
	// Running tells whether a run is in progress (keepalived's State
	// "running", else "idle").
	Running bool
}

// Status returns the script's current status.
func (t *ScriptTracker) Status() ScriptStatus {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := ScriptStatus{
		Name: t.cfg.Name, Interval: t.cfg.Interval, Timeout: t.cfg.Timeout,
		Weight: t.cfg.Weight, Reverse: t.cfg.Reverse, Rise: t.st.rise, Fall: t.st.fall,
		Result: t.st.result, State: t.st.state, Running: t.running,
	}
	if t.cfg.Script != nil {
		s.Args = slices.Clone(t.cfg.Script.Args)
	}
	return s
}

// ScriptStatuses returns the status of every vrrp_script the Manager runs,
// in configuration order. It never holds the Manager's lock while asking
// a tracker (trackers report to the Manager under their own lock).
func (mg *Manager) ScriptStatuses() []ScriptStatus {
	mg.mu.Lock()
	scripts := slices.Clone(mg.scripts)
	mg.mu.Unlock()
	out := make([]ScriptStatus, 0, len(scripts))
	for _, t := range scripts {
		out = append(out, t.Status())
	}
	return out
}
