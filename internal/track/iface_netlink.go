package track

import (
	"context"
	"fmt"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// NetlinkLinks is the LinkSource of a network namespace (nil NS: the
// current one), fed by an RTNLGRP_LINK subscription.
type NetlinkLinks struct {
	NS *netns.NsHandle
	// OnError, if set, receives subscription errors.
	OnError func(error)
}

// linkUp is keepalived's IF_FLAGS_UP.
func linkUp(a *netlink.LinkAttrs) bool {
	const want = unix.IFF_UP | unix.IFF_RUNNING
	return a.RawFlags&want == want
}

// Subscribe implements LinkSource: it subscribes first, then lists the
// existing links, so no change between the two is lost (events queued
// meanwhile replay in order after the listing).
func (n NetlinkLinks) Subscribe(ctx context.Context, fn func(name string, up bool)) error {
	ch := make(chan netlink.LinkUpdate, 256)
	done := make(chan struct{})
	opt := netlink.LinkSubscribeOptions{Namespace: n.NS, ErrorCallback: n.OnError}
	if err := netlink.LinkSubscribeWithOptions(ch, done, opt); err != nil {
		return fmt.Errorf("link subscribe: %w", err)
	}
	h, err := n.handle()
	if err != nil {
		close(done)
		return err
	}
	links, err := h.LinkList()
	h.Close()
	if err != nil {
		close(done)
		return fmt.Errorf("link list: %w", err)
	}
	for _, l := range links {
		fn(l.Attrs().Name, linkUp(l.Attrs()))
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				close(done)
				for range ch { // until the subscription closes it
				}
				return
			case u, ok := <-ch:
				if !ok {
					<-ctx.Done()
					return
				}
				if u.Link == nil {
					continue
				}
				a := u.Attrs()
				fn(a.Name, u.Header.Type != unix.RTM_DELLINK && linkUp(a))
			}
		}
	}()
	return nil
}

func (n NetlinkLinks) handle() (*netlink.Handle, error) {
	if n.NS != nil {
		h, err := netlink.NewHandleAt(*n.NS)
		if err != nil {
			return nil, fmt.Errorf("netlink handle: %w", err)
		}
		return h, nil
	}
	h, err := netlink.NewHandle()
	if err != nil {
		return nil, fmt.Errorf("netlink handle: %w", err)
	}
	return h, nil
}
