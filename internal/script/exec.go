package script

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// shell runs keepalived's "</path" scripts, as system(3) does.
const shell = "/bin/sh"

// argv returns the program path and argv for s plus extra words.
func argv(s *config.Script, extra []string) (string, []string, error) {
	words := append(append([]string(nil), s.Args...), extra...)
	if s.IsSystem() {
		return shell, []string{"sh", "-c", shellLine(words)}, nil
	}
	path := words[0]
	if !strings.Contains(path, "/") {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", nil, fmt.Errorf("script %s: %w", path, err)
		}
		path = p
	}
	return path, words, nil
}

// shellLine quotes words for sh -c as keepalived's cmd_str does: every
// word in single quotes except a first word starting with '<' or '>'.
func shellLine(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == 0 && (strings.HasPrefix(w, "<") || strings.HasPrefix(w, ">")) {
			b.WriteString(w)
			continue
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(w, "'", `'\''`))
		b.WriteByte('\'')
	}
	return b.String()
}

// startProcess starts job's program in its own process group.
func (r *Runner) startProcess(job Job) (*os.Process, error) {
	path, args, err := argv(job.Script, job.Extra)
	if err != nil {
		return nil, err
	}
	id, err := r.runAs(job.Script)
	if err != nil {
		return nil, err
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	defer null.Close()
	p, err := os.StartProcess(path, args, &os.ProcAttr{
		Env:   os.Environ(),
		Files: []*os.File{null, null, null},
		Sys: &syscall.SysProcAttr{
			Setpgid:    true,
			Credential: credential(id),
			Pdeathsig:  syscall.SIGTERM,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("script %s: %w", job.Script.Args[0], err)
	}
	return p, nil
}

// run starts job and waits for it, terminating its process group at the
// timeout or when ctx ends.
func (r *Runner) run(ctx context.Context, job Job) Result {
	t0 := time.Now()
	p, err := r.startProcess(job)
	if err != nil {
		r.log.Warn(err.Error())
		return Result{Err: err}
	}
	res := Result{Pid: p.Pid}
	waited := make(chan *os.ProcessState, 1)
	go func() {
		st, _ := p.Wait()
		waited <- st
	}()

	var deadline <-chan time.Time
	if job.Timeout > 0 {
		t := time.NewTimer(job.Timeout)
		defer t.Stop()
		deadline = t.C
	}
	var grace *time.Timer
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()
	var graceC <-chan time.Time
	done := ctx.Done()
	kills := 0 // signals sent: 1 SIGTERM, 2+ SIGKILL
	escalate := func() {
		sig := syscall.SIGTERM
		if kills > 0 {
			sig = syscall.SIGKILL
		}
		if kills >= 2 {
			r.log.Info(fmt.Sprintf("Script %s child (PID %d) failed to terminate after kill", job.Script.Args[0], p.Pid))
		}
		kills++
		_ = syscall.Kill(-p.Pid, sig)
		if grace == nil {
			grace = time.NewTimer(r.opt.Grace)
		} else {
			grace.Reset(r.opt.Grace)
		}
		graceC = grace.C
	}
	for {
		select {
		case st := <-waited:
			res.Duration = time.Since(t0)
			fill(&res, st)
			if job.Script.IsSystem() && res.Exited && (res.Status == 126 || res.Status == 127) {
				// keepalived's system() path: "couldn't find/execute
				// command" is logged and reported as exit 0.
				r.log.Warn("Couldn't execute command: " + shellLine(job.Script.Args))
				res.Status = 0
			}
			if res.Signaled && kills > 0 && res.Signal == syscall.SIGTERM {
				// The leader obeyed our SIGTERM: make sure its children go too.
				_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
			}
			return res
		case <-deadline:
			deadline = nil
			res.TimedOut = true
			if kills == 0 {
				if job.KillAtTimeout {
					kills = 1 // straight to SIGKILL
				}
				escalate()
			}
		case <-done:
			done = nil
			res.Canceled = true
			if kills == 0 {
				escalate()
			}
		case <-graceC:
			escalate()
		}
	}
}

// fill records a wait status in res.
func fill(res *Result, st *os.ProcessState) {
	if st == nil {
		res.Err = fmt.Errorf("script: wait for pid %d failed", res.Pid)
		return
	}
	ws, ok := st.Sys().(syscall.WaitStatus)
	if !ok {
		res.Exited, res.Status = st.Exited(), st.ExitCode()
		return
	}
	switch {
	case ws.Exited():
		res.Exited, res.Status = true, ws.ExitStatus()
	case ws.Signaled():
		res.Signaled, res.Signal = true, ws.Signal()
	}
}
