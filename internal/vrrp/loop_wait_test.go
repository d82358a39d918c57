package vrrp

import (
	"sync/atomic"
	"testing"
	"time"
)

// The loop's epoll waiter returns for posted work (no expiry) and for the
// timerfd (expiry, at or after its deadline), and a wake after close is
// harmless.
func TestEpollWaiter(t *testing.T) {
	ft, err := newFDTimer()
	if err != nil {
		t.Skipf("no timerfd: %v", err)
	}
	defer ft.Stop()
	w, err := newEpollWaiter(ft)
	if err != nil {
		t.Fatal(err)
	}
	w.wake()
	if expired, err := w.wait(); err != nil || expired {
		t.Fatalf("after a wake: expired %v, err %v", expired, err)
	}
	at := time.Now().Add(20 * time.Millisecond)
	ft.Reset(at)
	expired, err := w.wait()
	if err != nil || !expired {
		t.Fatalf("timer: expired %v, err %v", expired, err)
	}
	if now := time.Now(); now.Before(at) {
		t.Errorf("expired %v early", at.Sub(now))
	}
	w.close()
	w.wake() // closed: no write to a closed descriptor
	w.close()
}

// Work posted before the loop waits runs once it does; every post wakes
// the epoll loop; close ends it.
func TestLoopRunsPostedWorkOnEpoll(t *testing.T) {
	l := newLoop(Deps{Clock: RealClock{}})
	var n atomic.Int32
	for i := 0; i < 100; i++ {
		if !l.post(func() { n.Add(1) }) {
			t.Fatal("post refused")
		}
	}
	done := make(chan struct{})
	l.post(func() { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("posted work did not run")
	}
	if got := n.Load(); got != 100 {
		t.Errorf("ran %d of 100", got)
	}
	l.close(t.Context())
	if l.post(func() {}) {
		t.Error("post accepted after close")
	}
}
