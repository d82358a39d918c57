package check

// feedHTTP follows check_http.c: http_handle_response's success path
// (epilog REGISTER_CHECKER_NEW) and timeout_epilog for failures. Each run
// fetches one url (m.step); the server is up again only after every url
// has passed in turn with no url marked failed.
func (m *machine) feedHTTP(r Result) outcome {
	o := outcome{weight: weightNone}
	if r.OK {
		if !m.isUp && m.step < len(m.urls) {
			m.logf(&o, "%s success to %s url(%s)", r.Success, m.target, m.urls[m.step])
		}
		m.epilogHTTP(&o, methodNew)
		return o
	}
	if m.isUp || !m.hasRun {
		if m.logAll && r.Reason != "" {
			m.logf(&o, "%s server %s.", r.Reason, m.target)
		}
		m.hasRun = true
		m.epilogHTTP(&o, methodRetry)
		return o
	}
	m.epilogHTTP(&o, methodFailed)
	return o
}

type httpMethod uint8

const (
	methodNew httpMethod = iota
	methodRetry
	methodFailed
)

func (m *machine) epilogHTTP(o *outcome, method httpMethod) {
	switch method {
	case methodNew:
		m.step++
		m.retryIt = 0
	case methodRetry:
		m.retryIt++
	}
	last := m.step >= len(m.urls)
	switch {
	case method == methodNew && last && m.failed < 0:
		if !m.isUp || !m.hasRun {
			m.logf(o, "Remote Web server %s succeed on service.", m.target)
			o.change, m.isUp = +1, true
			m.hasRun = true
		}
		m.step, m.retryIt = 0, 0
	case method == methodRetry && m.retryIt > m.retry:
		if m.isUp || !m.hasRun {
			if m.hasRun && m.retry > 0 {
				m.logf(o, "HTTP_CHECK on service %s failed after %d retries.", m.target, m.retryIt-1)
			} else {
				m.logf(o, "HTTP_CHECK on service %s failed.", m.target)
			}
			o.change, m.isUp = -1, false
		}
		m.failed = m.step
	case method == methodNew && m.failed >= 0:
		m.failed, m.step, m.retryIt = -1, 0, 0
	}
	if m.step >= len(m.urls) {
		m.step = 0 // keepalived's url_it == NULL only happens with a failed url
	}
	switch {
	case method == methodNew:
		o.delay = m.loop
		if !m.hasRun {
			m.retryIt = m.retry
		}
	case m.failed >= 0:
		o.delay = max(m.dbr, m.loop)
	default:
		o.delay = m.dbr
	}
	if m.fastRecovery && (!m.hasRun || (!m.isUp && m.failed < 0)) {
		o.delay = 0
	}
}
