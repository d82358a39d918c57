package metrics

import (
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Options configure NewRegistry.
type Options struct {
	// Version is reported by keepalived_build_info ("2.2.7").
	Version string
	// Logger receives scrape problems; nil discards them.
	Logger *slog.Logger
	// NoProcess leaves out the process and Go runtime collectors (tests).
	NoProcess bool
}

// NewRegistry returns a registry with keepalived_build_info, the process
// and Go runtime collectors, and a collector for each source that is a
// VRRPSource or an LVSSource (other values, nil included, are skipped).
func NewRegistry(opt Options, sources ...any) *prometheus.Registry {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg := prometheus.NewRegistry()
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "keepalived_build_info",
		Help:        "Always 1; the version label is the keepalived version this daemon implements.",
		ConstLabels: prometheus.Labels{"version": opt.Version, "implementation": "gokeepalived"},
	})
	info.Set(1)
	reg.MustRegister(info)
	if !opt.NoProcess {
		reg.MustRegister(
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
			collectors.NewGoCollector(),
			collectors.NewBuildInfoCollector(),
		)
	}
	for _, s := range sources {
		switch src := s.(type) {
		case VRRPSource:
			reg.MustRegister(newVRRPCollector(src, log))
		case LVSSource:
			reg.MustRegister(newLVSCollector(src, log))
		}
	}
	return reg
}
