package ipvs

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
	"github.com/vishvananda/netlink/nl"
)

// attrsOf parses the children of a nested attribute built with nl.
func attrsOf(t *testing.T, a nl.NetlinkRequestData) map[uint16][]byte {
	t.Helper()
	b := a.Serialize()
	m, err := nl.ParseRouteAttrAsMap(b[4:])
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint16][]byte{}
	for k, v := range m {
		out[k] = v.Value
	}
	return out
}

func TestEncodeDestTunnel(t *testing.T) {
	d := Dest{DestKey: DestKey{Addr: netip.MustParseAddr("fd00::5"), Port: 80}, Fwd: config.FwdTunnel, Weight: 3,
		UThreshold: 9, LThreshold: 2, Tunnel: config.Tunnel{Type: config.TunGUE, Port: 6080, Csum: config.CsumRemote}}
	m := attrsOf(t, encodeDest(d))
	ne := nl.NativeEndian()
	if ne.Uint16(m[destAttrAF]) != AFInet6 || len(m[destAttrAddr]) != 16 || binary.BigEndian.Uint16(m[destAttrPort]) != 80 {
		t.Errorf("address attrs %v", m)
	}
	if ne.Uint32(m[destAttrFwd]) != 2 || ne.Uint32(m[destAttrWeight]) != 3 || ne.Uint32(m[destAttrUThresh]) != 9 || ne.Uint32(m[destAttrLThresh]) != 2 {
		t.Errorf("dest attrs %v", m)
	}
	if !bytes.Equal(m[destAttrTunType], []byte{1}) || binary.BigEndian.Uint16(m[destAttrTunPort]) != 6080 || ne.Uint16(m[destAttrTunFlags]) != 2 {
		t.Errorf("tunnel attrs %v", m)
	}
	// Round trip through the kernel's reply layout.
	got, err := decodeDest(encodeDest(d).Serialize()[4:], AFInet)
	if err != nil || got != (Dest{DestKey: d.DestKey, Family: AFInet6, Fwd: d.Fwd, Weight: 3, UThreshold: 9, LThreshold: 2, Tunnel: d.Tunnel}) {
		t.Errorf("decode = %+v, %v", got, err)
	}
	// ipip: no port, no flags; not a tunnel: no tunnel attributes at all.
	m = attrsOf(t, encodeDest(Dest{DestKey: d.DestKey, Fwd: config.FwdTunnel}))
	if _, ok := m[destAttrTunPort]; ok {
		t.Errorf("ipip sent a tunnel port")
	}
	if _, ok := m[destAttrTunFlags]; ok {
		t.Errorf("ipip sent tunnel flags")
	}
	m = attrsOf(t, encodeDest(Dest{DestKey: d.DestKey, Fwd: config.FwdDR}))
	if _, ok := m[destAttrTunType]; ok {
		t.Errorf("DR sent a tunnel type")
	}
}

func TestDecodeDestMsg(t *testing.T) {
	d := Dest{DestKey: DestKey{Addr: netip.MustParseAddr("10.0.0.2"), Port: 8080}, Family: AFInet, Fwd: config.FwdNAT, Weight: 5}
	// The kernel sends a 16-byte address and sets NLA_F_NESTED.
	inner := nl.NewRtAttr(cmdAttrDest|nlaFNested, nil)
	addr := make([]byte, 16)
	copy(addr, []byte{10, 0, 0, 2})
	inner.AddRtAttr(destAttrAddr, addr)
	inner.AddRtAttr(destAttrPort, be16(8080))
	inner.AddRtAttr(destAttrFwd, nl.Uint32Attr(0))
	inner.AddRtAttr(destAttrWeight, nl.Uint32Attr(5))
	inner.AddRtAttr(destAttrTunType, []byte{0})
	msg := append((&nl.Genlmsg{Command: cmdGetDest, Version: 1}).Serialize(), inner.Serialize()...)
	got, ok, err := decodeDestMsg(msg, AFInet)
	if err != nil || !ok || got != d {
		t.Errorf("decodeDestMsg = %+v %v %v, want %+v", got, ok, err, d)
	}
	for _, bad := range [][]byte{nil, {1}} {
		if _, _, err := decodeDestMsg(bad, AFInet); err == nil {
			t.Errorf("short message %v accepted", bad)
		}
	}
	// Garbage after the header must not panic.
	_, _, _ = decodeDestMsg(append((&nl.Genlmsg{}).Serialize(), 0xff, 0xff, 0xff), AFInet)
	if _, err := decodeDest(nil, AFInet); err == nil {
		t.Errorf("destination without address accepted")
	}
}

func TestEncodeServiceKey(t *testing.T) {
	m := attrsOf(t, encodeServiceKey(ServiceKey{Family: AFInet, Fwmark: 7, Protocol: 6}))
	if _, ok := m[svcAttrProtocol]; ok || nl.NativeEndian().Uint32(m[svcAttrFwmark]) != 7 {
		t.Errorf("fwmark key attrs %v", m)
	}
	m = attrsOf(t, encodeServiceKey(ServiceKey{Family: AFInet, Protocol: 17, Addr: netip.MustParseAddr("10.0.0.1"), Port: 53}))
	if !bytes.Equal(m[svcAttrAddr], []byte{10, 0, 0, 1}) || binary.BigEndian.Uint16(m[svcAttrPort]) != 53 || nl.NativeEndian().Uint16(m[svcAttrProtocol]) != 17 {
		t.Errorf("address key attrs %v", m)
	}
}

