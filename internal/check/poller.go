package check

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"golang.org/x/sys/unix"
)

// poller waits for the outcome of many non-blocking TCP connects on one
// epoll instance, as keepalived's event loop does: per check a socket,
// connect, one epoll_ctl and close, without the runtime poller's
// registration and deregistration. A Runner opens one for its life,
// polls it from its loop (TCP_CHECK probes start and finish there) and
// hands it to the goroutine probes (HTTP_GET, SSL_GET) through the
// context; newPoller's own goroutine serves probes run outside a Runner.
type poller struct {
	epfd   int
	stop   int           // eventfd: wakes poll, ends run
	done   chan struct{} // closed when run returns; nil without run
	wakeMu sync.Mutex    // guards closed, so wake never writes a closed fd
	closed bool
	// events is poll's buffer (poll runs on one goroutine).
	events []unix.EpollEvent
	// rbuf and rearmed belong to the Runner's goroutine (direct HTTP
	// fetches): the read buffer, and the fetches armed again by poll.
	rbuf    []byte
	rearmed []*pending
	// outer owns the epoll descriptor once it is non-blocking; outerRC,
	// set when the runtime's poller took it, is how poll waits (nil:
	// poll blocks in epoll_wait).
	outer   *os.File
	outerRC syscall.RawConn

	mu      sync.Mutex
	next    uint64
	waiting map[uint64]*pending
	batch   []directDone  // direct probes finished, for take
	ready   chan struct{} // signalled when batch becomes non-empty
}

// pending is one connect waiting for its socket to become writable.
type pending struct {
	fd      int
	connect bool       // report SO_ERROR (a connect), else just readiness
	res     chan error // buffered: run never blocks on it
	direct  bool       // a Runner's direct probe: outcome to batch, not res
	job     Job        // the direct probe's job
	dst     netip.AddrPort
	taken   bool // the Runner has the direct probe's outcome (Runner's own field)
	// http is a direct HTTP fetch (nil: a connect); token is its
	// registration (it is armed again under the same token).
	http  *directHTTP
	token uint64
}

type pollerKey struct{}

// withPoller returns ctx carrying p for the probes.
func withPoller(ctx context.Context, p *poller) context.Context {
	return context.WithValue(ctx, pollerKey{}, p)
}

func pollerFrom(ctx context.Context) *poller {
	p, _ := ctx.Value(pollerKey{}).(*poller)
	return p
}

// newPoller opens the epoll instance and starts its goroutine; close
// stops it.
func newPoller() (*poller, error) {
	p, err := openPoller()
	if err != nil {
		return nil, err
	}
	p.done = make(chan struct{})
	go p.run()
	return p, nil
}

// openPoller opens the epoll instance without a goroutine: its owner
// calls poll (the Runner's loop), and wake from elsewhere.
func openPoller() (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll: %w", err)
	}
	stop, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		_ = unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN} // token 0: the eventfd
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, stop, &ev); err != nil {
		_ = unix.Close(stop)
		_ = unix.Close(epfd)
		return nil, fmt.Errorf("epoll_ctl: %w", err)
	}
	p := &poller{epfd: epfd, stop: stop, ready: make(chan struct{}, 1), next: 1, waiting: map[uint64]*pending{},
		events: make([]unix.EpollEvent, 256)}
	if unix.SetNonblock(epfd, true) == nil {
		// The file owns epfd from here (close closes it through f).
		f := os.NewFile(uintptr(epfd), "check-epoll")
		p.outer = f
		if rc, err := f.SyscallConn(); err == nil && f.SetReadDeadline(time.Time{}) == nil {
			p.outerRC = rc
		}
	}
	return p, nil
}

// wake interrupts poll (from any goroutine); with a goroutine, it
// stops run.
func (p *poller) wake() {
	p.wakeMu.Lock()
	defer p.wakeMu.Unlock()
	if p.closed {
		return
	}
	var one = [8]byte{1}
	_, _ = sysraw.Write(p.stop, one[:])
}

// close stops the poller (and waits for its goroutine, if any).
// Connects still waiting are failed.
func (p *poller) close() {
	if p.done != nil {
		p.wake()
		<-p.done
	} else {
		p.failAll(context.Canceled)
	}
	p.wakeMu.Lock()
	p.closed = true
	_ = unix.Close(p.stop)
	p.wakeMu.Unlock()
	if p.outer != nil {
		_ = p.outer.Close() // closes epfd
		return
	}
	_ = unix.Close(p.epfd)
}

func (p *poller) run() {
	defer close(p.done)
	for {
		woken, err := p.poll(-1)
		if err != nil {
			p.failAll(err)
			return
		}
		if woken {
			p.failAll(context.Canceled)
			return
		}
	}
}

// poll waits up to timeout ms (-1: no limit) for sockets and handles
// them: a waiting probe gets its result, a direct probe goes to the
// batch. woken reports a wake (the eventfd is then reset).
func (p *poller) poll(timeout int) (woken bool, err error) {
	n, err := p.epollWait(timeout)
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return false, nil
		}
		return false, fmt.Errorf("epoll_wait: %w", err)
	}
	for _, ev := range p.events[:n] {
		token := uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32
		if token == 0 {
			var buf [8]byte
			_, _ = sysraw.Read(p.stop, buf[:])
			woken = true
			continue
		}
		p.mu.Lock()
		pd := p.waiting[token]
		delete(p.waiting, token)
		p.mu.Unlock()
		if pd == nil {
			continue // the probe gave up first
		}
		if pd.http != nil {
			p.stepHTTP(pd, ev.Events)
			continue
		}
		if !pd.connect {
			pd.res <- nil
			continue
		}
		// The probe does not close pd.fd before it has the result. A
		// connect that succeeded reports writable without error or
		// hang-up: only a failure needs SO_ERROR for its reason.
		var err error
		if ev.Events&(unix.EPOLLERR|unix.EPOLLHUP) != 0 || ev.Events&unix.EPOLLOUT == 0 {
			var soerr int
			soerr, err = rawSoError(pd.fd)
			if err == nil && soerr != 0 {
				err = unix.Errno(soerr)
			}
		}
		if pd.direct {
			if err != nil {
				err = fmt.Errorf("connect to %s: %w", pd.dst, err)
			}
			p.mu.Lock()
			p.finishLocked(pd, err)
			p.mu.Unlock()
			continue
		}
		pd.res <- err
	}
	return woken, nil
}

