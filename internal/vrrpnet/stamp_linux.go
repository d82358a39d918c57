package vrrpnet

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// stampOOB is room for the control messages read with a packet: the
// kernel's receive timestamp and, for IPv6, destination, interface, hop
// limit and traffic class.
const stampOOB = 256

// maxStampAge bounds how far back a receive timestamp may move a read
// time; an older stamp (or one from the future: the wall clock stepped)
// is not trusted.
const maxStampAge = time.Second

// receivedAt returns when the kernel received the packet whose control
// messages are oob (SO_TIMESTAMPNS), as a time carrying now's monotonic
// reading; now when there is no usable stamp. A backup's Master_Down
// timer runs from this moment, so the wake-up of the reading thread is
// not added to a takeover.
func receivedAt(oob []byte, now time.Time) time.Time {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return now
	}
	for _, m := range msgs {
		if m.Header.Level != unix.SOL_SOCKET || m.Header.Type != unix.SCM_TIMESTAMPNS {
			continue
		}
		if len(m.Data) < int(unsafe.Sizeof(unix.Timespec{})) {
			return now
		}
		ts := (*unix.Timespec)(unsafe.Pointer(&m.Data[0]))
		d := now.Sub(time.Unix(ts.Unix()))
		if d < 0 || d > maxStampAge {
			return now
		}
		return now.Add(-d)
	}
	return now
}
