package netif

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// LinkEvent reports an interface's state: after a change, or once per
// interface when the watch starts.
type LinkEvent struct {
	Index int
	Name  string
	// Up is IFF_UP and IFF_RUNNING (carrier), as keepalived tracks it.
	Up bool
	// Deleted is set when the interface went away.
	Deleted bool
}

// AddrEvent reports an address added to or removed from an interface.
type AddrEvent struct {
	Index  int
	Prefix netip.Prefix
	// Added is false for a removal.
	Added bool
}

// Event is a LinkEvent or an AddrEvent; exactly one is set.
type Event struct {
	Link *LinkEvent
	Addr *AddrEvent
}

// WatchOptions configures Watch.
type WatchOptions struct {
	// NetNS is the namespace watched (nil: the calling thread's).
	NetNS *netns.NsHandle
	// ListExisting reports every current link and address first.
	ListExisting bool
	// OnError receives subscription errors (nil: ignored).
	OnError func(error)
}

// Watch subscribes to link and address changes and sends them on the
// returned channel until ctx ends; the channel is then closed. Link events
// carry the kernel's view (up = admin up with carrier).
func Watch(ctx context.Context, opt WatchOptions) (<-chan Event, error) {
	done := make(chan struct{})
	linkCh := make(chan netlink.LinkUpdate, 64)
	addrCh := make(chan netlink.AddrUpdate, 64)
	lo := netlink.LinkSubscribeOptions{Namespace: opt.NetNS, ErrorCallback: opt.OnError, ListExisting: opt.ListExisting}
	if err := netlink.LinkSubscribeWithOptions(linkCh, done, lo); err != nil {
		close(done)
		return nil, fmt.Errorf("link subscription: %w", err)
	}
	ao := netlink.AddrSubscribeOptions{Namespace: opt.NetNS, ErrorCallback: opt.OnError, ListExisting: opt.ListExisting}
	if err := netlink.AddrSubscribeWithOptions(addrCh, done, ao); err != nil {
		close(done)
		return nil, fmt.Errorf("address subscription: %w", err)
	}
	out := make(chan Event, 64)
	go func() {
		defer close(out)
		defer close(done)
		for linkCh != nil || addrCh != nil {
			var ev Event
			select {
			case <-ctx.Done():
				return
			case u, ok := <-linkCh:
				if !ok {
					linkCh = nil
					continue
				}
				ev.Link = linkEvent(u)
			case u, ok := <-addrCh:
				if !ok {
					addrCh = nil
					continue
				}
				ae, ok := addrEvent(u)
				if !ok {
					continue
				}
				ev.Addr = ae
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// linkEvent converts a link update.
func linkEvent(u netlink.LinkUpdate) *LinkEvent {
	a := u.Attrs()
	ev := &LinkEvent{Index: int(u.Index), Deleted: u.Header.Type == unix.RTM_DELLINK}
	if a != nil {
		ev.Name = a.Name
	}
	fl := u.IfInfomsg.Flags
	ev.Up = !ev.Deleted && fl&unix.IFF_UP != 0 && fl&unix.IFF_RUNNING != 0
	return ev
}

// addrEvent converts an address update.
func addrEvent(u netlink.AddrUpdate) (*AddrEvent, bool) {
	ip, ok := netip.AddrFromSlice(u.LinkAddress.IP)
	if !ok {
		return nil, false
	}
	ones, _ := u.LinkAddress.Mask.Size()
	ip = ip.Unmap()
	return &AddrEvent{Index: u.LinkIndex, Prefix: netip.PrefixFrom(ip, ones), Added: u.NewAddr}, true
}
