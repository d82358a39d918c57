package core

import "github.com/gokeepalived/keepalived/internal/config"

// Default pid files (keepalived's RUNSTATEDIR is /run).
const (
	DefaultPidFile         = "/run/keepalived.pid"
	DefaultVRRPPidFile     = "/run/vrrp.pid"
	DefaultCheckersPidFile = "/run/checkers.pid"
	DefaultBFDPidFile      = "/run/bfd.pid"
)

// Options are what the command line selects for a daemon run.
type Options struct {
	ConfigFile string         // -f
	Load       config.Options // config id (-i), include check (-e), probes

	RunVRRP     bool // VRRP subsystem selected (not excluded by -C)
	RunCheckers bool // checker subsystem selected (not excluded by -P)
	RunAll      bool // --all: run selected subsystems even with no configuration

	PidFile         string // -p
	VRRPPidFile     string // -r
	CheckersPidFile string // -c

	DumpConf bool // -d: dump the configuration after loading
	// DontReleaseVRRP keeps VIPs and routes at stop (-V).
	DontReleaseVRRP bool
	// DontReleaseIPVS keeps the IPVS table at stop (-I).
	DontReleaseIPVS bool
	IgnoreSigint    bool // --ignore-sigint: SIGINT does not stop

	// Notes are logged once after the start lines (e.g. ignored options).
	Notes []string

	Version     string   // "Keepalived v2.2.7 (01/16,2022), ..." for log lines
	CommandLine []string // os.Args, logged at start
	RunningOn   string   // "Linux <release> <version>", logged at start
}

func (o *Options) fill() {
	if o.PidFile == "" {
		o.PidFile = DefaultPidFile
	}
	if o.VRRPPidFile == "" {
		o.VRRPPidFile = DefaultVRRPPidFile
	}
	if o.CheckersPidFile == "" {
		o.CheckersPidFile = DefaultCheckersPidFile
	}
}
