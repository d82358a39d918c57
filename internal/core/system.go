package core

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// System is the OS as core sees it; tests replace it.
type System interface {
	Getpid() int
	// ProcessAlive reports whether a process with this pid exists and is
	// not a zombie.
	ProcessAlive(pid int) bool
	ReadFile(path string) ([]byte, error)
	// WriteFile replaces path's content, creating it with perm.
	WriteFile(path string, data []byte, perm os.FileMode) error
	Remove(path string) error
	// Notify relays the given signals to c; StopNotify undoes it.
	Notify(c chan<- os.Signal, sigs ...os.Signal)
	StopNotify(c chan<- os.Signal)
	Getenv(key string) string
}

// OS is the real System.
type OS struct{}

// Getpid returns the process id.
func (OS) Getpid() int { return os.Getpid() }

// ProcessAlive probes pid with signal 0 and rejects zombies.
func (OS) ProcessAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

// ReadFile reads a file.
func (OS) ReadFile(path string) ([]byte, error) { return os.ReadFile(path) }

// WriteFile writes a file.
func (OS) WriteFile(path string, data []byte, perm os.FileMode) error {
	return os.WriteFile(path, data, perm)
}

// Remove removes a file.
func (OS) Remove(path string) error { return os.Remove(path) }

// Notify relays signals (os/signal.Notify).
func (OS) Notify(c chan<- os.Signal, sigs ...os.Signal) { signal.Notify(c, sigs...) }

// StopNotify stops relaying (os/signal.Stop).
func (OS) StopNotify(c chan<- os.Signal) { signal.Stop(c) }

// Getenv reads the environment.
func (OS) Getenv(key string) string { return os.Getenv(key) }
