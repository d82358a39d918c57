package main

import (
	"strings"

	"github.com/spf13/pflag"
)

// Defaults and sentinels of the command line.
const (
	defaultConfigFile = "/etc/keepalived/keepalived.conf"
	defaultLogFile    = "/tmp/keepalived.log" // -g without a file
	defaultCorePatn   = "core"                // -M without a pattern
	configTestStderr  = "\x00stderr"          // -t without a file
)

// cliOptions is the parsed command line.
type cliOptions struct {
	ConfigFile     string
	VRRPOnly       bool // -P
	CheckOnly      bool // -C
	NoBFD          bool
	All            bool
	LogConsole     bool
	LogDetail      int
	LogFacility    string
	LogFile        string
	FlushLogFile   bool
	NoSyslog       bool
	Umask          string
	ReleaseVIPs    bool
	DontReleaseVRP bool
	DontReleaseIPV bool
	DontRespawn    bool
	DontFork       bool
	DumpConf       bool
	PidFile        string
	VRRPPidFile    string
	CheckersPid    string
	BFDPidFile     string
	Genhash        bool
	AddrMonitor    bool
	Namespace      string
	AllConfig      bool
	ConfigID       string
	SNMP           bool
	SNMPSocket     string
	CoreDump       bool
	CorePattern    string
	ConfigTest     string // "" when -t is absent; configTestStderr for stderr
	Signum         string
	Perf           string
	Debug          string
	NoMemCheck     bool
	IgnoreSigint   bool
	MemCheckLog    bool
	OpenSSLMemChk  bool
	Version        bool
	Help           bool

	// Options keepalived does not have (metrics.go).
	MetricsListen string
	MetricsPath   string

	// Changed lists the long names of the flags given, in definition order.
	Changed []string
	// Extra holds arguments that are not options.
	Extra []string
}

// flagDef describes one option the way getopt_long does.
type flagDef struct {
	long, short string
	arg         int  // noArg, reqArg, optArg
	exact       bool // matched by its full name only (our extensions)
}

const (
	noArg = iota
	reqArg
	optArg
)

