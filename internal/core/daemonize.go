package core

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// DaemonEnv is set in the environment of the re-executed, detached child.
const DaemonEnv = "GOKEEPALIVED_DAEMON"

// IsDaemonChild reports whether this process is the detached child.
func IsDaemonChild(sys System) bool { return sys.Getenv(DaemonEnv) == "1" }

// Daemonize re-executes exe with args detached from the terminal (a new
// session, standard streams on /dev/null, DaemonEnv set) and waits until
// the child is ready, as a Type=forking unit expects: the child reports
// on a pipe (ReadyFDEnv) once its subsystems run, after it wrote its pid
// file, or why it could not start. It returns the status the parent
// should exit with: 0 once the child is ready, else the child's own
// status with its reason as the error.
func Daemonize(exe string, args, env []string, pidFile string, timeout time.Duration) (int, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return ExitFatal, fmt.Errorf("daemonize: %w", err)
	}
	defer func() { _ = r.Close() }()
	cmd := exec.Command(exe, args...)
	// ExtraFiles[0] is the child's descriptor 3.
	cmd.Env = append(env, DaemonEnv+"=1", ReadyFDEnv+"=3")
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	_ = w.Close() // the child holds the write end now
	if err != nil {
		return ExitFatal, fmt.Errorf("daemonize: start %s: %w", exe, err)
	}
	lines := make(chan []string, 1)
	go func() { lines <- readReport(r) }()
	select {
	case report := <-lines:
		if len(report) > 0 && report[0] == readyLine {
			return ExitOK, nil
		}
		return childExit(cmd, report)
	case <-time.After(timeout):
		return ExitFatal, fmt.Errorf("daemonize: pid %d not ready after %v (pid file %s)", cmd.Process.Pid, timeout, pidFile)
	}
}

// readReport reads the child's report: the ready line alone, or the
// lines explaining a failed start, up to the child closing the pipe.
func readReport(r io.Reader) []string {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out = append(out, sc.Text())
		if len(out) == 1 && out[0] == readyLine {
			break
		}
	}
	return out
}

// childExit waits for a child that closed the pipe without being ready
// and returns its status, with its report as the error.
func childExit(cmd *exec.Cmd, report []string) (int, error) {
	var reason error
	if len(report) > 0 {
		reason = errors.New(strings.Join(report, "\n"))
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), reason
	case err != nil:
		return ExitFatal, fmt.Errorf("daemonize: %w", err)
	}
	return ExitOK, reason
}

// DaemonEnviron returns the environment for the child: os.Environ without
// an inherited DaemonEnv or ReadyFDEnv.
func DaemonEnviron() []string {
	var env []string
	for _, e := range os.Environ() {
		if strings.HasPrefix(e, DaemonEnv+"=") || strings.HasPrefix(e, ReadyFDEnv+"=") {
			continue
		}
		env = append(env, e)
	}
	return env
}
