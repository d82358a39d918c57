package vrrp

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/track"
	wire "github.com/gokeepalived/keepalived/pkg/vrrp"
)

// Tests that the Prometheus exporters' grammars (exporter_grammar_test.go)
// read every field they read from stock keepalived 2.2.7's files from
// ours too, with the right values.

func readStock(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "stock-2.2.7", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExporterGrammarOnStock checks the grammars against stock's real
// files: what they find there is what ours must provide.
func TestExporterGrammarOnStock(t *testing.T) {
	data, stats, js := readStock(t, "keepalived.data"), readStock(t, "keepalived.stats"), readStock(t, "keepalived.json")
	md, err := parseMehdyData(data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*mehdyData{
		"VI_1": {Name: "VI_1", State: 2, WantState: 2, Intf: "a0", GArpDelay: 5, VRID: 51,
			VIPs: []string{"10.99.0.100/24 dev a0 scope global set", "10.99.0.101 dev a0 scope global set"}},
		"VI_2": {Name: "VI_2", State: 1, WantState: 1, Intf: "a0", GArpDelay: 5, VRID: 52,
			VIPs: []string{"10.99.0.200 dev a0 scope global"}},
	}
	if !reflect.DeepEqual(md, want) {
		t.Errorf("keepalived-exporter data:\n got %+v %+v\nwant %+v %+v", md["VI_1"], md["VI_2"], want["VI_1"], want["VI_2"])
	}
	if sc := parseMehdyScripts(data); !reflect.DeepEqual(sc, []mehdyScript{{"chk_ok", "GOOD", "idle"}}) {
		t.Errorf("keepalived-exporter scripts: %+v", sc)
	}
	gd, err := parseGen2brainData(data)
	if err != nil {
		t.Fatal(err)
	}
	// keepalived_exporter's instance ends at "   Flags: none", right after
	// State: that is all it reads from stock's data file.
	if want := []gen2brainData{{Name: "VI_1", State: 2}, {Name: "VI_2", State: 1}}; !reflect.DeepEqual(gd, want) {
		t.Errorf("keepalived_exporter data: %+v", gd)
	}
	order, st, err := parseStatsFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(order, []string{"VI_1", "VI_2"}) ||
		*st["VI_1"] != (exporterStats{AdvertSent: 4, BecomeMaster: 1}) ||
		*st["VI_2"] != (exporterStats{AdvertRcvd: 4, AdvertSent: 1, BecomeMaster: 1, ReleaseMaster: 1}) {
		t.Errorf("stats: %v %+v %+v", order, st["VI_1"], st["VI_2"])
	}
	j, err := parseExporterJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	if len(j) != 2 || j[0].Data.Iname != "VI_1" || j[0].Data.State != 2 || j[0].Data.VRID != 51 ||
		j[0].Data.Intf != "a0" || j[0].Data.GArpDelay != 5 || j[0].Data.LastTransition != 1795388332.051433 ||
		len(j[0].Data.VIPs) != 2 || j[1].Data.State != 1 || j[1].Stats != *st["VI_2"] {
		t.Errorf("json: %+v", j)
	}
}

const confDumpTwo = `
vrrp_instance VI_1 {
    state BACKUP
    interface veth9
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        10.9.0.100/24
        10.9.0.101
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface veth9
    virtual_router_id 52
    priority 50
    advert_int 1
    virtual_ipaddress {
        10.9.0.200
    }
}
`

// twoInstances runs confDumpTwo to a known point: VI_1 master after its down
// timer, VI_2 backup to a priority-150 master at 10.9.0.2; VI_1 then
// refuses one packet of each kind the edge counts and hears a lower
// priority advert, an advert with a wrong address count and one with a
// wrong interval; VI_2 hears a priority-0 advert last.
func twoInstances(t *testing.T) (*harness, *config.Model) {
	t.Helper()
	m := loadModel(t, confDumpTwo)
	h := newHarness(t)
	if err := h.s.Start(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	h.sync()
	peer := netip.MustParseAddr("10.9.0.2")
	vip2 := []netip.Addr{netip.MustParseAddr("10.9.0.200")}
	h.advance(time.Second)
	h.tr.deliver("VI_2", Received{Advert: Advert{Source: peer, Version: 2, Priority: 150, Interval: time.Second, Addresses: vip2}})
	h.sync()
	h.advance(3609375*time.Microsecond - time.Second)
	if st := h.state("VI_1"); st != StateMaster {
		t.Fatalf("VI_1 %v", st)
	}
	if st := h.state("VI_2"); st != StateBackup {
		t.Fatalf("VI_2 %v", st)
	}
	for _, r := range []wire.Reason{wire.ReasonTTL, wire.ReasonAuthFailure, wire.ReasonLength, wire.ReasonType, wire.ReasonAuthType, wire.ReasonAuthMismatch} {
		h.tr.deliver("VI_1", Received{Drop: r})
	}
	vips1 := []netip.Addr{netip.MustParseAddr("10.9.0.100"), netip.MustParseAddr("10.9.0.101")}
	h.tr.deliver("VI_1", Received{Advert: Advert{Source: peer, Version: 2, Priority: 90, Interval: time.Second, Addresses: vips1}})
	h.tr.deliver("VI_1", Received{Advert: Advert{Source: peer, Version: 2, Priority: 90, Interval: time.Second, Addresses: vips1[:1]}})
	h.tr.deliver("VI_1", Received{Advert: Advert{Source: peer, Version: 2, Priority: 90, Interval: 2 * time.Second, Addresses: vips1}})
	h.tr.deliver("VI_2", Received{Advert: Advert{Source: peer, Version: 2, Priority: 0, Interval: time.Second, Addresses: vip2}})
	h.sync()
	return h, m
}

// TestExporterGrammarOnOurs parses our three files with the exporters'
// grammars: every field they take from stock's is there, right.
func TestExporterGrammarOnOurs(t *testing.T) {
	h, m := twoInstances(t)
	sent := strings.Count(strings.Join(h.rec.take(), "\n"), "send VI_1 prio")
	var data, stats, js strings.Builder
	// The data file as core writes it: facts and the configuration first.
	data.WriteString("------< Keepalived data >------\n Version = test\n------< Configuration >------\n")
	if err := config.Dump(&data, m); err != nil {
		t.Fatal(err)
	}
	if err := h.s.WriteData(&data); err != nil {
		t.Fatal(err)
	}
	if err := h.s.WriteStats(&stats); err != nil {
		t.Fatal(err)
	}
	if err := h.s.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}

	wantStats := map[string]exporterStats{
		"VI_1": {AdvertRcvd: 1, AdvertSent: sent, BecomeMaster: 1, PacketLenErr: 1, IPTTLErr: 1,
			InvalidTypeRcvd: 1, AddrListErr: 1, InvalidAuthType: 1, AuthTypeMismatch: 1, AuthFailure: 1},
		"VI_2": {AdvertRcvd: 2, PriZeroRcvd: 1},
	}
	order, st, err := parseStatsFile(stats.String())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(order, []string{"VI_1", "VI_2"}) {
		t.Fatalf("stats instances %v:\n%s", order, stats.String())
	}
	for name, want := range wantStats {
		if *st[name] != want {
			t.Errorf("stats of %s:\n got %+v\nwant %+v", name, *st[name], want)
		}
	}
	if sent < 2 {
		t.Errorf("VI_1 sent %d adverts; want its first and the answer to the lower priority", sent)
	}

	md, err := parseMehdyData(data.String())
	if err != nil {
		t.Fatalf("keepalived-exporter fails on our data file: %v\n%s", err, data.String())
	}
	wantData := map[string]*mehdyData{
		"VI_1": {Name: "VI_1", State: 2, WantState: 2, Intf: "veth9", GArpDelay: 5, VRID: 51,
			VIPs: []string{"10.9.0.100/24 dev veth9 scope global set", "10.9.0.101 dev veth9 scope global set"}},
		"VI_2": {Name: "VI_2", State: 1, WantState: 1, Intf: "veth9", GArpDelay: 5, VRID: 52,
			VIPs: []string{"10.9.0.200 dev veth9 scope global"}},
	}
	if !reflect.DeepEqual(md, wantData) {
		t.Errorf("keepalived-exporter data:\n got %+v %+v\nwant %+v %+v", md["VI_1"], md["VI_2"], wantData["VI_1"], wantData["VI_2"])
	}
	for _, v := range md["VI_1"].VIPs {
		if a, dev, ok := parseExporterVIP(v); !ok || dev != "veth9" || !strings.HasPrefix(a, "10.9.0.10") {
			t.Errorf("VIP %q: %q %q %v", v, a, dev, ok)
		}
	}
	gd, err := parseGen2brainData(data.String())
	if err != nil {
		t.Fatal(err)
	}
	// As from stock's: name and state, and as many instances as the stats
	// file has (keepalived_exporter drops everything otherwise).
	if want := []gen2brainData{{Name: "VI_1", State: 2}, {Name: "VI_2", State: 1}}; !reflect.DeepEqual(gd, want) {
		t.Errorf("keepalived_exporter data: %+v", gd)
	}

	j, err := parseExporterJSON(js.String())
	if err != nil {
		t.Fatalf("exporters fail on our JSON: %v\n%s", err, js.String())
	}
	if len(j) != 2 {
		t.Fatalf("json instances %d", len(j))
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"VI_1", "VI_2"} {
		d := j[i].Data
		w := wantData[name]
		if d.Iname != name || d.State != w.State || d.WantState != w.WantState || d.Intf != w.Intf ||
			d.GArpDelay != w.GArpDelay || d.VRID != w.VRID || !reflect.DeepEqual(d.VIPs, w.VIPs) {
			t.Errorf("json data of %s: %+v", name, d)
		}
		if j[i].Stats != wantStats[name] {
			t.Errorf("json stats of %s:\n got %+v\nwant %+v", name, j[i].Stats, wantStats[name])
		}
	}
	if want := float64(start.Add(3609375*time.Microsecond).UnixMicro()) / 1e6; j[0].Data.LastTransition != want {
		t.Errorf("VI_1 last_transition %f, want %f", j[0].Data.LastTransition, want)
	}
	if j[1].Data.LastTransition != float64(start.Unix()) {
		t.Errorf("VI_2 last_transition %f", j[1].Data.LastTransition)
	}
}

// TestDumpFormats checks key lines of the three formats against stock's
// layout.
func TestDumpFormats(t *testing.T) {
	h, _ := twoInstances(t)
	var data, stats, js strings.Builder
	if err := h.s.WriteData(&data); err != nil {
		t.Fatal(err)
	}
	if err := h.s.WriteStats(&stats); err != nil {
		t.Fatal(err)
	}
	if err := h.s.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"------< VRRP Topology >------\n VRRP Instance = VI_1\n   VRRP Version = 2\n   State = MASTER\n   Flags: none\n   Wantstate = MASTER\n",
		"   Last transition = 1767225603.609375 (Thu Jan  1 00:00:03.609375 2026)\n",
		"   Interface = veth9\n",
		"   Virtual Router ID = 51\n   Priority = 100\n   Effective priority = 100\n   Total priority = 100\n   Advert interval = 1 sec\n",
		"   Authentication type = SIMPLE_PASSWORD\n   Password = s3cret\n   Virtual IP (2):\n     10.9.0.100/24 dev veth9 scope global set\n     10.9.0.101 dev veth9 scope global set\n",
		" VRRP Instance = VI_2\n   VRRP Version = 2\n   State = BACKUP\n   Master router = 10.9.0.2\n   Master priority = 150\n   Flags: none\n   Wantstate = BACKUP\n",
		"   Authentication type = none\n   Virtual IP (1):\n     10.9.0.200 dev veth9 scope global\n",
	} {
		if !strings.Contains(data.String(), want) {
			t.Errorf("data lacks\n%s\nin\n%s", want, data.String())
		}
	}
	wantVI2 := "VRRP Instance: VI_2\n  Advertisements:\n    Received: 2\n    Sent: 0\n  Became master: 0\n  Released master: 0\n" +
		"  Packet Errors:\n    Length: 0\n    TTL: 0\n    Invalid Type: 0\n    Advertisement Interval: 0\n    Address List: 0\n" +
		"  Authentication Errors:\n    Invalid Type: 0\n    Type Mismatch: 0\n    Failure: 0\n" +
		"  Priority Zero:\n    Received: 1\n    Sent: 0\n"
	if !strings.HasPrefix(stats.String(), "VRRP Instance: VI_1\n  Advertisements:\n    Received: 1\n") || !strings.HasSuffix(stats.String(), wantVI2) {
		t.Errorf("stats:\n%s", stats.String())
	}
	for _, want := range []string{
		`[{"data":{"iname":"VI_1","dont_track_primary":0,"skip_check_adv_addr":0,"strict_mode":0,"vmac_ifname":"","ifp_ifname":"veth9","master_priority":0,"last_transition":1767225603.609375,"garp_delay":5,"garp_refresh":0,"garp_rep":5,"garp_refresh_rep":1,"garp_lower_prio_delay":5,"garp_lower_prio_rep":5,`,
		`"vrid":51,"base_priority":100,"effective_priority":100,"vipset":true,"promote_secondaries":false,"adver_int":1,"master_adver_int":1,"accept":1,"nopreempt":false,"preempt_delay":0,"state":2,"wantstate":2,"version":2,"smtp_alert":false,"notify_deleted":false,"vips":["10.9.0.100/24 dev veth9 scope global set","10.9.0.101 dev veth9 scope global set"],"auth_type":1,"auth_data":"s3cret"},"stats":{"advert_rcvd":1,`,
		`"vips":["10.9.0.200 dev veth9 scope global"],"auth_type":0},"stats":{"advert_rcvd":2,"advert_sent":0,"become_master":0,"release_master":0,"packet_len_err":0,"advert_interval_err":0,"ip_ttl_err":0,"invalid_type_rcvd":0,"addr_list_err":0,"invalid_authtype":0,"authtype_mismatch":0,"auth_failure":0,"pri_zero_rcvd":1,"pri_zero_sent":0}}]` + "\n",
	} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("json lacks\n%s\nin\n%s", want, js.String())
		}
	}
}