// newFlagSet defines every option of keepalived 2.2.7 on o.
func newFlagSet(o *cliOptions) *pflag.FlagSet {
	fs := pflag.NewFlagSet("keepalived", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.Usage = func() {}
	fs.StringVarP(&o.ConfigFile, "use-file", "f", defaultConfigFile, "")
	fs.BoolVarP(&o.VRRPOnly, "vrrp", "P", false, "")
	fs.BoolVarP(&o.CheckOnly, "check", "C", false, "")
	fs.BoolVarP(&o.NoBFD, "no_bfd", "B", false, "")
	fs.BoolVar(&o.All, "all", false, "")
	fs.BoolVarP(&o.LogConsole, "log-console", "l", false, "")
	fs.CountVarP(&o.LogDetail, "log-detail", "D", "")
	fs.StringVarP(&o.LogFacility, "log-facility", "S", "", "")
	fs.StringVarP(&o.LogFile, "log-file", "g", "", "")
	fs.Lookup("log-file").NoOptDefVal = defaultLogFile
	fs.BoolVar(&o.FlushLogFile, "flush-log-file", false, "")
	fs.BoolVarP(&o.NoSyslog, "no-syslog", "G", false, "")
	fs.StringVarP(&o.Umask, "umask", "u", "", "")
	fs.BoolVarP(&o.ReleaseVIPs, "release-vips", "X", false, "")
	fs.BoolVarP(&o.DontReleaseVRP, "dont-release-vrrp", "V", false, "")
	fs.BoolVarP(&o.DontReleaseIPV, "dont-release-ipvs", "I", false, "")
	fs.BoolVarP(&o.DontRespawn, "dont-respawn", "R", false, "")
	fs.BoolVarP(&o.DontFork, "dont-fork", "n", false, "")
	fs.BoolVarP(&o.DumpConf, "dump-conf", "d", false, "")
	fs.StringVarP(&o.PidFile, "pid", "p", "", "")
	fs.StringVarP(&o.VRRPPidFile, "vrrp_pid", "r", "", "")
	fs.StringVarP(&o.CheckersPid, "checkers_pid", "c", "", "")
	fs.StringVarP(&o.BFDPidFile, "bfd_pid", "b", "", "")
	fs.BoolVarP(&o.Genhash, "genhash", "T", false, "")
	fs.BoolVarP(&o.AddrMonitor, "address-monitoring", "a", false, "")
	fs.StringVarP(&o.Namespace, "namespace", "s", "", "")
	fs.BoolVarP(&o.AllConfig, "all-config", "e", false, "")
	fs.StringVarP(&o.ConfigID, "config-id", "i", "", "")
	fs.BoolVarP(&o.SNMP, "snmp", "x", false, "")
	fs.StringVarP(&o.SNMPSocket, "snmp-agent-socket", "A", "", "")
	fs.BoolVarP(&o.CoreDump, "core-dump", "m", false, "")
	fs.StringVarP(&o.CorePattern, "core-dump-pattern", "M", "", "")
	fs.Lookup("core-dump-pattern").NoOptDefVal = defaultCorePatn
	fs.StringVarP(&o.ConfigTest, "config-test", "t", "", "")
	fs.Lookup("config-test").NoOptDefVal = configTestStderr
	fs.StringVar(&o.Signum, "signum", "", "")
	fs.StringVar(&o.Perf, "perf", "", "")
	fs.Lookup("perf").NoOptDefVal = "run"
	fs.StringVar(&o.Debug, "debug", "", "")
	fs.Lookup("debug").NoOptDefVal = "all"
	fs.BoolVar(&o.NoMemCheck, "no-mem-check", false, "")
	fs.BoolVar(&o.IgnoreSigint, "ignore-sigint", false, "")
	fs.BoolVarP(&o.MemCheckLog, "mem-check-log", "L", false, "")
	fs.BoolVar(&o.OpenSSLMemChk, "openssl-mem-check", false, "")
	fs.BoolVarP(&o.Version, "version", "v", false, "")
	fs.BoolVarP(&o.Help, "help", "h", false, "")
	addExtensionFlags(fs, o)
	return fs
}

// flagDefs lists the options of fs with their argument kinds.
func flagDefs(fs *pflag.FlagSet) []flagDef {
	var defs []flagDef
	fs.VisitAll(func(f *pflag.Flag) {
		d := flagDef{long: f.Name, short: f.Shorthand, arg: reqArg, exact: f.Annotations[extensionFlag] != nil}
		switch {
		case f.Value.Type() == "bool" || f.Value.Type() == "count":
			d.arg = noArg
		case f.NoOptDefVal != "":
			d.arg = optArg
		}
		defs = append(defs, d)
	})
	return defs
}

// parseArgs parses argv[1:] with getopt_long's rules: optional arguments
// must be attached (-tFILE, --config-test=FILE), long names may be
// abbreviated when unambiguous, short options combine (-DlnP).
func parseArgs(args []string) (*cliOptions, error) {
	o := &cliOptions{}
	fs := newFlagSet(o)
	norm, err := normalize(args, flagDefs(fs))
	if err != nil {
		return nil, err
	}
	if err := fs.Parse(norm); err != nil {
		return nil, cliError(pflagMessage(err))
	}
	o.Extra = fs.Args()
	var missing error
	fs.Visit(func(f *pflag.Flag) {
		o.Changed = append(o.Changed, f.Name)
		if missing == nil && f.Value.Type() == "string" && f.NoOptDefVal == "" && f.Value.String() == "" {
			missing = cliErrorf("Missing parameter for option --%s", f.Name)
		}
	})
	if missing != nil {
		return nil, missing
	}
	return o, nil
}

// pflagMessage rewords pflag's errors the way keepalived words them.
func pflagMessage(err error) string {
	s := err.Error()
	if rest, ok := strings.CutPrefix(s, "flag needs an argument: "); ok {
		// "'f' in -f" or "--use-file"
		if strings.HasPrefix(rest, "'") && len(rest) > 2 {
			return "Missing parameter for option -" + rest[1:2]
		}
		return "Missing parameter for option " + rest
	}
	return s
}
