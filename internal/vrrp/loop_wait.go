package vrrp

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// workQueue is the loop's posted work: pushed from any goroutine, taken
// by the loop, which a waker tells (set by the loop once it waits).
type workQueue struct {
	mu    sync.Mutex
	q     []func()
	waker func()
}

// push queues f and wakes the loop.
func (w *workQueue) push(f func()) {
	w.mu.Lock()
	w.q = append(w.q, f)
	wake := w.waker
	w.mu.Unlock()
	if wake != nil {
		wake()
	}
}

// take returns the queued work and empties the queue.
func (w *workQueue) take() []func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.q
	w.q = nil
	return q
}

// setWaker installs the loop's wake-up, calling it once for work queued
// before.
func (w *workQueue) setWaker(f func()) {
	w.mu.Lock()
	w.waker = f
	pending := len(w.q) > 0
	w.mu.Unlock()
	if pending {
		f()
	}
}

// kick wakes the loop without work (it then sees its context ended).
func (w *workQueue) kick() {
	w.mu.Lock()
	wake := w.waker
	w.mu.Unlock()
	if wake != nil {
		wake()
	}
}

// loopNice is the nice value of the loop's thread.
const loopNice = -15

// raiseLoopThread locks the calling goroutine (the loop) to its thread
// and raises that thread's priority (root only; otherwise it stays as it
// is). A new master's advert, VIPs and GARPs then run without the
// daemon's other threads, woken by the same events (the address
// notifications of its own VIPs), preempting them on the same CPU. The
// thread ends with the loop, so no other goroutine inherits it.
func raiseLoopThread() {
	runtime.LockOSThread()
	_ = unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), loopNice)
}

// epollWaiter is the loop's own epoll instance over the timer's timerfd
// and an eventfd for posted work. The loop goroutine blocks in
// epoll_wait, so a timer expiry wakes the one thread that then sends the
// advert (as keepalived's single-threaded scheduler does); through a
// reader goroutine and a channel it took two thread wake-ups.
type epollWaiter struct {
	epfd, efd, tfd int
	events         [4]unix.EpollEvent

	mu     sync.Mutex // guards closed: wake never writes a closed eventfd
	closed bool
}

// newEpollWaiter sets up the epoll instance for t.
func newEpollWaiter(t *fdTimer) (*epollWaiter, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	w := &epollWaiter{epfd: epfd, efd: efd, tfd: t.fd}
	for _, fd := range []int{efd, t.fd} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			unix.Close(efd)
			unix.Close(epfd)
			return nil, fmt.Errorf("epoll_ctl: %w", err)
		}
	}
	return w, nil
}

// wait blocks until the timer expires or work is posted; expired reports
// a timer expiry (read and cleared).
func (w *epollWaiter) wait() (expired bool, err error) {
	n, err := unix.EpollWait(w.epfd, w.events[:], -1)
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return false, nil
		}
		return false, fmt.Errorf("epoll_wait: %w", err)
	}
	var buf [8]byte
	for _, ev := range w.events[:n] {
		switch int(ev.Fd) {
		case w.tfd:
			if _, err := unix.Read(w.tfd, buf[:]); err == nil {
				expired = true
			}
		case w.efd:
			_, _ = unix.Read(w.efd, buf[:])
		}
	}
	return expired, nil
}

// wake makes wait return.
func (w *epollWaiter) wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	one := [8]byte{1}
	_, _ = unix.Write(w.efd, one[:])
}

// close releases the epoll instance and the eventfd (not the timerfd:
// the timer's Stop closes it).
func (w *epollWaiter) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	unix.Close(w.efd)
	unix.Close(w.epfd)
}