// TestStatsClear: STATS_CLEAR writes the counters, then zeroes what was
// written; what is counted in between stays.
func TestStatsClear(t *testing.T) {
	h, _ := twoInstances(t)
	var before, after strings.Builder
	clear, err := h.s.WriteStatsForClear(&before)
	if err != nil {
		t.Fatal(err)
	}
	h.tr.deliver("VI_2", Received{Drop: wire.ReasonTTL})
	h.sync()
	clear()
	if err := h.s.WriteStats(&after); err != nil {
		t.Fatal(err)
	}
	_, b, err := parseStatsFile(before.String())
	if err != nil {
		t.Fatal(err)
	}
	_, a, err := parseStatsFile(after.String())
	if err != nil {
		t.Fatal(err)
	}
	if b["VI_1"].BecomeMaster != 1 || b["VI_2"].PriZeroRcvd != 1 {
		t.Errorf("before clear: %+v %+v", b["VI_1"], b["VI_2"])
	}
	if *a["VI_1"] != (exporterStats{}) || *a["VI_2"] != (exporterStats{IPTTLErr: 1}) {
		t.Errorf("after clear: %+v %+v", a["VI_1"], a["VI_2"])
	}
}

// dropEndpoint is an endpoint whose edge counted drops.
type dropEndpoint struct {
	fakeEndpoint
	drops map[string]uint64
}

