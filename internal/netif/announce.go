package netif

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"
)

// Spacing is the minimum time between two announcements of one family on
// one interface: vrrp_garp_interval for ARP, vrrp_gna_interval for NA
// (garp_group intervals override them per interface).
type Spacing struct {
	ARP time.Duration
	NA  time.Duration
}

// Announcer sends gratuitous ARPs (IPv4) and unsolicited Neighbor
// Advertisements (IPv6) for virtual addresses, in keepalived's format,
// from the MAC of the interface named (the VMAC when that interface is
// one). It is safe for concurrent use.
type Announcer struct {
	conn FrameConn
	log  *slog.Logger
	q    *ifQuery // nil when Interface is net.InterfaceByName
	// Interface looks an interface up by name (net.InterfaceByName).
	Interface func(name string) (*net.Interface, error)
	// Forwarding reports whether IPv6 forwarding is on for an interface,
	// which sets the router flag of NAs (read from /proc/sys).
	Forwarding func(ifname string) bool
	// Sleep waits d or until ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error
}

// NewAnnouncer returns an Announcer sending on conn; nil conn opens an
// AF_PACKET socket in the calling thread's network namespace.
func NewAnnouncer(conn FrameConn, log *slog.Logger) (*Announcer, error) {
	if conn == nil {
		c, err := OpenPacketConn()
		if err != nil {
			return nil, err
		}
		conn = c
	}
	if log == nil {
		log = slog.Default()
	}
	a := &Announcer{
		conn:       conn,
		log:        log,
		Interface:  net.InterfaceByName,
		Forwarding: ipv6Forwarding,
		Sleep:      sleepCtx,
	}
	if q, err := openIfQuery(); err == nil {
		a.q, a.Interface = q, q.byName
	}
	return a, nil
}

// Close closes the Announcer's sockets.
func (a *Announcer) Close() error {
	err := a.conn.Close()
	if a.q != nil {
		if qerr := a.q.close(); err == nil {
			err = qerr
		}
	}
	return err
}

// Send announces every VIP count times on ifname, all VIPs once per round
// as keepalived does, with at least interval between two announcements of
// the same family. It returns how many frames were sent.
func (a *Announcer) Send(ifname string, vips []netip.Addr, count int, interval time.Duration) (int, error) {
	return a.SendContext(context.Background(), ifname, vips, count, Spacing{ARP: interval, NA: interval})
}

// SendContext is Send with a context ending the waits and separate
// spacings per family.
func (a *Announcer) SendContext(ctx context.Context, ifname string, vips []netip.Addr, count int, sp Spacing) (int, error) {
	if count <= 0 || len(vips) == 0 {
		return 0, nil
	}
	ifi, err := a.Interface(ifname)
	if err != nil {
		return 0, fmt.Errorf("announce on %s: %w", ifname, err)
	}
	if len(ifi.HardwareAddr) != 6 {
		return 0, fmt.Errorf("announce on %s: no Ethernet address", ifname)
	}
	frames, err := a.frames(ifi, vips)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	var last [2]time.Time // per family: 0 ARP, 1 NA
	for round := 0; round < count; round++ {
		for _, f := range frames {
			gap := sp.ARP
			if f.na {
				gap = sp.NA
			}
			fam := 0
			if f.na {
				fam = 1
			}
			if gap > 0 && !last[fam].IsZero() {
				if d := gap - time.Since(last[fam]); d > 0 {
					if err := a.Sleep(ctx, d); err != nil {
						return sent, errors.Join(append(errs, err)...)
					}
				}
			}
			if err := a.conn.WriteFrame(ifi.Index, f.b); err != nil {
				errs = append(errs, fmt.Errorf("announce %s on %s: %w", f.vip, ifname, err))
			} else {
				sent++
			}
			last[fam] = time.Now()
		}
	}
	return sent, errors.Join(errs...)
}

// frame is one prepared announcement.
type frame struct {
	vip netip.Addr
	na  bool
	b   []byte
}

// frames builds one frame per VIP.
func (a *Announcer) frames(ifi *net.Interface, vips []netip.Addr) ([]frame, error) {
	router := false
	checked := false
	out := make([]frame, 0, len(vips))
	for _, v := range vips {
		v = v.Unmap()
		var f frame
		var err error
		if v.Is4() {
			f.b, err = GARPFrame(ifi.HardwareAddr, v)
		} else {
			if !checked {
				router, checked = a.Forwarding(ifi.Name), true
			}
			f.na = true
			f.b, err = NAFrame(ifi.HardwareAddr, v, router)
		}
		if err != nil {
			return nil, fmt.Errorf("announce %s on %s: %w", v, ifi.Name, err)
		}
		f.vip = v
		out = append(out, f)
	}
	return out, nil
}

// ipv6Forwarding reads net.ipv6.conf.IF.forwarding (in /proc/sys an
// interface name keeps its dots).
func ipv6Forwarding(ifname string) bool {
	if ifname == "" || ifname == "." || ifname == ".." || strings.Contains(ifname, "/") {
		return false
	}
	b, err := os.ReadFile("/proc/sys/net/ipv6/conf/" + ifname + "/forwarding")
	return err == nil && strings.TrimSpace(string(b)) == "1"
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
