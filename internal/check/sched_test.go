package check

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// load parses a configuration for the tests.
func load(t *testing.T, text string) *config.Model {
	t.Helper()
	r := config.LoadBytes("test.conf", []byte(text), config.Options{})
	if r.HasErrors() {
		t.Fatalf("config errors: %v", r.Diags)
	}
	return r.Model
}

// fakeBuild gives every checker a prober that must never run (the tests
// feed results directly) and keys by target and kind.
func fakeBuild(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, _ *config.SSLConfig) (Prober, string, error) {
	return ProberFunc(func(context.Context, int) Result { panic("not run") }), c.ConnectIP.String() + "|" + c.Kind.String(), nil
}

type harness struct {
	t   *testing.T
	s   *Scheduler
	now time.Time
	log *bytes.Buffer
}

func newHarness(t *testing.T, conf string, rnd float64) *harness {
	t.Helper()
	var buf bytes.Buffer
	lg := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == slog.LevelKey {
			return slog.Attr{}
		}
		return a
	}}))
	s := New(load(t, conf), Options{Rand: func() float64 { return rnd }, Logger: lg, Build: fakeBuild})
	s.Start(t0)
	return &harness{t: t, s: s, now: t0, log: &buf}
}

// step advances to the next due check, checks it is due after want, feeds
// res to every due job and returns the events.
func (h *harness) step(want time.Duration, res Result) []Event {
	h.t.Helper()
	at, ok := h.s.Next()
	if !ok {
		h.t.Fatal("nothing scheduled")
	}
	if got := at.Sub(h.now); got != want {
		h.t.Fatalf("next check after %v, want %v", got, want)
	}
	h.now = at
	jobs := h.s.Due(h.now)
	if len(jobs) == 0 {
		h.t.Fatal("no job due")
	}
	var evs []Event
	for _, j := range jobs {
		evs = append(evs, h.s.Complete(j, res, h.now)...)
	}
	return evs
}

func (h *harness) lines() string {
	s := h.log.String()
	h.log.Reset()
	return s
}

var (
	ok   = Result{OK: true, Exit: -1, Success: "HTTP status code"}
	fail = Result{Reason: "failed", Exit: -1}
)

func upDown(evs []Event) string {
	var b []string
	for _, e := range evs {
		if e.Up {
			b = append(b, "up")
		} else {
			b = append(b, "down")
		}
	}
	return strings.Join(b, ",")
}

const tcpConf = `
virtual_server 10.0.0.1 80 {
	delay_loop 5
	protocol TCP
	real_server 127.0.0.1 8080 {
		TCP_CHECK {
			connect_timeout 2
			retry 2
			delay_before_retry 1
			warmup 10
		}
	}
}
`

func TestTCPRetrySequence(t *testing.T) {
	h := newHarness(t, tcpConf, 0.5)
	if ev := h.s.Initial(); len(ev) != 1 || !ev[0].Up || ev[0].Weight != 1 {
		t.Fatalf("initial %v", ev)
	}
	// First check at 1 s + 0.5 x warmup; 2 retries 1 s apart, then down.
	steps := []struct {
		after time.Duration
		res   Result
		ev    string
	}{
		{6 * time.Second, fail, ""},
		{time.Second, fail, ""},
		{time.Second, fail, "down"},
		// A down TCP_CHECK is still retried (tcp_epilog).
		{5 * time.Second, fail, ""},
		{time.Second, fail, ""},
		{time.Second, fail, ""},
		{5 * time.Second, ok, "up"},
		{5 * time.Second, ok, ""},
		{5 * time.Second, fail, ""},
		{time.Second, ok, ""}, // a retry that succeeds keeps it up
		{5 * time.Second, ok, ""},
	}
	for i, st := range steps {
		if got := upDown(h.step(st.after, st.res)); got != st.ev {
			t.Fatalf("step %d: events %q, want %q", i, got, st.ev)
		}
	}
	want := "TCP_CHECK on service [127.0.0.1]:tcp:8080 failed after 2 retries."
	if l := h.lines(); !strings.Contains(l, want) || !strings.Contains(l, "TCP connection to [127.0.0.1]:tcp:8080 success.") {
		t.Errorf("log lacks %q or the success line:\n%s", want, l)
	}
}

