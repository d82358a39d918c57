package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"log/syslog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/core"
	"github.com/gokeepalived/keepalived/internal/genhash"
	"github.com/gokeepalived/keepalived/internal/ipvs"
	"github.com/gokeepalived/keepalived/internal/logging"
	"github.com/gokeepalived/keepalived/internal/lvs"
	"github.com/gokeepalived/keepalived/internal/vrrp"
)

// loadFunc loads a configuration (config.Load).
type loadFunc func(path string, opt config.Options) (*config.Result, error)

// runEnv is what run needs from the process; tests replace it.
type runEnv interface {
	Hostname() (string, error)
	Load(path string, opt config.Options) (*config.Result, error)
	// Daemon runs the daemon in this process and returns its exit status;
	// ms (nil when off) serves the metrics while it runs.
	Daemon(opt core.Options, log *slog.Logger, ms *metricsServer) int
	// Daemonize re-executes the program detached with args and returns the
	// status to exit with once the child wrote pidFile.
	Daemonize(args []string, pidFile string) (int, error)
	// TakeDaemonMarker reports whether this is the detached child and
	// removes the marker so programs it runs do not inherit it.
	TakeDaemonMarker() bool
	Umask(mask int)
}

// notImplemented are options accepted for compatibility that do nothing
// yet; each given one is logged once.
var notImplemented = []string{
	"no_bfd", "flush-log-file", "release-vips", "dont-respawn", "bfd_pid", "address-monitoring",
	"namespace", "snmp", "snmp-agent-socket", "core-dump", "core-dump-pattern",
	"perf", "debug", "no-mem-check", "mem-check-log", "openssl-mem-check",
}

// run is keepalived's main: it returns the exit status.
func run(args []string, stdout, stderr io.Writer, env runEnv) int {
	prog := "keepalived"
	if len(args) > 0 {
		prog = args[0]
		args = args[1:]
	}
	// genhash mode: -T first, or run under the name genhash (Debian's
	// /usr/bin/genhash is a link to keepalived).
	if filepath.Base(prog) == "genhash" {
		return genhash.Run(context.Background(), prog, args, stdout, stderr)
	}
	if len(args) > 0 && (args[0] == "-T" || args[0] == "--genhash") {
		return genhash.Run(context.Background(), prog+" --genhash", args[1:], stdout, stderr)
	}
	o, err := parseArgs(args)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitFailure
	}
	if len(o.Extra) > 0 {
		fmt.Fprintf(stdout, "Unexpected argument(s): %s \n", strings.Join(o.Extra, " "))
	}
	for _, name := range o.Changed {
		switch name {
		case "help":
			printUsage(stderr, prog)
			return exitOK
		case "version":
			printVersion(stderr)
			return exitOK
		case "signum":
			n, ok := signum(o.Signum)
			if !ok {
				fmt.Fprintf(stderr, "Unknown sigfunc %s\n", o.Signum)
				return exitFailure
			}
			fmt.Fprintf(stdout, "%d\n", n)
			return exitOK
		case "genhash":
			fmt.Fprintln(stderr, "-T/--genhash must be the first option")
			return exitFailure
		}
	}
	facility := syslog.LOG_DAEMON
	if o.LogFacility != "" {
		f, err := logging.ParseFacility(o.LogFacility)
		if err != nil {
			fmt.Fprintf(stderr, "Invalid log facility '%s'\n", o.LogFacility)
		} else {
			facility = f
		}
	}
	if o.Umask != "" {
		m, err := parseUmask(o.Umask)
		if err != nil {
			fmt.Fprintf(stderr, "Invalid --umask option %s\n", o.Umask)
		} else {
			env.Umask(m)
		}
	}
	lopt := config.Options{}
	lopt.ConfigID = o.ConfigID
	if lopt.ConfigID == "" {
		lopt.ConfigID = shortHostname(env)
	}
	lopt.IncludeCheck = o.AllConfig

	if o.ConfigTest != "" {
		return runConfigTest(o, lopt, stdout, stderr, env)
	}
	if !env.TakeDaemonMarker() && !o.DontFork {
		if err := checkMetricsListen(o); err != nil {
			fmt.Fprintln(stderr, err)
			return exitFailure
		}
		st, err := env.Daemonize(args, pidFileOr(o.PidFile, core.DefaultPidFile))
		if err != nil {
			fmt.Fprintln(stderr, err)
		}
		return st
	}
	h := logging.New(logging.Options{
		Console:  consoleWriter(o.LogConsole, stderr),
		File:     o.LogFile,
		Syslog:   !o.NoSyslog,
		Facility: facility,
		Detail:   o.LogDetail,
	})
	defer func() { _ = h.Close() }()
	ms, err := listenMetrics(o)
	if err != nil {
		fmt.Fprintln(stderr, err)
		slog.New(h).Error(err.Error())
		return exitFailure
	}
	return env.Daemon(daemonOptions(o, lopt, prog, args), slog.New(h), ms)
}

