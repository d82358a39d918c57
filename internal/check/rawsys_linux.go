package check

import (
	"unsafe"

	"github.com/gokeepalived/keepalived/internal/sysraw"
	"golang.org/x/sys/unix"
)

// The system calls of a check on a non-blocking socket never block, so
// they are made as raw system calls, which the Go scheduler does not
// see. Through the ordinary entry each connect (the loopback handshake
// runs inside it, tens of µs) counted as a system call in progress: the
// runtime's monitor thread then stayed at its shortest period (20 µs),
// woke tens of thousands of times a second and handed processors between
// threads, a cost keepalived's single thread does not pay. Only the
// epoll wait, which does block, goes through the scheduler.

// rawSockaddr is a socket address in the kernel's layout.
type rawSockaddr struct {
	buf [unsafe.Sizeof(unix.RawSockaddrInet6{})]byte
	n   uintptr
}

// toRawSockaddr converts sa (IPv4 or IPv6).
func toRawSockaddr(sa unix.Sockaddr) (rawSockaddr, bool) {
	var r rawSockaddr
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(&r.buf[0]))
		p.Family = unix.AF_INET
		p.Port = htons(uint16(a.Port))
		p.Addr = a.Addr
		r.n = unsafe.Sizeof(unix.RawSockaddrInet4{})
	case *unix.SockaddrInet6:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(&r.buf[0]))
		p.Family = unix.AF_INET6
		p.Port = htons(uint16(a.Port))
		p.Addr = a.Addr
		p.Scope_id = a.ZoneId
		r.n = unsafe.Sizeof(unix.RawSockaddrInet6{})
	default:
		return r, false
	}
	return r, true
}

// htons stores v in network byte order.
func htons(v uint16) uint16 { return v<<8 | v>>8 }

// rawConnect is connect(2) as a raw system call; other address kinds go
// through unix.Connect.
func rawConnect(fd int, sa unix.Sockaddr) error {
	r, ok := toRawSockaddr(sa)
	if !ok {
		return unix.Connect(fd, sa)
	}
	return sysraw.Connect(fd, unsafe.Pointer(&r.buf[0]), r.n)
}

// rawSoError reads SO_ERROR as a raw system call.
func rawSoError(fd int) (int, error) {
	var v int32
	l := uint32(unsafe.Sizeof(v))
	if _, _, e := unix.RawSyscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_ERROR,
		uintptr(unsafe.Pointer(&v)), uintptr(unsafe.Pointer(&l)), 0); e != 0 {
		return 0, e
	}
	return int(v), nil
}

// rawConnected reports whether the socket's connect has completed
// (getpeername succeeds). On loopback, and to a server on the same host,
// the handshake runs inside connect(2), which still says EINPROGRESS: the
// check is then done without arming epoll and waiting for it. Elsewhere
// it costs one system call that finds the handshake still going.
func rawConnected(fd int) bool {
	var sa unix.RawSockaddrAny
	l := uint32(unsafe.Sizeof(sa))
	_, _, e := unix.RawSyscall(unix.SYS_GETPEERNAME, uintptr(fd), uintptr(unsafe.Pointer(&sa)), uintptr(unsafe.Pointer(&l)))
	return e == 0
}
