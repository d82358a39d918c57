package vrrp

import (
	"testing"
	"time"
)

// The timerfd timer fires at its deadline, re-arms, disarms with the zero
// time, and ends on Stop.
func TestRealTimer(t *testing.T) {
	tm := RealClock{}.NewTimer()
	if _, ok := tm.(*fdTimer); !ok {
		t.Logf("timerfd unavailable: %T", tm)
	}
	at := time.Now().Add(20 * time.Millisecond)
	tm.Reset(at)
	select {
	case got := <-tm.C():
		if got.Before(at) {
			t.Errorf("fired %v early", at.Sub(got))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("timer did not fire")
	}
	tm.Reset(time.Now().Add(30 * time.Millisecond))
	tm.Reset(time.Time{})
	select {
	case <-tm.C():
		t.Error("a disarmed timer fired")
	case <-time.After(100 * time.Millisecond):
	}
	tm.Reset(time.Now().Add(-time.Second)) // past: fires at once
	select {
	case <-tm.C():
	case <-time.After(5 * time.Second):
		t.Fatal("a past deadline did not fire")
	}
	tm.Stop()
	tm.Reset(time.Now()) // ignored after Stop
}
