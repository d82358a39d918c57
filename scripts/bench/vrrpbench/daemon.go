package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// daemon is one keepalived process (ours or stock) running in a namespace.
type daemon struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// startDaemon runs bin in namespace ns in the foreground (VRRP only) with
// its own pid files under dir; its log goes to dir/NAME.log.
func startDaemon(bin, ns, conf, dir, name string) (*daemon, error) {
	logf, err := os.OpenFile(filepath.Join(dir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("daemon log: %w", err)
	}
	p := func(s string) string { return filepath.Join(dir, name+s+".pid") }
	// A crashed daemon leaves its pid files, and an unreaped child makes
	// stock keepalived think it is still running.
	for _, s := range []string{"", ".vrrp", ".chk", ".bfd"} {
		_ = os.Remove(p(s))
	}
	cmd := exec.Command("ip", "netns", "exec", ns, bin, "-n", "-l", "-D", "-G", "-P", "-f", conf,
		"-p", p(""), "-r", p(".vrrp"), "-c", p(".chk"), "-b", p(".bfd"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s in %s: %w", bin, ns, err)
	}
	d := &daemon{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); logf.Close(); close(d.done) }()
	return d, nil
}

// pid is the daemon's main process (ip netns exec execs the daemon).
func (d *daemon) pid() int { return d.cmd.Process.Pid }

// tree lists the daemon's process and its descendants.
func (d *daemon) tree() []int { return processTree(d.pid()) }

// stop sends SIGTERM and waits for the exit (SIGKILL after the timeout).
func (d *daemon) stop(timeout time.Duration) {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(timeout):
		d.crash()
	}
}

// crash stops every process of the daemon at once (SIGSTOP), then kills
// them all, as a host crash would: no process gets to send a last advert.
func (d *daemon) crash() {
	pids := d.tree()
	for _, p := range pids {
		_ = syscall.Kill(p, syscall.SIGSTOP)
	}
	for _, p := range pids {
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
	select {
	case <-d.done:
	case <-time.After(5 * time.Second):
	}
}

// processTree returns root and all its descendants, from /proc.
func processTree(root int) []int {
	children := map[int][]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readStat(pid)
		if err != nil {
			continue
		}
		children[st.ppid] = append(children[st.ppid], pid)
	}
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// procStat holds the fields of /proc/PID/stat the benchmark needs.
type procStat struct {
	state        byte
	ppid         int
	utime, stime uint64
}

// readStat parses /proc/PID/stat (the command name may hold spaces).
func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, fmt.Errorf("stat %d: %w", pid, err)
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("stat %d: malformed", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return procStat{}, fmt.Errorf("stat %d: short", pid)
	}
	var st procStat
	st.state = f[0][0]
	st.ppid, _ = strconv.Atoi(f[1])
	st.utime, _ = strconv.ParseUint(f[11], 10, 64)
	st.stime, _ = strconv.ParseUint(f[12], 10, 64)
	return st, nil
}

// vmRSS returns VmRSS of a process in KiB (0 when gone).
func vmRSS(pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseUint(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}
