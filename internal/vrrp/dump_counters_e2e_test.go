package vrrp

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// rawSenderIn opens an IP_HDRINCL raw socket in network namespace ns,
// bound to dev (the socket stays in ns after the thread switches back).
func rawSenderIn(t *testing.T, ns, dev string) int {
	t.Helper()
	runtime.LockOSThread()
	orig, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer orig.Close()
	target, err := os.Open(filepath.Join("/var/run/netns", ns))
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer target.Close()
	setns := func(f *os.File) error {
		if _, _, e := syscall.Syscall(sysSetns, f.Fd(), syscall.CLONE_NEWNET, 0); e != 0 {
			return e
		}
		return nil
	}
	if err := setns(target); err != nil {
		runtime.UnlockOSThread()
		t.Fatalf("setns %s: %v", ns, err)
	}
	fd, serr := syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, syscall.IPPROTO_RAW)
	if serr == nil {
		serr = syscall.SetsockoptString(fd, syscall.SOL_SOCKET, syscall.SO_BINDTODEVICE, dev)
	}
	if err := setns(orig); err != nil {
		// The thread stays in ns: let it die with the goroutine.
		t.Fatalf("setns back: %v", err)
	}
	runtime.UnlockOSThread()
	if serr != nil {
		t.Fatalf("raw socket in %s: %v", ns, serr)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	return fd
}

// inetChecksum is the Internet checksum of b.
func inetChecksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// badAdvert is one crafted VRRPv2 packet and what it should count.
type badAdvert struct {
	name  string
	ttl   uint8
	prio  uint8
	pass  string
	addrs []string
	// mod changes the VRRP message (checksum fixed afterwards unless
	// keepSum).
	mod     func(v []byte) []byte
	keepSum bool
}

// packet builds the IPv4 packet from 10.77.0.9 to 224.0.0.18 for vrid.
func (b badAdvert) packet(t *testing.T, vrid int) []byte {
	t.Helper()
	addrs := []netip.Addr{netip.MustParseAddr(fmt.Sprintf("10.77.0.%d", vrid))}
	if b.addrs != nil {
		addrs = nil
		for _, a := range b.addrs {
			addrs = append(addrs, netip.MustParseAddr(a))
		}
	}
	pass := b.pass
	if pass == "" {
		pass = "s3cret"
	}
	prio := b.prio
	if prio == 0 && b.name != "priority 0" {
		prio = 50
	}
	a := wire.Advert{Version: 2, Type: wire.TypeAdvert, VRID: uint8(vrid), Priority: prio, AuthType: wire.AuthPass,
		AdvertInt: 1, Addrs: addrs, AuthData: wire.Password(pass)}
	h := wire.NewIPv4Header(netip.MustParseAddr("10.77.0.9"), wire.DefaultGroup4())
	if b.ttl != 0 {
		h.TTL = b.ttl
	}
	p, err := wire.MarshalIPv4(a, h, wire.Options{})
	if err != nil {
		t.Fatalf("%s: %v", b.name, err)
	}
	if b.mod == nil {
		return p
	}
	v := b.mod(append([]byte(nil), p[20:]...))
	if !b.keepSum {
		v[6], v[7] = 0, 0
		binary.BigEndian.PutUint16(v[6:], inetChecksum(v))
	}
	// The kernel fills in the IP total length and header checksum.
	return append(p[:20:20], v...)
}

// countedPackets are one packet of each kind keepalived's vrrp_check_packet
// tells apart, sent to a master of a VRRPv2 PASS instance with one VIP.
var countedPackets = []badAdvert{
	{name: "good, lower priority"},
	{name: "priority 0"},
	{name: "TTL 64", ttl: 64},
	{name: "wrong password", pass: "wrong"},
	{name: "auth type none", mod: func(v []byte) []byte { v[4] = 0; return v }},
	{name: "auth type 3", mod: func(v []byte) []byte { v[4] = 3; return v }},
	{name: "interval 2", mod: func(v []byte) []byte { v[5] = 2; return v }},
	{name: "two addresses", addrs: []string{"10.77.0.61", "10.77.0.62"}},
	{name: "another address", addrs: []string{"10.77.0.99"}},
	{name: "type 2", mod: func(v []byte) []byte { v[0] = 2<<4 | 2; return v }},
	{name: "bad checksum", keepSum: true, mod: func(v []byte) []byte { v[6] ^= 0xff; return v }},
	{name: "truncated", mod: func(v []byte) []byte { return v[:len(v)-4] }},
	{name: "version 3", mod: func(v []byte) []byte { v[0] = 3<<4 | 1; return v }},
}

// countersConf is one VRRPv2 PASS instance on vrid whose VIP is
// 10.77.0.<vrid>/24.
func countersConf(vrid int) string {
	return fmt.Sprintf("vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id %d\n"+
		"    priority 100\n    advert_int 1\n    authentication {\n        auth_type PASS\n        auth_pass s3cret\n    }\n"+
		"    virtual_ipaddress {\n        10.77.0.%d/24\n    }\n}\n", vrid, vrid)
}

