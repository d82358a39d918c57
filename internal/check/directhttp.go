package check

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"golang.org/x/sys/unix"
)

// directHTTP is one HTTP_GET fetch (no TLS) that the Runner drives on its
// poller from its own goroutine, as keepalived's event loop does: connect,
// write the request, read until the server closes, judge; no goroutine,
// context or timer per probe. SSL_GET keeps its goroutine (the TLS
// library reads and writes through a net.Conn).
type directHTTP struct {
	u       httpURL
	req     []byte
	written int
	rr      *respReader
	stage   Stage
	timeout time.Duration // each step's (connect, write, every read)
	// gen counts re-arms: a timeout entry of an older generation is stale.
	gen int
	res Result
}

// directFetch returns the direct fetch of url number step, false for
// SSL_GET.
func (p *httpProber) directFetch(step int) (*directHTTP, bool) {
	if p.tls != nil {
		return nil, false
	}
	if step < 0 || step >= len(p.urls) {
		step = 0
	}
	u := p.urls[step]
	req := Request{Path: u.Path, Virtualhost: u.Virtualhost, Dst: p.co.dst, Protocol: p.proto, KeepBody: u.re != nil}
	return &directHTTP{u: u, req: req.Bytes(), rr: newRespReader(u.re != nil), stage: StageConnect}, true
}

// fail ends the fetch with keepalived's reason for a failure at stage.
func (h *directHTTP) fail(stage Stage, timeout bool, err error) {
	fe := &FetchError{Stage: stage, Timeout: timeout, Err: err}
	h.res = Result{Reason: fe.Reason(false), Detail: fe.Error(), Exit: -1}
}

// timedOut ends the fetch at its current stage's timeout.
func (h *directHTTP) timedOut(dst string) {
	what := "read response"
	switch h.stage {
	case StageConnect:
		what = "connect to " + dst
	case StageWrite:
		what = "send request"
	}
	h.fail(h.stage, true, fmt.Errorf("%s: %w", what, errConnectTimeout))
}

// startHTTP connects for h and arms the socket; done reports a fetch
// that ended already (h.res holds its result).
func (p *poller) startHTTP(o connOpts, job Job, h *directHTTP) (f inflight, done bool) {
	fd, connected, err := connectNB(o)
	if err != nil {
		h.fail(StageConnect, false, err)
		return f, true
	}
	var events uint32 = unix.EPOLLOUT
	pd := &pending{fd: fd, connect: true, job: job, direct: true, dst: o.dst, http: h}
	if connected { // on to the request
		h.stage = StageWrite
		var fin bool
		if fin, events = p.advanceHTTP(pd); fin {
			_ = sysraw.Close(fd)
			return f, true
		}
	}
	if err := p.register(pd, events); err != nil {
		_ = sysraw.Close(fd)
		h.fail(h.stage, false, err)
		return f, true
	}
	return inflight{token: pd.token, pd: pd, job: job, gen: h.gen}, false
}

// stepHTTP handles events on a direct fetch's socket (poll, on the
// Runner's goroutine; pd is no longer in waiting): the fetch finishes
// into the batch, or is armed again for the next step.
func (p *poller) stepHTTP(pd *pending, events uint32) {
	h := pd.http
	if h.stage == StageConnect {
		var err error
		if events&(unix.EPOLLERR|unix.EPOLLHUP) != 0 || events&unix.EPOLLOUT == 0 {
			var soerr int
			if soerr, err = rawSoError(pd.fd); err == nil && soerr != 0 {
				err = unix.Errno(soerr)
			}
			if err == nil {
				err = unix.ECONNRESET
			}
		}
		if err != nil {
			h.fail(StageConnect, false, fmt.Errorf("connect to %s: %w", pd.dst, err))
			p.mu.Lock()
			p.finishLocked(pd, nil)
			p.mu.Unlock()
			return
		}
		h.stage = StageWrite
	}
	fin, want := p.advanceHTTP(pd)
	if fin {
		p.mu.Lock()
		p.finishLocked(pd, nil)
		p.mu.Unlock()
		return
	}
	p.mu.Lock()
	p.waiting[pd.token] = pd
	p.mu.Unlock()
	h.gen++
	ev := unix.EpollEvent{Events: want | unix.EPOLLONESHOT, Fd: int32(uint32(pd.token)), Pad: int32(uint32(pd.token >> 32))}
	err := unix.EpollCtl(p.epfd, unix.EPOLL_CTL_MOD, pd.fd, &ev)
	if errors.Is(err, unix.ENOENT) {
		err = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, pd.fd, &ev)
	}
	if err != nil {
		p.forget(pd.token, pd)
		h.fail(h.stage, false, fmt.Errorf("epoll_ctl: %w", err))
		p.mu.Lock()
		p.finishLocked(pd, nil)
		p.mu.Unlock()
		return
	}
	p.rearmed = append(p.rearmed, pd)
}

// advanceHTTP writes what is left of the request and reads what the
// server sent, until the socket would block (want: the events to wait
// for) or the fetch ends (fin, with h.res set).
func (p *poller) advanceHTTP(pd *pending) (fin bool, want uint32) {
	h := pd.http
	for h.stage == StageWrite {
		n, err := sysraw.Write(pd.fd, h.req[h.written:])
		switch {
		case err == nil:
			if h.written += n; h.written == len(h.req) {
				h.stage = StageRead
			}
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.EAGAIN):
			return false, unix.EPOLLOUT
		default:
			h.fail(StageWrite, false, fmt.Errorf("send request: %w", err))
			return true, 0
		}
	}
	if p.rbuf == nil {
		p.rbuf = make([]byte, readBufSize)
	}
	for {
		n, err := sysraw.Read(pd.fd, p.rbuf)
		switch {
		case err == nil && n == 0:
			h.res = judge(h.u, h.rr.finish())
			return true, 0
		case err == nil:
			if ferr := h.rr.feed(p.rbuf[:n]); ferr != nil {
				var fe *FetchError
				if errors.As(ferr, &fe) {
					h.fail(fe.Stage, fe.Timeout, fe.Err)
				} else {
					h.fail(StageRead, false, ferr)
				}
				return true, 0
			}
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.EAGAIN):
			return false, unix.EPOLLIN | unix.EPOLLRDHUP
		default:
			h.fail(StageRead, false, fmt.Errorf("read response: %w", &netOpError{err}))
			return true, 0
		}
	}
}

// netOpError words a socket error as the net package's reads do.
type netOpError struct{ err error }

func (e *netOpError) Error() string {
	if errors.Is(e.err, syscall.ECONNRESET) {
		return "read: connection reset by peer"
	}
	return "read: " + e.err.Error()
}

func (e *netOpError) Unwrap() error { return e.err }

// takeRearmed returns the direct fetches armed again since the last call
// (the Runner gives each a new deadline).
func (p *poller) takeRearmed(buf []*pending) []*pending {
	buf, p.rearmed = p.rearmed, buf[:0]
	return buf
}
