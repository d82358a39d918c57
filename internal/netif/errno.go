package netif

import (
	"errors"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// ErrNotImplemented is wrapped by errors about configured options this
// package does not program.
var ErrNotImplemented = errors.New("not implemented")

// isExist reports an error meaning "already there".
func isExist(err error) bool { return errors.Is(err, unix.EEXIST) }

// isAbsent reports an error meaning "nothing to delete".
func isAbsent(err error) bool {
	return errors.Is(err, unix.EADDRNOTAVAIL) || errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH)
}

// isLinkNotFound reports netlink's "link not found".
func isLinkNotFound(err error) bool {
	var nf netlink.LinkNotFoundError
	return errors.As(err, &nf) || errors.Is(err, unix.ENODEV)
}
