package vrrp

import (
	"bytes"
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// End-to-end tests that look at the wire: GARP bursts, unicast adverts,
// and VRRPv3 advert_int 0.1 mixed with stock keepalived.

// TestE2EMoreGARP captures a new master's gratuitous ARPs in the bridge:
// keepalived's format (an ARP request from the VIP to the VIP, broadcast,
// sender MAC the interface's), 5 right after the first advert and 5 more
// garp_master_delay (1 s here) later, then none.
func TestE2EMoreGARP(t *testing.T) {
	needRoot(t)
	t.Parallel()
	for _, which := range []string{"ours", "stock"} {
		t.Run(which, func(t *testing.T) {
			t.Parallel()
			bin := binOf(t, which)
			l := newLab(t)
			c := l.capture(0, "arp or ip proto 112")
			o := v3fast(150)
			o.lines = "    garp_master_delay 1\n"
			l.start(0, bin, "master", o.conf())
			l.waitVIP(0, e2eVIP, true, MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
			time.Sleep(2500 * time.Millisecond) // second burst at +1 s, then quiet
			frames := c.stop()
			checkGARPs(t, frames, l.hostMAC(0), netip.MustParseAddr(e2eVIP), time.Second)
		})
	}
}

// checkGARPs checks the captured GARPs against keepalived's: two bursts of
// five, the first after the first advert, the second delay later.
func checkGARPs(t *testing.T, frames []frame, mac []byte, vip netip.Addr, delay time.Duration) {
	t.Helper()
	ip := vip.As4()
	bcast := bytes.Repeat([]byte{0xff}, 6)
	var want []byte
	want = append(want, bcast...)
	want = append(want, mac...)
	want = append(want, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1)
	want = append(want, mac...)
	want = append(want, ip[:]...)
	want = append(want, bcast...)
	want = append(want, ip[:]...)

	var firstAdvert time.Time
	var garps []time.Time
	for _, f := range frames {
		switch f.etherType() {
		case 0x0806:
			if !bytes.Equal(f.data, want) {
				t.Errorf("GARP % x, want % x", f.data, want)
			}
			garps = append(garps, f.at)
		case 0x0800:
			if _, _, p, ok := f.vrrp(); ok && len(p) > 2 && p[2] == 150 && firstAdvert.IsZero() {
				firstAdvert = f.at
			}
		}
	}
	if firstAdvert.IsZero() {
		t.Fatal("no advert captured")
	}
	var rel []string
	for _, g := range garps {
		rel = append(rel, g.Sub(firstAdvert).Round(time.Microsecond).String())
	}
	t.Logf("%d GARPs, after the first advert at %v", len(garps), rel)
	if len(garps) != 10 {
		t.Fatalf("%d GARPs, want 10", len(garps))
	}
	for i, g := range garps[:5] {
		if d := g.Sub(firstAdvert); d < 0 || d > 500*time.Millisecond {
			t.Errorf("first burst GARP %d at %v from the first advert", i, d)
		}
	}
	for i, g := range garps[5:] {
		if d := g.Sub(garps[0]); d < delay-50*time.Millisecond || d > delay+time.Second {
			t.Errorf("second burst GARP %d at %v from the first burst, want about %v", i, d, delay)
		}
	}
}

// unicastConf is a VRRPv3 0.1 s instance of host i (0, 1) sending unicast
// to the other host.
func unicastConf(i, prio int) string {
	o := v3fast(prio)
	o.lines = fmt.Sprintf("    unicast_src_ip 10.77.0.%d\n    unicast_peer {\n        10.77.0.%d\n    }\n", i+1, 2-i)
	return o.conf()
}

// TestE2EMoreUnicast: unicast_src_ip/unicast_peer, ours with ours and with
// stock in both roles: adverts go to the peer only, and the failover
// sequence (crash, preempt back, clean stop) works as with multicast.
func TestE2EMoreUnicast(t *testing.T) {
	variants(t, []pair{{"ours", "ours"}, {"ours", "stock"}, {"stock", "ours"}}, func(t *testing.T, h1, h2 string) {
		l := newLab(t)
		c := l.capture(0, "ip proto 112")
		m := l.start(0, h1, "master", unicastConf(0, 150))
		l.start(1, h2, "backup", unicastConf(1, 100))
		down150, down100 := MasterDownInterval(3, 150, 3, v3iv), MasterDownInterval(3, 100, 3, v3iv)
		l.waitVIP(0, e2eVIP, true, down150+e2eMargin)
		l.waitVIP(1, e2eVIP, false, e2eMargin)
		time.Sleep(time.Second)
		if l.hasVIP(1, e2eVIP) {
			t.Fatal("VIP on both hosts")
		}
		n := 0
		for _, f := range c.stop() {
			dst, ttl, p, ok := f.vrrp()
			if !ok || len(p) < 3 || p[2] != 150 {
				continue
			}
			n++
			if dst != [4]byte{10, 77, 0, 2} || ttl != 255 {
				t.Fatalf("advert to %v TTL %d, want 10.77.0.2 TTL 255", netip.AddrFrom4(dst), ttl)
			}
		}
		t.Logf("%d unicast adverts from the master in a second", n)
		if n < 5 {
			t.Fatalf("%d unicast adverts captured", n)
		}

		m.kill()
		d := l.waitVIP(1, e2eVIP, true, down100+e2eMargin)
		t.Logf("crash: backup has the VIP %v later (floor %v)", d.Round(time.Millisecond), down100)
		l.delVIP(0, e2ePrefix)
		m = l.start(0, h1, "master2", unicastConf(0, 150))
		d = l.waitVIP(0, e2eVIP, true, down150+e2eMargin)
		l.waitVIP(1, e2eVIP, false, e2eMargin)
		t.Logf("restart: master preempted %v after start", d.Round(time.Millisecond))
		m.term(t)
		l.waitVIP(1, e2eVIP, true, Skew(3, 100, v3iv)+e2eMargin)
	})
}

// TestE2EMoreStockV3Fast: VRRPv3 IPv4 advert_int 0.1 mixed with stock
// keepalived in both roles.
func TestE2EMoreStockV3Fast(t *testing.T) {
	variants(t, []pair{{"stock", "ours"}, {"ours", "stock"}}, func(t *testing.T, h1, h2 string) {
		failover(t, h1, h2, 3, "0.1", v3iv)
	})
}

// TestE2EMoreNA captures a new IPv6 master's unsolicited neighbour
// advertisements: from the VIP to ff02::1, hop limit 255, override flag
// only, the VIP as target with the interface's MAC as target link-layer
// option; 5 right after the first advert and 5 more garp_master_delay
// later.
func TestE2EMoreNA(t *testing.T) {
	needRoot(t)
	t.Parallel()
	for _, which := range []string{"ours", "stock"} {
		t.Run(which, func(t *testing.T) {
			t.Parallel()
			bin := binOf(t, which)
			l := newLab(t)
			l.waitLinkLocal(0)
			c := l.capture(0, "ip6 proto 112 or icmp6")
			o := v3fast(150)
			o.vip = "fd00:77::100/64"
			o.lines = "    garp_master_delay 1\n"
			l.start(0, bin, "master", o.conf())
			l.waitVIP(0, "fd00:77::100", true, MasterDownInterval(3, 150, 3, v3iv)+e2eMargin)
			time.Sleep(2500 * time.Millisecond)
			checkNAs(t, c.stop(), l.hostMAC(0), netip.MustParseAddr("fd00:77::100"), time.Second)
		})
	}
}

// checkNAs checks the captured unsolicited NAs as checkGARPs the GARPs.
func checkNAs(t *testing.T, frames []frame, mac []byte, vip netip.Addr, delay time.Duration) {
	t.Helper()
	allNodes := netip.MustParseAddr("ff02::1").As16()
	v := vip.As16()
	var firstAdvert time.Time
	var nas []time.Time
	for _, f := range frames {
		if f.etherType() != 0x86dd || len(f.data) < 14+40+8 {
			continue
		}
		ip := f.data[14:]
		switch ip[6] {
		case 112:
			if ip[40+2] == 150 && firstAdvert.IsZero() {
				firstAdvert = f.at
			}
		case 58:
			icmp := ip[40:]
			if icmp[0] != 136 {
				continue
			}
			nas = append(nas, f.at)
			ok := len(icmp) >= 32 &&
				bytes.Equal(f.data[0:6], []byte{0x33, 0x33, 0, 0, 0, 1}) && bytes.Equal(f.data[6:12], mac) &&
				bytes.Equal(ip[8:24], v[:]) && bytes.Equal(ip[24:40], allNodes[:]) && ip[7] == 255 &&
				icmp[4] == 0x20 && icmp[5] == 0 && icmp[6] == 0 && icmp[7] == 0 && bytes.Equal(icmp[8:24], v[:]) &&
				icmp[24] == 2 && icmp[25] == 1 && bytes.Equal(icmp[26:32], mac)
			if !ok {
				t.Errorf("NA % x is not keepalived's", f.data)
			}
		}
	}
	if firstAdvert.IsZero() {
		t.Fatal("no advert captured")
	}
	var rel []string
	for _, g := range nas {
		rel = append(rel, g.Sub(firstAdvert).Round(time.Microsecond).String())
	}
	t.Logf("%d NAs, after the first advert at %v", len(nas), rel)
	if len(nas) != 10 {
		t.Fatalf("%d NAs, want 10", len(nas))
	}
	for i, g := range nas[:5] {
		if d := g.Sub(firstAdvert); d < 0 || d > 500*time.Millisecond {
			t.Errorf("first burst NA %d at %v from the first advert", i, d)
		}
	}
	for i, g := range nas[5:] {
		if d := g.Sub(nas[0]); d < delay-50*time.Millisecond || d > delay+time.Second {
			t.Errorf("second burst NA %d at %v from the first burst, want about %v", i, d, delay)
		}
	}
}
