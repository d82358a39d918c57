package script

import (
	"fmt"
	"syscall"
	"time"
)

// Result is the outcome of one run.
type Result struct {
	Pid      int            // process id (0 when it never started)
	Exited   bool           // the program exited by itself (ExitStatus is valid)
	Status   int            // exit status when Exited
	Signaled bool           // the program was ended by a signal
	Signal   syscall.Signal // that signal when Signaled
	// TimedOut is set when the job's timeout passed and the runner sent
	// the process group SIGTERM (and maybe SIGKILL). A program that
	// handles SIGTERM may still have Exited with a status of its choice.
	TimedOut bool
	// Canceled is set when the job's context ended before the program.
	Canceled bool
	Duration time.Duration // from start to exit
	Err      error         // the program could not be started
}

// Success reports whether the program exited with status 0.
func (r Result) Success() bool { return r.Err == nil && r.Exited && r.Status == 0 }

// String describes the result for logs.
func (r Result) String() string {
	switch {
	case r.Err != nil:
		return "error: " + r.Err.Error()
	case r.Exited && r.TimedOut:
		return fmt.Sprintf("exited with status %d after timeout", r.Status)
	case r.Exited:
		return fmt.Sprintf("exited with status %d", r.Status)
	case r.Signaled && r.TimedOut:
		return fmt.Sprintf("timed out (signal %d)", int(r.Signal))
	case r.Signaled:
		return fmt.Sprintf("killed by signal %d", int(r.Signal))
	}
	return "unknown"
}
