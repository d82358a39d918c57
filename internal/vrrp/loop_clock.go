package vrrp

import "time"

// RealClock is the wall clock (with its monotonic reading) and real timers.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer returns a stopped timer.
func (RealClock) NewTimer() Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &realTimer{t: t}
}

type realTimer struct{ t *time.Timer }

func (r *realTimer) C() <-chan time.Time { return r.t.C }

func (r *realTimer) Reset(at time.Time) {
	if at.IsZero() {
		r.t.Stop()
		return
	}
	r.t.Reset(time.Until(at))
}

func (r *realTimer) Stop() { r.t.Stop() }
