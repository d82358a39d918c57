package check

import (
	"strings"
	"testing"
	"time"
)

// feedAll feeds results to a machine and reports delays and changes.
func feedAll(m *machine, rs ...bool) (delays []time.Duration, changes []int, logs []string) {
	for _, ok := range rs {
		r := Result{OK: ok, Exit: -1}
		if !ok {
			r.Reason = "read timeout from socket"
		}
		o := m.feed(r)
		delays = append(delays, o.delay)
		changes = append(changes, o.change)
		logs = append(logs, o.logs...)
	}
	return
}

func testMachine(p policy, kind string, retry uint32) *machine {
	m := newMachine(p, true)
	m.kindName, m.target, m.retry, m.dbr, m.loop = kind, "[127.0.0.1]:udp:53", retry, time.Second, 10*time.Second
	return m
}

func eqDur(a, b []time.Duration) bool {
	return strings.Trim(fmtDur(a), " ") == strings.Trim(fmtDur(b), " ")
}

func fmtDur(d []time.Duration) string {
	var b strings.Builder
	for _, x := range d {
		b.WriteString(x.String() + " ")
	}
	return b.String()
}

func eqInt(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

const s1, s10 = time.Second, 10 * time.Second

func TestDNSPolicy(t *testing.T) {
	// DNS_CHECK: retry 3 by default; down after 4 failures; a down server
	// is checked every delay_loop; one success brings it up.
	m := testMachine(policyDNS, "DNS_CHECK", 3)
	d, c, logs := feedAll(m, false, false, false, false, false, true)
	if !eqDur(d, []time.Duration{s1, s1, s1, s10, s10, s10}) || !eqInt(c, []int{0, 0, 0, -1, 0, +1}) {
		t.Fatalf("delays %v changes %v", d, c)
	}
	if len(logs) != 1 || logs[0] != "DNS_CHECK ([127.0.0.1]:udp:53) read timeout from socket after 3 retries" {
		t.Errorf("logs %q", logs)
	}
}

func TestSMTPPolicy(t *testing.T) {
	m := testMachine(policySMTP, "SMTP_CHECK", 1)
	// Retried while down too; has_run is only set by a success, so the
	// second final failure reports down again (no effect on the server).
	d, c, logs := feedAll(m, false, false, false, false, true)
	if !eqDur(d, []time.Duration{s1, s10, s1, s10, s10}) || !eqInt(c, []int{0, -1, 0, -1, +1}) {
		t.Fatalf("delays %v changes %v", d, c)
	}
	if len(logs) != 3 || logs[0] != "SMTP_CHECK read timeout from socket" || logs[2] != "Remote SMTP server [127.0.0.1]:udp:53 succeed on service." {
		t.Errorf("logs %q", logs)
	}
}

func TestHTTPFastRecovery(t *testing.T) {
	m := newMachine(policyHTTP, true)
	m.urls, m.retry, m.dbr, m.loop, m.fastRecovery = []string{"/a", "/b"}, 0, s1, s10, true
	// Not yet run: the next url is fetched at once.
	if o := m.feed(Result{OK: true}); o.delay != 0 || o.change != 0 {
		t.Fatalf("first url %+v", o)
	}
	if o := m.feed(Result{OK: true}); o.delay != s10 || o.change != +1 {
		t.Fatalf("second url %+v", o)
	}
	if o := m.feed(Result{}); o.change != -1 || o.delay != s10 {
		t.Fatalf("failure %+v", o)
	}
}