// statsOf sends SIGUSR2 and parses the stats file once written.
func statsOf(t *testing.T, d *daemon, dir string) exporterStats {
	t.Helper()
	f := filepath.Join(dir, "keepalived.stats")
	_ = os.Remove(f)
	if err := d.cmd.Process.Signal(syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(f)
		if _, st, err := parseStatsFile(string(b)); err == nil && st["VI_1"] != nil && strings.Contains(string(b), "    Sent: ") &&
			strings.HasSuffix(string(b), "\n") && strings.Count(string(b), "\n") >= 18 {
			return *st["VI_1"]
		}
	}
	t.Fatalf("%s: no stats file", d.name)
	return exporterStats{}
}

// TestE2ECountersAsStock sends the same crafted packets (one of each error
// kind, a good lower-priority advert, a priority 0 one) from the bridge to
// a stock master and to ours, and compares the counters the exporters
// read: ours count as keepalived 2.2.7's vrrp_check_packet does.
func TestE2ECountersAsStock(t *testing.T) {
	needRoot(t)
	stockAvailable(t)
	t.Parallel()
	ours := binOf(t, "ours")
	l := newLab(t)
	run(t, "ip", "-n", l.br, "addr", "add", "10.77.0.9/24", "dev", "br0")
	st, stDir := l.startDumper(0, stockKeepalived, "stock", countersConf(61))
	our, ourDir := l.startDumper(1, ours, "ours", countersConf(62))
	lim := MasterDownInterval(2, 100, 3, time.Second) + 3*e2eMargin
	l.waitVIP(0, "10.77.0.61", true, lim)
	l.waitVIP(1, "10.77.0.62", true, lim)
	before := map[string]exporterStats{"stock": statsOf(t, st, stDir), "ours": statsOf(t, our, ourDir)}

	fd := rawSenderIn(t, l.br, "br0")
	dst := &syscall.SockaddrInet4{Addr: [4]byte{224, 0, 0, 18}}
	for _, vrid := range []int{61, 62} {
		for _, p := range countedPackets {
			if err := syscall.Sendto(fd, p.packet(t, vrid), 0, dst); err != nil {
				t.Fatalf("send %s: %v", p.name, err)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	// The VRRPv3 packet fails the length check (no authentication data)
	// before the version check: a second packet_len_err, in both.
	want := exporterStats{AdvertRcvd: 3, PacketLenErr: 2, IPTTLErr: 1, InvalidTypeRcvd: 1, AddrListErr: 2,
		InvalidAuthType: 1, AuthTypeMismatch: 1, AuthFailure: 1, PriZeroRcvd: 1}
	var got map[string]exporterStats
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		got = map[string]exporterStats{"stock": statsOf(t, st, stDir), "ours": statsOf(t, our, ourDir)}
		done := true
		for who, s := range got {
			d := s
			d.AdvertSent, d.BecomeMaster = 0, 0
			b := before[who]
			d.AdvertRcvd -= b.AdvertRcvd
			if d != want {
				done = false
			}
		}
		if done || time.Since(start) > 5*time.Second {
			break
		}
	}
	for who, s := range got {
		s.AdvertSent, s.BecomeMaster = 0, 0
		s.AdvertRcvd -= before[who].AdvertRcvd
		if s != want {
			t.Errorf("%s counted\n %+v\nwant\n %+v", who, s, want)
		}
	}

	// A higher priority master appears (both release), then stops with
	// priority 0 (both take over again after the skew time).
	for _, prio := range []uint8{200, 0} {
		p := badAdvert{name: "priority 0", prio: prio}
		for _, vrid := range []int{61, 62} {
			if err := syscall.Sendto(fd, p.packet(t, vrid), 0, dst); err != nil {
				t.Fatal(err)
			}
		}
		present := prio == 0
		l.waitVIP(0, "10.77.0.61", present, lim)
		l.waitVIP(1, "10.77.0.62", present, lim)
	}
	want.AdvertRcvd += 2
	want.PriZeroRcvd++
	want.ReleaseMaster = 1
	for who, d := range map[string]*daemon{"stock": st, "ours": our} {
		s := statsOf(t, d, map[string]string{"stock": stDir, "ours": ourDir}[who])
		s.AdvertRcvd -= before[who].AdvertRcvd
		if s.BecomeMaster != 2 {
			t.Errorf("%s: became master %d times, want 2", who, s.BecomeMaster)
		}
		s.AdvertSent, s.BecomeMaster = 0, 0
		if s != want {
			t.Errorf("%s after the failovers counted\n %+v\nwant\n %+v", who, s, want)
		}
	}
}

// sysSetns is setns(2) on linux/amd64 (the syscall package lacks it).
const sysSetns = 308
