package vrrpnet

import (
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// stampCmsg builds an SCM_TIMESTAMPNS control message for t.
func stampCmsg(t time.Time) []byte {
	ts := unix.NsecToTimespec(t.UnixNano())
	data := (*[unsafe.Sizeof(ts)]byte)(unsafe.Pointer(&ts))[:]
	b := make([]byte, unix.CmsgSpace(len(data)))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level, h.Type = unix.SOL_SOCKET, unix.SCM_TIMESTAMPNS
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b
}

// The kernel's receive stamp moves the read time back by the reader's
// delay; a missing, future or too old stamp leaves it alone.
func TestReceivedAt(t *testing.T) {
	now := time.Now()
	got := receivedAt(stampCmsg(now.Add(-300*time.Microsecond)), now)
	if d := now.Sub(got); d < 299*time.Microsecond || d > 301*time.Microsecond {
		t.Errorf("stamp 300µs old: read time moved back by %v", d)
	}
	if !strings.Contains(got.String(), "m=") {
		t.Error("the result lost the monotonic clock reading")
	}
	for name, oob := range map[string][]byte{
		"none":   nil,
		"future": stampCmsg(now.Add(time.Millisecond)),
		"old":    stampCmsg(now.Add(-2 * time.Second)),
		"short":  {1, 2, 3},
	} {
		if got := receivedAt(oob, now); !got.Equal(now) {
			t.Errorf("%s: got %v, want now", name, now.Sub(got))
		}
	}
}