func (p *poller) failAll(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for t, pd := range p.waiting {
		delete(p.waiting, t)
		if pd.direct {
			p.finishLocked(pd, err)
			continue
		}
		pd.res <- err
	}
}

// connect is connOpts.connect on the poller.
func (p *poller) connect(ctx context.Context, o connOpts) error {
	fd, err := p.open(ctx, o)
	if err != nil {
		return err
	}
	_ = sysraw.Close(fd) // also leaves the epoll set
	return nil
}

// open connects a socket with the options and returns it (registered
// with the poller unless the connect completed inside the call: wait
// adds or modifies as needed).
func (p *poller) open(ctx context.Context, o connOpts) (int, error) {
	fd, connected, err := connectNB(o)
	if err != nil || connected {
		// Done inside connect(2) (or failed); a connected socket is
		// not in the epoll set yet, so later waits add it.
		return fd, err
	}
	var deadline time.Time
	if o.timeout > 0 {
		deadline = time.Now().Add(o.timeout)
	}
	if err := p.wait(ctx, fd, unix.EPOLL_CTL_ADD, unix.EPOLLOUT, true, deadline); err != nil {
		_ = sysraw.Close(fd)
		return -1, fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	return fd, nil
}

// wait arms fd for events (one shot; op is EPOLL_CTL_ADD the first time,
// EPOLL_CTL_MOD after) and waits for them, ctx, or deadline (zero: none).
// With connect, the result is the socket's SO_ERROR.
func (p *poller) wait(ctx context.Context, fd, op int, events uint32, connect bool, deadline time.Time) error {
	pd := &pending{fd: fd, connect: connect, res: make(chan error, 1)}
	p.mu.Lock()
	token := p.next
	p.next++
	p.waiting[token] = pd
	p.mu.Unlock()
	ev := unix.EpollEvent{Events: events | unix.EPOLLONESHOT, Fd: int32(uint32(token)), Pad: int32(uint32(token >> 32))}
	err := unix.EpollCtl(p.epfd, op, fd, &ev)
	switch {
	case op == unix.EPOLL_CTL_MOD && errors.Is(err, unix.ENOENT):
		err = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev) // a connect done in the call: never added
	case op == unix.EPOLL_CTL_ADD && errors.Is(err, unix.EEXIST):
		err = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_MOD, fd, &ev)
	}
	if err != nil {
		p.forget(token, pd)
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	var expire <-chan time.Time
	if d, ok := ctx.Deadline(); !deadline.IsZero() && (!ok || d.After(deadline)) {
		t := time.NewTimer(time.Until(deadline))
		defer t.Stop()
		expire = t.C
	}
	select {
	case err := <-pd.res:
		return err
	case <-ctx.Done():
	case <-expire:
	}
	if !p.forget(token, pd) {
		// run took it: its answer is on the way.
		return <-pd.res
	}
	return errConnectTimeout
}

// forget removes a waiting connect; false when run already took it.
func (p *poller) forget(token uint64, pd *pending) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waiting[token] != pd {
		return false
	}
	delete(p.waiting, token)
	return true
}

// errConnectTimeout is a wait that did not complete in time.
var errConnectTimeout = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// epollWait returns the ready events, waiting up to timeout ms (-1: no
// limit). It never blocks in a system call: the epoll instance itself is
// registered with the runtime's poller (an epoll descriptor is readable
// while it has events), and the goroutine parks there until it is, or
// the deadline passes. A blocking epoll_wait counted as a system call in
// progress for up to a millisecond at a time, which kept the runtime's
// monitor thread at its 20 µs period handing the processor to other
// threads while probe goroutines ran.
func (p *poller) epollWait(timeout int) (int, error) {
	n, err := rawEpollWait(p.epfd, p.events)
	if n > 0 || err != nil || timeout == 0 {
		return n, err
	}
	if p.outerRC == nil {
		// No runtime poller registration: block in the call.
		return unix.EpollWait(p.epfd, p.events, timeout)
	}
	var dl time.Time
	if timeout > 0 {
		dl = time.Now().Add(time.Duration(timeout) * time.Millisecond)
	}
	if err := p.outer.SetReadDeadline(dl); err != nil {
		return unix.EpollWait(p.epfd, p.events, timeout)
	}
	var rerr error
	werr := p.outerRC.Read(func(uintptr) bool {
		n, rerr = rawEpollWait(p.epfd, p.events)
		return n > 0 || rerr != nil
	})
	if werr != nil && !errors.Is(werr, os.ErrDeadlineExceeded) {
		return 0, werr
	}
	return n, rerr
}

// rawEpollWait is epoll_wait(2) with a zero timeout as a raw system call.
func rawEpollWait(epfd int, events []unix.EpollEvent) (n int, err error) {
	err = sysraw.Retry(func() unix.Errno {
		r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_WAIT, uintptr(epfd), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
		n = int(r)
		return e
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
