package metrics

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
	"github.com/gokeepalived/keepalived/internal/lvs"
)

// lvsCollector reads the checker subsystem at each scrape.
type lvsCollector struct {
	src LVSSource
	log *slog.Logger

	quorum, rsUp, rsWeight, scrape                 *prometheus.Desc
	checkDur, checkLast, checkFail, checkOK        *prometheus.Desc
	svcConns, svcInPkts, svcOutPkts, svcIn, svcOut *prometheus.Desc
	dstConns, dstInPkts, dstOutPkts, dstIn, dstOut *prometheus.Desc
	dstActive, dstInact                            *prometheus.Desc
}

func newLVSCollector(src LVSSource, log *slog.Logger) *lvsCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("keepalived_"+name, help, labels, nil)
	}
	svc := []string{"vs", "service"}
	dst := []string{"vs", "service", "rs"}
	chk := []string{"vs", "rs", "check"}
	return &lvsCollector{
		src:        src,
		log:        log,
		quorum:     d("lvs_virtual_server_quorum_up", "1 when the virtual server has quorum (its live real servers' weights reach quorum), 0 when its sorry server (or nothing) serves.", "vs"),
		rsUp:       d("lvs_real_server_up", "1 when every checker of the real server succeeds (it is in the IPVS table), 0 when it is down.", "vs", "rs"),
		rsWeight:   d("lvs_real_server_weight", "Effective weight of the real server (configured, or as MISC_CHECK misc_dynamic set it).", "vs", "rs"),
		scrape:     d("lvs_scrape_success", "1 when the checker subsystem and the kernel's IPVS counters answered this scrape, 0 otherwise."),
		checkDur:   d("check_duration_seconds", "Duration of the checker's probes (count: probes run, sum: their total time).", chk...),
		checkLast:  d("check_last_duration_seconds", "Duration of the checker's last probe.", chk...),
		checkFail:  d("check_failures_total", "Probes of the checker that failed (each retry counts).", chk...),
		checkOK:    d("check_last_success", "1 when the checker's last probe succeeded, 0 when it failed.", chk...),
		svcConns:   d("ipvs_service_connections_total", "Connections the kernel scheduled for the IPVS service.", svc...),
		svcInPkts:  d("ipvs_service_packets_in_total", "Packets the IPVS service received.", svc...),
		svcOutPkts: d("ipvs_service_packets_out_total", "Packets the IPVS service sent (NAT replies).", svc...),
		svcIn:      d("ipvs_service_bytes_in_total", "Bytes the IPVS service received.", svc...),
		svcOut:     d("ipvs_service_bytes_out_total", "Bytes the IPVS service sent (NAT replies).", svc...),
		dstConns:   d("ipvs_real_server_connections_total", "Connections the kernel scheduled to the real server of the IPVS service.", dst...),
		dstInPkts:  d("ipvs_real_server_packets_in_total", "Packets forwarded to the real server.", dst...),
		dstOutPkts: d("ipvs_real_server_packets_out_total", "Packets from the real server (NAT replies).", dst...),
		dstIn:      d("ipvs_real_server_bytes_in_total", "Bytes forwarded to the real server.", dst...),
		dstOut:     d("ipvs_real_server_bytes_out_total", "Bytes from the real server (NAT replies).", dst...),
		dstActive:  d("ipvs_real_server_active_connections", "Connections to the real server the kernel counts as active now (ipvsadm's ActiveConn).", dst...),
		dstInact:   d("ipvs_real_server_inactive_connections", "Connections to the real server the kernel counts as inactive now (ipvsadm's InActConn).", dst...),
	}
}

// Describe implements prometheus.Collector.
func (c *lvsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.quorum, c.rsUp, c.rsWeight, c.scrape,
		c.checkDur, c.checkLast, c.checkFail, c.checkOK,
		c.svcConns, c.svcInPkts, c.svcOutPkts, c.svcIn, c.svcOut,
		c.dstConns, c.dstInPkts, c.dstOutPkts, c.dstIn, c.dstOut, c.dstActive, c.dstInact} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *lvsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	st, err := c.src.Status(ctx)
	ok := 1.0
	if err != nil {
		c.log.Warn("metrics: " + err.Error())
		ok = 0
	}
	ch <- prometheus.MustNewConstMetric(c.scrape, prometheus.GaugeValue, ok)
	gauge := func(d *prometheus.Desc, v float64, lv ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, lv...)
	}
	for _, vs := range st.VirtualServers {
		gauge(c.quorum, b2f(vs.QuorumUp), vs.Name)
		for _, rs := range vs.Reals {
			gauge(c.rsUp, b2f(rs.Up), vs.Name, rs.Name)
			gauge(c.rsWeight, float64(rs.Weight), vs.Name, rs.Name)
		}
		c.collectCounters(ch, vs)
	}
	for _, k := range st.Checks {
		c.collectCheck(ch, k)
	}
}

func (c *lvsCollector) collectCheck(ch chan<- prometheus.Metric, k lvs.CheckStatus) {
	lv := []string{k.VS, k.RS, k.Kind}
	ch <- prometheus.MustNewConstSummary(c.checkDur, k.Probes, k.Total.Seconds(), nil, lv...)
	ch <- prometheus.MustNewConstMetric(c.checkLast, prometheus.GaugeValue, k.Last.Seconds(), lv...)
	ch <- prometheus.MustNewConstMetric(c.checkFail, prometheus.CounterValue, float64(k.Failures), lv...)
	ch <- prometheus.MustNewConstMetric(c.checkOK, prometheus.GaugeValue, b2f(k.LastOK), lv...)
}

// collectCounters reports the kernel's counters of the IPVS services of
// vs; destinations are named as the configuration names its real
// servers (a sorry server by its address).
func (c *lvsCollector) collectCounters(ch chan<- prometheus.Metric, vs ipvs.VSStatus) {
	names := map[ipvs.DestKey]string{}
	for _, rs := range vs.Reals {
		names[ipvs.DestKey{Addr: rs.Addr, Port: rs.Port}] = rs.Name
	}
	counter := func(d *prometheus.Desc, v uint64, lv ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), lv...)
	}
	for _, s := range vs.Services {
		svc := s.ServiceKey.String()
		counter(c.svcConns, s.Conns, vs.Name, svc)
		counter(c.svcInPkts, s.InPkts, vs.Name, svc)
		counter(c.svcOutPkts, s.OutPkts, vs.Name, svc)
		counter(c.svcIn, s.InBytes, vs.Name, svc)
		counter(c.svcOut, s.OutBytes, vs.Name, svc)
		for _, d := range s.Dests {
			rs, ok := names[d.DestKey]
			if !ok {
				rs = fmt.Sprintf("[%s]:%s:%d", d.Addr, config.Protocol(s.Protocol), d.Port)
			}
			counter(c.dstConns, d.Conns, vs.Name, svc, rs)
			counter(c.dstInPkts, d.InPkts, vs.Name, svc, rs)
			counter(c.dstOutPkts, d.OutPkts, vs.Name, svc, rs)
			counter(c.dstIn, d.InBytes, vs.Name, svc, rs)
			counter(c.dstOut, d.OutBytes, vs.Name, svc, rs)
			ch <- prometheus.MustNewConstMetric(c.dstActive, prometheus.GaugeValue, float64(d.ActiveConns), vs.Name, svc, rs)
			ch <- prometheus.MustNewConstMetric(c.dstInact, prometheus.GaugeValue, float64(d.InactConns), vs.Name, svc, rs)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