// daemonOptions maps the command line to core's options.
func daemonOptions(o *cliOptions, lopt config.Options, prog string, args []string) core.Options {
	var notes []string
	for _, name := range o.Changed {
		for _, ni := range notImplemented {
			if name == ni {
				notes = append(notes, fmt.Sprintf("Option --%s is not implemented yet - ignored", name))
			}
		}
	}
	return core.Options{
		ConfigFile:      o.ConfigFile,
		Load:            lopt,
		RunVRRP:         !o.CheckOnly || o.All,
		RunCheckers:     !o.VRRPOnly || o.All,
		RunAll:          o.All,
		PidFile:         o.PidFile,
		VRRPPidFile:     o.VRRPPidFile,
		CheckersPidFile: o.CheckersPid,
		DumpConf:        o.DumpConf,
		DontReleaseVRRP: o.DontReleaseVRP,
		DontReleaseIPVS: o.DontReleaseIPV,
		IgnoreSigint:    o.IgnoreSigint,
		Notes:           notes,
		Version:         versionString,
		CommandLine:     append([]string{prog}, args...),
		RunningOn:       uname(),
	}
}

// runConfigTest runs -t with its output on stderr or LOG_FILE.
func runConfigTest(o *cliOptions, lopt config.Options, stdout, stderr io.Writer, env runEnv) int {
	out := stderr
	if o.ConfigTest != configTestStderr {
		f, err := openTestLog(o.ConfigTest)
		if err != nil {
			fmt.Fprintf(stderr, "Unable to open config-test log file %s\n", o.ConfigTest)
			return exitFailure
		}
		defer func() { _ = f.Close() }()
		out = f
	}
	var dump io.Writer
	if o.DumpConf {
		dump = stdout
	}
	return configTest(o.ConfigFile, lopt, out, dump, env.Load)
}

// parseUmask reads a umask in C's numeric forms (0NNN octal, 0xNN, decimal).
func parseUmask(s string) (int, error) {
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil || v&^0o777 != 0 {
		return 0, cliErrorf("invalid umask %s", s)
	}
	return int(v), nil
}

// shortHostname is the host name up to its first dot (the default
// config-id).
func shortHostname(env runEnv) string {
	h, err := env.Hostname()
	if err != nil {
		return ""
	}
	h, _, _ = strings.Cut(h, ".")
	return h
}

func pidFileOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

func consoleWriter(on bool, w io.Writer) io.Writer {
	if !on {
		return nil
	}
	return w
}

// osEnv is the real runEnv.
type osEnv struct{}

func (osEnv) Hostname() (string, error) { return os.Hostname() }

func (osEnv) Load(path string, opt config.Options) (*config.Result, error) {
	return config.Load(path, opt)
}

func (osEnv) Daemon(opt core.Options, log *slog.Logger, ms *metricsServer) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	vlog := logging.WithSubsystem(log, logging.SubsystemVRRP)
	clog := logging.WithSubsystem(log, logging.SubsystemCheckers)
	subs := []core.Subsystem{
		vrrp.NewSystem(vlog, nil, vrrp.SubsystemOptions{DontRelease: opt.DontReleaseVRRP, SyncDaemon: ipvs.NewSyncControl(vlog)}),
		lvs.NewSubsystem(clog, lvs.Options{DontRelease: opt.DontReleaseIPVS}),
	}
	defer ms.start(log, subs...)()
	opt.Notes = append(opt.Notes, ms.notes()...)
	return core.New(opt, nil, log, nil, subs).Run(ctx)
}

func (osEnv) Daemonize(args []string, pidFile string) (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return exitFailure, fmt.Errorf("daemonize: %w", err)
	}
	return core.Daemonize(exe, args, core.DaemonEnviron(), pidFile, 30*time.Second)
}

func (osEnv) TakeDaemonMarker() bool {
	if !core.IsDaemonChild(core.OS{}) {
		return false
	}
	_ = os.Unsetenv(core.DaemonEnv)
	return true
}

func (osEnv) Umask(mask int) { syscall.Umask(mask) }
