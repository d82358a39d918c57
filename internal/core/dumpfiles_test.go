package core

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
)

// dumpSys is a fakeSystem with an environment and a directory whose files
// cannot be written.
type dumpSys struct {
	*fakeSystem
	env     map[string]string
	badDir  string
	refused int
}

func (s *dumpSys) Getenv(k string) string { return s.env[k] }

func (s *dumpSys) WriteFile(path string, data []byte, perm os.FileMode) error {
	s.mu.Lock()
	bad := s.badDir != "" && strings.HasPrefix(path, s.badDir+"/")
	if bad {
		s.refused++
	}
	s.mu.Unlock()
	if bad {
		return &os.PathError{Op: "open", Path: path, Err: syscall.EACCES}
	}
	return s.fakeSystem.WriteFile(path, data, perm)
}

// dumpSub writes every dump and counts its clears.
type dumpSub struct {
	fakeSub
	clears int
}

func (s *dumpSub) WriteData(w io.Writer) error {
	_, err := io.WriteString(w, " VRRP Instance = VI_1\n")
	return err
}

func (s *dumpSub) WriteJSON(w io.Writer) error {
	_, err := io.WriteString(w, `[{"data":{"iname":"VI_1"}}]`+"\n")
	return err
}

func (s *dumpSub) WriteStatsForClear(w io.Writer) (func(), error) {
	return func() {
		s.mu.Lock()
		s.clears++
		s.mu.Unlock()
	}, s.WriteStats(w)
}

func (s *dumpSub) clearCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clears
}

func startDumpDaemon(t *testing.T, sys *dumpSys, sub Subsystem, res ...*config.Result) (*run, context.CancelFunc) {
	t.Helper()
	r := &run{sys: sys.fakeSystem, log: &logBuf{}, load: &fakeLoader{results: res}, done: make(chan int, 1)}
	d := New(testOptions(), sys, slog.New(r.log), r.load.load, []Subsystem{sub})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { r.done <- d.Run(ctx) }()
	t.Cleanup(cancel)
	waitCond(t, "pid file", func() bool { _, ok := sys.file("/run/k.pid"); return ok })
	return r, cancel
}

// TestDumpSignals: the JSON signal writes the JSON dump, STATS_CLEAR writes
// the stats and clears, SIGUSR2 only writes; all in $TMPDIR when set.
func TestDumpSignals(t *testing.T) {
	sys := &dumpSys{fakeSystem: newFakeSystem(), env: map[string]string{"TMPDIR": "/var/tmp/ka"}}
	sub := &dumpSub{fakeSub: fakeSub{name: NameVRRP, needed: true}}
	r, _ := startDumpDaemon(t, sys, sub, okResult())

	r.signal(t, SigJSON)
	waitCond(t, "json file", func() bool { _, ok := sys.file("/var/tmp/ka/keepalived.json"); return ok })
	if s, _ := sys.file("/var/tmp/ka/keepalived.json"); s != `[{"data":{"iname":"VI_1"}}]`+"\n" {
		t.Errorf("json file %q", s)
	}
	waitLog(t, r.log, "Printing VRRP as json for process(100) on signal")

	r.signal(t, syscall.SIGUSR2)
	waitCond(t, "stats file", func() bool { _, ok := sys.file("/var/tmp/ka/keepalived.stats"); return ok })
	if n := sub.clearCount(); n != 0 {
		t.Errorf("SIGUSR2 cleared %d times", n)
	}
	_ = sys.Remove("/var/tmp/ka/keepalived.stats")
	r.signal(t, SigStatsClear)
	waitCond(t, "stats file", func() bool { s, _ := sys.file("/var/tmp/ka/keepalived.stats"); return s == "vrrp stats\n" })
	if n := sub.clearCount(); n != 1 {
		t.Errorf("STATS_CLEAR cleared %d times", n)
	}
	waitLog(t, r.log, "Printing and clearing VRRP stats for process(100) on signal")

	r.signal(t, syscall.SIGUSR1)
	waitCond(t, "data file", func() bool { _, ok := sys.file("/var/tmp/ka/keepalived.data"); return ok })
	if s, _ := sys.file("/var/tmp/ka/keepalived.data"); !strings.Contains(s, "\n VRRP Instance = VI_1\n") {
		t.Errorf("data file %q", s)
	}
	for _, p := range []string{DefaultDataFile, DefaultStatsFile, DefaultJSONFile} {
		if _, ok := sys.file(p); ok {
			t.Errorf("%s written despite TMPDIR", p)
		}
	}
}

