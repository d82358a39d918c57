package script

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"golang.org/x/sys/unix"
)

func TestNotifyFormats(t *testing.T) {
	if got := strings.Join(NotifyArgs(false, "VI_1", StateBackup, 90), " "); got != "INSTANCE VI_1 BACKUP 90" {
		t.Errorf("instance args %q", got)
	}
	if got := strings.Join(NotifyArgs(true, "G1", StateFault, 90), " "); got != "GROUP G1 FAULT 0" {
		t.Errorf("group args %q", got)
	}
	if got := FifoLine(false, "VI_1", StateMaster, 100); got != "INSTANCE \"VI_1\" MASTER 100\n" {
		t.Errorf("fifo line %q", got)
	}
	if got := FifoLine(true, "G", StateStop, 100); got != "GROUP \"G\" STOP 0\n" {
		t.Errorf("group fifo line %q", got)
	}
	if got := VSFifoLine("[192.168.201.15]:tcp:80", true); got != "VS [192.168.201.15]:tcp:80 UP\n" {
		t.Errorf("vs line %q", got)
	}
	if got := RSFifoLine("[1.2.3.4]:tcp:80", "[192.168.201.15]:tcp:80", false); got != "RS [1.2.3.4]:tcp:80 [192.168.201.15]:tcp:80 DOWN\n" {
		t.Errorf("rs line %q", got)
	}
}

func TestFifoWriteRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	f, err := OpenFifo(path, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	// Written before any reader: kept in the pipe buffer.
	if !f.WriteLine(FifoLine(false, "VI_1", StateBackup, 100)) {
		t.Fatal("write without reader failed")
	}
	rd, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	Fifos{f, nil}.WriteLine(FifoLine(false, "VI_1", StateMaster, 100))
	sc := bufio.NewScanner(rd)
	for _, want := range []string{`INSTANCE "VI_1" BACKUP 100`, `INSTANCE "VI_1" MASTER 100`} {
		if !sc.Scan() || sc.Text() != want {
			t.Fatalf("read %q, want %q", sc.Text(), want)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("created fifo not removed: %v", err)
	}
	if f.WriteLine("x\n") || f.Dropped() != 1 {
		t.Errorf("write after close: dropped %d", f.Dropped())
	}
}

// Nobody reads: writes never block, and drops are counted once the pipe
// buffer is full.
func TestFifoNoReaderDrops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	f, err := OpenFifo(path, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line := FifoLine(false, strings.Repeat("x", 100), StateMaster, 100)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 2000; i++ {
			f.WriteLine(line)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("writes blocked")
	}
	if f.Dropped() == 0 || f.Written() == 0 || f.Dropped()+f.Written() != 2000 {
		t.Errorf("written %d dropped %d", f.Written(), f.Dropped())
	}
	t.Logf("pipe took %d lines of %d bytes, dropped %d", f.Written(), len(line), f.Dropped())
}

func TestFifoExistingAndNotFifo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFifo(path, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("existing fifo removed: %v", err)
	}
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, nil, 0o644)
	if _, err := OpenFifo(plain, -1, -1); err == nil {
		t.Error("plain file accepted")
	}
	if _, err := OpenFifo(filepath.Join(dir, "no/dir/fifo"), -1, -1); err == nil {
		t.Error("bad path accepted")
	}
}

func TestFifoScript(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := New(self())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// $0 is the FIFO: the name is appended as the last argument.
	s := &config.Script{Args: []string{"/bin/sh", "-c", `while read l; do echo "$l" >> ` + out + `; done < "$0"`}}
	got := make(chan Result, 1)
	f, err := r.OpenConfigFifo(ctx, config.Fifo{Path: filepath.Join(dir, "fifo"), Script: s}, -1, -1, func(res Result) { got <- res })
	if err != nil {
		t.Fatal(err)
	}
	f.WriteLine(FifoLine(false, "VI_1", StateMaster, 100))
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(out)
		if string(b) == "INSTANCE \"VI_1\" MASTER 100\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("script read %q", b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if res := <-got; !res.Canceled {
		t.Errorf("%+v", res)
	}
	f.Close()
	if g, err := r.OpenConfigFifo(ctx, config.Fifo{}, -1, -1, nil); g != nil || err != nil {
		t.Errorf("empty fifo config: %v %v", g, err)
	}
	r.Wait()
}