func (e *dropEndpoint) Drops() map[string]uint64 { return e.drops }

// TestStatsClearEndpointDrops: the edge's drops count in, and a clear
// makes the count so far the baseline; an edge that restarts counting
// (reopened by a reload) counts from zero.
func TestStatsClearEndpointDrops(t *testing.T) {
	ep := &dropEndpoint{drops: map[string]uint64{"ip_ttl_err": 3, "auth_failure": 2, "chk_err": 1}}
	in := &instance{ep: ep, stats: Stats{AdvertRcvd: 7, IPTTLErr: 1}}
	if s := in.statsWithDrops(); s.IPTTLErr != 4 || s.AuthFailure != 2 || s.ChecksumErr != 1 || s.AdvertRcvd != 7 {
		t.Fatalf("with drops: %+v", s)
	}
	in.clearWritten(in.stats, in.endpointDrops())
	if s := in.statsWithDrops(); s != (Stats{}) {
		t.Fatalf("after clear: %+v", s)
	}
	ep.drops["ip_ttl_err"] = 5
	if s := in.statsWithDrops(); s != (Stats{IPTTLErr: 2}) {
		t.Fatalf("after two more drops: %+v", s)
	}
	ep.drops = map[string]uint64{"ip_ttl_err": 1}
	if s := in.statsWithDrops(); s != (Stats{IPTTLErr: 1}) {
		t.Fatalf("after the edge restarted: %+v", s)
	}
	// A reload replacing the endpoint folds its drops in first.
	ep.drops = map[string]uint64{"ip_ttl_err": 7, "auth_failure": 2}
	in.foldDrops()
	in.ep = &dropEndpoint{drops: map[string]uint64{"ip_ttl_err": 1}}
	if s := in.statsWithDrops(); s != (Stats{IPTTLErr: 4 + 1}) {
		t.Fatalf("after a reload replaced the endpoint: %+v", s)
	}
}

