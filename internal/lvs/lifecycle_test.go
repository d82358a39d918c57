package lvs

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/ipvs"
)

const alphaConf = `
virtual_server 10.0.0.1 80 {
	delay_loop 1
	protocol TCP
	real_server 10.0.1.1 80 {
		TCP_CHECK {
		}
	}
	real_server 10.0.1.2 80 {
		alpha
		TCP_CHECK {
		}
	}
}
`

func TestAlphaServerStartsDown(t *testing.T) {
	e := newEnv(t)
	e.p.block.Store(true) // no probe ever completes
	e.start(alphaConf)
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w1`)
}

const reloadConf = `
virtual_server 10.0.0.1 80 {
	delay_loop 1
	protocol TCP
	real_server 10.0.1.1 80 {
		TCP_CHECK {
			retry 0
		}
	}
	real_server 10.0.1.2 80 {
		notify_down "DIR/note.sh b-down"
		TCP_CHECK {
			retry 0
		}
	}
}
`

func TestReloadKeepsCheckState(t *testing.T) {
	e := newEnv(t)
	e.p.set("10.0.1.2:80", true)
	e.start(reloadConf)
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.2:80 w1`)
	// 10.0.1.1 failed its first check. A reload with the same checks
	// keeps it down at once: a fresh start would add it back.
	if err := e.s.Reload(context.Background(), nil, e.model(reloadConf)); err != nil {
		t.Fatal(err)
	}
	if got := e.k.dump(); strings.Contains(got, "10.0.1.1") {
		t.Errorf("after reload:\n%s", got)
	}
	// A reload dropping a live server sends its down notify.
	if err := e.s.Reload(context.Background(), nil, e.model(strings.Replace(reloadConf, "10.0.1.2 80", "10.0.1.3 80", 1))); err != nil {
		t.Fatal(err)
	}
	e.waitNotes("b-down")
}

const omegaConf = `
global_defs {
	lvs_notify_fifo DIR/lvs.fifo
}
virtual_server 10.0.0.1 80 {
	delay_loop 1
	protocol TCP
	omega
	quorum_down "DIR/note.sh vs-down"
	real_server 10.0.1.1 80 {
		notify_down "DIR/note.sh a-down"
		TCP_CHECK {
		}
	}
}
`

func TestStopOmegaNotifies(t *testing.T) {
	e := newEnv(t)
	e.p.block.Store(true)
	e.start(omegaConf)
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w1`)
	fd, err := syscall.Open(e.fifo, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	if err := e.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.waitTable("")
	e.waitNotes("a-down", "vs-down")
	buf := make([]byte, 4096)
	n, _ := syscall.Read(fd, buf)
	want := "VS [10.0.0.1]:tcp:80 UP\nRS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN\nVS [10.0.0.1]:tcp:80 DOWN\n"
	if got := string(buf[:max(n, 0)]); got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}
}

func TestStopDontReleaseKeepsTable(t *testing.T) {
	e := newEnv(t)
	e.s.opt.DontRelease = true
	e.p.block.Store(true)
	e.start(alphaConf)
	if err := e.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w1`)
}

func TestIdleWithoutVirtualServers(t *testing.T) {
	e := newEnv(t)
	opened := 0
	open := e.s.h.open
	e.s.h.open = func() (ipvs.Kernel, func(), error) { opened++; return open() }
	e.start("global_defs {\n}\n")
	if opened != 0 || e.s.Manager() != nil {
		t.Fatalf("kernel opened %d times without virtual servers", opened)
	}
	e.p.block.Store(true)
	if err := e.s.Reload(context.Background(), nil, e.model(alphaConf)); err != nil {
		t.Fatal(err)
	}
	if opened != 1 {
		t.Fatalf("kernel opened %d times", opened)
	}
	e.waitTable(`
[10.0.0.1]:tcp:80
[10.0.0.1]:tcp:80 10.0.1.1:80 w1`)
}

func TestStopEndsTheRunner(t *testing.T) {
	e := newEnv(t)
	e.p.block.Store(true)
	e.start(alphaConf)
	done := e.s.done
	if done == nil {
		t.Fatal("no runner")
	}
	// Stop while probes are in flight (they return when cancelled).
	deadline := time.Now().Add(5 * time.Second)
	for e.p.count.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no probe started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := e.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	default:
		t.Fatal("runner still running after Stop")
	}
	if e.s.Manager() != nil {
		t.Error("Manager kept after Stop")
	}
	// A second Stop is harmless.
	if err := e.s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}
