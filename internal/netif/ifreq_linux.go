package netif

import (
	"fmt"
	"net"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ifQuery looks interfaces up by name with two ioctls on a datagram
// socket (index and hardware address): net.InterfaceByName dumps every
// link over netlink, which on a loaded host costs a new master about a
// millisecond before its first GARP. The socket belongs to the network
// namespace of the thread that opened it, like the packet socket.
type ifQuery struct{ fd int }

// openIfQuery opens the socket.
func openIfQuery() (*ifQuery, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("interface query socket: %w", err)
	}
	return &ifQuery{fd: fd}, nil
}

// ifreqHW is struct ifreq with the sockaddr of SIOCGIFHWADDR.
type ifreqHW struct {
	name   [unix.IFNAMSIZ]byte
	family uint16
	data   [14]byte
	_      [8]byte
}

// ifreqIndex is struct ifreq with the int of SIOCGIFINDEX.
type ifreqIndex struct {
	name  [unix.IFNAMSIZ]byte
	index int32
	_     [20]byte
}

// index returns the interface's index. Both ioctls here are raw system
// calls, unseen by the scheduler (they never block): a new master looks
// its interfaces up between its advert and its GARPs (see rawAddrAdder).
func (q *ifQuery) index(name string) (int, error) {
	if len(name) == 0 || len(name) >= unix.IFNAMSIZ {
		return 0, fmt.Errorf("interface %q: invalid name", name)
	}
	var ifr ifreqIndex
	copy(ifr.name[:], name)
	if _, _, errno := unix.RawSyscall(unix.SYS_IOCTL, uintptr(q.fd), unix.SIOCGIFINDEX, uintptr(unsafe.Pointer(&ifr))); errno != 0 {
		return 0, fmt.Errorf("interface %s: %w", name, errno)
	}
	return int(ifr.index), nil
}

// byName returns the interface's index and hardware address.
func (q *ifQuery) byName(name string) (*net.Interface, error) {
	index, err := q.index(name)
	if err != nil {
		return nil, err
	}
	var hw ifreqHW
	copy(hw.name[:], name)
	if _, _, errno := unix.RawSyscall(unix.SYS_IOCTL, uintptr(q.fd), unix.SIOCGIFHWADDR, uintptr(unsafe.Pointer(&hw))); errno != 0 {
		return nil, fmt.Errorf("interface %s: hardware address: %w", name, errno)
	}
	ifi := &net.Interface{Index: index, Name: name}
	if hw.family == unix.ARPHRD_ETHER {
		ifi.HardwareAddr = append(net.HardwareAddr(nil), hw.data[:6]...)
	}
	return ifi, nil
}

// close closes the socket.
func (q *ifQuery) close() error { return unix.Close(q.fd) }
