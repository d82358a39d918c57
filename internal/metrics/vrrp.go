package metrics

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gokeepalived/keepalived/internal/vrrp"
)

// scrapeTimeout bounds how long a scrape waits for a subsystem.
const scrapeTimeout = 5 * time.Second

// instanceLabels identify a VRRP instance, as keepalived's exporters
// label them.
var instanceLabels = []string{"iname", "intf", "vrid", "ip_type"}

func withLabels(base []string, more ...string) []string {
	return append(append([]string(nil), base...), more...)
}

// vrrpCollector reads the VRRP subsystem at each scrape.
type vrrpCollector struct {
	src VRRPSource
	log *slog.Logger

	state, inState, prio, effPrio, lastTrans          *prometheus.Desc
	advRcvd, advSent, becameMaster, releasedMaster    *prometheus.Desc
	pktErr, authErr, priZeroRcvd, priZeroSent, scrape *prometheus.Desc
}

func newVRRPCollector(src VRRPSource, log *slog.Logger) *vrrpCollector {
	d := func(name, help string, extra ...string) *prometheus.Desc {
		return prometheus.NewDesc("keepalived_vrrp_"+name, help, withLabels(instanceLabels, extra...), nil)
	}
	return &vrrpCollector{
		src:            src,
		log:            log,
		state:          d("instance_state", "State of the VRRP instance as keepalived numbers it: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 98 STOP."),
		inState:        d("instance_in_state", "1 for the state the VRRP instance is in, 0 for the others.", "state"),
		prio:           d("instance_priority", "Configured priority of the VRRP instance."),
		effPrio:        d("instance_effective_priority", "Effective priority of the VRRP instance: the configured one plus the weights of its trackers."),
		lastTrans:      d("instance_last_transition_timestamp_seconds", "Time of the VRRP instance's last state change, in seconds since the epoch (0 before the first)."),
		advRcvd:        d("adverts_received_total", "VRRP advertisements received by the instance."),
		advSent:        d("adverts_sent_total", "VRRP advertisements sent by the instance."),
		becameMaster:   d("became_master_total", "Times the VRRP instance became MASTER."),
		releasedMaster: d("released_master_total", "Times the VRRP instance left MASTER."),
		pktErr:         d("packet_errors_total", "VRRP packets the instance refused, by keepalived's counter name.", "reason"),
		authErr:        d("auth_errors_total", "VRRP packets refused for authentication, by keepalived's counter name.", "reason"),
		priZeroRcvd:    d("priority_zero_received_total", "Priority-0 advertisements (a master stepping down) received."),
		priZeroSent:    d("priority_zero_sent_total", "Priority-0 advertisements sent."),
		scrape:         prometheus.NewDesc("keepalived_vrrp_scrape_success", "1 when the VRRP subsystem answered this scrape, 0 when it did not in time.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *vrrpCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.state, c.inState, c.prio, c.effPrio, c.lastTrans,
		c.advRcvd, c.advSent, c.becameMaster, c.releasedMaster, c.pktErr, c.authErr,
		c.priZeroRcvd, c.priZeroSent, c.scrape} {
		ch <- d
	}
}

// stateNumbers are keepalived's numbers of the states (vrrp.h).
var stateNumbers = map[vrrp.State]float64{
	vrrp.StateInit: 0, vrrp.StateBackup: 1, vrrp.StateMaster: 2, vrrp.StateFault: 3, vrrp.StateStop: 98,
}

// reportedStates are the states instance_in_state has a series for.
var reportedStates = []vrrp.State{vrrp.StateInit, vrrp.StateBackup, vrrp.StateMaster, vrrp.StateFault}

// Collect implements prometheus.Collector.
func (c *vrrpCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	st, err := c.src.Status(ctx)
	ok := 1.0
	if err != nil {
		c.log.Warn("metrics: " + err.Error())
		ok = 0
	}
	ch <- prometheus.MustNewConstMetric(c.scrape, prometheus.GaugeValue, ok)
	for _, in := range st {
		c.collectInstance(ch, in)
	}
}

func (c *vrrpCollector) collectInstance(ch chan<- prometheus.Metric, in vrrp.InstanceStatus) {
	ipType := "ipv4"
	if in.Family == 6 {
		ipType = "ipv6"
	}
	lv := []string{in.Name, in.Interface, strconv.Itoa(in.VRID), ipType}
	gauge := func(d *prometheus.Desc, v float64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, withLabels(lv, extra...)...)
	}
	counter := func(d *prometheus.Desc, v uint64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), withLabels(lv, extra...)...)
	}
	num, known := stateNumbers[in.State]
	if !known {
		num = -1
	}
	gauge(c.state, num)
	for _, s := range reportedStates {
		v := 0.0
		if s == in.State {
			v = 1
		}
		gauge(c.inState, v, s.String())
	}
	gauge(c.prio, float64(in.Priority))
	gauge(c.effPrio, float64(in.EffectivePriority))
	ts := 0.0
	if !in.LastTransition.IsZero() {
		ts = float64(in.LastTransition.UnixNano()) / 1e9
	}
	gauge(c.lastTrans, ts)
	s := in.Stats
	counter(c.advRcvd, s.AdvertRcvd)
	counter(c.advSent, s.AdvertSent)
	counter(c.becameMaster, s.BecomeMaster)
	counter(c.releasedMaster, s.ReleaseMaster)
	for _, e := range []struct {
		reason string
		n      uint64
	}{
		{"packet_len_err", s.PacketLenErr},
		{"ip_ttl_err", s.IPTTLErr},
		{"invalid_type_rcvd", s.InvalidTypeRcvd},
		{"advert_interval_err", s.AdvertIntervalErr},
		{"addr_list_err", s.AddrListErr},
		{"chk_err", s.ChecksumErr},
		{"vers_err", s.VersionErr},
	} {
		counter(c.pktErr, e.n, e.reason)
	}
	counter(c.authErr, s.InvalidAuthType, "invalid_authtype")
	counter(c.authErr, s.AuthTypeMismatch, "authtype_mismatch")
	counter(c.authErr, s.AuthFailure, "auth_failure")
	counter(c.priZeroRcvd, s.PriZeroRcvd)
	counter(c.priZeroSent, s.PriZeroSent)
}
