package vrrp

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the loop and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range strings.Split(l.b.String(), "\n") {
		if _, msg, ok := strings.Cut(s, "msg="); ok {
			out = append(out, strings.Trim(msg, `"`))
		}
	}
	return out
}

// TestSyncGroupMovesMembersAtOnce: when one member becomes MASTER the
// others follow in the same step with keepalived's log lines, not one
// Skew_Time later; stepping down works the same way.
func TestSyncGroupMovesMembersAtOnce(t *testing.T) {
	h := newHarness(t)
	buf := &lockedBuffer{}
	h.s.deps.Log = slog.New(slog.NewTextHandler(buf, nil))
	if err := h.s.Start(context.Background(), loadModel(t, confSync)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	h.advance(3609374 * time.Microsecond)
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateBackup || b != StateBackup {
		t.Fatalf("before timeout %v %v", a, b)
	}
	h.advance(time.Microsecond)
	if a, b := h.state("VI_1"), h.state("VI_2"); a != StateMaster || b != StateMaster {
		t.Fatalf("after timeout %v %v", a, b)
	}
	got := buf.lines()
	want := []string{
		"(VI_1) Entering MASTER STATE",
		"VRRP_Group(G1) Syncing instances to MASTER state",
		"(VI_2) Entering MASTER STATE",
	}
	i := 0
	for _, l := range got {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Fatalf("log %q lacks, in order, %q", got, want)
	}
	if n := strings.Count(strings.Join(got, "\n"), "Syncing instances"); n != 1 {
		t.Errorf("sync lines %d, want 1: %q", n, got)
	}
	// Both advertise from now on, each at its own priority.
	h.rec.take()
	h.advance(time.Second)
	recs := h.rec.take()
	for _, w := range []string{"send VI_1 prio 100", "send VI_2 prio 90"} {
		if !strings.Contains(strings.Join(recs, "\n"), w) {
			t.Errorf("records %q lack %q", recs, w)
		}
	}
	if n := h.notes.take(); !strings.Contains(strings.Join(n, "\n"), "GROUP G1 MASTER") {
		t.Errorf("group notify %q", n)
	}
}
