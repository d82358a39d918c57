package vrrp

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

// At shutdown the notify scripts get a moment, then SIGTERM, as
// keepalived ends them: a script that would run 30 s does not hold the
// daemon's exit, and one that finishes in time is not signalled.
func TestScriptNotifierShutdown(t *testing.T) {
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("runs scripts as the default script user (root)")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	n := &ScriptNotifier{}
	n.SetRunner(script.New(script.Options{}))
	sh := func(cmd string) *config.Script { return &config.Script{Args: []string{"/bin/sh", "-c", cmd}} }
	n.Notify(context.Background(), Notification{Name: "VI_1", State: "STOP", Scripts: config.Notify{
		Stop: sh("echo stop >> " + out),
		Any:  sh("sleep 30"),
	}})
	start := time.Now()
	if !n.Shutdown(200*time.Millisecond, 5*time.Second) {
		t.Fatal("a script outlived SIGTERM")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if b, _ := os.ReadFile(out); string(b) != "stop\n" {
		t.Errorf("notify_stop wrote %q", b)
	}
	// Nothing running: no wait at all.
	start = time.Now()
	if !n.Shutdown(time.Second, time.Second) || time.Since(start) > 500*time.Millisecond {
		t.Error("idle shutdown waited")
	}
}
