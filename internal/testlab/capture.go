package testlab

import (
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Capture reads Ethernet frames of one EtherType arriving on eth0 of a
// namespace.
type Capture struct{ fd int }

// Htons converts to network byte order.
func Htons(v uint16) uint16 { return v<<8 | v>>8 }

// NewCapture opens an AF_PACKET socket on eth0 of namespace ns, closed in
// t.Cleanup.
func NewCapture(t testing.TB, ns string, etherType uint16) *Capture {
	t.Helper()
	var c Capture
	InNS(t, ns, func() {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(Htons(etherType)))
		if err != nil {
			t.Fatal(err)
		}
		ifi, err := net.InterfaceByName("eth0")
		if err != nil {
			unix.Close(fd)
			t.Fatal(err)
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: Htons(etherType), Ifindex: ifi.Index}); err != nil {
			unix.Close(fd)
			t.Fatal(err)
		}
		c.fd = fd
	})
	t.Cleanup(func() { unix.Close(c.fd) })
	return &c
}

// Next returns the next frame accepted by keep (nil keeps any), or fails
// the test after timeout.
func (c *Capture) Next(t testing.TB, timeout time.Duration, keep func([]byte) bool) []byte {
	t.Helper()
	deadline := time.Now().Add(timeout)
	buf := make([]byte, 2048)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			t.Fatal("capture: no matching frame before the timeout")
		}
		tv := unix.NsecToTimeval(left.Nanoseconds())
		if err := unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			t.Fatal(err)
		}
		n, _, err := unix.Recvfrom(c.fd, buf, 0)
		if err == unix.EAGAIN || err == unix.EINTR {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if f := append([]byte(nil), buf[:n]...); keep == nil || keep(f) {
			return f
		}
	}
}
