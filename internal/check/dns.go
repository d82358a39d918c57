package check

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/gokeepalived/keepalived/internal/config"
)

// dnsTypes maps DNS_CHECK's type names to query types.
var dnsTypes = map[string]dnsmessage.Type{
	"A": dnsmessage.TypeA, "NS": dnsmessage.TypeNS, "CNAME": dnsmessage.TypeCNAME,
	"SOA": dnsmessage.TypeSOA, "PTR": dnsmessage.TypePTR, "MX": dnsmessage.TypeMX,
	"TXT": dnsmessage.TypeTXT, "AAAA": dnsmessage.TypeAAAA, "SRV": dnsmessage.TypeSRV,
	"RRSIG": 46, "DNSKEY": 48,
}

// dnsProber is DNS_CHECK: one recursive query over UDP; any answer with
// rcode 0 is a success.
type dnsProber struct {
	co    connOpts
	qtype dnsmessage.Type
	name  string
}

func newDNSProber(c *config.Checker) (*dnsProber, error) {
	p := &dnsProber{co: connOptsOf(c), qtype: dnsmessage.TypeSOA, name: "."}
	if c.DNS != nil {
		if c.DNS.Type != "" {
			t, ok := dnsTypes[strings.ToUpper(c.DNS.Type)]
			if !ok {
				return nil, fmt.Errorf("unknown DNS check type %s", c.DNS.Type)
			}
			p.qtype = t
		}
		if c.DNS.Name != "" {
			p.name = c.DNS.Name
		}
	}
	if !strings.HasSuffix(p.name, ".") {
		p.name += "."
	}
	if _, err := dnsmessage.NewName(p.name); err != nil {
		return nil, fmt.Errorf("DNS_CHECK name %s: %w", p.name, err)
	}
	return p, nil
}

func (p *dnsProber) key() string { return fmt.Sprintf("%s|%d|%s", p.co.key(), p.qtype, p.name) }

// Probe sends the query and waits for the matching answer.
func (p *dnsProber) Probe(ctx context.Context, _ int) Result {
	id := uint16(rand.Uint32())
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id, RecursionDesired: true})
	_ = b.StartQuestions()
	_ = b.Question(dnsmessage.Question{Name: dnsmessage.MustNewName(p.name), Type: p.qtype, Class: dnsmessage.ClassINET})
	q, err := b.Finish()
	if err != nil {
		return Result{Reason: "failed to write socket.", Detail: err.Error(), Exit: -1}
	}
	c, err := p.co.dial(ctx, "udp")
	if err != nil {
		return Result{Reason: "network unreachable for " + p.co.dst.String(), Detail: err.Error(), Exit: -1}
	}
	defer c.Close()
	deadline := time.Now().Add(p.co.timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = c.SetDeadline(deadline)
	if n, err := c.Write(q); err != nil || n != len(q) {
		return Result{Reason: "failed to write socket.", Exit: -1}
	}
	buf := make([]byte, 4096)
	for {
		n, err := c.Read(buf)
		if err != nil {
			if isTimeout(err) {
				return Result{Reason: "read timeout from socket", Exit: -1}
			}
			var en syscall.Errno
			if errors.As(err, &en) {
				return Result{Reason: fmt.Sprintf("failed to read socket; errno %d (%s)", int(en), en.Error()), Exit: -1}
			}
			return Result{Reason: "failed to read socket", Detail: err.Error(), Exit: -1}
		}
		var ph dnsmessage.Parser
		h, err := ph.Start(buf[:n])
		if err != nil || h.ID != id || !h.Response {
			continue
		}
		if h.RCode != dnsmessage.RCodeSuccess {
			return Result{Reason: fmt.Sprintf("read error occurred. (rcode = %d)", int(h.RCode)), Exit: -1}
		}
		return Result{OK: true, Exit: -1}
	}
}
