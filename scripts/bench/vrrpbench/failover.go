package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// series is one implementation and protocol version under test.
type series struct {
	impl   string // "ours" or "stock"
	bin    string
	v3     bool
	advert time.Duration
}

// name identifies the series in file names and tables.
func (s series) name() string {
	v := "v2"
	if s.v3 {
		v = "v3"
	}
	return v + "-" + s.impl
}

// priority is both nodes' priority: equal priorities and nopreempt keep a
// restarted node in BACKUP, so a trial needs no preemption wait.
const priority = 100

// skew is the backup's Skew_Time (v2: (256-prio)/256 s; v3: scaled by the
// advert interval).
func (s series) skew() time.Duration {
	if s.v3 {
		return time.Duration(256-priority) * s.advert / 256
	}
	return time.Duration(256-priority) * time.Second / 256
}

// conf is a node's configuration: a master/backup pair with one VIP.
func (s series) conf(routerID string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "global_defs {\n    router_id %s\n", routerID)
	if s.v3 {
		b.WriteString("    vrrp_version 3\n")
	}
	b.WriteString("}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n")
	fmt.Fprintf(&b, "    priority %d\n    nopreempt\n", priority)
	if s.v3 {
		b.WriteString("    advert_int 0.1\n")
	} else {
		b.WriteString("    advert_int 1\n    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n")
	}
	b.WriteString("    virtual_ipaddress {\n        10.99.0.200/24\n    }\n}\n")
	return b.String()
}

// trial is one failover: the master (old) is stopped or crashed at killAt.
type trial struct {
	crash    bool
	killAt   time.Time
	old, new int
}

// sleepCtx sleeps for d or until the context ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// capture is a tcpdump running in the bridge namespace.
type capture struct {
	cmd  *exec.Cmd
	path string
}

