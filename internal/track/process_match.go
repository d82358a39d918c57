package track

import (
	"bytes"
	"strings"

	"github.com/gokeepalived/keepalived/internal/config"
)

// ProcInfo is what a process scan reports about one process.
type ProcInfo struct {
	PID     int
	Comm    string // /proc/PID/stat's name (at most 15 bytes)
	Cmdline []byte // /proc/PID/cmdline: NUL-terminated words
}

// commLen is TASK_COMM_LEN - 1.
const commLen = 15

// paramMatch is keepalived's param_match mode.
type paramMatch int

const (
	matchNone    paramMatch = iota // no parameter check
	matchExact                     // all parameters, nothing more
	matchInitial                   // configured parameters begin the process's; the last may be a prefix
	matchPartial                   // configured parameters are the process's first ones
)

// procMatcher decides which processes a vrrp_track_process counts.
type procMatcher struct {
	name   string
	full   bool   // compare argv[0] of the command line, not comm
	params []byte // NUL-terminated configured parameters
	mode   paramMatch
}

// newProcMatcher applies keepalived's rules: parameters after the
// process name, param_match or full_command select full command-line
// matching; parameters without param_match match exactly.
func newProcMatcher(tp *config.TrackProcess) procMatcher {
	m := procMatcher{full: tp.FullCommand}
	if len(tp.Process) > 0 {
		m.name = tp.Process[0]
	}
	if len(tp.Process) > 1 {
		for _, p := range tp.Process[1:] {
			m.params = append(append(m.params, p...), 0)
		}
		m.full, m.mode = true, matchExact
	}
	if tp.ParamMatchSet {
		m.full = true
		switch tp.ParamMatch {
		case "initial":
			m.mode = matchInitial
		case "partial":
			m.mode = matchPartial
		default:
			m.mode = matchExact
		}
	}
	return m
}

// match reports whether p is one of the tracked processes.
func (m procMatcher) match(p ProcInfo) bool {
	if !m.full {
		name := m.name
		if len(name) > commLen {
			name = name[:commLen]
		}
		return p.Comm == name
	}
	argv0, params, _ := bytes.Cut(p.Cmdline, []byte{0})
	if string(argv0) != m.name {
		return false
	}
	if m.mode == matchNone {
		return true
	}
	return m.checkParams(params)
}

// checkParams is keepalived's check_params over NUL-terminated words.
func (m procMatcher) checkParams(params []byte) bool {
	if m.mode == matchExact && len(m.params) == 0 && len(params) == 0 {
		return true
	}
	if len(params) < len(m.params) {
		return false
	}
	switch m.mode {
	case matchExact:
		return bytes.Equal(params, m.params)
	case matchPartial:
		return len(m.params) == 0 || bytes.HasPrefix(params, m.params)
	}
	// matchInitial: the last configured parameter may be a prefix.
	return len(m.params) <= 1 || bytes.HasPrefix(params, m.params[:len(m.params)-1])
}

// String describes the matcher for logs.
func (m procMatcher) String() string {
	return strings.TrimSpace(m.name + " " + strings.ReplaceAll(string(m.params), "\x00", " "))
}