func TestTCPRetryZero(t *testing.T) {
	h := newHarness(t, strings.Replace(tcpConf, "retry 2", "retry 0", 1), 0)
	if got := upDown(h.step(time.Second, fail)); got != "down" {
		t.Fatalf("retry 0: %q", got)
	}
	if l := h.lines(); !strings.Contains(l, "TCP_CHECK on service [127.0.0.1]:tcp:8080 failed.") {
		t.Errorf("log: %s", l)
	}
	if got := upDown(h.step(5*time.Second, ok)); got != "up" {
		t.Fatalf("recovery: %q", got)
	}
}

func TestFirstCheckBounds(t *testing.T) {
	for _, c := range []struct {
		rnd  float64
		conf string
		want time.Duration
	}{
		{0, tcpConf, time.Second},
		{0.999, tcpConf, time.Second + 9990*time.Millisecond},
		// warmup defaults to delay_loop.
		{0.5, strings.Replace(tcpConf, "warmup 10", "", 1), time.Second + 2500*time.Millisecond},
		{0.9, strings.Replace(tcpConf, "warmup 10", "warmup 0", 1), time.Second},
	} {
		h := newHarness(t, c.conf, c.rnd)
		at, _ := h.s.Next()
		if got := at.Sub(t0); got != c.want {
			t.Errorf("rand %v: first check after %v, want %v", c.rnd, got, c.want)
		}
		if got := at.Sub(t0); got < BootstrapDelay || got >= BootstrapDelay+10*time.Second {
			t.Errorf("first check %v outside [1s, 1s+warmup)", got)
		}
	}
}

func TestAlpha(t *testing.T) {
	h := newHarness(t, strings.Replace(tcpConf, "warmup 10", "warmup 0\nalpha", 1), 0)
	if ev := h.s.Initial(); ev[0].Up {
		t.Fatal("alpha server starts up")
	}
	if got := upDown(h.step(time.Second, ok)); got != "up" {
		t.Fatalf("first success: %q", got)
	}
	// Alpha and failing: retried, no down event (already down), logged once.
	h2 := newHarness(t, strings.Replace(tcpConf, "warmup 10", "warmup 0\nalpha", 1), 0)
	for i, d := range []time.Duration{time.Second, time.Second, time.Second, 5 * time.Second} {
		if got := upDown(h2.step(d, fail)); got != "" {
			t.Fatalf("step %d: %q", i, got)
		}
	}
}

// TestAlphaNotifies follows keepalived's update_svr_checker_state: the
// first verdict of an alpha checker sends the real server's notifies even
// when the state does not change (notify_down at a first failure); a
// later failure, or the first success of a checker that is not in alpha
// mode, sends none.
func TestAlphaNotifies(t *testing.T) {
	noRetry := strings.Replace(tcpConf, "retry 2", "retry 0", 1)
	alpha := strings.Replace(noRetry, "warmup 10", "warmup 0\nalpha", 1)
	h := newHarness(t, alpha, 0)
	evs := h.step(time.Second, fail)
	if len(evs) != 1 || evs[0].Up || !evs[0].Notify {
		t.Fatalf("first failure in alpha mode: %+v, want one down notify", evs)
	}
	if evs := h.step(5*time.Second, fail); len(evs) != 0 {
		t.Fatalf("second failure: %+v", evs)
	}
	if evs := h.step(5*time.Second, ok); len(evs) != 1 || !evs[0].Up || evs[0].Notify {
		t.Fatalf("success after failures: %+v, want a plain up event", evs)
	}
	// Alpha, first verdict a success: the state changes (plain up event).
	h = newHarness(t, alpha, 0)
	if evs := h.step(time.Second, ok); len(evs) != 1 || !evs[0].Up || evs[0].Notify {
		t.Fatalf("first success in alpha mode: %+v", evs)
	}
	// Not alpha: the first success changes nothing and notifies nothing.
	h = newHarness(t, strings.Replace(noRetry, "warmup 10", "warmup 0", 1), 0)
	if evs := h.step(time.Second, ok); len(evs) != 0 {
		t.Fatalf("first success without alpha: %+v", evs)
	}
	// With retries, has_run is set by the first attempt: a failing alpha
	// checker's verdict after its retries sends nothing (as keepalived).
	h = newHarness(t, strings.Replace(tcpConf, "warmup 10", "warmup 0\nalpha", 1), 0)
	for i, d := range []time.Duration{time.Second, time.Second, time.Second} {
		if evs := h.step(d, fail); len(evs) != 0 {
			t.Fatalf("alpha with retries, step %d: %+v", i, evs)
		}
	}
}

