package track

import (
	"context"
	"fmt"
	"time"

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
// meanwhile replay in order after the listing). If the subscription
// breaks later (e.g. the socket overran), it subscribes and lists again.
func (n NetlinkLinks) Subscribe(ctx context.Context, fn func(name string, up bool)) error {
	ch, done, err := n.subscribe(fn)
	if err != nil {
		return err
	}
	go func() {
		for {
			n.forward(ctx, ch, done, fn)
			if ctx.Err() != nil {
				return
			}
			// The subscription broke: retry until it is back.
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
				if ch, done, err = n.subscribe(fn); err == nil {
					break
				}
				if n.OnError != nil {
					n.OnError(err)
				}
			}
		}
	}()
	return nil
}

// subscribe opens a subscription and reports every existing link.
func (n NetlinkLinks) subscribe(fn func(string, bool)) (chan netlink.LinkUpdate, chan struct{}, error) {
	ch := make(chan netlink.LinkUpdate, 256)
	done := make(chan struct{})
	opt := netlink.LinkSubscribeOptions{Namespace: n.NS, ErrorCallback: n.OnError}
	if err := netlink.LinkSubscribeWithOptions(ch, done, opt); err != nil {
		return nil, nil, fmt.Errorf("link subscribe: %w", err)
	}
	h, err := n.handle()
	if err != nil {
		close(done)
		return nil, nil, err
	}
	links, err := h.LinkList()
	h.Close()
	if err != nil {
		close(done)
		return nil, nil, fmt.Errorf("link list: %w", err)
	}
	for _, l := range links {
		fn(l.Attrs().Name, linkUp(l.Attrs()))
	}
	return ch, done, nil
}

// forward passes updates to fn until ctx ends or the subscription closes.
func (n NetlinkLinks) forward(ctx context.Context, ch chan netlink.LinkUpdate, done chan struct{}, fn func(string, bool)) {
	for {
		select {
		case <-ctx.Done():
			close(done)
			for range ch { // until the subscription closes it
			}
			return
		case u, ok := <-ch:
			if !ok {
				close(done)
				return
			}
			if u.Link == nil {
				continue
			}
			a := u.Attrs()
			fn(a.Name, u.Header.Type != unix.RTM_DELLINK && linkUp(a))
		}
	}
}

func (n NetlinkLinks) handle() (*netlink.Handle, error) {
	if n.NS != nil {
		h, err := netlink.NewHandleAt(*n.NS, unix.NETLINK_ROUTE)
		if err != nil {
			return nil, fmt.Errorf("netlink handle: %w", err)
		}
		return h, nil
	}
	h, err := netlink.NewHandle(unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink handle: %w", err)
	}
	return h, nil
}
