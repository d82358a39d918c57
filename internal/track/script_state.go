package track

import (
	"fmt"
	"syscall"

	"github.com/gokeepalived/keepalived/internal/script"
)

// initPhase is keepalived's script init_state.
type initPhase int

const (
	initDone   initPhase = iota
	initInit             // no result yet: one result decides
	initFailed           // init_fail: starts failed, needs rise successes
)

// scriptState is keepalived's rise/fall counter of one vrrp_script: the
// script is up while result >= rise; result runs from 0 to rise+fall-1.
type scriptState struct {
	name       string
	rise, fall int
	result     int
	init       initPhase
	lastStatus int
	state      State
}

// newScriptState returns the state of a script before its first run.
func newScriptState(name string, rise, fall int, initFail bool) *scriptState {
	rise, fall = max(rise, 1), max(fall, 1)
	s := &scriptState{name: name, rise: rise, fall: fall, init: initInit, result: rise - 1}
	if initFail {
		s.init, s.result, s.state = initFailed, 0, Down
	}
	return s
}

// outcome classifies a run as keepalived's vrrp_script_child_thread does.
type outcome struct {
	success bool
	kind    string // "succeeded", "failed" or "timed_out"
	reason  string // "exited with status", "due to signal", "" for none
	code    int
}

// classify maps a runner Result to an outcome; ok is false for a run
// that says nothing about the object (cancelled at shutdown).
func classify(r script.Result) (o outcome, ok bool) {
	switch {
	case r.Canceled:
		return outcome{}, false
	case r.Err != nil:
		// keepalived's forked child exits 0 when execve fails; a script
		// that cannot run counts as failed here (decision: fail safe).
		return outcome{kind: "failed"}, true
	case r.Exited && r.Status == 0:
		return outcome{success: true, kind: "succeeded"}, true
	case r.Exited:
		return outcome{kind: "failed", reason: "exited with status", code: r.Status}, true
	case r.Signaled && r.TimedOut && (r.Signal == syscall.SIGTERM || r.Signal == syscall.SIGKILL):
		return outcome{kind: "timed_out"}, true
	case r.Signaled:
		return outcome{kind: "failed", reason: "due to signal", code: int(r.Signal)}, true
	}
	return outcome{kind: "failed"}, true
}

// apply records a run's outcome. It returns the log lines keepalived
// writes and whether the script's state changed.
func (s *scriptState) apply(r script.Result) (logs []string, changed bool) {
	o, ok := classify(r)
	if !ok {
		return nil, false
	}
	if r.Exited && r.Err == nil {
		if r.Status != s.lastStatus {
			logs = append(logs, fmt.Sprintf("Script `%s` now returning %d", s.name, r.Status))
		}
		s.lastStatus = r.Status
	}
	prev := s.state
	if o.success {
		if s.result < s.rise-1 {
			s.result++
		} else if s.result != s.rise+s.fall-1 {
			if s.result < s.rise {
				logs = append(logs, fmt.Sprintf("VRRP_Script(%s) %s", s.name, o.kind))
				s.state = Up
			}
			s.result = s.rise + s.fall - 1
		}
	} else {
		if s.result > s.rise {
			s.result--
		} else {
			if s.result == s.rise || s.init == initInit {
				if o.reason != "" {
					logs = append(logs, fmt.Sprintf("VRRP_Script(%s) %s (%s %d)", s.name, o.kind, o.reason, o.code))
				} else {
					logs = append(logs, fmt.Sprintf("VRRP_Script(%s) %s", s.name, o.kind))
				}
				s.state = Down
			}
			s.result = 0
		}
	}
	s.init = initDone
	return logs, s.state != prev
}
