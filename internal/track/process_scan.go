package track

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// ProcSource lists the running processes.
type ProcSource interface {
	Scan() ([]ProcInfo, error)
}

// ProcReader reads one process; ok is false when it is gone or a zombie.
type ProcReader interface {
	Read(pid int) (ProcInfo, bool)
}

// ProcFS scans a procfs mount (Root "" means /proc). Zombies are skipped.
type ProcFS struct {
	Root string
	// Cmdline selects reading command lines (needed by full_command
	// matchers); without it only comm is read.
	Cmdline bool
}

// Scan implements ProcSource. Processes that vanish mid-scan are skipped.
func (p ProcFS) Scan() ([]ProcInfo, error) {
	root := p.Root
	if root == "" {
		root = "/proc"
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("process scan: %w", err)
	}
	out := make([]ProcInfo, 0, len(ents))
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		if pi, ok := p.read(root, pid); ok {
			out = append(out, pi)
		}
	}
	return out, nil
}

// Read implements ProcReader.
func (p ProcFS) Read(pid int) (ProcInfo, bool) {
	root := p.Root
	if root == "" {
		root = "/proc"
	}
	return p.read(root, pid)
}

func (p ProcFS) read(root string, pid int) (ProcInfo, bool) {
	dir := filepath.Join(root, strconv.Itoa(pid))
	comm, state, ok := readStat(filepath.Join(dir, "stat"))
	if !ok || state == 'Z' || state == 'X' {
		return ProcInfo{}, false
	}
	pi := ProcInfo{PID: pid, Comm: comm}
	if p.Cmdline {
		pi.Cmdline, _ = os.ReadFile(filepath.Join(dir, "cmdline"))
	}
	return pi, true
}

// readStat returns the name and state of /proc/PID/stat: "pid (name) S ...".
// The name may hold spaces and parentheses, so it ends at the last ')'.
func readStat(path string) (string, byte, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, false
	}
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 0 || end < open || end+2 >= len(b) {
		return "", 0, false
	}
	return string(b[open+1 : end]), b[end+2], true
}
