package check

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// connect opens a TCP connection with the options and closes it once
// established, as TCP_CHECK does. It is dial's lean twin: a non-blocking
// socket waited on through the runtime's poller, without the net
// package's resolver, keepalive and address bookkeeping (about half the
// system calls per check).
func (o connOpts) connect(ctx context.Context) error {
	if p := pollerFrom(ctx); p != nil {
		return p.connect(ctx, o)
	}
	sa, family := sockaddr(o.dst.Addr(), o.dst.Port())
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("connect to %s: socket: %w", o.dst, err)
	}
	if err := o.prepare(fd, family); err != nil {
		_ = unix.Close(fd)
		return fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	err = unix.Connect(fd, sa)
	if err == nil {
		_ = unix.Close(fd)
		return nil
	}
	if !errors.Is(err, unix.EINPROGRESS) {
		_ = unix.Close(fd)
		return fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	f := os.NewFile(uintptr(fd), "tcp-check")
	defer func() { _ = f.Close() }()
	return o.await(ctx, f)
}

// await waits until the connect on f completes, fails, or ctx (or the
// connect timeout) ends.
func (o connOpts) await(ctx context.Context, f *os.File) error {
	deadline, ok := ctx.Deadline()
	if o.timeout > 0 {
		if d := time.Now().Add(o.timeout); !ok || d.Before(deadline) {
			deadline, ok = d, true
		}
	}
	if ok {
		if err := f.SetWriteDeadline(deadline); err != nil {
			return fmt.Errorf("connect to %s: %w", o.dst, err)
		}
	}
	stop := context.AfterFunc(ctx, func() { _ = f.SetWriteDeadline(time.Unix(1, 0)) })
	defer stop()
	rc, err := f.SyscallConn()
	if err != nil {
		return fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	var cerr error
	werr := rc.Write(func(fd uintptr) bool {
		// RawConn.Write forgets readiness from before its call: look at
		// the socket itself, then wait for the poller.
		if _, err := unix.Getpeername(int(fd)); err == nil {
			return true
		}
		soerr, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR)
		switch {
		case err != nil:
			cerr = err
		case soerr == 0, unix.Errno(soerr) == unix.EINPROGRESS, unix.Errno(soerr) == unix.EALREADY, unix.Errno(soerr) == unix.EINTR:
			return false
		default:
			cerr = unix.Errno(soerr)
		}
		return true
	})
	if werr != nil {
		return fmt.Errorf("connect to %s: %w", o.dst, werr)
	}
	if cerr != nil {
		return fmt.Errorf("connect to %s: %w", o.dst, cerr)
	}
	return nil
}

// prepare applies the source address and port, interface and mark to a
// socket before its connect.
func (o connOpts) prepare(fd, family int) error {
	if o.bindIf != "" {
		if err := unix.BindToDevice(fd, o.bindIf); err != nil {
			return fmt.Errorf("bind to device %s: %w", o.bindIf, err)
		}
	}
	if o.fwmark != 0 {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_MARK, int(o.fwmark)); err != nil {
			return fmt.Errorf("set mark: %w", err)
		}
	}
	if o.bindTo.IsValid() || o.bindPrt != 0 {
		a := o.bindTo
		if !a.IsValid() {
			if family == unix.AF_INET {
				a = netip.IPv4Unspecified()
			} else {
				a = netip.IPv6Unspecified()
			}
		}
		sa, _ := sockaddr(a, o.bindPrt)
		if err := unix.Bind(fd, sa); err != nil {
			return fmt.Errorf("bind %s: %w", a, err)
		}
	}
	return nil
}