// TestDumpConfiguredPaths: state_dump_file, stats_dump_file and
// json_dump_file win over the defaults.
func TestDumpConfiguredPaths(t *testing.T) {
	sys := &dumpSys{fakeSystem: newFakeSystem(), env: map[string]string{"TMPDIR": "/var/tmp/ka"}}
	sub := &dumpSub{fakeSub: fakeSub{name: NameVRRP, needed: true}}
	res := okResult()
	res.Model.Global.StateDumpFile = "/srv/d"
	res.Model.Global.StatsDumpFile = "/srv/s"
	res.Model.Global.JSONDumpFile = "/srv/j"
	r, _ := startDumpDaemon(t, sys, sub, res)
	for sig, path := range map[syscall.Signal]string{syscall.SIGUSR1: "/srv/d", syscall.SIGUSR2: "/srv/s", SigJSON: "/srv/j"} {
		r.signal(t, sig)
		waitCond(t, path, func() bool { _, ok := sys.file(path); return ok })
	}
}

// TestDumpUnwritable: a dump path that cannot be written logs an error and
// changes nothing else: the daemon runs on, STATS_CLEAR clears nothing,
// later dumps and a reload work.
func TestDumpUnwritable(t *testing.T) {
	sys := &dumpSys{fakeSystem: newFakeSystem(), env: map[string]string{"TMPDIR": "/ro"}, badDir: "/ro"}
	sub := &dumpSub{fakeSub: fakeSub{name: NameVRRP, needed: true}}
	r, _ := startDumpDaemon(t, sys, sub, okResult(), okResult())
	for _, sig := range []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, SigJSON, SigStatsClear} {
		r.signal(t, sig)
	}
	waitCond(t, "four refused writes", func() bool {
		sys.mu.Lock()
		defer sys.mu.Unlock()
		return sys.refused == 4
	})
	waitLog(t, r.log, "Printing and clearing VRRP stats")
	for _, f := range []string{"keepalived.data", "keepalived.stats", "keepalived.json"} {
		waitLog(t, r.log, "Unable to write dump file /ro/"+f+": open /ro/"+f+": permission denied")
	}
	if n := sub.clearCount(); n != 0 {
		t.Errorf("counters cleared %d times though the stats file could not be written", n)
	}
	r.signal(t, syscall.SIGHUP)
	waitLog(t, r.log, "Reload finished")
	sys.mu.Lock()
	sys.badDir = ""
	sys.mu.Unlock()
	r.signal(t, SigStatsClear)
	waitCond(t, "stats file", func() bool { _, ok := sys.file("/ro/keepalived.stats"); return ok })
	if n := sub.clearCount(); n != 1 {
		t.Errorf("clears %d", n)
	}
	r.signal(t, syscall.SIGTERM)
	if st := r.wait(t); st != ExitOK {
		t.Errorf("status %d", st)
	}
	if got := sub.Calls(); got != "start,reload,stop" {
		t.Errorf("subsystem calls %q", got)
	}
}

// TestDumpJSONWithoutVRRP: without a subsystem that writes JSON, the JSON
// signal writes nothing (keepalived writes none without VRRP instances).
func TestDumpJSONWithoutVRRP(t *testing.T) {
	sys := &dumpSys{fakeSystem: newFakeSystem()}
	sub := &fakeSub{name: NameCheckers, needed: true}
	r, _ := startDumpDaemon(t, sys, sub, okResult())
	r.signal(t, SigJSON)
	r.signal(t, syscall.SIGUSR2)
	waitCond(t, "stats file", func() bool { _, ok := sys.file(DefaultStatsFile); return ok })
	if _, ok := sys.file(DefaultJSONFile); ok {
		t.Error("JSON file written without VRRP")
	}
}

// TestDumpPathTMPDIR: a relative TMPDIR is ignored.
func TestDumpPathTMPDIR(t *testing.T) {
	for env, want := range map[string]string{"": DefaultJSONFile, "rel": DefaultJSONFile, "/x/": "/x/keepalived.json"} {
		d := &Daemon{sys: &dumpSys{fakeSystem: newFakeSystem(), env: map[string]string{"TMPDIR": env}}}
		if got := d.dumpPath("JSONDumpFile", DefaultJSONFile); got != want {
			t.Errorf("TMPDIR %q: %s, want %s", env, got, want)
		}
	}
}

// TestWriteFileAtomic: the real system replaces a dump file at once, mode
// 0600, leaving no temporary file; a path it cannot write is an error.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := dir + "/keepalived.stats"
	for _, s := range []string{"first\n", "second\n"} {
		if err := (OS{}).WriteFileAtomic(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != s {
			t.Fatalf("content %q, %v", b, err)
		}
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v", st.Mode(), err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
	if err := os.Mkdir(dir+"/isdir", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := (OS{}).WriteFileAtomic(dir+"/isdir", []byte("x"), 0o600); err == nil {
		t.Error("wrote over a directory")
	}
	if err := (OS{}).WriteFileAtomic(dir+"/missing/f", []byte("x"), 0o600); err == nil {
		t.Error("wrote into a missing directory")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("left behind: %v", ents)
	}
}
