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
	err := rc.Control(func(fd uintptr) { serr = applySockopts(int(fd), opts) })
	if err != nil {
		return fmt.Errorf("socket control: %w", err)
	}
	return serr
}

// applySockopts applies opts to fd, stopping at the first failure.
func applySockopts(fd int, opts []sockopt) error {
	for _, o := range opts {
		var err error
		if o.str != "" {
			err = unix.SetsockoptString(fd, o.level, o.opt, o.str)
		} else {
			err = unix.SetsockoptInt(fd, o.level, o.opt, o.val)
		}
		if err != nil {
			return fmt.Errorf("setsockopt %s: %w", o.name, err)
		}
	}
	return nil
}
