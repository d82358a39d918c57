package vrrp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The grammars with which the two Prometheus exporters that scrape
// keepalived's dump files read them, written here from the facts of their
// parsing code (mehdy/keepalived-exporter internal/collector/parser.go and
// gen2brain/keepalived_exporter collector/collector.go): which prefixes
// open an instance or a section, how a line splits into key and value,
// which lines end an instance, which values must be numbers or states.
// Where an exporter fails a scrape on a line (a state it does not know, a
// number that does not parse) these return an error too.

// exporterStates are the states both exporters know, by keepalived's
// numbers (INIT 0, BACKUP 1, MASTER 2, FAULT 3).
var exporterStates = []string{"INIT", "BACKUP", "MASTER", "FAULT"}

func exporterState(s string) (int, bool) {
	for i, n := range exporterStates {
		if n == s {
			return i, true
		}
	}
	return -1, false
}

// mehdyData is what keepalived-exporter takes from one instance of the
// data file (VRRPData).
type mehdyData struct {
	Name      string
	State     int
	WantState int
	Intf      string
	GArpDelay int
	VRID      int
	VIPs      []string
}

// parseMehdyData follows keepalived-exporter's ParseVRRPData: " VRRP
// Instance = NAME" opens an instance; lines indented three spaces are
// "key = value" (else "key: value"; others skipped), lines indented five
// are values of the last key (the VIPs under "Virtual IP (n):"); " VRRP
// Version" and " VRRP Script" lines are skipped; anything else closes the
// instance.
func parseMehdyData(text string) (map[string]*mehdyData, error) {
	out := map[string]*mehdyData{}
	sc := bufio.NewScanner(strings.NewReader(text))
	var cur *mehdyData
	key, val := "", ""
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, " VRRP Instance") && strings.Contains(l, "="):
			name := strings.TrimSpace(strings.Split(strings.TrimSpace(l), "=")[1])
			cur = &mehdyData{Name: name}
			out[name] = cur
		case strings.HasPrefix(l, "   ") && cur != nil:
			if strings.HasPrefix(l, "     ") {
				val = strings.TrimSpace(l)
			} else {
				var parts []string
				switch {
				case strings.Contains(l, "="):
					parts = strings.Split(strings.TrimSpace(l), "=")
				case strings.Contains(l, ":"):
					parts = strings.Split(strings.TrimSpace(l), ":")
				default:
					continue
				}
				key = strings.TrimSpace(parts[0])
				if key == "Virtual IP" {
					continue
				}
				val = strings.TrimSpace(parts[1])
			}
			if (strings.HasPrefix(key, "Virtual IP (") || key == "Virtual IP") && val != "" {
				cur.VIPs = append(cur.VIPs, val)
			}
			var err error
			switch key {
			case "State":
				if cur.State, err = mustState(val); err != nil {
					return out, fmt.Errorf("instance %s: %w", cur.Name, err)
				}
			case "Wantstate":
				if cur.WantState, err = mustState(val); err != nil {
					return out, fmt.Errorf("instance %s: wantstate: %w", cur.Name, err)
				}
			case "Interface", "Listening device":
				cur.Intf = val
			case "Gratuitous ARP delay":
				if cur.GArpDelay, err = strconv.Atoi(val); err != nil {
					return out, fmt.Errorf("instance %s: garp delay: %w", cur.Name, err)
				}
			case "Virtual Router ID":
				if cur.VRID, err = strconv.Atoi(val); err != nil {
					return out, fmt.Errorf("instance %s: vrid: %w", cur.Name, err)
				}
			}
		case strings.HasPrefix(l, " VRRP Version") || strings.HasPrefix(l, " VRRP Script"):
		default:
			cur = nil
		}
	}
	return out, sc.Err()
}

func mustState(s string) (int, error) {
	n, ok := exporterState(s)
	if !ok {
		return -1, fmt.Errorf("unknown state %q", s)
	}
	return n, nil
}

// mehdyScript is one " VRRP Script = NAME" block (VRRPScript).
type mehdyScript struct{ Name, Status, State string }

