package check

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// pingProber is PING_CHECK: one ICMP echo request, success on the
// matching echo reply. Root uses a raw socket; others the unprivileged
// ICMP socket (which needs net.ipv4.ping_group_range).
type pingProber struct{ co connOpts }

func (p *pingProber) key() string { return p.co.key() }

// Probe sends one echo request and waits up to connect_timeout.
func (p *pingProber) Probe(ctx context.Context, _ int) Result {
	v6 := p.co.dst.Addr().Is6() && !p.co.dst.Addr().Is4In6()
	network, src := "ip4:icmp", "0.0.0.0"
	if v6 {
		network, src = "ip6:ipv6-icmp", "::"
	}
	raw := os.Geteuid() == 0
	if !raw {
		network = "udp4"
		if v6 {
			network = "udp6"
		}
	}
	if p.co.bindTo.IsValid() {
		src = p.co.bindTo.String()
	}
	c, err := icmp.ListenPacket(network, src)
	if err != nil {
		return Result{Reason: "failed", Detail: fmt.Sprintf("ICMP socket: %v", err), Exit: -1}
	}
	defer c.Close()
	deadline := time.Now().Add(p.co.timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = c.SetDeadline(deadline)
	id, seq := os.Getpid()&0xffff, int(time.Now().UnixNano()&0xffff)
	var typ, reply icmp.Type = ipv4.ICMPTypeEcho, ipv4.ICMPTypeEchoReply
	proto := 1
	if v6 {
		typ, reply, proto = ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply, 58
	}
	msg := icmp.Message{Type: typ, Body: &icmp.Echo{ID: id, Seq: seq, Data: []byte("keepalived-check")}}
	b, err := msg.Marshal(nil)
	if err != nil {
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	var dst net.Addr = &net.IPAddr{IP: p.co.dst.Addr().AsSlice()}
	if !raw {
		dst = &net.UDPAddr{IP: p.co.dst.Addr().AsSlice()}
	}
	if _, err := c.WriteTo(b, dst); err != nil {
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			if isTimeout(err) {
				return Result{Reason: "timeout", Exit: -1}
			}
			return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
		}
		m, err := icmp.ParseMessage(proto, buf[:n])
		if err != nil || m.Type != reply {
			continue
		}
		e, ok := m.Body.(*icmp.Echo)
		if !ok || e.Seq != seq || (raw && e.ID != id) || !sameHost(from, p.co.dst.Addr().AsSlice()) {
			continue
		}
		return Result{OK: true, Exit: -1}
	}
}

func sameHost(a net.Addr, ip net.IP) bool {
	switch v := a.(type) {
	case *net.IPAddr:
		return v.IP.Equal(ip)
	case *net.UDPAddr:
		return v.IP.Equal(ip)
	}
	return false
}
