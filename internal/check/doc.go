// Package check runs keepalived's health checkers (TCP_CHECK, HTTP_GET,
// SSL_GET, MISC_CHECK, UDP_CHECK, DNS_CHECK, SMTP_CHECK, PING_CHECK)
// against real servers and reports real
// servers going up and down to a Sink (the IPVS manager).
//
// The package has three layers:
//   - machine*.go: the per-checker retry state machines, plain logic
//     following keepalived 2.2.7's check_tcp.c, check_http.c and
//     check_misc.c, check_dns.c and check_smtp.c exactly (when a failure is retried, when a server is
//     declared down or up, which delay comes next, which line is logged);
//   - Scheduler (sched.go): plain logic over an injected clock reading
//     (every method takes "now"): it builds one unit per distinct check
//     (identical checks of several virtual servers are run once and their
//     result fanned out), picks the first check at keepalived's random
//     moment (1 s + rand x warmup), says which units are due and turns
//     probe results into real-server Events;
//   - Runner (runner.go) and the probers (tcp.go, http*.go, misc.go,
//     udp.go, dns.go, smtp.go, ping.go): the kernel/network edge, running
//     due probes with bounded concurrency.
//
// FILE_CHECK and BFD_CHECK are parsed by internal/config but not run here
// yet (they react to track files and BFD sessions, not timers); their
// checkers count as up (see Unsupported). SMTP_CHECK's deprecated host
// blocks are ignored: the checker's own connect_ip/connect_port is used.
package check
