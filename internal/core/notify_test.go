package core

import (
	"net"
	"path/filepath"
	"testing"
)

type envSystem struct {
	*fakeSystem
	env map[string]string
}

func (e envSystem) Getenv(k string) string { return e.env[k] }

func TestSdNotify(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify.sock")
	l, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	sys := envSystem{newFakeSystem(), map[string]string{"NOTIFY_SOCKET": path}}
	if err := sdNotify(sys, "READY=1"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _, err := l.ReadFromUnix(buf)
	if err != nil || string(buf[:n]) != "READY=1" {
		t.Errorf("got %q, %v", buf[:n], err)
	}
	if err := sdNotify(envSystem{newFakeSystem(), nil}, "READY=1"); err != nil {
		t.Errorf("without NOTIFY_SOCKET: %v", err)
	}
}
