package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gokeepalived/keepalived/internal/core"
	"github.com/gokeepalived/keepalived/internal/metrics"
)

// extensionFlag marks options keepalived does not have: they are matched
// by their full name only, so keepalived's abbreviations (--m for
// --mem-check-log) keep their meaning.
const extensionFlag = "gokeepalived-extension"

// extensionUsage is -h's text for the options keepalived does not have.
const extensionUsage = `gokeepalived options (not in keepalived; full names only):
      --metrics-listen=ADDR:PORT
                               Serve Prometheus metrics over HTTP on ADDR:PORT (off by default)
      --metrics-path=PATH      URL path of the metrics (default /metrics)
`

// addExtensionFlags defines the options keepalived does not have.
func addExtensionFlags(fs *pflag.FlagSet, o *cliOptions) {
	fs.StringVar(&o.MetricsListen, "metrics-listen", "", "")
	fs.StringVar(&o.MetricsPath, "metrics-path", "", "")
	for _, name := range []string{"metrics-listen", "metrics-path"} {
		_ = fs.SetAnnotation(name, extensionFlag, []string{"true"})
	}
}

// metricsServer is the opt-in metrics listener, bound at start.
type metricsServer struct {
	ln   net.Listener
	path string
}

// listenMetrics binds --metrics-listen (nil, nil when not given). A bad
// path or an address that cannot be bound is an error at start.
func listenMetrics(o *cliOptions) (*metricsServer, error) {
	if o.MetricsListen == "" {
		if o.MetricsPath != "" {
			return nil, cliErrorf("--metrics-path needs --metrics-listen")
		}
		return nil, nil
	}
	path := o.MetricsPath
	if path == "" {
		path = metrics.DefaultPath
	}
	if !strings.HasPrefix(path, "/") {
		return nil, cliErrorf("Invalid --metrics-path %s: it must begin with /", path)
	}
	ln, err := metrics.Listen(o.MetricsListen)
	if err != nil {
		return nil, err
	}
	return &metricsServer{ln: ln, path: path}, nil
}

// checkMetricsListen tells whether --metrics-listen can be bound, before
// daemonizing (the detached child binds it again), so that the error
// reaches the terminal.
func checkMetricsListen(o *cliOptions) error {
	ms, err := listenMetrics(o)
	if ms != nil {
		_ = ms.ln.Close()
	}
	return err
}

// start serves the metrics of the subsystems until the returned stop is
// called (a no-op on a nil ms).
func (ms *metricsServer) start(log *slog.Logger, subs ...core.Subsystem) (stop func()) {
	if ms == nil {
		return func() {}
	}
	sources := make([]any, len(subs))
	for i, s := range subs {
		sources[i] = s
	}
	reg := metrics.NewRegistry(metrics.Options{Version: keepalivedVersion, Logger: log}, sources...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := metrics.Serve(ctx, ms.ln, metrics.Handler(reg, ms.path, log)); err != nil {
			log.Error(err.Error())
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// notes are the start lines that tell where the metrics are served
// (none on a nil ms).
func (ms *metricsServer) notes() []string {
	if ms == nil {
		return nil
	}
	return []string{fmt.Sprintf("Serving metrics on http://%s%s", ms.ln.Addr(), ms.path)}
}

// keepalivedVersion is the keepalived release this daemon implements.
const keepalivedVersion = "2.2.7"
