package check

import (
	"fmt"
	"time"
)

// policy selects which keepalived checker's retry logic a machine follows.
type policy uint8

const (
	// policyTCP is check_tcp.c's tcp_epilog (also used for UDP_CHECK):
	// failures are retried even while the server is down.
	policyTCP policy = iota
	// policyHTTP is check_http.c's epilog and timeout_epilog (HTTP_GET,
	// SSL_GET): one url per run, a down server is not retried.
	policyHTTP
	// policyMisc is check_misc.c's misc_check_child_thread: delays count
	// from the start of the script, a down server is not retried.
	policyMisc
	// policyDNS is check_dns.c's dns_final.
	policyDNS
	// policySMTP is check_smtp.c's smtp_final.
	policySMTP
)

// vsToken stands for the virtual server's name in a log line; the
// scheduler replaces it for each virtual server sharing the check.
const vsToken = "\x00VS\x00"

// Weight values of an outcome besides a real weight.
const (
	weightNone = -1 // no weight change
	weightRS   = -2 // back to the real server's configured weight
)

// machine is the retry state of one checker, as keepalived keeps it in
// checker_t (is_up, has_run, retry_it) and the checker's private data.
type machine struct {
	pol          policy
	kindName     string // "TCP_CHECK", "UDP_CHECK", ...
	target       string // FMT_CHK: "[1.2.3.4]:tcp:80"
	script       string // MISC_CHECK: argv[0]
	retry        uint32
	dbr, loop    time.Duration
	logAll       bool
	dynamic      bool // misc_dynamic
	fastRecovery bool
	urls         []string // HTTP paths (one step each)

	isUp, hasRun bool
	retryIt      uint32
	step         int // url_it
	failed       int // failed_url, -1 when none
	lastExit     int // misc last_exit_code
}

// outcome is what one result does to a machine.
type outcome struct {
	delay time.Duration // until the next probe
	// fromStart: delay counts from the probe's start (MISC_CHECK),
	// otherwise from its completion.
	fromStart bool
	change    int // +1 up, -1 down, 0 none
	weight    int // weightNone, weightRS or a weight (misc_dynamic)
	logs      []string
}

func newMachine(p policy, up bool) *machine {
	return &machine{pol: p, isUp: up, failed: -1}
}

func (m *machine) logf(o *outcome, format string, a ...any) {
	o.logs = append(o.logs, fmt.Sprintf(format, a...))
}

// feed applies result r of the probe of step m.step.
func (m *machine) feed(r Result) outcome {
	switch m.pol {
	case policyHTTP:
		return m.feedHTTP(r)
	case policyMisc:
		return m.feedMisc(r)
	case policyDNS:
		return m.feedDNS(r)
	case policySMTP:
		return m.feedSMTP(r)
	}
	return m.feedTCP(r)
}

// feedTCP follows tcp_epilog.
func (m *machine) feedTCP(r Result) outcome {
	o := outcome{weight: weightNone}
	if !r.OK && m.isUp && m.logAll && r.Reason != "" {
		m.logf(&o, "%s connection to %s %s.", protoWord(m.kindName), m.target, r.Reason)
	}
	if r.OK || m.retryIt >= m.retry {
		o.delay = m.loop
		m.retryIt = 0
		name := m.kindName
		if name == "PING_CHECK" {
			name = "ICMP CHECK"
		}
		switch {
		case r.OK && (!m.isUp || !m.hasRun):
			m.logf(&o, "%s connection to %s success.", protoWord(m.kindName), m.target)
			o.change = +1
			m.isUp = true
		case !r.OK && (m.isUp || !m.hasRun):
			switch {
			case m.retry > 0 && m.hasRun && name == "ICMP CHECK":
				m.logf(&o, "%s on service %s of %s failed after %d retries.", name, m.target, vsToken, m.retry)
			case m.retry > 0 && m.hasRun:
				m.logf(&o, "%s on service %s failed after %d retries.", name, m.target, m.retry)
			default:
				m.logf(&o, "%s on service %s failed.", name, m.target)
			}
			o.change = -1
			m.isUp = false
		}
	} else {
		o.delay = m.dbr
		m.retryIt++
	}
	m.hasRun = true
	return o
}

// protoWord is the word starting the connection lines of a kind.
func protoWord(kind string) string {
	switch kind {
	case "UDP_CHECK":
		return "UDP"
	case "PING_CHECK":
		return "ICMP"
	}
	return "TCP"
}

// feedMisc follows misc_check_child_thread.
func (m *machine) feedMisc(r Result) outcome {
	o := outcome{weight: weightNone, fromStart: true}
	exitType, reason, code := "", "", 0
	success, messageOnly := false, false
	status := r.Exit
	switch {
	case !r.Signaled && !r.TimedOut && (status == 0 || (m.dynamic && status >= 2 && status <= 255)):
		if status != m.lastExit {
			if status >= 2 {
				o.weight = status - 2
			} else {
				o.weight = weightRS
			}
			m.lastExit = status
		}
		if !m.isUp || !m.hasRun {
			exitType, success = "succeeded", true
		}
		m.retryIt = 0
	case m.isUp || !m.hasRun:
		switch {
		case r.TimedOut:
			exitType = "timed out"
		case r.Signaled:
			exitType, reason, code = "failed", "due to signal", status
		default:
			exitType, reason, code = "failed", "exited with status", status
		}
		if m.retryIt < m.retry {
			m.retryIt++
			if m.logAll {
				messageOnly = true
			} else {
				exitType = ""
			}
		} else {
			m.retryIt = 0
			if !r.Signaled && !r.TimedOut {
				m.lastExit = status
			}
		}
	}
	if exitType != "" {
		extra := ""
		if !success && m.retry > 0 {
			extra = fmt.Sprintf(" after %d retries", m.retry)
		}
		if reason != "" {
			m.logf(&o, "Misc check for [%s VS %s] by [%s] %s%s (%s %d).", m.target, vsToken, m.script, exitType, extra, reason, code)
		} else {
			m.logf(&o, "Misc check for [%s VS %s] by [%s] %s%s.", m.target, vsToken, m.script, exitType, extra)
		}
		if !messageOnly {
			if success {
				o.change, m.isUp = +1, true
			} else {
				o.change, m.isUp = -1, false
			}
		}
	}
	if m.retryIt > 0 {
		o.delay = m.dbr
	} else {
		o.delay = m.loop
	}
	m.hasRun = true
	return o
}
