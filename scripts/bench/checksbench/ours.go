package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"github.com/gokeepalived/keepalived/internal/core"
	"github.com/gokeepalived/keepalived/internal/ipvs"
	"github.com/gokeepalived/keepalived/internal/logging"
	"github.com/gokeepalived/keepalived/internal/lvs"
)

// runOurs runs our daemon's checker subsystem as cmd/keepalived does with
// -C, over memKernel instead of the kernel's IPVS.
func runOurs(args []string) int {
	fs := flag.NewFlagSet("ours", flag.ExitOnError)
	cfg := fs.String("f", "", "keepalived.conf")
	dir := fs.String("run", "/tmp", "directory for pid files")
	prof := fs.String("cpuprofile", "", "write a CPU profile of -profdur after -profwait to this file")
	wait := fs.Duration("profwait", 20*time.Second, "delay before the CPU profile")
	dur := fs.Duration("profdur", 30*time.Second, "length of the CPU profile")
	_ = fs.Parse(args)
	if *prof != "" {
		go profile(*prof, *wait, *dur)
	}
	h := logging.New(logging.Options{Console: os.Stderr})
	defer func() { _ = h.Close() }()
	log := slog.New(h)
	clog := logging.WithSubsystem(log, logging.SubsystemCheckers)
	opt := core.Options{
		ConfigFile:      *cfg,
		RunCheckers:     true,
		PidFile:         *dir + "/ours.pid",
		VRRPPidFile:     *dir + "/ours.vrrp.pid",
		CheckersPidFile: *dir + "/ours.chk.pid",
		Version:         "Keepalived v2.2.7 (01/16,2022), gokeepalived checksbench",
		CommandLine:     os.Args,
	}
	kernel := func() (ipvs.Kernel, func(), error) { return newMemKernel(), func() {}, nil }
	subs := []core.Subsystem{lvs.NewSubsystem(clog, lvs.Options{Kernel: kernel})}
	return core.New(opt, nil, log, nil, subs).Run(context.Background())
}

// profile writes a CPU profile of dur after wait, then a heap profile
// next to it.
func profile(path string, wait, dur time.Duration) {
	time.Sleep(wait)
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer func() { _ = f.Close() }()
	if err := pprof.StartCPUProfile(f); err != nil {
		return
	}
	time.Sleep(dur)
	pprof.StopCPUProfile()
	if h, err := os.Create(path + ".heap"); err == nil {
		_ = pprof.Lookup("heap").WriteTo(h, 0)
		_ = h.Close()
	}
}