// TestCountAdvert follows keepalived 2.2.7's vrrp_check_packet order.
func TestCountAdvert(t *testing.T) {
	vips := []netip.Addr{netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")}
	c := Config{Version: 2, AdvertInterval: time.Second, VIPs: vips}
	ok := Advert{Version: 2, Priority: 100, Interval: time.Second, Addresses: vips}
	for _, tc := range []struct {
		name      string
		mod       func(a *Advert)
		checkAddr bool
		want      Stats
	}{
		{"good", func(*Advert) {}, true, Stats{AdvertRcvd: 1}},
		{"priority 0", func(a *Advert) { a.Priority = 0 }, true, Stats{AdvertRcvd: 1, PriZeroRcvd: 1}},
		{"version", func(a *Advert) { a.Version = 3 }, true, Stats{VersionErr: 1}},
		{"interval: dropped, uncounted", func(a *Advert) { a.Interval = 2 * time.Second; a.Priority = 0 }, true, Stats{}},
		{"address count", func(a *Advert) { a.Addresses = vips[:1] }, true, Stats{AddrListErr: 1}},
		{"address missing: received and an error", func(a *Advert) {
			a.Addresses = []netip.Addr{vips[0], netip.MustParseAddr("10.0.0.9")}
			a.Priority = 0
		}, true, Stats{AdvertRcvd: 1, AddrListErr: 1}},
		{"skip_check_adv_addr from the master", func(a *Advert) { a.Addresses = nil }, false, Stats{AdvertRcvd: 1}},
	} {
		a := ok
		tc.mod(&a)
		var s Stats
		s.countAdvert(a, c, tc.checkAddr)
		if s != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, s, tc.want)
		}
	}
}

