package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// corpusIfs are the interfaces of the namespace the corpus verdicts were
// measured in.
var corpusIfs = map[string]bool{"eth0": true, "eth1": true, "eth2": true, "eth3": true, "ens33": true, "enp0s3": true}

// vrrpCorpusWant lists, per corpus file, the VRRP-side warnings (line:
// message) we give; stock keepalived 2.2.7 gives the same messages.
// Files not listed must give none.
var vrrpCorpusWant = map[string][]string{
	"keepalived-samples/keepalived.conf.SSL_GET": {
		"19: (VI_1) Initial state master is incompatible with AH authentication - clearing"},
	"keepalived-samples/keepalived.conf.conditional_conf": {
		"13: No script set for vrrp_script check_VI_0 - removing",
		"25: (VI_0) track script check_VI_0 not found, ignoring..."},
	"keepalived-samples/keepalived.conf.track_interface": {
		"16: WARNING - interface eth0.1 for vrrp_instance VI_1 doesn't exist",
		"16: Non-existent interface specified in configuration",
		"31: Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking"},
	"keepalived-samples/keepalived.conf.vrrp.lvs_syncd": {
		"3: Sync group VG1 has no virtual router(s). removing",
		"4: Unknown keyword 'VI_2'",
		"5: Unknown keyword 'VI_3'",
		"11: (VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.",
		"11:         Please use global lvs_sync_daemon"},
	"keepalived-samples/keepalived.conf.vrrp.routes": {
		"29: Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking",
		"30: \"or\" for routes is deprecated. Please use \"nexthop\"",
		"30: Warning - cannot track route 192.168.113.0/24 with no interface specified, not tracking",
		"31: Warning - cannot track route 192.168.113.1/32 with no interface specified, not tracking",
		"32: \"gw\" for routes is deprecated. Please use \"via\"",
		"32: Warning - cannot track route 0.0.0.0/0 with no interface specified, not tracking"},
	"keepalived-samples/keepalived.conf.vrrp.rules": {
		"10: Rule has no preference specified - setting to 16384. This is probably not what you want.",
		"11: VRRP parsed invalid IP 192.168.100./24. skipping IP...",
		"11: Invalid rule to address 192.168.100./24",
		"25: Rule has no preference specified - setting to 16383. This is probably not what you want.",
		"26: VRRP parsed invalid IP 192.168.200./24. skipping IP...",
		"26: Invalid rule to address 192.168.200./24"},
	"keepalived-samples/keepalived.conf.vrrp.static_ipaddress": {
		"25: Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking"},
	"field/debian-package-sample.conf": {
		"19: (VI_1) State MASTER must match being address owner",
		"25: (VI_1) Strict mode does not support authentication. Ignoring."},
	"field/dual-master-lb01.conf": {
		"8: Disabling track script check since not found/accessible"},
	"field/trackers.conf": {
		"11: Disabling track script keepalived_check since not found/accessible"},
}

// vrrpLines returns the line spans of the VRRP root blocks of a file.
func vrrpLines(f *kaconf.File) [][2]int {
	roots := vrrpRoots()
	var spans [][2]int
	for _, n := range f.Nodes {
		if _, ok := roots[n.Keyword()]; ok {
			spans = append(spans, [2]int{n.Pos.Line, blockEnd(n).Line})
		}
	}
	return spans
}

func TestVRRPCorpus(t *testing.T) {
	corpusDir := lvsCorpusDir()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*"))
	if len(files) == 0 {
		t.Skip("shared corpus not present")
	}
	opt := Options{InterfaceExists: func(n string) bool { return corpusIfs[n] }}
	for _, path := range files {
		rel, _ := filepath.Rel(corpusDir, path)
		if strings.HasSuffix(rel, ".md") {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			spans := vrrpLines(kaconf.ReadBytes(path, data, kaconf.Options{}))
			r := LoadBytes(path, data, opt)
			var got []string
			for _, d := range r.Diags {
				// Script security is reported by the global side.
				if d.Severity < SevWarning || d.Pos.File != path || strings.HasPrefix(d.Msg, "SECURITY VIOLATION") {
					continue
				}
				for _, s := range spans {
					if d.Pos.Line >= s[0] && d.Pos.Line <= s[1] {
						got = append(got, fmt.Sprintf("%d: %s", d.Pos.Line, d.Msg))
						break
					}
				}
			}
			sort.Strings(got)
			want := append([]string(nil), vrrpCorpusWant[rel]...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("VRRP warnings:\n got %q\nwant %q", got, want)
			}
		})
	}
}
