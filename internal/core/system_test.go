package core

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOSProcessAlive(t *testing.T) {
	if !(OS{}).ProcessAlive(os.Getpid()) {
		t.Error("self not alive")
	}
	if (OS{}).ProcessAlive(0) || (OS{}).ProcessAlive(-1) {
		t.Error("pid <= 0 alive")
	}
}

func TestPidFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k.pid")
	sys := OS{}
	if err := writePid(sys, p); err != nil {
		t.Fatal(err)
	}
	if readPid(sys, p) != os.Getpid() {
		t.Errorf("pid file holds %d", readPid(sys, p))
	}
	if runningPid(sys, p) != 0 {
		t.Error("own pid counted as another daemon")
	}
	if err := removePid(sys, p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("pid file not removed: %v", err)
	}
	// A file naming another process is left alone.
	if err := os.WriteFile(p, []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := removePid(sys, p); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Errorf("foreign pid file removed: %v", err)
	}
}
