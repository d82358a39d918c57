package lvs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// env is one subsystem over a fake kernel and fake probes, with a note
// script (appending its argument to notes) and an lvs_notify_fifo.
type env struct {
	t     *testing.T
	dir   string
	k     *fakeKernel
	p     *probes
	s     *Subsystem
	fifo  string
	notes string
}

const noteSh = "#!/bin/sh\necho \"$1\" >> \"$(dirname \"$0\")/notes\"\n"

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "note.sh"), []byte(noteSh), 0o755); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: dir, k: newFakeKernel(), p: &probes{}, fifo: filepath.Join(dir, "lvs.fifo"), notes: filepath.Join(dir, "notes")}
	e.s = newSubsystem(nil, Options{}, hooks{
		open:  func() (ipvs.Kernel, func(), error) { return e.k, func() {}, nil },
		build: e.p.build,
		rand:  func() float64 { return 0 },
	})
	return e
}

// model loads conf after replacing DIR with the test's directory.
func (e *env) model(conf string) *config.Model {
	e.t.Helper()
	r := config.LoadBytes("test.conf", []byte(strings.ReplaceAll(conf, "DIR", e.dir)), config.Options{})
	if r.HasErrors() {
		e.t.Fatalf("config: %v", r.Diags)
	}
	return r.Model
}

func (e *env) start(conf string) *config.Model {
	e.t.Helper()
	m := e.model(conf)
	if err := e.s.Start(context.Background(), m); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = e.s.Stop(context.Background()) })
	return m
}

// waitTable waits (up to 10 s) for the fake kernel's table to be want.
func (e *env) waitTable(want string) {
	e.t.Helper()
	want = strings.TrimSpace(want)
	deadline := time.Now().Add(10 * time.Second)
	for e.k.dump() != want {
		if time.Now().After(deadline) {
			e.t.Fatalf("table:\n%s\nwant:\n%s", e.k.dump(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readFifo returns what is buffered in the FIFO.
func (e *env) readFifo() string {
	e.t.Helper()
	fd, err := syscall.Open(e.fifo, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	defer syscall.Close(fd)
	buf := make([]byte, 1<<16)
	n, _ := syscall.Read(fd, buf)
	return string(buf[:max(n, 0)])
}

// waitNotes waits (up to 5 s) for the notes file to hold want (sorted
// lines, as scripts run concurrently).
func (e *env) waitNotes(want ...string) {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(e.notes)
		got := strings.Fields(string(b))
		if strings.Join(sorted(got), " ") == strings.Join(sorted(want), " ") {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("notes %q, want %q", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

const twoRS = `
global_defs {
	lvs_notify_fifo DIR/lvs.fifo
}
virtual_server 10.0.0.1 80 {
	delay_loop 1
	protocol TCP
	quorum 2
	sorry_server 10.0.2.9 80
	quorum_up "DIR/note.sh vs-up"
	quorum_down "DIR/note.sh vs-down"
	real_server 10.0.1.1 80 {
		notify_up "DIR/note.sh a-up"
		notify_down "DIR/note.sh a-down"
		TCP_CHECK {
			retry 0
		}
	}
	real_server 10.0.1.2 80 {
		inhibit_on_failure
		TCP_CHECK {
			retry 0
		}
	}
}
`

func TestChecksDriveTableAndNotifies(t *testing.T) {
	e := newEnv(t)
	e.p.set("10.0.1.1:80", true)
	e.p.set("10.0.1.2:80", true)
	e.start(twoRS)
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w1
[10.0.0.1]:tcp:80 10.0.1.2:80 w1`)
	// keepalived's quorum starts down: each virtual server gains it.
	e.waitNotes("vs-up")
	if got, want := e.readFifo(), "VS [10.0.0.1]:tcp:80 UP\n"; got != want {
		t.Errorf("fifo at start %q, want %q", got, want)
	}

	// One server fails: it is removed, the inhibited one stays; quorum 2
	// is lost, so the sorry server replaces the live servers.
	e.p.set("10.0.1.1:80", false)
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.2:80 w0
[10.0.0.1]:tcp:80 10.0.2.9:80 w1`)
	e.waitNotes("vs-up", "a-down", "vs-down")
	want := "RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN\nVS [10.0.0.1]:tcp:80 DOWN\n"
	if got := e.readFifo(); got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}

	// It comes back: quorum again, the sorry server leaves.
	e.p.set("10.0.1.1:80", true)
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w1
[10.0.0.1]:tcp:80 10.0.1.2:80 w1`)
	e.waitNotes("vs-up", "a-down", "vs-down", "a-up", "vs-up")
	want = "RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 UP\nVS [10.0.0.1]:tcp:80 UP\n"
	if got := e.readFifo(); got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}

	if err := e.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.waitTable("")
}
