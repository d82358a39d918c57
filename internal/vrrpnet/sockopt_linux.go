package vrrpnet

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// sockopt is one setsockopt call on a raw socket.
type sockopt struct {
	name  string
	level int
	opt   int
	val   int    // used when str is empty
	str   string // SO_BINDTODEVICE
}

// setSockopts applies opts to the socket behind rc.
func setSockopts(rc syscall.RawConn, opts []sockopt) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		for _, o := range opts {
			var e error
			if o.str != "" {
				e = unix.SetsockoptString(int(fd), o.level, o.opt, o.str)
			} else {
				e = unix.SetsockoptInt(int(fd), o.level, o.opt, o.val)
			}
			if e != nil {
				serr = fmt.Errorf("setsockopt %s: %w", o.name, e)
				return
			}
		}
	})
	if err != nil {
		return fmt.Errorf("socket control: %w", err)
	}
	return serr
}
