package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// runSoak runs our daemon at the benchmark's load for dur, sampling its
// RSS every interval into rss.csv, and reports the RSS slope.
func runSoak(args []string) int {
	fs := flag.NewFlagSet("soak", flag.ExitOnError)
	tcp := fs.Int("tcp", 10000, "TCP_CHECK real servers")
	http := fs.Int("http", 2000, "HTTP_GET real servers")
	dur := fs.Duration("dur", time.Hour, "run time")
	every := fs.Duration("every", 10*time.Second, "sampling interval")
	skip := fs.Duration("skip", 10*time.Minute, "warm-up left out of the second slope")
	out := fs.String("out", "/tmp/checks-soak", "output directory")
	_ = fs.Parse(args)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	l := newLayout(*tcp, *http)
	cfg := filepath.Join(*out, "keepalived.conf")
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
	d, err := startOurs(cfg, *out, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer d.stop()
	csv, err := os.Create(filepath.Join(*out, "rss.csv"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = csv.Close() }()
	fmt.Fprintln(csv, "seconds,rss_kib,cpu_ticks,checks_per_s,covered")
	t0 := time.Now()
	var xs, ys, xs2, ys2 []float64
	for time.Since(t0) < *dur {
		time.Sleep(*every)
		now := time.Now()
		rss, _, err := memKB(d.pid)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		ticks, _ := cpuTicks(d.pid)
		s := ln.window(now)
		ln.reset(now)
		sec := now.Sub(t0).Seconds()
		fmt.Fprintf(csv, "%.0f,%d,%d,%.0f,%d\n", sec, rss, ticks, s.PerSec, s.Covered)
		xs, ys = append(xs, sec/60), append(ys, float64(rss))
		if now.Sub(t0) >= *skip {
			xs2, ys2 = append(xs2, sec/60), append(ys2, float64(rss))
		}
	}
	msg := fmt.Sprintf("soak: %s, %d samples every %s; RSS first %d KiB, last %d KiB, min %d, max %d; slope %.2f KiB/min (all), %.2f KiB/min (after %s); log: %v\n",
		time.Since(t0).Round(time.Second), len(ys), *every, int64(ys[0]), int64(ys[len(ys)-1]), int64(minOf(ys)), int64(maxOf(ys)),
		slope(xs, ys), slope(xs2, ys2), *skip, d.logCount("failed", "Removing service"))
	fmt.Print(msg)
	_ = os.WriteFile(filepath.Join(*out, "summary.txt"), []byte(msg), 0o644)
	return 0
}

func minOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
