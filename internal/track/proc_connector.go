package track

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// ProcEventKind is a proc connector event type (linux/cn_proc.h).
type ProcEventKind uint32

// Proc connector events the process tracker uses.
const (
	ProcFork ProcEventKind = 0x1
	ProcExec ProcEventKind = 0x2
	ProcComm ProcEventKind = 0x200
	ProcExit ProcEventKind = 0x80000000
)

// ProcEvent is one process event. For ProcFork, PID/TGID are the child's
// and ParentTGID the parent's; otherwise PID/TGID are the process's.
type ProcEvent struct {
	Kind       ProcEventKind
	PID, TGID  int
	ParentTGID int
}

// ProcEvents delivers process events.
type ProcEvents interface {
	// Listen starts delivering events to fn (on another goroutine) and
	// returns once listening, or with an error (e.g. the connector is
	// unavailable). lost is called when events were dropped (socket
	// overrun): the caller should rescan. Delivery ends with ctx.
	Listen(ctx context.Context, fn func(ProcEvent), lost func()) error
}

// Proc connector constants (linux/connector.h, linux/cn_proc.h).
const (
	cnIdxProc         = 1
	cnValProc         = 1
	procCnMcastListen = 1
	cnMsgLen          = 20 // struct cn_msg without data
	procEventHdrLen   = 16 // what, cpu, timestamp_ns
)

// ProcConnector listens to the kernel's netlink proc connector, as
// keepalived does. It needs CAP_NET_ADMIN and the initial network
// namespace.
type ProcConnector struct{}

// Listen implements ProcEvents.
func (ProcConnector) Listen(ctx context.Context, fn func(ProcEvent), lost func()) error {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_CONNECTOR)
	if err != nil {
		return fmt.Errorf("proc connector socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: cnIdxProc}); err != nil {
		unix.Close(fd)
		return fmt.Errorf("proc connector bind: %w", err)
	}
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 1<<20)
	if err := unix.Sendto(fd, listenMsg(), 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return fmt.Errorf("proc connector listen: %w", err)
	}
	f := os.NewFile(uintptr(fd), "proc-connector")
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Unix(1, 0)) })
	go func() {
		defer f.Close()
		defer stop()
		buf := make([]byte, 1<<16)
		for {
			n, err := f.Read(buf)
			if err != nil {
				if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
					return
				}
				if errors.Is(err, unix.ENOBUFS) {
					if lost != nil {
						lost()
					}
					continue
				}
				return
			}
			parseProcEvents(buf[:n], fn)
		}
	}()
	return nil
}

// listenMsg is nlmsghdr + cn_msg + PROC_CN_MCAST_LISTEN.
func listenMsg() []byte {
	const total = unix.NLMSG_HDRLEN + cnMsgLen + 4
	b := make([]byte, total)
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], total)
	ne.PutUint16(b[4:], unix.NLMSG_DONE)
	ne.PutUint32(b[12:], uint32(os.Getpid()))
	c := b[unix.NLMSG_HDRLEN:]
	ne.PutUint32(c[0:], cnIdxProc)
	ne.PutUint32(c[4:], cnValProc)
	ne.PutUint16(c[16:], 4)
	ne.PutUint32(c[cnMsgLen:], procCnMcastListen)
	return b
}

// parseProcEvents decodes the netlink messages in b. Malformed input is
// skipped, never trusted.
func parseProcEvents(b []byte, fn func(ProcEvent)) {
	ne := binary.NativeEndian
	for len(b) >= unix.NLMSG_HDRLEN {
		l := int(ne.Uint32(b[0:]))
		if l < unix.NLMSG_HDRLEN || l > len(b) {
			return
		}
		msg := b[unix.NLMSG_HDRLEN:l]
		if a := (l + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1); a < len(b) {
			b = b[a:]
		} else {
			b = nil
		}
		if len(msg) < cnMsgLen+procEventHdrLen+8 {
			continue
		}
		if ne.Uint32(msg[0:]) != cnIdxProc || ne.Uint32(msg[4:]) != cnValProc {
			continue
		}
		ev := msg[cnMsgLen:]
		what := ProcEventKind(ne.Uint32(ev[0:]))
		d := ev[procEventHdrLen:]
		u := func(i int) int { return int(ne.Uint32(d[4*i:])) }
		switch what {
		case ProcFork:
			if len(d) >= 16 {
				fn(ProcEvent{Kind: what, ParentTGID: u(1), PID: u(2), TGID: u(3)})
			}
		case ProcExec, ProcComm, ProcExit:
			fn(ProcEvent{Kind: what, PID: u(0), TGID: u(1)})
		}
	}
}