// startCapture records VRRP and ARP on br0 with kernel timestamps, and
// returns once tcpdump listens.
func startCapture(ctx context.Context, l *lab, path string) (*capture, error) {
	cmd := exec.Command("ip", "netns", "exec", l.bridge, "tcpdump", "-i", "br0", "-n", "-s", "128", "-U", "--immediate-mode",
		"--time-stamp-precision=micro", "-w", path, "ip proto 112 or arp")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("tcpdump: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("tcpdump: %w", err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		once := false
		for sc.Scan() {
			if !once && strings.Contains(sc.Text(), "listening on") {
				close(ready)
				once = true
			}
		}
		if !once {
			close(ready)
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	return &capture{cmd: cmd, path: path}, nil
}

// stop ends tcpdump (SIGINT flushes the file) and waits for it.
func (c *capture) stop() {
	time.Sleep(300 * time.Millisecond) // the last frames
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	_ = c.cmd.Wait()
}

// runSeries runs n clean stops and n crashes, interleaved, and returns
// the trials and the capture file.
func runSeries(ctx context.Context, l *lab, s series, n int, dir string) ([]trial, string, error) {
	confs := [2]string{}
	for i := range confs {
		confs[i] = filepath.Join(dir, fmt.Sprintf("%s-h%d.conf", s.name(), i+1))
		if err := writeFile(confs[i], s.conf(fmt.Sprintf("h%d", i+1))); err != nil {
			return nil, "", err
		}
	}
	pcap := filepath.Join(dir, s.name()+".pcap")
	cp, err := startCapture(ctx, l, pcap)
	if err != nil {
		return nil, "", err
	}
	defer cp.stop()
	var d [2]*daemon
	defer func() {
		for i := range d {
			if d[i] != nil {
				d[i].stop(5 * time.Second)
			}
			l.dropVIP(i)
		}
	}()
	start := func(i int) error {
		var err error
		d[i], err = startDaemon(s.bin, l.hosts[i].ns, confs[i], dir, fmt.Sprintf("%s-h%d", s.name(), i+1))
		return err
	}
	for i := range d {
		if err := start(i); err != nil {
			return nil, "", err
		}
	}
	mdi := 3*s.advert + s.skew()
	master := -1
	wctx, cancel := context.WithTimeout(ctx, 10*mdi+10*time.Second)
	for master < 0 {
		for i := range d {
			if l.hasVIP(i) {
				master = i
			}
		}
		if err := sleepCtx(wctx, 10*time.Millisecond); err != nil {
			cancel()
			return nil, "", fmt.Errorf("%s: no master elected: %w", s.name(), err)
		}
	}
	cancel()
	// Equal priorities: both may claim mastership once; let it settle.
	if err := sleepCtx(ctx, mdi+2*s.advert+time.Second); err != nil {
		return nil, "", err
	}
	switch {
	case l.hasVIP(0) && !l.hasVIP(1):
		master = 0
	case l.hasVIP(1) && !l.hasVIP(0):
		master = 1
	default:
		return nil, "", fmt.Errorf("%s: not exactly one node holds the VIP after start", s.name())
	}
	var trials []trial
	for t := 0; t < 2*n; t++ {
		// The restarted node must be up and have heard an advert.
		if err := sleepCtx(ctx, s.advert+700*time.Millisecond); err != nil {
			return trials, pcap, err
		}
		tr := trial{crash: t%2 == 1, old: master, new: 1 - master}
		tr.killAt = time.Now()
		if tr.crash {
			d[master].crash()
		} else {
			d[master].stop(10 * time.Second)
		}
		wctx, cancel := context.WithTimeout(ctx, 3*mdi+10*time.Second)
		err := l.waitVIP(wctx, tr.new)
		cancel()
		if err != nil {
			return trials, pcap, fmt.Errorf("%s trial %d: %w", s.name(), t, err)
		}
		trials = append(trials, tr)
		if err := sleepCtx(ctx, 200*time.Millisecond); err != nil { // the GARPs
			return trials, pcap, err
		}
		l.dropVIP(tr.old) // a crashed daemon leaves its VIP behind
		if err := start(tr.old); err != nil {
			return trials, pcap, err
		}
		master = tr.new
		fmt.Fprintf(os.Stderr, "\r%s: trial %d/%d", s.name(), t+1, 2*n)
	}
	fmt.Fprintln(os.Stderr)
	return trials, pcap, nil
}

// result is one trial measured from the capture.
type result struct {
	crash        bool
	advert, garp time.Duration // new master's first advert, first GARP: after the last advert, minus the floor
	gap, floor   time.Duration // last advert -> first new advert; the protocol floor
	err          error
}

// analyze measures every trial from the captured frames.
func analyze(l *lab, s series, trials []trial, frames []frame) []result {
	var out []result
	for i, tr := range trials {
		end := time.Now().Add(time.Hour)
		if i+1 < len(trials) {
			end = trials[i+1].killAt
		}
		begin := tr.killAt.Add(-2*s.advert - 100*time.Millisecond)
		old, nw := l.hosts[tr.old], l.hosts[tr.new]
		r := result{crash: tr.crash, floor: s.skew()}
		if tr.crash {
			r.floor = 3*s.advert + s.skew()
		}
		var newAdv, last, garp time.Time
		for _, f := range frames {
			if f.at.Before(begin) || !f.at.Before(end) {
				continue
			}
			if newAdv.IsZero() && f.kind == kindAdvert && f.src.String() == nw.addr && f.priority > 0 && !f.at.Before(tr.killAt) {
				newAdv = f.at
			}
		}
		for _, f := range frames {
			if f.at.Before(begin) || !f.at.Before(end) || newAdv.IsZero() || !f.at.Before(newAdv) {
				continue
			}
			if f.kind != kindAdvert || f.src.String() != old.addr {
				continue
			}
			if tr.crash {
				last = f.at
			} else if f.priority == 0 && last.IsZero() {
				last = f.at
			}
		}
		for _, f := range frames {
			if garp.IsZero() && !last.IsZero() && f.kind == kindARP && f.src.String() == l.vip &&
				f.srcMAC.String() == nw.mac.String() && f.at.After(last) && f.at.Before(end) {
				garp = f.at
			}
		}
		switch {
		case newAdv.IsZero():
			r.err = errors.New("no advert from the new master")
		case last.IsZero() && tr.crash:
			r.err = errors.New("no advert from the old master")
		case last.IsZero():
			r.err = errors.New("no priority-0 advert from the old master")
		case garp.IsZero():
			r.err = errors.New("no gratuitous ARP from the new master")
		default:
			r.gap = newAdv.Sub(last)
			r.advert = r.gap - r.floor
			r.garp = garp.Sub(last) - r.floor
		}
		out = append(out, r)
	}
	return out
}
