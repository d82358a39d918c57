package config

import (
	"strconv"
	"strings"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// taskCommLen is the kernel's process name limit (TASK_COMM_LEN).
const taskCommLen = 16

func (p *parser) gRouterID(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "routerid name missing - ignoring")
		return
	}
	p.m.Global.RouterID = n.Args[1]
}

// setProcessName stores a process name, truncated as the kernel would.
func (p *parser) setProcessName(n *kaconf.Node, dst *string, name string) {
	if name == "" {
		p.warnf(n, "Process name missing")
		return
	}
	if len(name) >= taskCommLen {
		p.warnf(n, "Process name %s more than %d characters, truncating", name, taskCommLen-1)
		name = name[:taskCommLen-1]
	}
	*dst = name
	p.done(n)
}

func (p *parser) gProcessNames(n *kaconf.Node) {
	g := &p.m.Global
	g.ProcessNames = true
	g.VRRPProcess.ProcessName = "keepalived_vrrp"
	g.CheckerProcess.ProcessName = "keepalived_ipvs"
	g.BFDProcess.ProcessName = "keepalived_bfd"
	p.done(n)
}

// procName is a *_process_name keyword.
func procName(field func(*GlobalDefs) *string) handler {
	return func(p *parser, n *kaconf.Node) {
		p.setProcessName(n, field(&p.m.Global), arg(n, 1))
	}
}

func (p *parser) gLVSProcessName(n *kaconf.Node) {
	p.infof(n, "'lvs_process_name' is deprecated - please use 'checker_process_name'")
	p.setProcessName(n, &p.m.Global.CheckerProcess.ProcessName, arg(n, 1))
}

// umaskBits are the symbolic umask names keepalived accepts.
var umaskBits = map[string]int{
	"IRUSR": 0o400, "IWUSR": 0o200, "IXUSR": 0o100,
	"IRGRP": 0o040, "IWGRP": 0o020, "IXGRP": 0o010,
	"IROTH": 0o004, "IWOTH": 0o002, "IXOTH": 0o001,
}

// gUmask reads umask: a number (0 prefix for octal) or symbolic bits
// joined by '|' (IRUSR | IWGRP ...), possibly over several words.
func (p *parser) gUmask(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "Missing parameter(s) to umask option")
		return
	}
	mask := n.Args[1]
	if mask[0] >= '0' && mask[0] <= '9' {
		if len(n.Args) != 2 {
			p.warnf(n, "Extra parameter(s) to umask option")
			return
		}
		v, err := strconv.ParseInt(mask, 0, 64)
		if err != nil || v < 0 || v&^0o777 != 0 {
			p.warnf(n, "invalid umask value %s", mask)
			return
		}
		p.m.Global.Umask = int(v)
		return
	}
	bits, needOr := 0, false
	for _, w := range n.Args[1:] {
		for rest := w; rest != ""; {
			if needOr {
				if rest[0] != '|' {
					p.warnf(n, "Invalid umask syntax %s", w)
					return
				}
				needOr, rest = false, rest[1:]
				continue
			}
			if len(rest) < 5 || umaskBits[rest[:5]] == 0 {
				p.warnf(n, "Unknown umask bit %s", rest)
				return
			}
			bits |= umaskBits[rest[:5]]
			rest, needOr = rest[5:], true
		}
	}
	if !needOr {
		p.warnf(n, "umask missing bit value")
		return
	}
	p.m.Global.Umask = bits
}

func (p *parser) gRandomSeed(n *kaconf.Node) {
	v, ok := p.kaInt(n, 1, 0, maxUint32)
	if !ok {
		p.warnf(n, "random_seed %s invalid", arg(n, 1))
		return
	}
	p.m.Global.RandomSeed, p.m.Global.RandomSeedSet = uint32(v), true
	p.done(n)
}

func (p *parser) gReloadCheckConfig(n *kaconf.Node) {
	p.m.Global.ReloadCheckConfig = "/dev/null"
	if len(n.Args) >= 2 {
		p.m.Global.ReloadCheckConfig = n.Args[1]
	}
	p.done(n)
}

func (p *parser) gReloadTimeFile(n *kaconf.Node) {
	if len(n.Args) != 2 {
		p.warnf(n, "reload_time_file invalid")
		return
	}
	p.m.Global.ReloadTimeFile = n.Args[1]
	p.done(n)
}

func (p *parser) gReloadFile(n *kaconf.Node) {
	p.m.Global.ReloadFile = "/run/keepalived.reload"
	if len(n.Args) >= 2 {
		p.m.Global.ReloadFile = n.Args[1]
	}
	p.done(n)
}

// gIncludeCheck records include_check; the reader (kaconf) applies it
// through Options.IncludeCheck when set on the command line.
func (p *parser) gIncludeCheck(n *kaconf.Node) {
	for _, w := range n.Args[1:] {
		if !kaconf.IsIncludeCheckName(strings.TrimLeft(w, "+-")) {
			p.warnf(n, "Unknown include_check type '%s' - ignoring", w)
		}
	}
	p.m.Global.IncludeCheck = true
	p.m.Global.IncludeCheckWhat = strings.Join(n.Args[1:], " ")
}

func (p *parser) gConfigSaveDir(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "%s missing directory name", n.Keyword())
		return
	}
	p.m.Global.ConfigSaveDir = n.Args[1]
	p.done(n)
}

func (p *parser) gTmpConfigDir(n *kaconf.Node) {
	g := &p.m.Global
	switch {
	case g.TmpConfigDir != "":
		p.warnf(n, "%s already specified - ignoring", n.Keyword())
	case len(n.Args) < 2:
		p.warnf(n, "%s missing directory name", n.Keyword())
	default:
		g.TmpConfigDir = n.Args[1]
		p.done(n)
	}
}

func (p *parser) gSNMPSocket(n *kaconf.Node) {
	g := &p.m.Global
	switch {
	case len(n.Args) > 2:
		p.warnf(n, "Too many parameters specified for snmp_socket - ignoring")
	case len(n.Args) < 2:
		p.warnf(n, "SNMP error : snmp socket name missing")
	case len(n.Args[1]) > 4095:
		p.warnf(n, "SNMP error : snmp socket name too long - ignored")
	case g.SNMPSocket != "":
		p.warnf(n, "SNMP socket already set to %s - ignoring", g.SNMPSocket)
	default:
		g.SNMPSocket = n.Args[1]
		p.done(n)
	}
}

func (p *parser) gSNMPRFC(n *kaconf.Node) {
	p.m.Global.EnableSNMPRFCv2 = true
	p.m.Global.EnableSNMPRFCv3 = true
	p.done(n)
}

func (p *parser) gDBusServiceName(n *kaconf.Node) {
	if len(n.Args) < 2 {
		p.warnf(n, "dbus_service_name missing - ignoring")
		return
	}
	p.m.Global.DBusServiceName = n.Args[1]
	p.done(n)
}
