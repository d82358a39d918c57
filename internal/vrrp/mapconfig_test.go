package vrrp

import (
	"net/netip"
	"testing"
	"time"

	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

func TestMapInstanceDefaults(t *testing.T) {
	m := loadModel(t, confOne)
	specs, errs := MapModel(m)
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("specs %d errs %v", len(specs), errs)
	}
	s := specs[0]
	c := s.FSM
	if c.Version != 2 || c.Priority != 100 || c.AdvertInterval != time.Second || c.InitialState != StateBackup {
		t.Errorf("fsm config %+v", c)
	}
	if c.GARPMasterDelay != 5*time.Second || c.GARPMasterRepeat != 5 || c.GARPMasterRefresh != 0 ||
		c.GARPLowerPrioDelay != 5*time.Second || c.GARPLowerPrioRepeat != 5 || c.DownTimerAdverts != 3 {
		t.Errorf("garp/down defaults %+v", c)
	}
	if c.Strict || c.Nopreempt || c.Accept != AcceptOn || c.LowerPrioNoAdvert || c.HigherPrioSendAdvert {
		t.Errorf("flags %+v", c)
	}
	want := []netip.Addr{netip.MustParseAddr("10.9.0.100")}
	if len(c.VIPs) != 1 || c.VIPs[0] != want[0] {
		t.Errorf("VIPs %v", c.VIPs)
	}
	n := s.Net
	if n.Interface != "veth9" || n.Family != 4 || n.VRID != 51 || n.Version != 2 ||
		n.AuthType != wire.AuthPass || n.AuthPass != wire.Password("s3cret") || len(n.Peers) != 0 {
		t.Errorf("net spec %+v", n)
	}
	if len(s.GARPAddrs) != 1 || s.GARPAddrs[0].Iface != "veth9" || s.Iface != "veth9" {
		t.Errorf("garp targets %+v iface %q", s.GARPAddrs, s.Iface)
	}
}

func TestMapInstanceV3Unicast(t *testing.T) {
	m := loadModel(t, `
global_defs {
    vrrp_strict
}
vrrp_sync_group G {
    group {
        VI_6
    }
}
vrrp_instance VI_6 {
    interface veth9
    state MASTER
    virtual_router_id 7
    advert_int 0.5
    unicast_src_ip 2001:db8::1
    unicast_peer {
        2001:db8::2
    }
    virtual_ipaddress {
        2001:db8::100/64
    }
}
`)
	specs, errs := MapModel(m)
	if len(errs) > 0 || len(specs) != 1 {
		t.Fatalf("specs %d errs %v", len(specs), errs)
	}
	s := specs[0]
	if s.FSM.Version != 3 || s.FSM.AdvertInterval != 500*time.Millisecond || !s.FSM.Strict || s.FSM.Priority != 255 {
		t.Errorf("fsm %+v", s.FSM)
	}
	if s.Net.Family != 6 || len(s.Net.Peers) != 1 || s.Net.Src != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("net %+v", s.Net)
	}
	if s.Group != "G" || s.FSM.PrimaryAddr != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("group %q primary %v", s.Group, s.FSM.PrimaryAddr)
	}
}

func TestSameInstanceIgnoresPositions(t *testing.T) {
	a := loadModel(t, confOne)
	b := loadModel(t, "\n\n# moved\n"+confOne)
	sa, _ := MapModel(a)
	sb, _ := MapModel(b)
	if !SameInstance(sa[0], sb[0], a.Instances[0], b.Instances[0]) {
		t.Error("moved instance seen as changed")
	}
	c := loadModel(t, confOne+"\n")
	c.Instances[0].Priority = 101
	sc, _ := MapModel(c)
	if SameInstance(sa[0], sc[0], a.Instances[0], c.Instances[0]) {
		t.Error("priority change not seen")
	}
}
