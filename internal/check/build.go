package check

import (
	"fmt"

	"github.com/gokeepalived/keepalived/internal/config"
)

// BuildProber makes the prober of checker c of real server rs and the key
// of what it probes (kind, target and parameters).
func BuildProber(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, ssl *config.SSLConfig) (Prober, string, error) {
	kind := c.Kind.String() + "|"
	switch c.Kind {
	case config.CheckTCP:
		p := &tcpProber{co: connOptsOf(c)}
		return p, kind + p.co.key(), nil
	case config.CheckHTTP, config.CheckSSL:
		if c.HTTP == nil {
			return nil, "", fmt.Errorf("%s without settings", c.Kind)
		}
		p, err := newHTTPProber(c, ssl)
		if err != nil {
			return nil, "", err
		}
		return p, kind + p.key(c, ssl), nil
	case config.CheckMisc:
		if c.Misc == nil {
			return nil, "", fmt.Errorf("%s without settings", c.Kind)
		}
		p, err := newMiscProber(c)
		if err != nil {
			return nil, "", err
		}
		// A script's verdict concerns its real server: the log names it.
		return p, kind + fmt.Sprintf("%s|%d|", rs.Addr, rs.Port) + p.key(c), nil
	case config.CheckDNS:
		p, err := newDNSProber(c)
		if err != nil {
			return nil, "", err
		}
		return p, kind + p.key(), nil
	case config.CheckSMTP:
		p := newSMTPProber(connOptsOf(c), c)
		return p, kind + p.key(), nil
	case config.CheckPing:
		p := &pingProber{co: connOptsOf(c)}
		return p, kind + p.key(), nil
	case config.CheckUDP:
		p := &udpProber{co: connOptsOf(c)}
		if c.UDP != nil {
			p.cfg = *c.UDP
		}
		return p, kind + p.key(), nil
	}
	return nil, "", fmt.Errorf("%s is not implemented", c.Kind)
}

// timingKey holds the options that drive a check's schedule: checks share
// a unit only when these are equal too.
func timingKey(c *config.Checker) string {
	return fmt.Sprintf("%d|%d|%d|%d|%d|%v|%v|", c.Kind, c.Retry, c.DelayBeforeRetry, c.DelayLoop, c.Warmup, c.Alpha, c.LogAllFailures)
}
