package check

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"golang.org/x/sys/unix"
)

// rawConn is a connected TCP socket driven by the Runner's poller: the
// net.Conn HTTP_GET and SSL_GET read and write through, without the
// runtime poller's registration. Reads and writes wait on the poller
// until their deadline or the probe's context ends. Not for concurrent
// reads (or writes), which Fetch does not do.
type rawConn struct {
	ctx    context.Context
	p      *poller
	fd     int
	remote *net.TCPAddr

	mu       sync.Mutex
	rdl, wdl time.Time
	closed   bool
}

// dialRaw connects with the options through the poller.
func (o connOpts) dialRaw(ctx context.Context, p *poller) (net.Conn, error) {
	fd, err := p.open(ctx, o)
	if err != nil {
		return nil, err
	}
	return &rawConn{ctx: ctx, p: p, fd: fd, remote: net.TCPAddrFromAddrPort(o.dst)}, nil
}

func (c *rawConn) deadline(read bool) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if read {
		return c.rdl
	}
	return c.wdl
}

// io runs op until it does not return EAGAIN, waiting for events between
// tries.
func (c *rawConn) io(op func() (int, error), events uint32, read bool) (int, error) {
	for {
		n, err := op()
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, unix.EINTR):
			continue
		case !errors.Is(err, unix.EAGAIN):
			op := "write"
			if read {
				op = "read"
			}
			return 0, &net.OpError{Op: op, Net: "tcp", Addr: c.remote, Err: os.NewSyscallError(op, err)}
		}
		dl := c.deadline(read)
		if !dl.IsZero() && !time.Now().Before(dl) {
			return 0, os.ErrDeadlineExceeded
		}
		if werr := c.p.wait(c.ctx, c.fd, unix.EPOLL_CTL_MOD, events, false, dl); werr != nil {
			if isTimeout(werr) || errors.Is(werr, context.Canceled) {
				return 0, os.ErrDeadlineExceeded
			}
			return 0, werr
		}
	}
}

// Read implements net.Conn: 0 bytes read is io.EOF.
func (c *rawConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := c.io(func() (int, error) { return sysraw.Read(c.fd, b) }, unix.EPOLLIN|unix.EPOLLRDHUP, true)
	if err == nil && n == 0 {
		return 0, io.EOF
	}
	return n, err
}

// Write implements net.Conn.
func (c *rawConn) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, err := c.io(func() (int, error) { return sysraw.Write(c.fd, b[done:]) }, unix.EPOLLOUT, false)
		done += n
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// Close implements net.Conn.
func (c *rawConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return sysraw.Close(c.fd)
}

// LocalAddr implements net.Conn (unknown: nil address).
func (c *rawConn) LocalAddr() net.Addr { return &net.TCPAddr{} }

// RemoteAddr implements net.Conn.
func (c *rawConn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline implements net.Conn.
func (c *rawConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.rdl, c.wdl = t, t
	c.mu.Unlock()
	return nil
}

// SetReadDeadline implements net.Conn.
func (c *rawConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.rdl = t
	c.mu.Unlock()
	return nil
}

// SetWriteDeadline implements net.Conn.
func (c *rawConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.wdl = t
	c.mu.Unlock()
	return nil
}