const httpConf = `
virtual_server 10.0.0.1 80 {
	delay_loop 10
	protocol TCP
	real_server 127.0.0.1 8080 {
		HTTP_GET {
			url {
				path /a
			}
			url {
				path /b
			}
			retry 1
			warmup 0
		}
	}
}
`

func TestHTTPSequence(t *testing.T) {
	h := newHarness(t, httpConf, 0)
	steps := []struct {
		after time.Duration
		step  int
		res   Result
		ev    string
	}{
		{time.Second, 0, ok, ""},        // /a, then /b one delay_loop later
		{10 * time.Second, 1, ok, ""},   // all urls passed: logged (has_run), already up
		{10 * time.Second, 0, fail, ""}, // retried after delay_before_retry (3 s default)
		{3 * time.Second, 0, fail, "down"},
		{10 * time.Second, 0, fail, ""}, // down: every max(dbr, delay_loop), no retries
		{10 * time.Second, 0, ok, ""},   // failed url passes: start over from /a
		{10 * time.Second, 0, ok, ""},
		{10 * time.Second, 1, ok, "up"},
	}
	for i, st := range steps {
		at, _ := h.s.Next()
		if at.Sub(h.now) != st.after {
			t.Fatalf("step %d: after %v, want %v", i, at.Sub(h.now), st.after)
		}
		h.now = at
		jobs := h.s.Due(at)
		if len(jobs) != 1 || jobs[0].Step != st.step {
			t.Fatalf("step %d: jobs %v, want url %d", i, jobs, st.step)
		}
		if got := upDown(h.s.Complete(jobs[0], st.res, at)); got != st.ev {
			t.Fatalf("step %d: events %q, want %q", i, got, st.ev)
		}
	}
	l := h.lines()
	for _, want := range []string{
		"Remote Web server [127.0.0.1]:tcp:8080 succeed on service.",
		"HTTP_CHECK on service [127.0.0.1]:tcp:8080 failed after 1 retries.",
		"HTTP status code success to [127.0.0.1]:tcp:8080 url(/a)",
	} {
		if !strings.Contains(l, want) {
			t.Errorf("log lacks %q:\n%s", want, l)
		}
	}
}

const miscConf = `
virtual_server 10.0.0.1 80 {
	delay_loop 10
	protocol TCP
	real_server 127.0.0.1 8080 {
		weight 7
		MISC_CHECK {
			misc_path /bin/true
			misc_dynamic
			retry 1
			delay_before_retry 2
			warmup 0
		}
	}
}
`

func TestMiscDynamicAndRetry(t *testing.T) {
	h := newHarness(t, miscConf, 0)
	exit := func(n int) Result { return Result{Exit: n, OK: n == 0} }
	type st struct {
		after time.Duration
		res   Result
		want  string // "up/down weight" or ""
	}
	for i, s := range []st{
		{time.Second, exit(0), ""}, // up already; weight unchanged
		{10 * time.Second, exit(12), "up 10"},
		{10 * time.Second, exit(2), "up 0"},
		{10 * time.Second, exit(0), "up 7"},
		{10 * time.Second, exit(1), ""}, // retried after 2 s
		{2 * time.Second, exit(1), "down 7"},
		{10 * time.Second, exit(1), ""}, // down: no retry
		{10 * time.Second, exit(5), "up 3"},
	} {
		at, _ := h.s.Next()
		if at.Sub(h.now) != s.after {
			t.Fatalf("step %d: after %v, want %v", i, at.Sub(h.now), s.after)
		}
		h.now = at
		jobs := h.s.Due(at)
		// Delays count from the script's start: finishing late changes nothing.
		evs := h.s.Complete(jobs[0], s.res, at.Add(500*time.Millisecond))
		got := ""
		for _, e := range evs {
			got = map[bool]string{true: "up", false: "down"}[e.Up] + " " + strconv.Itoa(e.Weight)
		}
		if got != s.want {
			t.Fatalf("step %d: %q, want %q", i, got, s.want)
		}
	}
	l := h.lines()
	for _, want := range []string{
		"Misc check for [[127.0.0.1]:tcp:8080 VS [10.0.0.1]:tcp:80] by [/bin/true] failed after 1 retries (exited with status 1).",
		"Misc check for [[127.0.0.1]:tcp:8080 VS [10.0.0.1]:tcp:80] by [/bin/true] succeeded.",
	} {
		if !strings.Contains(l, want) {
			t.Errorf("log lacks %q:\n%s", want, l)
		}
	}
}

