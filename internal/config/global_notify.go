package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// gNotificationEmail reads the notification_email { } block: every word
// of every line is an address.
func (p *parser) gNotificationEmail(n *kaconf.Node) {
	var addrs []string
	for _, w := range n.Args[1:] {
		if w != "{" && w != "}" {
			addrs = append(addrs, w)
		}
	}
	for _, c := range n.Children {
		addrs = append(addrs, c.Args...)
	}
	if len(addrs) == 0 {
		p.warnf(n, "Warning - empty notification_email block")
		return
	}
	p.m.Global.NotificationEmail = append(p.m.Global.NotificationEmail, addrs...)
	p.done(n)
}

func (p *parser) gEmailFrom(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "emailfrom missing - ignoring")
		return
	}
	p.m.Global.NotificationEmailFrom = n.Args[1]
	p.done(n)
}

// gSMTPServer reads smtp_server ADDRESS|NAME [PORT]. Names are kept
// unresolved (the daemon resolves them when it sends mail).
func (p *parser) gSMTPServer(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "Invalid smtp server  25")
		return
	}
	host, portStr := n.Args[1], "25"
	if len(n.Args) >= 3 {
		portStr = n.Args[2]
	}
	port, err := strconv.ParseInt(portStr, 10, 64)
	if err != nil || port < 1 || port > 65535 {
		if err != nil {
			p.warnf(n, "invalid number '%s'", portStr)
		} else {
			p.warnf(n, "number '%s' outside range [1, 65535]", portStr)
		}
		p.warnf(n, "Invalid smtp server %s %s", host, portStr)
		return
	}
	s := SMTPServer{Host: host, Port: int(port)}
	if a, err := netip.ParseAddr(host); err == nil && !strings.ContainsAny(host, "-/") {
		s.Addr = a
	}
	p.m.Global.SMTPServer = s
	p.done(n)
}

func (p *parser) gSMTPHelo(n *kaconf.Node) {
	if len(n.Args) < 2 {
		return
	}
	p.m.Global.SMTPHeloName = n.Args[1]
	p.done(n)
}

func (p *parser) gSMTPTimeout(n *kaconf.Node) {
	v, ok := p.kaInt(n, 1, 0, maxTimerWhole)
	if !ok {
		p.warnf(n, "smtp_connect_timeout '%s' must be in [0, %d] - ignoring", arg(n, 1), maxTimerWhole)
		return
	}
	if v == 0 {
		p.warnf(n, "smtp_conect_timeout must be greater than 0, setting to 1")
		v = 1
	}
	p.m.Global.SMTPConnectTimeout = time.Duration(v) * time.Second
	p.done(n)
}

// smtpAlert is smtp_alert / smtp_alert_vrrp / smtp_alert_checker [BOOL].
func smtpAlert(kw string, field func(*GlobalDefs) *int) handler {
	return func(p *parser, n *kaconf.Node) {
		v, ok := kaBool(n)
		if !ok {
			p.warnf(n, "Invalid value '%s' for global %s specified", arg(n, 1), kw)
			return
		}
		*field(&p.m.Global) = 0
		if v {
			*field(&p.m.Global) = 1
		}
		p.done(n)
	}
}

// fifoKW is [vrrp_|lvs_]notify_fifo PATH [USER [GROUP]].
func fifoKW(typ string, field func(*GlobalDefs) *Fifo) handler {
	return func(p *parser, n *kaconf.Node) {
		f := field(&p.m.Global)
		switch {
		case len(n.Args) < 2:
			p.warnf(n, "No %snotify_fifo name specified", typ)
			return
		case f.Path != "":
			p.warnf(n, "%snotify_fifo already specified - ignoring %s", typ, n.Args[1])
			return
		}
		if len(n.Args) > 2 {
			if !p.lookupScriptUser(n, n.Args[2], arg(n, 3)) {
				p.infof(n, "Invalid user/group for %s fifo %s - ignoring", typ, n.Args[1])
				return
			}
			f.User, f.Group = n.Args[2], arg(n, 3)
		} else if _, _, ok := p.defaultScriptUser(n); !ok {
			p.infof(n, "Failed to set default user for %s fifo %s - ignoring", typ, n.Args[1])
			return
		}
		f.Path = n.Args[1]
	}
}

// fifoScriptKW is [vrrp_|lvs_]notify_fifo_script SCRIPT [USER [GROUP]].
func fifoScriptKW(typ string, field func(*GlobalDefs) *Fifo) handler {
	return func(p *parser, n *kaconf.Node) {
		f := field(&p.m.Global)
		switch {
		case len(n.Args) < 2:
			p.warnf(n, "No %snotify_fifo_script specified", typ)
			return
		case f.Script != nil:
			p.warnf(n, "%snotify_fifo_script already specified - ignoring %s", typ, n.Args[1])
			return
		}
		f.Script = p.parseScript(n, 1)
	}
}

// startStopScript is startup_script / shutdown_script SCRIPT [USER [GROUP]].
func startStopScript(typ string, field func(*GlobalDefs) **Script) handler {
	return func(p *parser, n *kaconf.Node) {
		dst := field(&p.m.Global)
		switch {
		case *dst != nil:
			p.warnf(n, "%s script already specified", typ)
			return
		case len(n.Args) < 2:
			p.warnf(n, "%s script missing", typ)
			return
		}
		s := p.parseScript(n, 1)
		if s == nil {
			p.warnf(n, "Invalid %s script", typ)
			return
		}
		*dst = s
	}
}

// startStopTimeout is startup_script_timeout / shutdown_script_timeout SECS.
func startStopTimeout(typ string, field func(*GlobalDefs) *time.Duration) handler {
	return func(p *parser, n *kaconf.Node) {
		if len(n.Args) < 2 {
			p.warnf(n, "%s_script_timeout requires value", typ)
			return
		}
		v, ok := p.kaInt(n, 1, 1, 1000)
		if !ok {
			p.warnf(n, "%s_script_timeout '%s' must be in [1, 1000] - ignoring", typ, n.Args[1])
			return
		}
		*field(&p.m.Global) = time.Duration(v) * time.Second
	}
}

// gScriptUser is script_user USER [GROUP]: the default run-as user.
func (p *parser) gScriptUser(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "No script username specified")
		return
	}
	if !p.setDefaultScriptUser(n, n.Args[1], arg(n, 2)) {
		p.warnf(n, "Error setting global script uid/gid")
		return
	}
	p.m.Global.ScriptUser, p.m.Global.ScriptGroup = n.Args[1], arg(n, 2)
}
