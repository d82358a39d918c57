package config

// scriptFamily says which keepalived process checks a script, which decides
// the SECURITY VIOLATION message and whether it is checked at all.
type scriptFamily int

const (
	famVRRP      scriptFamily = iota // VRRP process: track and notify scripts
	famChecker                       // checker process: MISC_CHECK, notify_up, quorum_up, ...
	famStartStop                     // parent: startup_script, shutdown_script
	famFifo                          // global notify_fifo_script: both processes
)

// familyOf classifies a script by the keyword that gave it.
func familyOf(kw string) scriptFamily {
	switch kw {
	case "misc_path", "notify_up", "notify_down", "quorum_up", "quorum_down",
		"lvs_notify_fifo_script":
		return famChecker
	case "startup_script", "shutdown_script":
		return famStartStop
	case "notify_fifo_script":
		return famFifo
	}
	return famVRRP
}

// violationText is keepalived's message for each family.
var violationText = map[scriptFamily]string{
	famVRRP:      "SECURITY VIOLATION - scripts are being executed but script_security not enabled.%s",
	famChecker:   "SECURITY VIOLATION - check scripts are being executed but script_security not enabled.%s",
	famStartStop: "SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled.%s",
}

// checkScripts applies keepalived's script checks to every script parsed
// and not already disabled, after the VRRP and LVS passes:
//   - VRRP scripts are checked only when a vrrp_instance exists, checker
//     scripts only when a virtual_server exists (the process that would run
//     them is otherwise not started);
//   - a missing program disables the script (for a track script with
//     keepalived's "Disabling track script X since not found/accessible",
//     unless finishVRRP already did so), a non-executable one disables it
//     quietly;
//   - scripts run as root (or setuid root) whose path has a component a
//     non-root user may write are insecure, and disabled under
//     enable_script_security (a track script with a warning);
//   - without enable_script_security, any program found means "SECURITY
//     VIOLATION" and keepalived -t exits 6.
func (p *parser) checkScripts() {
	vrrpOn := len(p.m.Instances) > 0
	checkerOn := len(p.m.VirtualServers) > 0
	flags := map[scriptFamily]int{}
	first := map[scriptFamily]Pos{}
	for _, s := range p.scripts {
		if s == nil || s.Disabled || len(s.Args) == 0 {
			continue
		}
		if p.noDefaultUser(s) {
			continue
		}
		fam := familyOf(s.Keyword)
		switch {
		case fam == famVRRP && !vrrpOn, fam == famChecker && !checkerOn:
			continue
		case fam == famFifo:
			if !vrrpOn && !checkerOn {
				continue
			}
			fam = famVRRP
			if !vrrpOn {
				fam = famChecker
			}
		}
		f := p.checkScriptSecure(s)
		if s.Keyword == "script" {
			p.reportTrackScript(s, f)
		}
		if f&scIsScript != 0 && flags[fam]&scIsScript == 0 {
			first[fam] = s.Pos
		}
		flags[fam] |= f
	}
	if p.m.Global.EnableScriptSecurity {
		return
	}
	for _, fam := range []scriptFamily{famVRRP, famChecker, famStartStop} {
		f := flags[fam]
		if f&scIsScript == 0 {
			continue
		}
		extra := ""
		if f&scInsecure != 0 {
			extra = " There are insecure scripts."
		}
		p.add(first[fam], SevWarning, violationText[fam], extra)
		p.security = true
	}
}

// noDefaultUser drops a vrrp_script or MISC_CHECK script that names no
// user when the default script user cannot be set, as keepalived does at
// the end of those blocks.
func (p *parser) noDefaultUser(s *Script) bool {
	if !commandOnly(s.Keyword) || s.User != "" {
		return false
	}
	if _, _, ok := p.defaultScriptUserAt(s.Pos); ok {
		return false
	}
	s.Disabled = true
	kind := "vrrp"
	if s.Keyword == "misc_path" {
		kind = "misc"
	}
	p.add(s.Pos, SevWarning, "Unable to set default user for %s script %s - removing", kind, s.scriptName())
	return true
}

// scriptName names a script in messages: its owner, else its command.
func (s *Script) scriptName() string {
	if s.Owner != "" {
		return s.Owner
	}
	return s.String()
}

// reportTrackScript gives keepalived's config errors for a vrrp_script
// that cannot run.
func (p *parser) reportTrackScript(s *Script, f int) {
	name := s.scriptName()
	switch {
	case f&scInhibit != 0:
		p.add(s.Pos, SevWarning, "Disabling track script %s due to insecure", name)
	case f&scNotFound != 0:
		p.add(s.Pos, SevWarning, "Disabling track script %s since not found/accessible", name)
	}
}
