package ipvs

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// genlTimeout bounds each send and receive on the IPVS socket.
const genlTimeout = 10 * time.Second

// genlBatch is how many requests share one sendmsg: their acks (about
// 1 KiB of receive buffer each) must fit in the socket's receive buffer.
const genlBatch = 64

// genlConn is a blocking generic-netlink socket for IPVS requests. A
// request costs one sendto and the recvfroms of its reply, into one
// reused buffer; several change requests can share one sendto (the kernel
// handles the messages of one send in order and acks each). nl's
// NetlinkSocket.Receive instead allocates 64 KiB and goes through the
// runtime's poller on every call, which made programming 10,000
// destinations take seconds in the test VM.
type genlConn struct {
	family uint16

	mu  sync.Mutex
	fd  int
	pid uint32 // the socket's port id
	seq uint32
	out []byte // request buffer
	buf []byte // receive buffer
}

// newGenlConn opens a generic-netlink socket for the family with id
// family.
func newGenlConn(family uint16) (*genlConn, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_GENERIC)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	c := &genlConn{family: family, fd: fd, buf: make([]byte, 64<<10), seq: uint32(time.Now().Unix())}
	tv := unix.NsecToTimeval(genlTimeout.Nanoseconds())
	if err := errors.Join(
		unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv),
		unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv),
		unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}),
	); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	if nsa, ok := sa.(*unix.SockaddrNetlink); ok {
		c.pid = nsa.Pid
	}
	return c, nil
}

// close closes the socket.
func (c *genlConn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fd >= 0 {
		unix.Close(c.fd)
		c.fd = -1
	}
}

// genlReq is one IPVS command with its attributes, serialized.
type genlReq struct {
	cmd   uint8
	attrs []byte
}

// appendReq appends r as a netlink message with sequence number seq.
func (c *genlConn) appendReq(b []byte, r genlReq, flags uint16, seq uint32) []byte {
	start := len(b)
	ne := nl.NativeEndian()
	b = append(b, make([]byte, unix.SizeofNlMsghdr)...)
	b = append(b, r.cmd, 1, 0, 0) // genlmsghdr: cmd, version 1
	b = append(b, r.attrs...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	h := b[start:]
	ne.PutUint32(h[0:4], uint32(len(b)-start))
	ne.PutUint16(h[4:6], c.family)
	ne.PutUint16(h[6:8], flags)
	ne.PutUint32(h[8:12], seq)
	ne.PutUint32(h[12:16], 0)
	return b
}

// send writes b to the kernel.
func (c *genlConn) send(b []byte) error {
	if c.fd < 0 {
		return errors.New("netlink socket closed")
	}
	for {
		err := unix.Sendto(c.fd, b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		if err != unix.EINTR {
			return err
		}
	}
}

// recv reads one datagram and calls f for each netlink message in it
// that answers a request of ours; f returns false once the reply is
// complete.
func (c *genlConn) recv(f func(typ, flags uint16, seq uint32, data []byte) bool) (bool, error) {
	var n int
	var err error
	for {
		n, _, err = unix.Recvfrom(c.fd, c.buf, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return false, err
	}
	ne := nl.NativeEndian()
	b := c.buf[:n]
	for len(b) >= unix.SizeofNlMsghdr {
		l := int(ne.Uint32(b[0:4]))
		if l < unix.SizeofNlMsghdr || l > len(b) {
			return false, fmt.Errorf("netlink: bad message length %d", l)
		}
		typ, flags, seq, pid := ne.Uint16(b[4:6]), ne.Uint16(b[6:8]), ne.Uint32(b[8:12]), ne.Uint32(b[12:16])
		if pid == c.pid {
			if !f(typ, flags, seq, b[unix.SizeofNlMsghdr:l]) {
				return false, nil
			}
		}
		b = b[min((l+3)&^3, len(b)):]
	}
	return true, nil
}

// errnoOf returns the error of an NLMSG_ERROR payload (nil for an ack).
func errnoOf(data []byte) error {
	if len(data) < 4 {
		return errors.New("netlink: short error message")
	}
	if e := int32(nl.NativeEndian().Uint32(data[0:4])); e != 0 {
		return syscall.Errno(-e)
	}
	return nil
}

// request sends r and returns its reply messages (their generic-netlink
// header and attributes, copied): the messages of a dump, none for a
// change (which only gets an ack).
func (c *genlConn) request(r genlReq, dump bool) ([][]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	seq := c.seq
	flags := uint16(unix.NLM_F_REQUEST | unix.NLM_F_ACK)
	if dump {
		flags |= unix.NLM_F_DUMP
	}
	c.out = c.appendReq(c.out[:0], r, flags, seq)
	if err := c.send(c.out); err != nil {
		return nil, err
	}
	var res [][]byte
	var rerr error
	for more := true; more; {
		var err error
		more, err = c.recv(func(typ, _ uint16, s uint32, data []byte) bool {
			if s != seq {
				return true
			}
			switch typ {
			case unix.NLMSG_DONE:
				return false
			case unix.NLMSG_ERROR:
				rerr = errnoOf(data)
				return false
			}
			res = append(res, append([]byte(nil), data...))
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	if rerr != nil {
		return nil, rerr
	}
	return res, nil
}

// batch sends change requests genlBatch at a time, each batch in one
// sendto, and returns one error per request (nil when acked).
func (c *genlConn) batch(rs []genlReq) []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	errs := make([]error, len(rs))
	for off := 0; off < len(rs); off += genlBatch {
		chunk := rs[off:min(off+genlBatch, len(rs))]
		if err := c.batchOne(chunk, errs[off:off+len(chunk)]); err != nil {
			// The socket's state is unknown: resynchronise.
			c.drain()
		}
	}
	return errs
}

// batchOne sends rs in one sendto and fills errs from their acks. A
// failure of the socket itself is returned (and set for every request
// not acked).
func (c *genlConn) batchOne(rs []genlReq, errs []error) error {
	first := c.seq + 1
	c.out = c.out[:0]
	for _, r := range rs {
		c.seq++
		c.out = c.appendReq(c.out, r, unix.NLM_F_REQUEST|unix.NLM_F_ACK, c.seq)
	}
	acked := make([]bool, len(rs))
	fail := func(err error) error {
		for i := range errs {
			if !acked[i] {
				errs[i] = err
			}
		}
		return err
	}
	if err := c.send(c.out); err != nil {
		return fail(err)
	}
	for pending := len(rs); pending > 0; {
		_, err := c.recv(func(typ, _ uint16, s uint32, data []byte) bool {
			i := int(s - first)
			if typ != unix.NLMSG_ERROR || i < 0 || i >= len(rs) || acked[i] {
				return true
			}
			acked[i], errs[i] = true, errnoOf(data)
			pending--
			return true
		})
		if err != nil {
			return fail(err)
		}
	}
	return nil
}

// drain discards what the socket holds.
func (c *genlConn) drain() {
	for {
		if _, _, err := unix.Recvfrom(c.fd, c.buf, unix.MSG_DONTWAIT); err != nil && err != unix.EINTR {
			return
		}
	}
}
