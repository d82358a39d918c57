package vrrp

import (
	"context"
	"strings"
	"testing"
)

// TestMapInstanceVMAC: use_vmac puts the VIPs on the interface's
// addresses, their GARPs and the adverts on vrrp.VRID with the parent's
// source; vmac_xmit_base keeps the adverts on the parent; a VIP on
// another dev stays there.
func TestMapInstanceVMAC(t *testing.T) {
	conf := strings.Replace(confOne, "    advert_int 1\n", "    advert_int 1\n    use_vmac\n", 1)
	conf = strings.Replace(conf, "10.9.0.100/24\n", "10.9.0.100/24\n        10.9.1.100/24 dev veth8\n", 1)
	s, err := MapInstance(loadModel(t, conf), loadModel(t, conf).Instances[0])
	if err != nil {
		t.Fatal(err)
	}
	if s.VMAC == nil || *s.VMAC != (VMACSpec{Name: "vrrp.51", Parent: "veth9", VRID: 51, Family: 4}) {
		t.Fatalf("vmac %+v", s.VMAC)
	}
	if s.Net.Interface != "vrrp.51" || s.Net.SrcIface != "veth9" || s.Addrs.Interface != "vrrp.51" || s.Iface != "veth9" {
		t.Errorf("net %q src %q addrs %q link %q", s.Net.Interface, s.Net.SrcIface, s.Addrs.Interface, s.Iface)
	}
	if s.Addrs.VIPs[0].Dev != "vrrp.51" || s.Addrs.VIPs[1].Dev != "veth8" {
		t.Errorf("VIP devs %q %q", s.Addrs.VIPs[0].Dev, s.Addrs.VIPs[1].Dev)
	}
	if len(s.GARPAddrs) != 2 || s.GARPAddrs[0].Iface != "vrrp.51" || s.GARPAddrs[1].Iface != "veth8" {
		t.Errorf("garp targets %+v", s.GARPAddrs)
	}

	xb := strings.Replace(conf, "use_vmac\n", "use_vmac vmac51\n    vmac_xmit_base\n", 1)
	m := loadModel(t, xb)
	s, err = MapInstance(m, m.Instances[0])
	if err != nil {
		t.Fatal(err)
	}
	if s.VMAC == nil || s.VMAC.Name != "vmac51" || !s.VMAC.XmitBase || s.Net.Interface != "veth9" || s.Net.SrcIface != "" ||
		s.Addrs.Interface != "vmac51" || s.GARPAddrs[0].Iface != "vmac51" {
		t.Errorf("xmit_base: vmac %+v net %q src %q addrs %q garp %+v", s.VMAC, s.Net.Interface, s.Net.SrcIface, s.Addrs.Interface, s.GARPAddrs)
	}
	if m.Instances[0].VIPs[0].Dev != "veth9" {
		t.Error("the configuration's VIP was changed")
	}
}

// TestLoopVMAC: the VMAC is created before the instance opens its socket
// and starts, and deleted after it released its VIPs at stop.
func TestLoopVMAC(t *testing.T) {
	conf := strings.Replace(confOne, "    state BACKUP\n", "    state MASTER\n    use_vmac\n", 1)
	h := startOne(t, conf)
	got := strings.Join(h.rec.take(), "\n")
	if !strings.HasPrefix(got, "vmac+ vrrp.51 on veth9") {
		t.Fatalf("start record:\n%s", got)
	}
	if err := h.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := h.rec.take()
	if len(rec) == 0 || rec[len(rec)-1] != "vmac- vrrp.51" {
		t.Fatalf("stop record:\n%s", strings.Join(rec, "\n"))
	}
}
