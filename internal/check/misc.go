package check

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// miscKillGrace is how long keepalived waits after SIGTERM before SIGKILL
// (and after SIGKILL before giving up) when a script overruns.
const miscKillGrace = 2 * time.Second

// miscProber is MISC_CHECK: runs the script in its own process group;
// at misc_timeout the group gets SIGTERM, then SIGKILL.
type miscProber struct {
	args    []string
	system  bool // keepalived's "</path" form, run by the shell
	cred    *syscall.Credential
	timeout time.Duration
	grace   time.Duration
}

func newMiscProber(c *config.Checker) (*miscProber, error) {
	s := c.Misc.Path
	if s == nil || len(s.Args) == 0 {
		return nil, errors.New("no misc_path")
	}
	if s.Disabled {
		return nil, fmt.Errorf("misc script %s disabled", s.Args[0])
	}
	p := &miscProber{args: s.Args, system: s.IsSystem(), timeout: c.Misc.Timeout, grace: miscKillGrace}
	usr, grp := c.Misc.User, c.Misc.Group
	if usr == "" {
		usr, grp = s.User, s.Group
	}
	if usr != "" {
		cred, err := credential(usr, grp)
		if err != nil {
			return nil, err
		}
		if cred.Uid != uint32(os.Geteuid()) || cred.Gid != uint32(os.Getegid()) {
			p.cred = cred
		}
	}
	return p, nil
}

// credential resolves a user and optional group.
func credential(name, group string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		if u, err = user.LookupId(name); err != nil {
			return nil, fmt.Errorf("script user %s: %w", name, err)
		}
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if group != "" {
		g, err := user.LookupGroup(group)
		if err != nil {
			if g, err = user.LookupGroupId(group); err != nil {
				return nil, fmt.Errorf("script group %s: %w", group, err)
			}
		}
		gid, _ = strconv.ParseUint(g.Gid, 10, 32)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

func (p *miscProber) key(c *config.Checker) string {
	return fmt.Sprintf("%q|%v|%d|%v|%s|%s", p.args, p.system, p.timeout, c.Misc.Dynamic, c.Misc.User, c.Misc.Group)
}

// Probe runs the script once.
func (p *miscProber) Probe(ctx context.Context, _ int) Result {
	var cmd *exec.Cmd
	if p.system {
		cmd = exec.Command("/bin/sh", "-c", p.args[0])
	} else {
		cmd = exec.Command(p.args[0], p.args[1:]...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: p.cred}
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		return Result{Reason: "failed", Detail: err.Error(), Exit: 1}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timeout := p.timeout
	if timeout <= 0 {
		timeout = time.Hour
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	pgid := cmd.Process.Pid
	var err error
	select {
	case err = <-done:
	case <-t.C:
		err = p.kill(pgid, done)
		return timedOut(err)
	case <-ctx.Done():
		err = p.kill(pgid, done)
		return timedOut(err)
	}
	return exitResult(err)
}

// kill sends SIGTERM to the script's group, SIGKILL after the grace time,
// and waits for it.
func (p *miscProber) kill(pgid int, done <-chan error) error {
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case err := <-done:
		_ = syscall.Kill(-pgid, syscall.SIGKILL) // its children too
		return err
	case <-time.After(p.grace):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	select {
	case err := <-done:
		return err
	case <-time.After(p.grace):
		return errors.New("script did not terminate after SIGKILL")
	}
}

func timedOut(err error) Result {
	r := exitResult(err)
	r.OK, r.TimedOut, r.Reason = false, true, "timed out"
	return r
}

// exitResult turns cmd.Wait's error into a result carrying the exit
// status (OK is decided by the machine: misc_dynamic accepts 2-255).
func exitResult(err error) Result {
	if err == nil {
		return Result{OK: true, Exit: 0}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return Result{Reason: "failed", Exit: int(ws.Signal()), Signaled: true}
		}
		return Result{Reason: "failed", Exit: ee.ExitCode()}
	}
	return Result{Reason: "failed", Detail: err.Error(), Exit: 1}
}
