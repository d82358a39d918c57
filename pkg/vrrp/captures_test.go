package vrrp

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedCaptures holds stock keepalived 2.2.7 captures when the lab's
// shared directory is present.
const sharedCaptures = "/work/shared/captures"

// fixtureFile holds VRRP packets transcribed from those captures so the
// tests also run without them.
const fixtureFile = "testdata/keepalived-2.2.7.hex"

var update = flag.Bool("update", false, "rewrite "+fixtureFile+" from "+sharedCaptures)

// sharedPcaps lists the shared captures, skipping the test when absent.
func sharedPcaps(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(sharedCaptures, "*.pcap"))
	if len(files) == 0 {
		t.Skipf("no captures in %s", sharedCaptures)
	}
	return files
}

// pcapVRRP returns the VRRP packets of one capture.
func pcapVRRP(t *testing.T, path string) []captured {
	t.Helper()
	p, err := readPcapFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []captured
	for _, pk := range p.packets {
		ip, ok := ipPacket(p.linkType, pk.data)
		if !ok {
			continue
		}
		if c, ok := vrrpIn(ip); ok {
			out = append(out, c)
		}
	}
	return out
}

// checkStock asserts that c decodes with keepalived's default options and
// re-encodes byte for byte, and that the IP header is keepalived's.
func checkStock(t *testing.T, name string, c captured) {
	t.Helper()
	a, err := Parse(c.msg, c.src, c.dst, Options{})
	if err != nil {
		t.Fatalf("%s: Parse: %v", name, err)
	}
	wantKind := ChecksumPseudo
	if a.Version == Version2 {
		wantKind = ChecksumV2
	}
	if a.ChecksumKind != wantKind {
		t.Errorf("%s: checksum kind %v, want %v", name, a.ChecksumKind, wantKind)
	}
	if k := VerifyChecksum(c.msg, c.src, c.dst, Options{}); k != wantKind {
		t.Errorf("%s: VerifyChecksum = %v, want %v", name, k, wantKind)
	}
	got, err := Marshal(a, c.src, c.dst, Options{})
	if err != nil {
		t.Fatalf("%s: Marshal: %v", name, err)
	}
	if !bytes.Equal(got, c.msg) {
		t.Errorf("%s: re-encoded\n got %x\nwant %x", name, got, c.msg)
	}
	if c.ttl != TTL || c.tos != TOS {
		t.Errorf("%s: ttl %d tos %#x, want %d %#x", name, c.ttl, c.tos, TTL, TOS)
	}
	if !c.src.Is4() {
		return
	}
	h, a2, err := ParseIPv4Packet(c.ip, Options{})
	if err != nil {
		t.Fatalf("%s: ParseIPv4Packet: %v", name, err)
	}
	if h.FragOff != 0 || h.TTL != TTL || h.TOS != TOS || h.Dst != DefaultGroup4() {
		t.Errorf("%s: header %+v is not keepalived's", name, h)
	}
	if a2.Checksum != a.Checksum {
		t.Errorf("%s: ParseIPv4Packet checksum %#x, Parse %#x", name, a2.Checksum, a.Checksum)
	}
	// keepalived leaves ID and checksum to the kernel: rebuild with the
	// captured ID and compare the whole packet.
	nh := NewIPv4Header(h.Src, h.Dst)
	nh.ID = h.ID
	pkt, err := MarshalIPv4(a2, nh, Options{})
	if err != nil {
		t.Fatalf("%s: MarshalIPv4: %v", name, err)
	}
	if !bytes.Equal(pkt, c.ip) {
		t.Errorf("%s: rebuilt IPv4 packet\n got %x\nwant %x", name, pkt, c.ip)
	}
}

func TestSharedCaptures(t *testing.T) {
	total := 0
	for _, f := range sharedPcaps(t) {
		cs := pcapVRRP(t, f)
		for i, c := range cs {
			checkStock(t, fmt.Sprintf("%s#%d", filepath.Base(f), i), c)
		}
		total += len(cs)
	}
	if total < 100 {
		t.Errorf("only %d VRRP packets in the captures", total)
	}
	t.Logf("%d stock keepalived adverts decoded and re-encoded", total)
}

// The .txt dumps show the same frames as the .pcap files.
func TestSharedHexDumpsMatchPcaps(t *testing.T) {
	for _, f := range sharedPcaps(t) {
		txt := strings.TrimSuffix(f, ".pcap") + ".txt"
		frames, err := readHexDump(txt)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		p, err := readPcapFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != len(p.packets) {
			t.Errorf("%s: %d frames, pcap has %d", txt, len(frames), len(p.packets))
			continue
		}
		for i := range frames {
			if !bytes.Equal(frames[i], p.packets[i].data) {
				t.Errorf("%s: frame %d differs from the pcap", txt, i)
			}
		}
	}
}

// fixture is one transcribed packet.
type fixture struct {
	name string
	c    captured
}

func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	f, err := os.Open(fixtureFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []fixture
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, hx, ok := strings.Cut(line, " ")
		b, err := hex.DecodeString(strings.TrimSpace(hx))
		if !ok || err != nil {
			t.Fatalf("%s: bad line %q", fixtureFile, line)
		}
		c, ok := vrrpIn(b)
		if !ok {
			t.Fatalf("%s: %s is not a VRRP packet", fixtureFile, name)
		}
		out = append(out, fixture{name, c})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFixtures(t *testing.T) {
	fs := loadFixtures(t)
	if len(fs) < 6 {
		t.Fatalf("only %d fixtures", len(fs))
	}
	for _, f := range fs {
		checkStock(t, f.name, f.c)
	}
}

// TestWriteFixtures regenerates the fixture file with -update: the first
// packet of each (file, family, VRID, priority) in the shared captures.
func TestWriteFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite " + fixtureFile)
	}
	var b strings.Builder
	b.WriteString("# VRRP packets sent by stock keepalived 2.2.7 (Debian 12), transcribed from\n")
	b.WriteString("# " + sharedCaptures + " by `go test -run TestWriteFixtures -update`.\n")
	b.WriteString("# One per line: name, then the whole IP packet in hex.\n")
	for _, f := range sharedPcaps(t) {
		seen := map[string]bool{}
		base := strings.TrimSuffix(filepath.Base(f), ".pcap")
		for _, c := range pcapVRRP(t, f) {
			fam := "v4"
			if c.src.Is6() {
				fam = "v6"
			}
			key := fmt.Sprintf("%s-%s-vrid%d-prio%d", base, fam, c.msg[1], c.msg[2])
			if seen[key] {
				continue
			}
			seen[key] = true
			fmt.Fprintf(&b, "%s %x\n", key, c.ip)
		}
	}
	if err := os.WriteFile(fixtureFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
