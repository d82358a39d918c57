package check

import (
	"errors"
	"fmt"
	"time"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"golang.org/x/sys/unix"
)

// directProber is a prober whose whole probe is a TCP connect: the
// Runner starts it on its poller from its own goroutine and completes it
// when the poller reports the socket, as keepalived's event loop does,
// without a goroutine, context or timer per probe.
type directProber interface {
	direct() connOpts
}

// directDone is a direct probe the poller finished: its job and the
// connect's outcome.
type directDone struct {
	pd  *pending
	err error
}

// inflight is a direct probe waiting for its connect.
type inflight struct {
	token    uint64
	pd       *pending
	job      Job
	deadline time.Time
	gen      int // a direct fetch's generation (directHTTP.gen)
}

// timeoutQueue holds direct probes of one timeout in start order, hence
// in deadline order.
type timeoutQueue struct {
	items []inflight
	head  int
}

func (q *timeoutQueue) push(f inflight) { q.items = append(q.items, f) }

func (q *timeoutQueue) front() (inflight, bool) {
	if q.head == len(q.items) {
		return inflight{}, false
	}
	return q.items[q.head], true
}

func (q *timeoutQueue) pop() {
	q.items[q.head] = inflight{}
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head > 1024 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
}

// connectNB opens a non-blocking socket with the options and starts its
// connect: connected reports a connect that completed inside the call
// (loopback, same host); otherwise it is in progress. On error the
// socket is closed.
func connectNB(o connOpts) (fd int, connected bool, err error) {
	sa, family := sockaddr(o.dst.Addr(), o.dst.Port())
	fd, err = unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, false, fmt.Errorf("connect to %s: socket: %w", o.dst, err)
	}
	if err := o.prepare(fd, family); err != nil {
		_ = sysraw.Close(fd)
		return -1, false, fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	err = rawConnect(fd, sa)
	switch {
	case err == nil:
		return fd, true, nil
	case !errors.Is(err, unix.EINPROGRESS):
		_ = sysraw.Close(fd)
		return -1, false, fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	return fd, rawConnected(fd), nil
}

// register adds pd's socket to the epoll set for events (one shot)
// under a new token; on error pd is forgotten (the caller closes).
func (p *poller) register(pd *pending, events uint32) error {
	p.mu.Lock()
	pd.token = p.next
	p.next++
	p.waiting[pd.token] = pd
	p.mu.Unlock()
	ev := unix.EpollEvent{Events: events | unix.EPOLLONESHOT, Fd: int32(uint32(pd.token)), Pad: int32(uint32(pd.token >> 32))}
	if err := unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, pd.fd, &ev); err != nil {
		p.forget(pd.token, pd)
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	return nil
}

// start opens a non-blocking socket, connects it and arms it on the
// poller for job; the poller hands the outcome to take. A connect that
// ends at once returns done with its outcome.
func (p *poller) start(o connOpts, job Job) (f inflight, done bool, err error) {
	fd, connected, err := connectNB(o)
	if err != nil || connected {
		if connected {
			_ = sysraw.Close(fd)
		}
		return f, true, err
	}
	pd := &pending{fd: fd, connect: true, job: job, direct: true, dst: o.dst}
	if err := p.register(pd, unix.EPOLLOUT); err != nil {
		_ = sysraw.Close(fd)
		return f, true, fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	return inflight{token: pd.token, pd: pd, job: job}, false, nil
}

// expire gives up f's connect at its deadline: false when the poller
// already finished it (its outcome is in the batch).
func (p *poller) expire(f inflight) bool {
	if !p.forget(f.token, f.pd) {
		return false
	}
	_ = sysraw.Close(f.pd.fd)
	return true
}

// finish records a direct probe's outcome for take and wakes the Runner
// when the batch was empty. The caller holds p.mu.
func (p *poller) finishLocked(pd *pending, err error) {
	_ = sysraw.Close(pd.fd)
	p.batch = append(p.batch, directDone{pd, err})
	if len(p.batch) == 1 {
		select {
		case p.ready <- struct{}{}:
		default:
		}
	}
}

// take returns the direct probes finished since the last take, reusing
// buf.
func (p *poller) take(buf []directDone) []directDone {
	p.mu.Lock()
	defer p.mu.Unlock()
	buf, p.batch = p.batch, buf[:0]
	return buf
}
