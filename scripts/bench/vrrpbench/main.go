// Command vrrpbench measures VRRP failover from packet captures and the
// CPU and memory of one daemon running many instances, for our
// keepalived and stock keepalived 2.2.7 side by side (scripts/bench/vrrp.sh
// runs it; results go to docs/PERFORMANCE.md).
//
// Failover: a bridge namespace and two hosts; both nodes run the same
// configuration (priority 100, nopreempt, one VIP). For VRRPv2 advert_int 1
// and VRRPv3 advert_int 0.1, each trial stops the master with SIGTERM or
// crashes it (SIGSTOP then SIGKILL of all its processes), waits for the VIP
// on the backup and restarts the old master as backup. tcpdump in the
// bridge namespace records every advert and ARP with kernel timestamps;
// afterwards, per trial: last advert of the old master (its priority-0
// advert on a clean stop) to the new master's first advert and first
// gratuitous ARP, minus the protocol floor (3 x advert + skew after a
// crash, skew after priority 0).
//
// Usage (root): vrrpbench [-trials 20] [-ours bin/keepalived] [-stock /usr/sbin/keepalived] [-out DIR]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	if err := mainErr(); err != nil {
		fmt.Fprintln(os.Stderr, "vrrpbench:", err)
		os.Exit(1)
	}
}

func mainErr() error {
	trials := flag.Int("trials", 20, "clean stops and crashes per series (each)")
	ours := flag.String("ours", "bin/keepalived", "our daemon")
	stock := flag.String("stock", "/usr/sbin/keepalived", "stock keepalived")
	out := flag.String("out", "", "directory for captures, logs and per-trial CSV (default: a temporary one, removed)")
	only := flag.String("only", "", "comma-separated series to run (v2-ours,v2-stock,v3-ours,v3-stock,usage); default all")
	instances := flag.Int("instances", 100, "instances in the CPU/RSS run")
	window := flag.Duration("window", 30*time.Second, "CPU/RSS measurement window")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "vrrpbench")
		if err != nil {
			return fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("out dir: %w", err)
	}
	oursBin, err := filepath.Abs(*ours)
	if err != nil {
		return fmt.Errorf("ours: %w", err)
	}
	want := func(name string) bool {
		return *only == "" || strings.Contains(","+*only+",", ","+name+",")
	}
	l, err := newLab(fmt.Sprintf("kavb%d", os.Getpid()))
	if err != nil {
		return err
	}
	defer l.close()

	var all []series
	for _, v3 := range []bool{false, true} {
		adv := time.Second
		if v3 {
			adv = 100 * time.Millisecond
		}
		for _, impl := range []struct{ name, bin string }{{"ours", oursBin}, {"stock", *stock}} {
			all = append(all, series{impl: impl.name, bin: impl.bin, v3: v3, advert: adv})
		}
	}
	fmt.Printf("| series | case | n | last advert -> first new advert (median) | floor | advert - floor: median / p99 / max | first GARP - floor: median / p99 / max |\n")
	fmt.Printf("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, s := range all {
		if !want(s.name()) {
			continue
		}
		trs, pcap, err := runSeries(ctx, l, s, *trials, dir)
		if err != nil {
			return err
		}
		frames, err := readPcap(pcap)
		if err != nil {
			return err
		}
		res := analyze(l, s, trs, frames)
		if err := writeCSV(filepath.Join(dir, s.name()+".csv"), res); err != nil {
			return err
		}
		for _, crash := range []bool{false, true} {
			printRow(s, crash, res)
		}
	}
	if want("usage") {
		fmt.Printf("\n| daemon | instances | processes | CPU over %v | CPU %% of one core | VmRSS (sum) | VIPs held |\n| --- | --- | --- | --- | --- | --- | --- |\n", *window)
		for _, impl := range []struct{ name, bin string }{{"ours", oursBin}, {"stock", *stock}} {
			u, err := measureUsage(ctx, l, impl.name, impl.bin, *instances, *window, dir)
			if err != nil {
				return err
			}
			fmt.Printf("| %s | %d | %d | %v | %.1f %% | %.1f MiB | %d |\n", u.impl, *instances, u.procs, u.cpu,
				100*u.cpu.Seconds()/u.window.Seconds(), float64(u.rssKiB)/1024, u.vipsHeld)
		}
	}
	return nil
}