// parseMehdyScripts follows keepalived-exporter's ParseVRRPScript: the
// block's "Status" and "State" lines; a line not indented four spaces ends
// it.
func parseMehdyScripts(text string) []mehdyScript {
	var out []mehdyScript
	var cur mehdyScript
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, " VRRP Script") && strings.Contains(l, "="):
			if cur.Name != "" {
				out = append(out, cur)
				cur = mehdyScript{}
			}
			cur.Name = strings.TrimSpace(strings.Split(strings.TrimSpace(l), "=")[1])
		case strings.HasPrefix(l, "   ") && cur.Name != "":
			if !strings.Contains(l, "=") {
				continue
			}
			parts := strings.Split(strings.TrimSpace(l), "=")
			switch strings.TrimSpace(parts[0]) {
			case "Status":
				cur.Status = strings.TrimSpace(parts[1])
			case "State":
				cur.State = strings.TrimSpace(parts[1])
			}
		case !strings.HasPrefix(l, "    "):
			if cur.Name != "" {
				out = append(out, cur)
				cur = mehdyScript{}
			}
		}
	}
	if cur.Name != "" {
		out = append(out, cur)
	}
	return out
}

// exporterStats are the counters both exporters read, under the JSON
// names of keepalived's vrrp_json.c (both exporters decode the JSON dump
// into these names too).
type exporterStats struct {
	AdvertRcvd        int `json:"advert_rcvd"`
	AdvertSent        int `json:"advert_sent"`
	BecomeMaster      int `json:"become_master"`
	ReleaseMaster     int `json:"release_master"`
	PacketLenErr      int `json:"packet_len_err"`
	AdvertIntervalErr int `json:"advert_interval_err"`
	IPTTLErr          int `json:"ip_ttl_err"`
	InvalidTypeRcvd   int `json:"invalid_type_rcvd"`
	AddrListErr       int `json:"addr_list_err"`
	InvalidAuthType   int `json:"invalid_authtype"`
	AuthTypeMismatch  int `json:"authtype_mismatch"`
	AuthFailure       int `json:"auth_failure"`
	PriZeroRcvd       int `json:"pri_zero_rcvd"`
	PriZeroSent       int `json:"pri_zero_sent"`
}

// setStat stores one counter of the stats file by section and key, as
// both exporters map them.
func (s *exporterStats) set(section, key string, v int) {
	switch section + "/" + key {
	case "Advertisements/Received":
		s.AdvertRcvd = v
	case "Advertisements/Sent":
		s.AdvertSent = v
	case "/Became master":
		s.BecomeMaster = v
	case "/Released master":
		s.ReleaseMaster = v
	case "Packet Errors/Length":
		s.PacketLenErr = v
	case "Packet Errors/TTL":
		s.IPTTLErr = v
	case "Packet Errors/Invalid Type":
		s.InvalidTypeRcvd = v
	case "Packet Errors/Advertisement Interval":
		s.AdvertIntervalErr = v
	case "Packet Errors/Address List":
		s.AddrListErr = v
	case "Authentication Errors/Invalid Type":
		s.InvalidAuthType = v
	case "Authentication Errors/Type Mismatch":
		s.AuthTypeMismatch = v
	case "Authentication Errors/Failure":
		s.AuthFailure = v
	case "Priority Zero/Received":
		s.PriZeroRcvd = v
	case "Priority Zero/Sent":
		s.PriZeroSent = v
	}
}

// parseStatsFile follows both exporters' stats parsers (they share the
// grammar): "VRRP Instance: NAME" opens an instance; a line indented two
// spaces and ending in ":" opens a section; lines indented four are
// "key: number" of the section; other lines indented two are "key:
// number" outside any section. A value that is not a number fails. The
// instances come back in file order (gen2brain pairs them with the data
// file's by position).
func parseStatsFile(text string) ([]string, map[string]*exporterStats, error) {
	var order []string
	out := map[string]*exporterStats{}
	var cur *exporterStats
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "VRRP Instance") && strings.Contains(l, ":"):
			name := strings.TrimSpace(strings.Split(strings.TrimSpace(l), ":")[1])
			cur = &exporterStats{}
			out[name] = cur
			order = append(order, name)
		case strings.HasPrefix(l, "  ") && strings.HasSuffix(l, ":"):
			section = strings.TrimSpace(strings.Split(strings.TrimSpace(l), ":")[0])
		case strings.HasPrefix(l, "    ") && section != "":
			parts := strings.Split(strings.TrimSpace(l), ":")
			v, err := strconv.Atoi(strings.TrimSpace(parts[1]))
			if err != nil {
				return order, out, fmt.Errorf("stats line %q: %w", l, err)
			}
			if cur == nil {
				return order, out, fmt.Errorf("stats line %q outside an instance", l)
			}
			cur.set(section, strings.TrimSpace(parts[0]), v)
		case strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "    "):
			parts := strings.Split(strings.TrimSpace(l), ":")
			section = ""
			v, err := strconv.Atoi(strings.TrimSpace(parts[1]))
			if err != nil {
				return order, out, fmt.Errorf("stats line %q: %w", l, err)
			}
			if cur == nil {
				return order, out, fmt.Errorf("stats line %q outside an instance", l)
			}
			cur.set("", strings.TrimSpace(parts[0]), v)
		}
	}
	return order, out, sc.Err()
}

