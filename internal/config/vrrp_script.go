package config

import (
	"math"
	"strconv"
	"time"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// maxScriptInterval is the largest vrrp_script interval keepalived takes
// (seconds, as a microsecond timer in an unsigned int).
const maxScriptInterval = 4294

// blockEnd approximates the line of a block's closing brace (keepalived
// reports end-of-block problems there): the line after its last statement.
func blockEnd(n *kaconf.Node) Pos {
	pos := n.Pos
	if k := len(n.Children); k > 0 {
		last := n.Children[k-1]
		for len(last.Children) > 0 {
			last = last.Children[len(last.Children)-1]
		}
		pos.Line = last.Pos.Line + 1
	}
	return pos
}

// vrrpScript parses a vrrp_script block.
func (p *parser) vrrpScript(n *kaconf.Node) {
	name, ok := p.blockName(n, "vrrp_script must have a name - skipping")
	if !ok {
		return
	}
	for _, s := range p.m.Scripts {
		if s.Name == name {
			p.errorf(n, "vrrp_script %s already defined - ignoring", name)
			return
		}
	}
	vs := &VRRPScript{Pos: n.Pos, Name: name, Interval: time.Second, Rise: 1, Fall: 1, Timeout: -1}
	p.walk(n.Children, scriptTable(vs))
	if vs.Script == nil {
		p.add(blockEnd(n), SevError, "No script set for vrrp_script %s - removing", name)
		return
	}
	if vs.Timeout < 0 {
		vs.Timeout = vs.Interval
	}
	if vs.User != "" {
		vs.Script.User, vs.Script.Group = vs.User, vs.Group
	}
	p.m.Scripts = append(p.m.Scripts, vs)
}

func scriptTable(vs *VRRPScript) table {
	return table{
		"script": func(p *parser, n *kaconf.Node) { vs.Script = p.parseScript(n, 1) },
		"interval": func(p *parser, n *kaconf.Node) {
			v, err := strconv.ParseFloat(arg(n, 1), 64)
			switch {
			case err != nil || math.IsNaN(v) || v < 0 || v > maxScriptInterval:
				p.errorf(n, "(%s): vrrp script interval '%s' must be between 1 and %d - ignoring", vs.Name, arg(n, 1), maxScriptInterval)
			case v == 0:
				p.warnf(n, "(%s): vrrp script interval must be greater than 0, setting to 1", vs.Name)
				vs.Interval = time.Second
			default:
				vs.Interval = time.Duration(math.Round(v*1e6)) * time.Microsecond
			}
		},
		"timeout": func(p *parser, n *kaconf.Node) {
			v, err := strconv.ParseFloat(arg(n, 1), 64)
			switch {
			case err != nil || math.IsNaN(v) || v < 0 || v > maxScriptInterval:
				p.errorf(n, "(%s): vrrp script timeout '%s' invalid - ignoring", vs.Name, arg(n, 1))
			case v == 0:
				p.warnf(n, "(%s): vrrp script timeout must be greater than 0, setting to 1", vs.Name)
				vs.Timeout = time.Second
			default:
				vs.Timeout = time.Duration(math.Round(v*1e6)) * time.Microsecond
			}
		},
		"weight": func(p *parser, n *kaconf.Node) {
			w, ok := p.vNum(n, 1, -253, 253)
			if !ok {
				p.errorf(n, "vrrp_script %s weight %s must be in [-253, 253]", vs.Name, arg(n, 1))
				return
			}
			vs.Weight = int(w)
			switch arg(n, 2) {
			case "":
			case "reverse":
				vs.Reverse = true
			default:
				p.errorf(n, "vrrp_script %s unknown weight option %s", vs.Name, arg(n, 2))
			}
		},
		"rise": func(p *parser, n *kaconf.Node) {
			vs.Rise = p.riseFall(n, vs.Name, "rise")
		},
		"fall": func(p *parser, n *kaconf.Node) {
			vs.Fall = p.riseFall(n, vs.Name, "fall")
		},
		"user": func(p *parser, n *kaconf.Node) {
			if !p.need(n, 1) {
				return
			}
			vs.User, vs.Group = arg(n, 1), arg(n, 2)
		},
		"init_fail": func(p *parser, n *kaconf.Node) { vs.InitFail = true },
	}
}

// riseFall parses a vrrp_script rise/fall value (default 1 when invalid).
func (p *parser) riseFall(n *kaconf.Node, name, kw string) int {
	v, ok := p.vNum(n, 1, 1, math.MaxInt32)
	if !ok {
		p.errorf(n, "(%s): vrrp script %s value '%s' invalid, defaulting to 1", name, kw, arg(n, 1))
		return 1
	}
	return int(v)
}

// trackProcess parses a vrrp_track_process block.
func (p *parser) trackProcess(n *kaconf.Node) {
	name, ok := p.blockName(n, "vrrp_track_process must have a name - skipping")
	if !ok {
		return
	}
	for _, t := range p.m.TrackProcesses {
		if t.Name == name {
			p.errorf(n, "vrrp_track_process %s already defined - ignoring", name)
			return
		}
	}
	tp := &TrackProcess{Pos: n.Pos, Name: name, Weight: 1, Quorum: 1, QuorumMax: 65535}
	weightSet := false
	delay := func(prefix string, set func(time.Duration)) handler {
		return func(p *parser, n *kaconf.Node) {
			v, err := strconv.ParseFloat(arg(n, 1), 64)
			if err != nil || math.IsNaN(v) || v < 0.000001 || v > 3600 {
				p.errorf(n, "%sdelay (%s) for vrrp_track_process %s must be between [0.000001..3600] inclusive. Ignoring...", prefix, arg(n, 1), name)
				return
			}
			set(time.Duration(math.Round(v*1e6)) * time.Microsecond)
		}
	}
	t := table{
		"process": func(p *parser, n *kaconf.Node) {
			if len(tp.Process) > 0 {
				p.errorf(n, "Process already set for track process %s - ignoring", name)
				return
			}
			if p.need(n, 1) {
				tp.Process = rest(n)
			}
		},
		"param_match": func(p *parser, n *kaconf.Node) {
			switch arg(n, 1) {
			case "initial", "partial":
				tp.ParamMatch, tp.ParamMatchSet = arg(n, 1), true
			case "":
				tp.ParamMatchSet = true
			default:
				p.errorf(n, "Invalid param_match type %s - ignoring", arg(n, 1))
			}
		},
		"weight": func(p *parser, n *kaconf.Node) {
			if weightSet {
				p.errorf(n, "Weight already set for track process %s - ignoring", name)
				return
			}
			if arg(n, 1) == "" {
				p.errorf(n, "No weight specified for track process %s - ignoring", name)
				return
			}
			w, ok := p.vNum(n, 1, -254, 254)
			if !ok {
				p.errorf(n, "Weight (%s) for vrrp_track_process %s must be between [-254..254] inclusive. Ignoring...", arg(n, 1), name)
				return
			}
			tp.Weight, weightSet = int(w), true
			switch arg(n, 2) {
			case "":
			case "reverse":
				tp.Reverse = true
			default:
				p.errorf(n, "vrrp_track_process %s unknown weight option %s", name, arg(n, 2))
			}
		},
		"quorum": func(p *parser, n *kaconf.Node) {
			q, ok := p.vNum(n, 1, 1, 65535)
			if !ok {
				p.errorf(n, "Quorum (%s) for vrrp_track_process %s must be between [1..65535] inclusive. Ignoring...", arg(n, 1), name)
				return
			}
			if int(q) > tp.QuorumMax {
				p.errorf(n, "Quorum is greater than quorum_max - ignoring")
				return
			}
			tp.Quorum = int(q)
		},
		"quorum_max": func(p *parser, n *kaconf.Node) {
			q, ok := p.vNum(n, 1, 0, 65535)
			if !ok {
				p.errorf(n, "quorum_max (%s) for vrrp_track_process %s must be between [0..65535] inclusive. Ignoring...", arg(n, 1), name)
				return
			}
			if int(q) < tp.Quorum {
				p.errorf(n, "quorum_max is less than quorum - ignoring")
				return
			}
			tp.QuorumMax = int(q)
		},
		"delay":           delay("", func(d time.Duration) { tp.ForkDelay, tp.TerminateDelay = d, d }),
		"fork_delay":      delay("fork_", func(d time.Duration) { tp.ForkDelay = d }),
		"terminate_delay": delay("terminate_", func(d time.Duration) { tp.TerminateDelay = d }),
		"full_command":    func(p *parser, n *kaconf.Node) { tp.FullCommand = true },
	}
	p.walk(n.Children, t)
	if len(tp.Process) == 0 {
		p.add(blockEnd(n), SevError, "track process '%s' process name not specified", name)
		return
	}
	p.m.TrackProcesses = append(p.m.TrackProcesses, tp)
}

// trackFile parses a track_file (or deprecated vrrp_track_file) block.
func (p *parser) trackFile(n *kaconf.Node) {
	name, ok := p.blockName(n, n.Keyword()+" must have a name - skipping")
	if !ok {
		return
	}
	for _, t := range p.m.TrackFiles {
		if t.Name == name {
			p.errorf(n, "track_file %s already defined - ignoring", name)
			return
		}
	}
	tf := &TrackFile{Pos: n.Pos, Name: name, Weight: 1}
	t := table{
		"file": func(p *parser, n *kaconf.Node) {
			if tf.File != "" {
				p.errorf(n, "File already set for track file %s - ignoring %s", name, arg(n, 1))
				return
			}
			if p.need(n, 1) {
				tf.File = arg(n, 1)
			}
		},
		"weight": func(p *parser, n *kaconf.Node) {
			w, ok := p.vNum(n, 1, -math.MaxInt32, math.MaxInt32)
			if !ok {
				p.errorf(n, "Weight for %s must be between [%d..%d] inclusive. Ignoring...", name, -math.MaxInt32, math.MaxInt32)
				return
			}
			tf.Weight = int(w)
			switch arg(n, 2) {
			case "":
			case "reverse":
				tf.Reverse = true
			default:
				p.errorf(n, "track_file %s unknown weight option %s", name, arg(n, 2))
			}
		},
		"init_file": func(p *parser, n *kaconf.Node) {
			tf.InitFile = true
			for i := 1; i < len(n.Args); i++ {
				w := n.Args[i]
				if w == "overwrite" {
					tf.InitOverwrite = true
					continue
				}
				v, err := strconv.ParseInt(w, 10, 64)
				if err != nil || i != 1 {
					p.errorf(n, "track file %s init_file value '%s' is invalid", name, w)
					continue
				}
				tf.InitValue = v
			}
		},
	}
	p.walk(n.Children, t)
	if tf.File == "" {
		p.add(blockEnd(n), SevError, "No file set for track_file %s - removing", name)
		return
	}
	p.m.TrackFiles = append(p.m.TrackFiles, tf)
}
