package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// result is one daemon's measured window.
type result struct {
	name            string
	cpuPct          float64 // utime+stime over the window, % of one CPU
	rssKB, hwmKB    int64
	spread          spread
	failed, removed int
}

func runBench(args []string) int {
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	tcp := fs.Int("tcp", 10000, "TCP_CHECK real servers")
	http := fs.Int("http", 2000, "HTTP_GET real servers")
	warmup := fs.Duration("warmup", 20*time.Second, "time from start to the measured window")
	window := fs.Duration("window", 60*time.Second, "measured window")
	stock := fs.String("stock", "/usr/sbin/keepalived", "stock keepalived")
	shim := fs.String("shim", "", "IPVS shim for stock keepalived (LD_PRELOAD)")
	only := fs.String("only", "stock,ours", "daemons to run, in order")
	out := fs.String("out", "", "directory for the configuration and logs (default: temporary)")
	prof := fs.String("cpuprofile", "", "CPU profile of ours over the window (heap profile at PATH.heap)")
	oursEnv := fs.String("ours-env", "", "extra environment of ours, e.g. GOMAXPROCS=1 (comma-separated)")
	_ = fs.Parse(args)

	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "checksbench")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer func() { _ = os.RemoveAll(d) }()
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	l := newLayout(*tcp, *http)
	cfg := filepath.Join(dir, "keepalived.conf")
	if err := l.writeConfig(cfg, 1); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln := newListener(l)
	if err := ln.serve(ctx, l); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("# %d TCP_CHECK + %d HTTP_GET real servers, delay_loop 1; warm-up %s, window %s\n", *tcp, *http, *warmup, *window)
	var rs []result
	for _, name := range strings.Split(*only, ",") {
		var d *daemon
		var err error
		switch name {
		case "stock":
			d, err = startStock(*stock, *shim, cfg, dir)
		case "ours":
			var extra []string
			if *prof != "" {
				extra = []string{"-cpuprofile", *prof, "-profwait", warmup.String(), "-profdur", window.String()}
			}
			d, err = startOurs(cfg, dir, splitEnv(*oursEnv), extra...)
		default:
			err = fmt.Errorf("unknown daemon %q", name)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		r, err := measure(d, ln, *warmup, *window)
		d.stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		c := d.logCount("failed", "Removing service")
		r.failed, r.removed = c["failed"], c["Removing service"]
		rs = append(rs, r)
		printResult(r)
		time.Sleep(3 * time.Second) // let the last connections drain
	}
	printTable(rs)
	return 0
}

// measure waits warmup, then measures CPU, RSS and the listener's spread
// over window.
func measure(d *daemon, ln *listener, warmup, window time.Duration) (result, error) {
	time.Sleep(warmup)
	c0, err := cpuTicks(d.pid)
	if err != nil {
		return result{}, err
	}
	t0 := time.Now()
	ln.reset(t0)
	var rss, hwm int64
	for end := t0.Add(window); time.Now().Before(end); {
		time.Sleep(min(time.Second, time.Until(end)))
		r, h, err := memKB(d.pid)
		if err != nil {
			return result{}, err
		}
		rss, hwm = max(rss, r), h
	}
	c1, err := cpuTicks(d.pid)
	if err != nil {
		return result{}, err
	}
	t1 := time.Now()
	return result{
		name:   d.name,
		cpuPct: float64(c1-c0) / clkTck / t1.Sub(t0).Seconds() * 100,
		rssKB:  rss, hwmKB: hwm,
		spread: ln.window(t1),
	}, nil
}

// perCheck is the CPU time per check seen by the listener, µs.
func perCheck(r result) float64 {
	if r.spread.PerSec == 0 {
		return 0
	}
	return r.cpuPct / 100 * 1e6 / r.spread.PerSec
}

func printResult(r result) {
	s := r.spread
	fmt.Printf("%s: cpu %.1f%% (%.0f µs/check) rss %d KiB (hwm %d), %.0f checks/s, %d/%d real servers checked, interval p1/p50/p99/max %d/%d/%d/%d ms, per 10 ms mean %.1f p99 %d max %d; log: %d failed, %d removed\n",
		r.name, r.cpuPct, perCheck(r), r.rssKB, r.hwmKB, s.PerSec, s.Covered, s.Targets, s.IvlP1, s.IvlP50, s.IvlP99, s.IvlMx, s.BktMean, s.BktP99, s.BktMx, r.failed, r.removed)
}

func printTable(rs []result) {
	fmt.Println()
	fmt.Println("| daemon | CPU (% of one core) | CPU per check (µs) | RSS (MiB) | checks/s | real servers checked | interval p1 / p50 / p99 / max (ms) | checks per 10 ms: mean / p99 / max |")
	fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, r := range rs {
		s := r.spread
		fmt.Printf("| %s | %.1f | %.0f | %.1f | %.0f | %d / %d | %d / %d / %d / %d | %.0f / %d / %d |\n",
			r.name, r.cpuPct, perCheck(r), float64(r.rssKB)/1024, s.PerSec, s.Covered, s.Targets, s.IvlP1, s.IvlP50, s.IvlP99, s.IvlMx, s.BktMean, s.BktP99, s.BktMx)
	}
}

func splitEnv(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
