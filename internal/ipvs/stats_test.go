package ipvs

import (
	"context"
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/vishvananda/netlink/nl"
)

// statsFake adds counters to the fake table: every service and
// destination counts as many connections as its port number.
type statsFake struct{ *fakeKernel }

func (f statsFake) ServiceStats() ([]ServiceStats, error) {
	svcs, _ := f.GetServices()
	var out []ServiceStats
	for _, s := range svcs {
		out = append(out, ServiceStats{ServiceKey: s.ServiceKey, Counters: Counters{Conns: uint64(s.Port) + uint64(s.Fwmark), InBytes: 1000}})
	}
	return out, nil
}

func (f statsFake) DestStats(k ServiceKey) ([]DestStats, error) {
	ds, err := f.GetDestinations(Service{ServiceKey: k})
	if err != nil {
		return nil, err
	}
	var out []DestStats
	for _, d := range ds {
		out = append(out, DestStats{DestKey: d.DestKey, Counters: Counters{Conns: uint64(d.Port)}, ActiveConns: 3})
	}
	return out, nil
}

func TestManagerStatus(t *testing.T) {
	k := statsFake{newFake()}
	withForeign(k.fakeKernel)
	m := NewManager(k, nil, Options{})
	if st, err := m.Status(); err != nil || st != nil {
		t.Fatalf("Status before Apply = %v, %v", st, err)
	}
	ctx := context.Background()
	if err := m.Apply(ctx, load(t, baseConf), nil); err != nil {
		t.Fatal(err)
	}
	ref := RSRef{VS: "[10.0.0.1]:tcp:80", Addr: netip.MustParseAddr("10.0.0.3"), Port: 80}
	if err := m.SetRealServer(ctx, ref, false); err != nil {
		t.Fatal(err)
	}
	st, err := m.Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 {
		t.Fatalf("got %d virtual servers, want 2: %+v", len(st), st)
	}
	vs := st[0]
	if vs.Name != "[10.0.0.1]:tcp:80" || !vs.QuorumUp || len(vs.Reals) != 2 {
		t.Fatalf("first VS = %+v", vs)
	}
	if r := vs.Reals[0]; !r.Up || r.Weight != 2 || r.Name != "[10.0.0.2]:tcp:80" {
		t.Errorf("first RS = %+v", r)
	}
	if r := vs.Reals[1]; r.Up || r.Weight != 1 {
		t.Errorf("second RS = %+v, want down weight 1", r)
	}
	if len(vs.Services) != 1 || vs.Services[0].Conns != 80 || vs.Services[0].InBytes != 1000 {
		t.Fatalf("services of first VS = %+v", vs.Services)
	}
	if ds := vs.Services[0].Dests; len(ds) != 1 || ds[0].Addr != netip.MustParseAddr("10.0.0.2") || ds[0].ActiveConns != 3 {
		t.Errorf("destinations = %+v (the down one is not in the table)", ds)
	}
	if fw := st[1]; fw.Name != "FWM 7" || len(fw.Services) != 1 || fw.Services[0].Conns != 7 {
		t.Errorf("fwmark VS = %+v", fw)
	}
}

func TestManagerStatusWithoutStats(t *testing.T) {
	_, m := applied(t, baseConf)
	st, err := m.Status()
	if err != nil || len(st) != 2 || st[0].Services != nil {
		t.Fatalf("Status = %+v, %v", st, err)
	}
}

// genl wraps attributes in a generic-netlink message.
func genl(attrs ...*nl.RtAttr) []byte {
	b := (&nl.Genlmsg{Command: 1, Version: 1}).Serialize()
	for _, a := range attrs {
		b = append(b, a.Serialize()...)
	}
	return b
}

func u64(v uint64) []byte { return nl.Uint64Attr(v) }

func TestDecodeStatsMessages(t *testing.T) {
	svc := nl.NewRtAttr(cmdAttrService, nil)
	svc.AddRtAttr(svcAttrAF, nl.Uint16Attr(AFInet))
	svc.AddRtAttr(svcAttrProtocol, nl.Uint16Attr(6))
	svc.AddRtAttr(svcAttrAddr, append([]byte{10, 0, 0, 1}, make([]byte, 12)...))
	svc.AddRtAttr(svcAttrPort, binary.BigEndian.AppendUint16(nil, 80))
	// The 32-bit counters come first; the 64-bit ones win.
	s32 := svc.AddRtAttr(svcAttrStats, nil)
	s32.AddRtAttr(statsAttrConns, nl.Uint32Attr(1))
	s64 := svc.AddRtAttr(svcAttrStats64, nil)
	s64.AddRtAttr(statsAttrConns, u64(5_000_000_000))
	s64.AddRtAttr(statsAttrInPkts, u64(2))
	s64.AddRtAttr(statsAttrOutPkts, u64(3))
	s64.AddRtAttr(statsAttrInBytes, u64(4))
	s64.AddRtAttr(statsAttrOutBytes, u64(5))
	s, ok, err := decodeServiceStatsMsg(genl(svc))
	if err != nil || !ok {
		t.Fatalf("service: %v %v", ok, err)
	}
	want := ServiceStats{ServiceKey: ServiceKey{Family: AFInet, Protocol: 6, Addr: netip.MustParseAddr("10.0.0.1"), Port: 80},
		Counters: Counters{Conns: 5_000_000_000, InPkts: 2, OutPkts: 3, InBytes: 4, OutBytes: 5}}
	if s != want {
		t.Errorf("service = %+v, want %+v", s, want)
	}

	d := nl.NewRtAttr(cmdAttrDest, nil)
	d.AddRtAttr(destAttrAddr, append([]byte{10, 0, 0, 2}, make([]byte, 12)...))
	d.AddRtAttr(destAttrPort, binary.BigEndian.AppendUint16(nil, 8080))
	d.AddRtAttr(destAttrActiveConns, nl.Uint32Attr(7))
	d.AddRtAttr(destAttrInactConns, nl.Uint32Attr(8))
	d32 := d.AddRtAttr(destAttrStats, nil)
	d32.AddRtAttr(statsAttrConns, nl.Uint32Attr(9))
	d32.AddRtAttr(statsAttrInBytes, u64(10))
	ds, ok, err := decodeDestStatsMsg(genl(d), AFInet)
	if err != nil || !ok {
		t.Fatalf("dest: %v %v", ok, err)
	}
	wantD := DestStats{DestKey: DestKey{Addr: netip.MustParseAddr("10.0.0.2"), Port: 8080},
		Counters: Counters{Conns: 9, InBytes: 10}, ActiveConns: 7, InactConns: 8}
	if ds != wantD {
		t.Errorf("dest = %+v, want %+v", ds, wantD)
	}

	fw := nl.NewRtAttr(cmdAttrService, nil)
	fw.AddRtAttr(svcAttrAF, nl.Uint16Attr(AFInet6))
	fw.AddRtAttr(svcAttrFwmark, nl.Uint32Attr(7))
	if s, ok, err := decodeServiceStatsMsg(genl(fw)); err != nil || !ok || s.Fwmark != 7 || s.Addr.IsValid() {
		t.Errorf("fwmark service = %+v %v %v", s, ok, err)
	}
	for _, bad := range [][]byte{{1, 2}, genl(nl.NewRtAttr(cmdAttrService, []byte{9, 0, 1, 0}))} {
		if _, _, err := decodeServiceStatsMsg(bad); err == nil {
			t.Errorf("decode %x: no error", bad)
		}
	}
}
