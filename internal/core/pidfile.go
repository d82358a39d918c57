package core

import (
	"fmt"
	"strconv"
	"strings"
)

// readPid returns the pid stored in a pid file, or 0.
func readPid(sys System, path string) int {
	b, err := sys.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// runningPid returns the pid of another live process named by any of the
// pid files (keepalived's "daemon is already running" check), or 0.
func runningPid(sys System, paths ...string) int {
	self := sys.Getpid()
	for _, p := range paths {
		if pid := readPid(sys, p); pid != 0 && pid != self && sys.ProcessAlive(pid) {
			return pid
		}
	}
	return 0
}

// writePid writes this process's pid to path.
func writePid(sys System, path string) error {
	if err := sys.WriteFile(path, []byte(strconv.Itoa(sys.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("write pid file: %w", err)
	}
	return nil
}

// removePid removes path if it still names this process.
func removePid(sys System, path string) error {
	if readPid(sys, path) != sys.Getpid() {
		return nil
	}
	if err := sys.Remove(path); err != nil {
		return fmt.Errorf("remove pid file: %w", err)
	}
	return nil
}
