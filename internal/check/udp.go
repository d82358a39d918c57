package check

import (
	"bytes"
	"context"
	"fmt"

	"github.com/gokeepalived/keepalived/internal/config"
)

// udpProber is UDP_CHECK: send the payload on a connected socket; an ICMP
// port unreachable (a refused read) fails, and with require_reply so does
// silence or a reply not matching the data and length limits.
type udpProber struct {
	co  connOpts
	cfg config.UDPCheck
}

func (p *udpProber) key() string {
	return fmt.Sprintf("%s|%x|%v|%x|%d|%d", p.co.key(), p.cfg.Payload, p.cfg.RequireReply, p.cfg.ReplyData, p.cfg.MinReplyLength, p.cfg.MaxReplyLength)
}

// Probe sends one datagram and waits up to connect_timeout for a reply.
func (p *udpProber) Probe(ctx context.Context, _ int) Result {
	c, err := p.co.dial(ctx, "udp")
	if err != nil {
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	if _, err := c.Write(p.cfg.Payload); err != nil {
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	buf := make([]byte, 65536)
	n, err := c.Read(buf)
	switch {
	case err != nil && isTimeout(err):
		if p.cfg.RequireReply {
			return Result{Reason: "timeout", Detail: "no reply", Exit: -1}
		}
		return Result{OK: true, Exit: -1}
	case err != nil:
		return Result{Reason: "failed", Detail: err.Error(), Exit: -1}
	}
	if !p.cfg.RequireReply {
		return Result{OK: true, Exit: -1}
	}
	reply := buf[:n]
	if n < p.cfg.MinReplyLength || (p.cfg.MaxReplyLength > 0 && n > p.cfg.MaxReplyLength) ||
		!bytes.HasPrefix(reply, p.cfg.ReplyData) {
		return Result{Reason: "failed", Detail: "unexpected reply", Exit: -1}
	}
	return Result{OK: true, Exit: -1}
}