// TestDumpScripts: the "VRRP Scripts" section gives keepalived-exporter
// each script's Status and State, in stock's lines.
func TestDumpScripts(t *testing.T) {
	sts := []track.ScriptStatus{
		{Name: "chk_ok", Args: []string{"/usr/bin/true"}, Interval: 2 * time.Second, Rise: 1, Fall: 1, Result: 1, State: track.Up},
		{Name: "chk_bad", Args: []string{"/bin/false", "x"}, Interval: time.Second, Weight: -20, Rise: 2, Fall: 2, State: track.Down, Running: true},
	}
	var b strings.Builder
	if err := writeScripts(&b, sts, map[string][]string{"chk_ok": {"VI_1, weight 0"}}); err != nil {
		t.Fatal(err)
	}
	if got := parseMehdyScripts(b.String()); !reflect.DeepEqual(got, []mehdyScript{{"chk_ok", "GOOD", "idle"}, {"chk_bad", "BAD", "running"}}) {
		t.Errorf("scripts %+v:\n%s", got, b.String())
	}
	stock := readStock(t, "keepalived.data")
	for _, line := range []string{
		"------< VRRP Scripts >------\n VRRP Script = chk_ok\n   Command = '/usr/bin/true'\n   Interval = 2 sec\n   Timeout = 0 sec\n   Weight = 0\n   Rise = 1\n   Fall = 1\n   Result = 1\n",
		"   Status = GOOD\n", "   Tracking instances :\n     VI_1, weight 0\n   State = idle\n",
	} {
		if !strings.Contains(stock, line) {
			t.Fatalf("the stock file lacks %q", line)
		}
		if !strings.Contains(b.String(), line) {
			t.Errorf("ours lacks %q:\n%s", line, b.String())
		}
	}
}
