package core

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
)

// fakeSystem is an in-memory System.
type fakeSystem struct {
	mu    sync.Mutex
	pid   int
	alive map[int]bool
	files map[string]string
	sigs  chan<- os.Signal
	ready chan struct{} // closed once Notify was called
}

func newFakeSystem() *fakeSystem {
	return &fakeSystem{pid: 100, alive: map[int]bool{}, files: map[string]string{}, ready: make(chan struct{})}
}

func (f *fakeSystem) Getpid() int { return f.pid }

func (f *fakeSystem) ProcessAlive(pid int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.alive[pid]
}

func (f *fakeSystem) ReadFile(path string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.files[path]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(s), nil
}

func (f *fakeSystem) WriteFile(path string, data []byte, _ os.FileMode) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[path] = string(data)
	return nil
}

func (f *fakeSystem) Remove(path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.files[path]; !ok {
		return fs.ErrNotExist
	}
	delete(f.files, path)
	return nil
}

func (f *fakeSystem) file(path string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.files[path]
	return s, ok
}

func (f *fakeSystem) Notify(c chan<- os.Signal, _ ...os.Signal) {
	f.sigs = c
	close(f.ready)
}

func (f *fakeSystem) StopNotify(chan<- os.Signal) {}
func (f *fakeSystem) Getenv(string) string        { return "" }

// fakeSub records the calls it gets.
type fakeSub struct {
	mu       sync.Mutex
	name     string
	needed   bool
	startErr error
	calls    []string
}

func (s *fakeSub) Name() string              { return s.name }
func (s *fakeSub) Needed(*config.Model) bool { return s.needed }
func (s *fakeSub) WriteStats(w io.Writer) error {
	_, err := io.WriteString(w, s.name+" stats\n")
	return err
}

func (s *fakeSub) record(c string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

func (s *fakeSub) Calls() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.calls, ",")
}

func (s *fakeSub) Start(context.Context, *config.Model) error { s.record("start"); return s.startErr }
func (s *fakeSub) Reload(_ context.Context, old, _ *config.Model) error {
	s.record("reload")
	return nil
}
func (s *fakeSub) Stop(context.Context) error { s.record("stop"); return nil }

// logBuf collects log messages.
type logBuf struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logBuf) Enabled(context.Context, slog.Level) bool { return true }
func (l *logBuf) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, r.Message)
	return nil
}
func (l *logBuf) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logBuf) WithGroup(string) slog.Handler      { return l }

func (l *logBuf) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.msgs, "\n")
}

// fakeLoader returns queued results in order.
type fakeLoader struct {
	mu      sync.Mutex
	results []*config.Result
}

func (f *fakeLoader) load(string, config.Options) (*config.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.results) == 0 {
		return nil, errors.New("no more results")
	}
	r := f.results[0]
	f.results = f.results[1:]
	if r == nil {
		return nil, config.ErrNoConfig
	}
	return r, nil
}

func okResult() *config.Result { return &config.Result{Model: &config.Model{}} }

func errResult() *config.Result {
	return &config.Result{Model: &config.Model{}, Diags: []config.Diagnostic{{
		Pos: config.Pos{File: "/k.conf", Line: 4}, Severity: config.SevError, Msg: "bad thing"}}}
}

func testOptions() Options {
	return Options{ConfigFile: "/k.conf", RunVRRP: true, RunCheckers: true,
		PidFile: "/run/k.pid", VRRPPidFile: "/run/v.pid", CheckersPidFile: "/run/c.pid", Version: "Keepalived vX"}
}

// waitLog polls the log for s.
func waitLog(t *testing.T, l *logBuf, s string) {
	t.Helper()
	waitCond(t, s, func() bool { return strings.Contains(l.text(), s) })
}
