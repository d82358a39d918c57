package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Exit statuses of a daemon run (keepalived's KEEPALIVED_EXIT_*).
const (
	ExitOK            = 0
	ExitFatal         = 2 // a subsystem could not be started
	ExitMissingConfig = 6 // keepalived 2.2.7 exits 6 when the main file is missing at start
)

// Signals handled by the run loop besides HUP, TERM, INT, USR1 and USR2.
var (
	SigStatsClear = syscall.Signal(63) // SIGRTMAX-1 on Linux glibc
	SigJSON       = syscall.Signal(36) // SIGRTMIN+2 on Linux glibc
)

// stopTimeout bounds the subsystems' Stop calls.
const stopTimeout = 10 * time.Second

// LoadFunc loads a configuration (config.Load in production).
type LoadFunc func(path string, opt config.Options) (*config.Result, error)

// Daemon is one run of keepalived: the current model and the running
// subsystems.
type Daemon struct {
	opt   Options
	sys   System
	log   *slog.Logger
	load  LoadFunc
	subs  []Subsystem
	now   func() time.Time
	model *config.Model
	sd    *notifier // systemd and the waiting parent (notify.go)

	running  []Subsystem // started, in start order
	pidFiles []string    // written by this run
	started  time.Time
	reloads  int
}

// New prepares a daemon run. subs are every available subsystem; Run
// starts those the options select and the configuration needs. A nil
// load means config.Load; a nil sys means the real OS.
func New(opt Options, sys System, log *slog.Logger, load LoadFunc, subs []Subsystem) *Daemon {
	opt.fill()
	if sys == nil {
		sys = OS{}
	}
	if load == nil {
		load = config.Load
	}
	return &Daemon{opt: opt, sys: sys, log: log, load: load, subs: subs, now: time.Now, sd: newNotifier(sys, log)}
}

// Run runs until SIGTERM/SIGINT or ctx ends and returns the exit status.
func (d *Daemon) Run(ctx context.Context) int {
	d.started = d.now()
	d.log.Info("Starting " + d.opt.Version)
	if d.opt.RunningOn != "" {
		d.log.Info("Running on " + d.opt.RunningOn)
	}
	if len(d.opt.CommandLine) > 0 {
		d.log.Info("Command line: " + quoteArgs(d.opt.CommandLine))
	}
	for _, n := range d.opt.Notes {
		d.log.Info(n)
	}
	if pid := runningPid(d.sys, d.opt.PidFile, d.opt.VRRPPidFile, d.opt.CheckersPidFile); pid != 0 {
		d.log.Info("daemon is already running")
		return ExitOK
	}
	// Subscribe before anything can tell the outside world we run.
	sigs := make(chan os.Signal, 8)
	d.sys.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT,
		syscall.SIGUSR1, syscall.SIGUSR2, SigStatsClear, SigJSON)
	defer d.sys.StopNotify(sigs)

	res, ok := d.loadConfig()
	if !ok {
		d.sd.startFailed(fmt.Sprintf("Config files missing '%s'.", d.opt.ConfigFile))
		d.log.Info("Stopped " + d.opt.Version)
		return ExitMissingConfig
	}
	if why := brokenConfig(res); why != "" {
		d.log.Error("Start failed: " + why)
		d.sd.startFailed(why)
		d.log.Info("Stopped " + d.opt.Version)
		return ExitFatal
	}
	d.model = res.Model
	if err := writePid(d.sys, d.opt.PidFile); err != nil {
		d.log.Error(err.Error())
		d.sd.startFailed(err.Error())
		return ExitFatal
	}
	d.pidFiles = append(d.pidFiles, d.opt.PidFile)
	if err := d.startSubsystems(ctx); err != nil {
		d.log.Error(err.Error())
		d.sd.startFailed(err.Error())
		d.stop()
		return ExitFatal
	}
	d.sd.started(runningStatus(d.model, d.reloads))
	for {
		select {
		case <-ctx.Done():
			d.stop()
			return ExitOK
		case s := <-sigs:
			if d.handleSignal(ctx, s) {
				d.stop()
				return ExitOK
			}
		}
	}
}

// handleSignal acts on one signal and reports whether to stop.
func (d *Daemon) handleSignal(ctx context.Context, s os.Signal) bool {
	switch s {
	case syscall.SIGTERM:
		return true
	case syscall.SIGINT:
		return !d.opt.IgnoreSigint
	case syscall.SIGHUP:
		d.reload(ctx)
	case syscall.SIGUSR1:
		d.writeData()
	case syscall.SIGUSR2:
		d.writeStats(false)
	case SigStatsClear:
		d.writeStats(true)
	case SigJSON:
		d.writeJSON()
	}
	return false
}

// loadConfig loads the configuration file and logs its diagnostics; ok is
// false when the main file is missing.
func (d *Daemon) loadConfig() (*config.Result, bool) {
	path := d.opt.ConfigFile
	d.log.Info(fmt.Sprintf("Opening file '%s'.", path))
	res, err := d.load(path, d.opt.Load)
	if err != nil || res == nil || res.Model == nil {
		if err != nil && !errors.Is(err, config.ErrNoConfig) {
			d.log.Error(fmt.Sprintf("Loading '%s': %v", path, err))
		}
		d.log.Error(fmt.Sprintf("Config files missing '%s'.", path))
		return nil, false
	}
	for _, diag := range res.Diags {
		switch {
		case diag.Severity >= config.SevError:
			d.log.Error(diag.String())
		case diag.Severity >= config.SevWarning:
			d.log.Warn(diag.String())
		default:
			d.log.Debug(diag.String())
		}
	}
	if res.SecurityViolation && !mentions(res.Diags, "SECURITY VIOLATION") {
		d.log.Warn("SECURITY VIOLATION - scripts are being executed but script_security not enabled.")
	}
	if d.opt.DumpConf {
		d.dumpConfig(res.Model)
	}
	return res, true
}

// dumpConfig logs the model, one line per log record (keepalived's -d).
func (d *Daemon) dumpConfig(m *config.Model) {
	var b strings.Builder
	if err := config.Dump(&b, m); err != nil {
		d.log.Error(err.Error())
		return
	}
	for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		d.log.Info(l)
	}
}

// stop stops the running subsystems in reverse order and removes the pid
// files.
func (d *Daemon) stop() {
	d.log.Info("Stopping")
	d.notifyStopping()
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	for i := len(d.running) - 1; i >= 0; i-- {
		s := d.running[i]
		if err := s.Stop(ctx); err != nil {
			d.log.Error(fmt.Sprintf("Stopping %s subsystem: %v", s.Name(), err))
		}
	}
	d.running = nil
	for i := len(d.pidFiles) - 1; i >= 0; i-- {
		if err := removePid(d.sys, d.pidFiles[i]); err != nil {
			d.log.Warn(err.Error())
		}
	}
	d.pidFiles = nil
	d.log.Info("Stopped " + d.opt.Version)
}

// mentions reports whether a diagnostic message contains s.
func mentions(diags []config.Diagnostic, s string) bool {
	for _, d := range diags {
		if strings.Contains(d.Msg, s) {
			return true
		}
	}
	return false
}

// quoteArgs formats argv as keepalived's "Command line:" line does.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + a + "'"
	}
	return strings.Join(q, " ")
}
