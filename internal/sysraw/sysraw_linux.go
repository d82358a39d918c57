// Package sysraw makes the socket calls of the daemon's hot paths (a new
// master's advert, VIP add and GARPs; a health check's connect, request
// and reads) as raw system calls, which the Go scheduler does not see:
// the calling thread keeps its processor, and the runtime's monitor is
// not kept awake handing processors around. Only for calls that do not
// block: non-blocking sockets, or requests the kernel answers at once.
package sysraw

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Retry runs call until it does not fail with EINTR; 0 is success.
func Retry(call func() unix.Errno) error {
	for {
		switch e := call(); e {
		case 0:
			return nil
		case unix.EINTR:
		default:
			return e
		}
	}
}

// Sendto sends b to the socket address at sa (salen bytes, the kernel's
// layout).
func Sendto(fd int, b []byte, sa unsafe.Pointer, salen uintptr) error {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	return Retry(func() unix.Errno {
		_, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(p), uintptr(len(b)), 0, uintptr(sa), salen)
		return e
	})
}

// Sendmsg sends msg.
func Sendmsg(fd int, msg *unix.Msghdr) error {
	return Retry(func() unix.Errno {
		_, _, e := unix.RawSyscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(msg)), 0)
		return e
	})
}

// Connect connects the socket to the address at sa (salen bytes).
func Connect(fd int, sa unsafe.Pointer, salen uintptr) error {
	return Retry(func() unix.Errno {
		_, _, e := unix.RawSyscall(unix.SYS_CONNECT, uintptr(fd), uintptr(sa), salen)
		return e
	})
}

// Close closes fd (a socket's close does not wait, without SO_LINGER).
func Close(fd int) error {
	if _, _, e := unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0); e != 0 {
		return e
	}
	return nil
}

// Read reads into b; -1 with the error on failure.
func Read(fd int, b []byte) (int, error) {
	return rw(unix.SYS_READ, fd, b)
}

// Write writes b; -1 with the error on failure.
func Write(fd int, b []byte) (int, error) {
	return rw(unix.SYS_WRITE, fd, b)
}

func rw(nr uintptr, fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := unix.RawSyscall(nr, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}
