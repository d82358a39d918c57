package logging

import (
	"bytes"
	"io"
	"log/slog"
	"log/syslog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseFacility(t *testing.T) {
	good := map[string]syslog.Priority{
		"0": syslog.LOG_LOCAL0, "7": syslog.LOG_LOCAL7, "local3": syslog.LOG_LOCAL3,
		"05": syslog.LOG_LOCAL5, "user": syslog.LOG_USER, "daemon": syslog.LOG_DAEMON,
	}
	for s, want := range good {
		if got, err := ParseFacility(s); err != nil || got != want {
			t.Errorf("ParseFacility(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "8", "local8", "local", "kern", "-1", "LOCAL1", "+1"} {
		if _, err := ParseFacility(s); err == nil {
			t.Errorf("ParseFacility(%q) accepted", s)
		}
	}
}

func TestSubsystemFile(t *testing.T) {
	tests := []struct{ path, sub, want string }{
		{"/var/log/keepalived.log", "vrrp", "/var/log/keepalived_vrrp.log"},
		{"/var/log/ka.x.log", "healthcheckers", "/var/log/ka.x_healthcheckers.log"},
		{"/var.d/keepalived", "vrrp", "/var.d/keepalived_vrrp"},
		{"/tmp/keepalived.log", "", "/tmp/keepalived.log"},
	}
	for _, tc := range tests {
		if got := SubsystemFile(tc.path, tc.sub); got != tc.want {
			t.Errorf("SubsystemFile(%q, %q) = %q, want %q", tc.path, tc.sub, got, tc.want)
		}
	}
	if Ident("") != "Keepalived" || Ident(SubsystemVRRP) != "Keepalived_vrrp" || Ident(SubsystemCheckers) != "Keepalived_healthcheckers" {
		t.Error("idents")
	}
}

// fakeSyslog records messages by ident.
type fakeSyslog struct {
	ident string
	out   *[]string
}

func (f fakeSyslog) add(level, m string) error {
	*f.out = append(*f.out, f.ident+" "+level+" "+m)
	return nil
}
func (f fakeSyslog) Debug(m string) error   { return f.add("debug", m) }
func (f fakeSyslog) Info(m string) error    { return f.add("info", m) }
func (f fakeSyslog) Warning(m string) error { return f.add("warning", m) }
func (f fakeSyslog) Err(m string) error     { return f.add("err", m) }
func (f fakeSyslog) Close() error           { return nil }

type memFile struct {
	*bytes.Buffer
}

func (memFile) Close() error { return nil }

func TestHandlerOutputs(t *testing.T) {
	var console bytes.Buffer
	var sys []string
	var fac syslog.Priority
	files := map[string]*bytes.Buffer{}
	var mu sync.Mutex
	h := New(Options{
		Console:  &console,
		File:     "/log/keepalived.log",
		Syslog:   true,
		Facility: syslog.LOG_LOCAL2,
		Now:      func() time.Time { return time.Date(2026, 11, 2, 20, 30, 0, 0, time.UTC) },
		DialSyslog: func(p syslog.Priority, ident string) (SyslogWriter, error) {
			fac = p &^ 7
			return fakeSyslog{ident, &sys}, nil
		},
		OpenFile: func(path string) (io.WriteCloser, error) {
			mu.Lock()
			defer mu.Unlock()
			b := &bytes.Buffer{}
			files[path] = b
			return memFile{b}, nil
		},
	})
	defer func() { _ = h.Close() }()
	log := slog.New(h)
	log.Info("Starting Keepalived v2.2.7")
	log.Debug("hidden without -D")
	WithSubsystem(log, SubsystemVRRP).Warn("(VI_1) Entering MASTER STATE", "prio", 100)
	log.WithGroup("g").Error("failed", "why", "two words")

	wantConsole := "Mon Nov  2 20:30:00 2026: Starting Keepalived v2.2.7\n" +
		"Mon Nov  2 20:30:00 2026: (VI_1) Entering MASTER STATE prio=100\n" +
		"Mon Nov  2 20:30:00 2026: failed g.why=\"two words\"\n"
	if console.String() != wantConsole {
		t.Errorf("console:\n%s\nwant:\n%s", console.String(), wantConsole)
	}
	wantSys := []string{
		"Keepalived info Starting Keepalived v2.2.7",
		"Keepalived_vrrp warning (VI_1) Entering MASTER STATE prio=100",
		"Keepalived err failed g.why=\"two words\"",
	}
	if strings.Join(sys, "\n") != strings.Join(wantSys, "\n") {
		t.Errorf("syslog %q", sys)
	}
	if fac != syslog.LOG_LOCAL2 {
		t.Errorf("facility %v", fac)
	}
	if b := files["/log/keepalived_vrrp.log"]; b == nil || !strings.Contains(b.String(), "Entering MASTER STATE") {
		t.Errorf("vrrp log file: %v", files)
	}
	if b := files["/log/keepalived.log"]; b == nil || strings.Contains(b.String(), "MASTER") {
		t.Errorf("parent log file: %v", files)
	}
}

func TestHandlerDetailAndNoSyslog(t *testing.T) {
	var console bytes.Buffer
	dialed := false
	h := New(Options{Console: &console, Detail: 1, DialSyslog: func(syslog.Priority, string) (SyslogWriter, error) {
		dialed = true
		return nil, io.EOF
	}})
	slog.New(h).Debug("detail")
	if !strings.Contains(console.String(), "detail") {
		t.Errorf("debug record not written with -D: %q", console.String())
	}
	if dialed {
		t.Error("syslog dialed with Syslog false")
	}
}

func TestHandlerSyslogUnavailable(t *testing.T) {
	calls := 0
	h := New(Options{Syslog: true, DialSyslog: func(syslog.Priority, string) (SyslogWriter, error) {
		calls++
		return nil, io.EOF
	}})
	l := slog.New(h)
	l.Info("a")
	l.Info("b")
	if calls != 1 {
		t.Errorf("dialed %d times, want once", calls)
	}
}
