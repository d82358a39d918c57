package core

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// DaemonEnv is set in the environment of the re-executed, detached child.
const DaemonEnv = "GOKEEPALIVED_DAEMON"

// IsDaemonChild reports whether this process is the detached child.
func IsDaemonChild(sys System) bool { return sys.Getenv(DaemonEnv) == "1" }

// Daemonize re-executes exe with args detached from the terminal (a new
// session, standard streams on /dev/null, DaemonEnv set) and waits until
// the child has written its pid to pidFile or has exited. It returns the
// status the parent should exit with: 0 once the pid file names the child,
// or the child's own status if it ended first.
func Daemonize(exe string, args, env []string, pidFile string, timeout time.Duration) (int, error) {
	cmd := exec.Command(exe, args...)
	cmd.Env = append(env, DaemonEnv+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return ExitFatal, fmt.Errorf("daemonize: start %s: %w", exe, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for {
		select {
		case err := <-done:
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return ee.ExitCode(), nil
			}
			if err != nil {
				return ExitFatal, fmt.Errorf("daemonize: %w", err)
			}
			return ExitOK, nil
		case <-tick.C:
			if readPid(OS{}, pidFile) == cmd.Process.Pid {
				return ExitOK, nil
			}
		case <-deadline:
			return ExitFatal, fmt.Errorf("daemonize: no pid in %s after %v", pidFile, timeout)
		}
	}
}

// DaemonEnviron returns the environment for the child: os.Environ without
// an inherited DaemonEnv.
func DaemonEnviron() []string {
	var env []string
	for _, e := range os.Environ() {
		if len(e) > len(DaemonEnv) && e[:len(DaemonEnv)+1] == DaemonEnv+"=" {
			continue
		}
		env = append(env, e)
	}
	return env
}
