package sysraw

import (
	"errors"
	"net"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Write, Read and Close on a socket pair; Sendto and Connect on loopback
// sockets; errors come back as errnos.
func TestCalls(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := Write(fds[0], []byte("ping")); n != 4 || err != nil {
		t.Fatalf("write: %d %v", n, err)
	}
	buf := make([]byte, 8)
	if n, err := Read(fds[1], buf); n != 4 || err != nil || string(buf[:n]) != "ping" {
		t.Fatalf("read: %d %v %q", n, err, buf[:n])
	}
	if n, err := Read(fds[1], buf); n != -1 || !errors.Is(err, unix.EAGAIN) {
		t.Errorf("read on empty socket: %d %v, want EAGAIN", n, err)
	}
	if n, err := Write(fds[0], nil); n != 0 || err != nil {
		t.Errorf("empty write: %d %v", n, err)
	}
	for _, fd := range fds {
		if err := Close(fd); err != nil {
			t.Error(err)
		}
	}
	if err := Close(fds[0]); !errors.Is(err, unix.EBADF) {
		t.Errorf("second close: %v, want EBADF", err)
	}

	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(fd)
	sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Port: uint16(port)<<8 | uint16(port)>>8, Addr: [4]byte{127, 0, 0, 1}}
	if err := Sendto(fd, []byte("hello"), unsafe.Pointer(&sa), unsafe.Sizeof(sa)); err != nil {
		t.Fatal(err)
	}
	n, _, err := pc.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("received %q %v", buf[:n], err)
	}

	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lport := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // refused from now on
	tfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer Close(tfd)
	tsa := unix.RawSockaddrInet4{Family: unix.AF_INET, Port: uint16(lport)<<8 | uint16(lport)>>8, Addr: [4]byte{127, 0, 0, 1}}
	if err := Connect(tfd, unsafe.Pointer(&tsa), unsafe.Sizeof(tsa)); !errors.Is(err, unix.ECONNREFUSED) {
		t.Errorf("connect to a closed port: %v, want ECONNREFUSED", err)
	}
}
