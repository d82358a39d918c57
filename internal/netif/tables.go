package netif

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// builtinTables are the table names iproute2 always knows.
var builtinTables = map[string]int{"main": 254, "local": 255, "default": 253, "unspec": 0}

// protocols are the route protocol names keepalived accepts most often
// (as /etc/iproute2/rt_protos).
var protocols = map[string]int{
	"redirect": 1, "kernel": 2, "boot": 3, "static": 4, "gated": 8, "ra": 9,
	"mrt": 10, "zebra": 11, "bird": 12, "dnrouted": 13, "xorp": 14, "ntk": 15,
	"dhcp": 16, "keepalived": 18, "babel": 42, "bgp": 186, "isis": 187,
	"ospf": 188, "rip": 189, "eigrp": 192,
}

// rtprotKeepalived is RTPROT_KEEPALIVED, the protocol of every route and
// rule keepalived adds.
const rtprotKeepalived = 18

// tableID resolves a table name or number ("" = main).
func (m *Manager) tableID(name string) (int, error) {
	if name == "" {
		return 254, nil
	}
	if v, ok := builtinTables[name]; ok {
		return v, nil
	}
	if v, err := strconv.ParseUint(name, 0, 32); err == nil {
		return int(v), nil
	}
	file := m.RTTables
	if file == "" {
		file = "/etc/iproute2/rt_tables"
	}
	if v, ok := lookupName(file, name); ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown table %q", name)
}

// protocolID resolves a route protocol ("" = keepalived).
func protocolID(name string) (int, error) {
	if name == "" {
		return rtprotKeepalived, nil
	}
	if v, ok := protocols[name]; ok {
		return v, nil
	}
	v, err := strconv.ParseUint(name, 0, 8)
	if err != nil {
		return 0, fmt.Errorf("unknown protocol %q", name)
	}
	return int(v), nil
}

// lookupName finds "NUMBER NAME" in an iproute2 table file.
func lookupName(file, name string) (int, bool) {
	f, err := os.Open(file)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		w := strings.Fields(line)
		if len(w) < 2 || w[1] != name {
			continue
		}
		if v, err := strconv.ParseUint(w[0], 0, 32); err == nil {
			return int(v), true
		}
	}
	return 0, false
}
