package config

import (
	"fmt"

	"github.com/gokeepalived/keepalived/pkg/kaconf"
)

// trackKind selects what a track_* block refers to.
type trackKind int

const (
	trackIf trackKind = iota
	trackScript
	trackFileKind
	trackProcessKind
	trackBFD
)

// trackRefs parses the entries of a track_* block of instance or group
// owner: "NAME [weight N] [reverse|noreverse]". Entries naming objects
// that do not exist are reported and skipped. missing records positions
// of interfaces that do not exist.
func (p *parser) trackRefs(n *kaconf.Node, owner string, kind trackKind, missing *[]Pos) []TrackRef {
	var out []TrackRef
	for _, c := range n.Children {
		name := c.Keyword()
		if name == "" {
			continue
		}
		r := TrackRef{Pos: c.Pos, Name: name}
		if !p.trackOptions(c, owner, kind, &r) {
			continue
		}
		if !p.trackTargetExists(c, owner, kind, &r, missing) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// trackOptions parses "weight N [reverse]" after a track entry's name.
func (p *parser) trackOptions(c *kaconf.Node, owner string, kind trackKind, r *TrackRef) bool {
	lo, hi := int64(-254), int64(254)
	for i := 1; i < len(c.Args); i++ {
		switch w := c.Args[i]; w {
		case "weight":
			v, ok := p.vNum(c, i+1, lo, hi)
			if ok && kind != trackFileKind && kind != trackProcessKind && (v < -253 || v > 253) {
				ok = false
			}
			if !ok {
				p.errorf(c, "%s", weightRangeMsg(kind, owner, r.Name, arg(c, i+1)))
				return false
			}
			r.Weight, r.WeightSet = int(v), true
			i++
		case "reverse":
			r.Reverse = true
		case "noreverse", "no_reverse":
			r.Reverse = false
		default:
			p.errorf(c, "%s", unknownWeightOptMsg(kind, owner, r.Name, w))
		}
	}
	return true
}

func weightRangeMsg(kind trackKind, owner, name, v string) string {
	switch kind {
	case trackIf:
		return fmt.Sprintf("(%s) weight %s for %s must be between [-253..253] inclusive. Ignoring...", owner, v, name)
	case trackScript:
		return fmt.Sprintf("(%s) track script %s: weight must be between [-253..253] inclusive, ignoring...", owner, name)
	case trackFileKind:
		return fmt.Sprintf("(%s) track file %s: weight must be between [-254..254] inclusive, ignoring...", owner, name)
	case trackProcessKind:
		return fmt.Sprintf("(%s) track process %s: weight must be between [-254..254] inclusive, ignoring...", owner, name)
	}
	return fmt.Sprintf("(%s) track bfd %s: weight must be between [-253..253] inclusive, ignoring...", owner, name)
}

func unknownWeightOptMsg(kind trackKind, owner, name, opt string) string {
	switch kind {
	case trackIf:
		// keepalived's own spelling.
		return fmt.Sprintf("(%s) unknown track_interace %s weight option %s - ignoring", owner, name, opt)
	case trackScript:
		return fmt.Sprintf("(%s) unknown track_script %s weight option %s - ignoring", owner, name, opt)
	case trackFileKind:
		return fmt.Sprintf("(%s) unknown track_file %s weight option %s - ignoring", owner, name, opt)
	case trackProcessKind:
		return fmt.Sprintf("(%s) unknown track_process %s weight option %s - ignoring", owner, name, opt)
	}
	return fmt.Sprintf("(%s) unknown track_bfd %s weight option %s - ignoring", owner, name, opt)
}

// trackTargetExists resolves a track entry: scripts, files and processes
// must be defined above; interfaces must exist (a missing one is reported
// and remembered for "Non-existent interface specified in configuration").
// Unweighted script/file/process entries take the object's weight.
func (p *parser) trackTargetExists(c *kaconf.Node, owner string, kind trackKind, r *TrackRef, missing *[]Pos) bool {
	switch kind {
	case trackIf:
		if !p.opt.InterfaceExists(r.Name) {
			p.errorf(c, "(%s) tracked interface %s doesn't exist", owner, r.Name)
			*missing = append(*missing, c.Pos)
			return false
		}
	case trackScript:
		s := p.findScript(r.Name)
		if s == nil {
			p.errorf(c, "(%s) track script %s not found, ignoring...", owner, r.Name)
			return false
		}
		s.Used = true
		if !r.WeightSet {
			r.Weight, r.Reverse = s.Weight, s.Reverse
		}
	case trackFileKind:
		f := p.findTrackFile(r.Name)
		if f == nil {
			p.errorf(c, "(%s) track file %s not found, ignoring...", owner, r.Name)
			return false
		}
		if !r.WeightSet {
			r.Weight, r.Reverse = f.Weight, f.Reverse
		}
	case trackProcessKind:
		t := p.findTrackProcess(r.Name)
		if t == nil {
			p.errorf(c, "(%s) track process %s not found, ignoring...", owner, r.Name)
			return false
		}
		if !r.WeightSet {
			r.Weight, r.Reverse = t.Weight, t.Reverse
		}
	case trackBFD:
		// bfd_instance blocks are not modelled here; keep the reference.
	}
	return true
}

func (p *parser) findScript(name string) *VRRPScript {
	for _, s := range p.m.Scripts {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (p *parser) findTrackFile(name string) *TrackFile {
	for _, f := range p.m.TrackFiles {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (p *parser) findTrackProcess(name string) *TrackProcess {
	for _, t := range p.m.TrackProcesses {
		if t.Name == name {
			return t
		}
	}
	return nil
}