func TestDedup(t *testing.T) {
	conf := `
virtual_server 10.0.0.1 80 {
	delay_loop 5
	protocol TCP
	real_server 127.0.0.1 8080 {
		TCP_CHECK {
			retry 0
		}
	}
	real_server 127.0.0.2 8080 {
		TCP_CHECK {
			retry 0
		}
	}
}
virtual_server 10.0.0.2 80 {
	delay_loop 5
	protocol TCP
	real_server 127.0.0.1 8080 {
		TCP_CHECK {
			retry 0
		}
	}
}
virtual_server 10.0.0.3 80 {
	delay_loop 6
	protocol TCP
	real_server 127.0.0.1 8080 {
		TCP_CHECK {
			retry 0
		}
	}
}
`
	s := New(load(t, conf), Options{Rand: func() float64 { return 0 }, Build: fakeBuild})
	// 127.0.0.1 at delay_loop 5 is shared by two virtual servers; the
	// delay_loop 6 check differs in timing and runs on its own.
	if s.Units() != 3 {
		t.Fatalf("units %d, want 3", s.Units())
	}
	s.Start(t0)
	jobs := s.Due(t0.Add(time.Second))
	if len(jobs) != 3 {
		t.Fatalf("due %d", len(jobs))
	}
	var evs []Event
	for _, j := range jobs {
		evs = append(evs, s.Complete(j, fail, t0.Add(time.Second))...)
	}
	if len(evs) != 4 {
		t.Fatalf("events %v, want 4 real servers down", evs)
	}
}

func TestUnsupportedKept(t *testing.T) {
	conf := "bfd_instance b1 {\n\tneighbor_ip 10.0.0.9\n}\n" + strings.Replace(strings.Replace(tcpConf, "TCP_CHECK {", "BFD_CHECK {\nname b1\n}\nTCP_CHECK {", 1), "TCP_CHECK {", "PING_CHECK {", 1)
	s := New(load(t, conf), Options{Build: fakeBuild})
	if len(s.Unsupported()) != 1 || s.Units() != 1 {
		t.Fatalf("unsupported %d units %d", len(s.Unsupported()), s.Units())
	}
	if ev := s.Initial(); len(ev) != 1 || !ev[0].Up {
		t.Fatalf("initial %v", ev)
	}
	// Many BFD_CHECKs are reported once.
	twice := strings.Replace(conf, "BFD_CHECK {", "BFD_CHECK {\nname b1\n}\nBFD_CHECK {", 1)
	if n := len(New(load(t, twice), Options{Build: fakeBuild}).Unsupported()); n != 1 {
		t.Fatalf("unsupported %d, want 1 per kind", n)
	}
}

func TestAdoptKeepsState(t *testing.T) {
	h := newHarness(t, tcpConf+strings.Replace(tcpConf, "10.0.0.1", "10.0.0.2", 1), 0.5)
	// Both virtual servers share the check: it goes down.
	for _, d := range []time.Duration{6 * time.Second, time.Second, time.Second} {
		h.step(d, fail)
	}
	// Reload: the first virtual server is unchanged, the second one's check
	// now has other timing (a new unit starting afresh).
	m2 := load(t, tcpConf+strings.Replace(strings.Replace(tcpConf, "10.0.0.1", "10.0.0.2", 1), "retry 2", "retry 3", 1))
	s2 := New(m2, Options{Rand: func() float64 { return 0 }, Build: fakeBuild})
	s2.Adopt(h.s, h.now)
	s2.Start(h.now)
	init := s2.Initial()
	if len(init) != 2 || init[0].Up || !init[1].Up {
		t.Fatalf("after reload %v: want the unchanged check still down, the new one up", init)
	}
	at, _ := s2.Next()
	if at.Sub(h.now) != time.Second {
		t.Fatalf("new unit first check after %v", at.Sub(h.now))
	}
	// The adopted unit keeps its schedule (delay_loop after the last run).
	jobs := s2.Due(h.now.Add(5 * time.Second))
	if len(jobs) != 2 {
		t.Fatalf("due %d", len(jobs))
	}
}
