package vrrp

import (
	"errors"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// RealClock is the wall clock (with its monotonic reading) and real timers.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer returns a stopped timer: a timerfd (the loop waits on it in
// its own epoll_wait), or a time.Timer where timerfd is unavailable. The Go runtime sleeps
// in epoll_pwait with millisecond timeouts, so a time.Timer fires up to
// about 1 ms late; keepalived's timers are timerfds, and a backup taking
// over at its deadline must not lose that millisecond.
func (RealClock) NewTimer() Timer {
	if t, err := newFDTimer(); err == nil {
		return t
	}
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

// fdTimer is a Timer over a CLOCK_MONOTONIC timerfd. The loop waits on
// the descriptor in its own epoll instance (loop_wait.go); C, for other
// users, starts a goroutine that reads it through the runtime's poller
// and delivers each expiry. Stop ends it for good.
type fdTimer struct {
	fd int

	mu      sync.Mutex
	closed  bool
	c       chan time.Time
	f       *os.File // set once C started the reader, which then owns fd
	started bool
}

func newFDTimer() (*fdTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_CLOEXEC|unix.TFD_NONBLOCK)
	if err != nil {
		return nil, err
	}
	return &fdTimer{fd: fd, c: make(chan time.Time, 1)}, nil
}

// run reads expiries until Stop.
func (t *fdTimer) run() {
	var buf [8]byte
	for {
		_, err := t.f.Read(buf[:])
		t.mu.Lock()
		closed := t.closed
		t.mu.Unlock()
		if closed {
			_ = t.f.Close()
			return
		}
		if err != nil {
			if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
				continue
			}
			return
		}
		select {
		case t.c <- time.Now():
		default:
		}
	}
}

// C delivers expiries, from a reader goroutine started at the first call.
func (t *fdTimer) C() <-chan time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.started && !t.closed {
		t.started = true
		t.f = os.NewFile(uintptr(t.fd), "timerfd")
		go t.run()
	}
	return t.c
}

// Reset arms the timer for at (relative to now, on the monotonic clock);
// the zero time disarms it. An expiry already delivered may still be read
// from C: the loop treats early timer events as harmless.
func (t *fdTimer) Reset(at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	var spec unix.ItimerSpec
	if !at.IsZero() {
		d := time.Until(at)
		if d <= 0 {
			d = time.Nanosecond
		}
		spec.Value = unix.NsecToTimespec(int64(d))
	}
	_ = unix.TimerfdSettime(t.fd, 0, &spec, nil)
}

// Stop ends the timer. With a reader goroutine it fires once more to wake
// the reader, which then closes the descriptor; without one, the
// descriptor is closed here.
func (t *fdTimer) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	t.closed = true
	if !t.started {
		_ = unix.Close(t.fd)
		return
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(1)}
	_ = unix.TimerfdSettime(t.fd, 0, &spec, nil)
}