func TestEncodeDaemon(t *testing.T) {
	s := SyncDaemon{Interface: "eth0", SyncID: 5, MaxLen: 1400, Group: netip.MustParseAddr("224.0.0.82"), Port: 9000, TTL: 2, Backup: true}
	m := attrsOf(t, encodeDaemon(s, true))
	ne := nl.NativeEndian()
	if ne.Uint32(m[daemonAttrState]) != 2 || string(m[daemonAttrIfname]) != "eth0\x00" || ne.Uint32(m[daemonAttrSyncID]) != 5 ||
		ne.Uint16(m[daemonAttrMaxLen]) != 1400 || !bytes.Equal(m[daemonAttrGroup], []byte{224, 0, 0, 82}) ||
		ne.Uint16(m[daemonAttrPort]) != 9000 || !bytes.Equal(m[daemonAttrTTL], []byte{2}) {
		t.Errorf("daemon attrs %v", m)
	}
	if m := attrsOf(t, encodeDaemon(SyncDaemon{}, false)); len(m) != 1 || ne.Uint32(m[daemonAttrState]) != 1 {
		t.Errorf("stop attrs %v", m)
	}
}

func TestNetmaskConversion(t *testing.T) {
	for _, c := range []struct {
		fam  uint16
		bits int
	}{{AFInet, 32}, {AFInet, 24}, {AFInet, 1}, {AFInet6, 128}, {AFInet6, 64}} {
		v := netmaskToKernel(c.fam, c.bits)
		if got := netmaskFromKernel(c.fam, v); got != c.bits {
			t.Errorf("%d/%d -> %#x -> %d", c.fam, c.bits, v, got)
		}
	}
	// The IPv4 mask travels as its network-order bytes.
	b := make([]byte, 4)
	nl.NativeEndian().PutUint32(b, netmaskToKernel(AFInet, 24))
	if !bytes.Equal(b, []byte{255, 255, 255, 0}) {
		t.Errorf("mask bytes %v", b)
	}
}

func TestMobyConversion(t *testing.T) {
	s := Service{ServiceKey: ServiceKey{Family: AFInet, Fwmark: 9}, Sched: "wlc", Flags: 1, Timeout: 300, Netmask: 32}
	m := toMoby(s)
	m.Address = []byte{0, 0, 0, 0}
	m.Flags |= flagHashed
	got := fromMoby(m)
	if got.Addr.IsValid() || got.Protocol != 0 || got.Fwmark != 9 || !got.sameAttrs(s) {
		t.Errorf("fwmark round trip %+v", got)
	}
	s = Service{ServiceKey: ServiceKey{Family: AFInet6, Protocol: 6, Addr: netip.MustParseAddr("fd00::1"), Port: 80}, Sched: "rr", Netmask: 128}
	if got := fromMoby(toMoby(s)); got != s {
		t.Errorf("round trip %+v, want %+v", got, s)
	}
}

func TestSubsystem(t *testing.T) {
	k := newFake()
	closed := false
	s := newSubsystem(nil, Options{}, func() (Kernel, func(), error) { return k, func() { closed = true }, nil })
	if s.Name() != core.NameCheckers {
		t.Errorf("name %s", s.Name())
	}
	ctx := context.Background()
	m1 := load(t, baseConf)
	if !s.Needed(m1) || s.Needed(&config.Model{}) {
		t.Errorf("Needed wrong")
	}
	if err := s.Start(ctx, m1); err != nil || k.dump() == "" || s.Manager() == nil {
		t.Fatalf("Start: %v %q", err, k.dump())
	}
	_ = k.DelService(Service{ServiceKey: ServiceKey{Family: AFInet, Fwmark: 7}})
	if err := s.Reload(ctx, m1, m1); err != nil || len(k.order) != 2 {
		t.Errorf("Reload did not restore: %v %q", err, k.dump())
	}
	if err := s.Stop(ctx); err != nil || k.dump() != "" || !closed {
		t.Errorf("Stop: %v %q closed=%v", err, k.dump(), closed)
	}
}

func TestEncodeService(t *testing.T) {
	s := Service{ServiceKey: ServiceKey{Family: AFInet, Protocol: 17, Addr: netip.MustParseAddr("10.0.0.1"), Port: 5060},
		Sched: "rr", Flags: config.SvcPersistent, Timeout: 30, Netmask: 24, PEName: "sip"}
	m := attrsOf(t, encodeService(s))
	ne := nl.NativeEndian()
	if string(m[svcAttrSchedName]) != "rr\x00" || string(m[svcAttrPEName]) != "sip\x00" || ne.Uint32(m[svcAttrTimeout]) != 30 ||
		netmaskFromKernel(AFInet, ne.Uint32(m[svcAttrNetmask])) != 24 || !bytes.Equal(m[svcAttrAddr], []byte{10, 0, 0, 1}) {
		t.Errorf("service attrs %v", m)
	}
	if f := m[svcAttrFlags]; len(f) != 8 || ne.Uint32(f[:4]) != s.Flags || ne.Uint32(f[4:]) != 0xffffffff {
		t.Errorf("flags %v", f)
	}
	if m := attrsOf(t, encodeService(Service{ServiceKey: ServiceKey{Family: AFInet6, Fwmark: 9}, Sched: "wlc", Netmask: 128})); ne.Uint32(m[svcAttrFwmark]) != 9 || m[svcAttrPEName] != nil {
		t.Errorf("fwmark service attrs %v", m)
	}
}
