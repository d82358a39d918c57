// Package metrics serves the daemon's Prometheus metrics: per VRRP
// instance state, priorities and keepalived's counters; per virtual and
// real server state, weight, checker probes and the kernel's IPVS
// counters; and the process's health. Collectors are pull-based: each
// scrape asks the running subsystems for a copy of their state, so nothing
// is counted twice and the hot paths carry no metrics bookkeeping.
//
// docs/METRICS.md documents every metric.
package metrics
