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
	"os"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

func main() {
	stop := flag.Bool("stop", false, "stop (remove what we own) after the last configuration")
	keep := flag.Bool("I", false, "dont-release-ipvs")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	k, err := ipvs.NewNetlink()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ipvsctl:", err)
		os.Exit(1)
	}
	defer k.Close()
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
	os.Exit(status)
}
