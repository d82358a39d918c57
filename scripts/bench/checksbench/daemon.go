package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// daemon is one running keepalived, ours or stock.
type daemon struct {
	name string
	cmd  *exec.Cmd
	log  string
	pid  int // the process doing the checks (stock: the checker child)
}

// startStock runs stock keepalived's checker side (-C) with the IPVS shim
// preloaded.
func startStock(bin, shim, cfg, dir string) (*daemon, error) {
	chk := filepath.Join(dir, "stock.chk.pid")
	_ = os.Remove(chk)
	args := []string{"-n", "-l", "-C", "-G", "-f", cfg,
		"-p", filepath.Join(dir, "stock.pid"), "-c", chk,
		"-r", filepath.Join(dir, "stock.vrrp.pid"), "-b", filepath.Join(dir, "stock.bfd.pid")}
	d, err := start("stock", bin, args, []string{"LD_PRELOAD=" + shim}, dir)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(chk); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 && pid != d.cmd.Process.Pid {
				d.pid = pid
				return d, nil
			}
		}
		if d.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.stop()
	return nil, fmt.Errorf("stock: no checker process (see %s)", d.log)
}

// startOurs runs this binary's "ours" command.
func startOurs(cfg, dir string, env []string, extra ...string) (*daemon, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("ours: %w", err)
	}
	d, err := start("ours", self, append([]string{"ours", "-f", cfg, "-run", dir}, extra...), env, dir)
	if err != nil {
		return nil, err
	}
	d.pid = d.cmd.Process.Pid
	return d, nil
}

func start(name, bin string, args, env []string, dir string) (*daemon, error) {
	log := filepath.Join(dir, name+".log")
	f, err := os.Create(log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	_ = f.Close()
	return &daemon{name: name, cmd: cmd, log: log}, nil
}

// stop sends SIGTERM, waits up to a minute, then kills the process group.
func (d *daemon) stop() {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = d.cmd.Wait(); close(done) }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// logCount counts the log lines containing each of words.
func (d *daemon) logCount(words ...string) map[string]int {
	out := map[string]int{}
	b, err := os.ReadFile(d.log)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return out
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		for _, w := range words {
			if bytes.Contains(line, []byte(w)) {
				out[w]++
			}
		}
	}
	return out
}
