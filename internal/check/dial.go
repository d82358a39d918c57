package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// connOpts are a checker's connection options (keepalived's conn_opts_t).
type connOpts struct {
	dst     netip.AddrPort
	bindTo  netip.Addr
	bindPrt uint16
	bindIf  string
	fwmark  uint32
	timeout time.Duration
}

func connOptsOf(c *config.Checker) connOpts {
	return connOpts{
		dst:     netip.AddrPortFrom(c.ConnectIP, c.ConnectPort),
		bindTo:  c.BindTo,
		bindPrt: c.BindPort,
		bindIf:  c.BindIf,
		fwmark:  c.Fwmark,
		timeout: c.ConnectTimeout,
	}
}

func (o connOpts) key() string {
	return fmt.Sprintf("%s|%s|%d|%s|%d|%d", o.dst, o.bindTo, o.bindPrt, o.bindIf, o.fwmark, o.timeout)
}

// dial connects with the options: source address and port, interface
// (SO_BINDTODEVICE), mark (SO_MARK) and connect_timeout.
func (o connOpts) dial(ctx context.Context, network string) (net.Conn, error) {
	d := net.Dialer{Timeout: o.timeout, KeepAlive: -1} // keepalived sets no keepalive on check sockets
	if o.bindTo.IsValid() || o.bindPrt != 0 {
		a := o.bindTo
		if !a.IsValid() {
			if o.dst.Addr().Is4() {
				a = netip.IPv4Unspecified()
			} else {
				a = netip.IPv6Unspecified()
			}
		}
		ap := netip.AddrPortFrom(a, o.bindPrt)
		if network == "udp" {
			d.LocalAddr = net.UDPAddrFromAddrPort(ap)
		} else {
			d.LocalAddr = net.TCPAddrFromAddrPort(ap)
		}
	}
	if o.bindIf != "" || o.fwmark != 0 {
		d.Control = func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				if o.bindIf != "" {
					serr = unix.BindToDevice(int(fd), o.bindIf)
				}
				if serr == nil && o.fwmark != 0 {
					serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_MARK, int(o.fwmark))
				}
			})
			if err != nil {
				return err
			}
			return serr
		}
	}
	c, err := d.DialContext(ctx, network, o.dst.String())
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", o.dst, err)
	}
	return c, nil
}

// isTimeout reports whether err is a timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
