package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// clkTck is USER_HZ, the unit of utime and stime in /proc/PID/stat.
const clkTck = 100

// usage is what one daemon used while running the 100-instance config.
type usage struct {
	impl     string
	cpu      time.Duration // utime+stime over the window, all processes
	window   time.Duration
	rssKiB   uint64 // VmRSS summed over all processes, at the end
	procs    int
	vipsHeld int
}

// manyConf is one node with n VRRPv3 instances at advert_int 0.1.
func manyConf(n int) string {
	var b strings.Builder
	b.WriteString("global_defs {\n    router_id many\n    vrrp_version 3\n}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "vrrp_instance VI_%d {\n    state BACKUP\n    interface eth0\n    virtual_router_id %d\n"+
			"    priority 150\n    advert_int 0.1\n    virtual_ipaddress {\n        10.99.1.%d/24\n    }\n}\n", i, i, i)
	}
	return b.String()
}

// measureUsage runs bin with n instances in the lab's first host for the
// window (after a warm-up in which every instance becomes master).
func measureUsage(ctx context.Context, l *lab, impl, bin string, n int, window time.Duration, dir string) (usage, error) {
	u := usage{impl: impl, window: window}
	conf := filepath.Join(dir, fmt.Sprintf("many-%d.conf", n))
	if err := writeFile(conf, manyConf(n)); err != nil {
		return u, err
	}
	d, err := startDaemon(bin, l.hosts[0].ns, conf, dir, "many-"+impl)
	if err != nil {
		return u, err
	}
	defer func() {
		d.stop(10 * time.Second)
		_ = exec.Command("ip", "-n", l.hosts[0].ns, "addr", "flush", "dev", "eth0", "to", "10.99.1.0/24").Run()
	}()
	if err := sleepCtx(ctx, 3*time.Second); err != nil {
		return u, err
	}
	ticks := func() (uint64, []int) {
		pids := d.tree()
		var t uint64
		for _, p := range pids {
			if st, err := readStat(p); err == nil {
				t += st.utime + st.stime
			}
		}
		return t, pids
	}
	t0, _ := ticks()
	if err := sleepCtx(ctx, window); err != nil {
		return u, err
	}
	t1, pids := ticks()
	u.cpu = time.Duration(t1-t0) * time.Second / clkTck
	u.procs = len(pids)
	for _, p := range pids {
		u.rssKiB += vmRSS(p)
	}
	out, _ := exec.Command("ip", "-n", l.hosts[0].ns, "-4", "-o", "addr", "show", "dev", "eth0").Output()
	u.vipsHeld = strings.Count(string(out), " 10.99.1.")
	return u, nil
}
