package main

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
)

// Layout of the benchmark's real servers: TCP real servers are
// 127.1.0.A:TCPPort+V (A in 1..tcpAddrs, V the virtual server), HTTP real
// servers are 127.2.0.A:HTTPPort+P. Every real server is a distinct
// ip:port, so no checker is shared.
const (
	tcpPortBase  = 10000
	httpPortBase = 20000
	httpAddrs    = 20 // HTTP virtual servers, one address each
)

// layout is the set of real servers of one benchmark configuration.
type layout struct {
	tcpVS, tcpPerVS   int // TCP_CHECK virtual servers and real servers each
	httpVS, httpPerVS int // HTTP_GET virtual servers and real servers each
}

// newLayout splits tcp and http real servers into virtual servers of at
// most 100 real servers.
func newLayout(tcp, http int) layout {
	l := layout{tcpPerVS: min(tcp, 100), httpPerVS: min(http, 100)}
	if l.tcpPerVS > 0 {
		l.tcpVS = (tcp + l.tcpPerVS - 1) / l.tcpPerVS
	}
	if l.httpPerVS > 0 {
		l.httpVS = (http + l.httpPerVS - 1) / l.httpPerVS
	}
	return l
}

func (l layout) tcpRS(vs, i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 1, byte(i / 250), byte(i%250 + 1)}), uint16(tcpPortBase+vs))
}

func (l layout) httpRS(vs, i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 2, byte(vs / 250), byte(vs%250 + 1)}), uint16(httpPortBase+i))
}

// tcpPorts and httpPorts are the ports the listener binds on 0.0.0.0.
func (l layout) tcpPorts() []uint16  { return ports(tcpPortBase, l.tcpVS) }
func (l layout) httpPorts() []uint16 { return ports(httpPortBase, l.httpPerVS) }

func ports(base, n int) []uint16 {
	out := make([]uint16, n)
	for i := range out {
		out[i] = uint16(base + i)
	}
	return out
}

// targets lists every real server, TCP ones first.
func (l layout) targets() []netip.AddrPort {
	var out []netip.AddrPort
	for v := 0; v < l.tcpVS; v++ {
		for i := 0; i < l.tcpPerVS; i++ {
			out = append(out, l.tcpRS(v, i))
		}
	}
	for v := 0; v < l.httpVS; v++ {
		for i := 0; i < l.httpPerVS; i++ {
			out = append(out, l.httpRS(v, i))
		}
	}
	return out
}

// writeConfig writes the keepalived.conf both daemons run.
func (l layout) writeConfig(path string, delay int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "global_defs {\n  router_id checksbench\n}\n")
	vs := func(addr string, body func()) {
		fmt.Fprintf(w, "virtual_server %s 80 {\n  delay_loop %d\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n", addr, delay)
		body()
		fmt.Fprintf(w, "}\n")
	}
	for v := 0; v < l.tcpVS; v++ {
		vs(fmt.Sprintf("10.200.%d.%d", v/250, v%250+1), func() {
			for i := 0; i < l.tcpPerVS; i++ {
				rs := l.tcpRS(v, i)
				fmt.Fprintf(w, "  real_server %s %d {\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n", rs.Addr(), rs.Port())
			}
		})
	}
	for v := 0; v < l.httpVS; v++ {
		vs(fmt.Sprintf("10.201.%d.%d", v/250, v%250+1), func() {
			for i := 0; i < l.httpPerVS; i++ {
				rs := l.httpRS(v, i)
				fmt.Fprintf(w, "  real_server %s %d {\n    HTTP_GET {\n      url {\n        path /health\n        status_code 200\n      }\n      connect_timeout 3\n    }\n  }\n", rs.Addr(), rs.Port())
			}
		})
	}
	if err := w.Flush(); err != nil {
		_ = f.Close()
		return fmt.Errorf("config: %w", err)
	}
	return f.Close()
}
