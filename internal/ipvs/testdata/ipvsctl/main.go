// Command ipvsctl drives the ipvs Manager from the VM tests: it applies
// each configuration given, in order, with one Manager (a start then
// reloads), every real server up, and with -stop stops it at the end.
// Operations are logged at debug level on stderr ("IPVS: ...").
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"runtime/pprof"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

func main() {
	stop := flag.Bool("stop", false, "stop (remove what we own) after the last configuration")
	keep := flag.Bool("I", false, "dont-release-ipvs")
	syncd := flag.String("syncd", "", "start a master sync daemon on this interface (syncid 5, port 8850, ttl 2) and exit")
	syncdStop := flag.Bool("syncd-stop", false, "stop the master sync daemon and exit")
	syncdConf := flag.String("syncd-conf", "", "start (or with -syncd-stop, stop) the sync daemon this configuration's lvs_sync_daemon asks for and exit")
	backup := flag.Bool("backup", false, "with -syncd-conf: the daemon of a VRRP instance that is not master")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "ipvsctl:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	k, err := ipvs.NewNetlink()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ipvsctl:", err)
		os.Exit(1)
	}
	defer k.Close()
	if *syncd != "" || *syncdStop || *syncdConf != "" {
		d := ipvs.SyncDaemon{Interface: *syncd, SyncID: 5, Port: 8850, TTL: 2, MaxLen: 1400, Group: netip.MustParseAddr("224.0.0.82")}
		if *syncdConf != "" {
			r, err := config.Load(*syncdConf, config.Options{})
			if err != nil {
				fmt.Fprintln(os.Stderr, "ipvsctl:", err)
				os.Exit(1)
			}
			var ok bool
			if d, ok = ipvs.SyncDaemonFor(r.Model, *backup); !ok {
				fmt.Fprintln(os.Stderr, "ipvsctl: no lvs_sync_daemon in", *syncdConf)
				os.Exit(1)
			}
		}
		err := k.StartSyncDaemon(d)
		if *syncdStop {
			err = k.StopSyncDaemon(d)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "ipvsctl: sync daemon:", err)
			os.Exit(1)
		}
		return
	}
	m := ipvs.NewManager(k, log, ipvs.Options{DontRelease: *keep})
	ctx := context.Background()
	status := 0
	for _, path := range flag.Args() {
		r, err := config.Load(path, config.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, "ipvsctl:", err)
			os.Exit(1)
		}
		if err := m.Apply(ctx, r.Model, nil); err != nil {
			fmt.Fprintln(os.Stderr, "ipvsctl: apply:", err)
			status = 1
		}
	}
	if *stop {
		if err := m.Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "ipvsctl: stop:", err)
			status = 1
		}
	}
	if status != 0 {
		pprof.StopCPUProfile()
		os.Exit(status)
	}
}
