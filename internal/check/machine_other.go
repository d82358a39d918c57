package check

import "strconv"

// feedDNS follows check_dns.c's dns_final: failures of an up (or not yet
// run) server are retried; the last one is always logged, with " after N
// retries" once the check has run.
func (m *machine) feedDNS(r Result) outcome {
	o := outcome{weight: weightNone, delay: m.loop}
	if !r.OK {
		if m.isUp || !m.hasRun {
			if r.Reason != "" && (m.logAll || m.retryIt >= m.retry) {
				msg := r.Reason
				if m.hasRun && m.retryIt >= m.retry {
					msg += " after " + strconv.Itoa(int(m.retry)) + " retries"
				}
				m.logf(&o, "DNS_CHECK (%s) %s", m.target, msg)
			}
			if m.retryIt < m.retry {
				m.retryIt++
				m.hasRun = true
				o.delay = m.dbr
				return o
			}
			o.change, m.isUp = -1, false
		}
	} else if !m.isUp || !m.hasRun {
		o.change, m.isUp = +1, true
	}
	m.retryIt = 0
	return o
}

// feedSMTP follows check_smtp.c's smtp_final: failures are retried even
// while the server is down.
func (m *machine) feedSMTP(r Result) outcome {
	o := outcome{weight: weightNone, delay: m.loop}
	if !r.OK {
		if (m.isUp || !m.hasRun) && (m.logAll || m.retryIt >= m.retry) && r.Reason != "" {
			m.logf(&o, "SMTP_CHECK %s", r.Reason)
		}
		m.retryIt++
		if m.retryIt <= m.retry {
			o.delay = m.dbr
			return o
		}
		if m.isUp || !m.hasRun {
			o.change, m.isUp = -1, false
		}
		m.retryIt = 0
		return o
	}
	m.retryIt = 0
	if !m.isUp || !m.hasRun {
		m.logf(&o, "Remote SMTP server %s succeed on service.", m.target)
		o.change, m.isUp = +1, true
	}
	m.hasRun = true
	return o
}