// gen2brainData is what keepalived_exporter takes from one instance of
// the data file (Data).
type gen2brainData struct {
	Name           string
	Intf           string
	LastTransition float64
	VRID           int
	State          int
	WantState      int
}

// parseGen2brainData follows keepalived_exporter's parseData: " VRRP
// Instance = NAME" names the instance; "key = value" lines indented three
// spaces fill it (Interface, Last transition's first word as a number,
// Virtual Router ID, State, Wantstate); " VRRP Version" is skipped; any
// other line ends the instance, which is kept only then.
func parseGen2brainData(text string) ([]gen2brainData, error) {
	var out []gen2brainData
	var cur gen2brainData
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, " VRRP Instance") && strings.Contains(l, "="):
			cur.Name = strings.TrimSpace(strings.Split(strings.TrimSpace(l), "=")[1])
		case strings.HasPrefix(l, "   ") && strings.Contains(l, "=") && cur.Name != "":
			parts := strings.Split(strings.TrimSpace(l), "=")
			key, val := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
			switch key {
			case "Interface":
				cur.Intf = val
			case "Last transition":
				f, err := strconv.ParseFloat(strings.Split(val, " ")[0], 64)
				if err != nil {
					return out, fmt.Errorf("last transition %q: %w", val, err)
				}
				cur.LastTransition = f
			case "Virtual Router ID":
				n, err := strconv.Atoi(val)
				if err != nil {
					return out, fmt.Errorf("vrid %q: %w", val, err)
				}
				cur.VRID = n
			case "State":
				if n, ok := exporterState(val); ok {
					cur.State = n
				}
			case "Wantstate":
				if n, ok := exporterState(val); ok {
					cur.WantState = n
				}
			}
		case strings.HasPrefix(l, " VRRP Version"):
		default:
			if cur.Name != "" {
				out = append(out, cur)
				cur = gen2brainData{}
			}
		}
	}
	return out, sc.Err()
}

// exporterJSON is one element of the JSON dump as the exporters decode
// it: keepalived-exporter's VRRP (data: iname, state, wantstate,
// ifp_ifname, garp_delay, vrid, vips) and keepalived_exporter's KAStats
// (data: iname, ifp_ifname, last_transition, vrid, state, wantstate), with
// the stats both read.
type exporterJSON struct {
	Data struct {
		Iname          string   `json:"iname"`
		State          int      `json:"state"`
		WantState      int      `json:"wantstate"`
		Intf           string   `json:"ifp_ifname"`
		GArpDelay      int      `json:"garp_delay"`
		VRID           int      `json:"vrid"`
		VIPs           []string `json:"vips"`
		LastTransition float64  `json:"last_transition"`
	} `json:"data"`
	Stats exporterStats `json:"stats"`
}

// parseExporterJSON decodes the JSON dump as both exporters do (one
// json.Decoder.Decode of an array).
func parseExporterJSON(text string) ([]exporterJSON, error) {
	var out []exporterJSON
	err := json.NewDecoder(strings.NewReader(text)).Decode(&out)
	return out, err
}

// parseExporterVIP is keepalived-exporter's parseVIP: the address and the
// device of "ADDR dev DEV ..." (at least three words).
func parseExporterVIP(vip string) (addr, dev string, ok bool) {
	f := strings.Split(vip, " ")
	if len(f) < 3 {
		return "", "", false
	}
	return f[0], f[2], true
}
