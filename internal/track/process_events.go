package track

import (
	"context"
	"fmt"
)

// ListenEvents switches the tracker from polling to process events:
// call it before Initial, and don't call Start. Events that arrive before
// Initial has scanned are replayed after the scan. A process forked by a
// tracked process counts as tracked (it runs the same program) until it
// execs something else; only thread-group leaders count.
func (t *ProcessTracker) ListenEvents(ctx context.Context, ev ProcEvents, rd ProcReader) error {
	t.mu.Lock()
	t.events, t.reader = true, rd
	t.mu.Unlock()
	err := ev.Listen(ctx, t.event, t.rescan)
	if err != nil {
		t.mu.Lock()
		t.events, t.reader = false, nil
		t.mu.Unlock()
		return fmt.Errorf("process events: %w", err)
	}
	return nil
}

// event handles one process event.
func (t *ProcessTracker) event(e ProcEvent) {
	if e.PID != e.TGID {
		return // a thread
	}
	t.mu.Lock()
	if t.stopped {
		t.mu.Unlock()
		return
	}
	if !t.initialized {
		t.queued = append(t.queued, e)
		t.mu.Unlock()
		return
	}
	out := t.applyEvent(e)
	t.mu.Unlock()
	t.report(out)
}

// applyEvent updates membership for e; called with t.mu held.
func (t *ProcessTracker) applyEvent(e ProcEvent) []Update {
	var info ProcInfo
	alive := false
	if e.Kind == ProcExec || e.Kind == ProcComm {
		info, alive = t.reader.Read(e.PID)
	}
	var out []Update
	for _, p := range t.procs {
		had := p.pids[e.PID]
		has := had
		switch e.Kind {
		case ProcFork:
			has = p.pids[e.ParentTGID]
		case ProcExec, ProcComm:
			has = alive && p.m.match(info)
		case ProcExit:
			has = false
		}
		if has == had {
			continue
		}
		if has {
			p.pids[e.PID] = true
		} else {
			delete(p.pids, e.PID)
		}
		if u, ok := t.observe(p, len(p.pids)); ok {
			out = append(out, u)
		}
	}
	return out
}

// rescan rebuilds membership from a full scan (after lost events).
func (t *ProcessTracker) rescan() {
	ps, err := t.src.Scan()
	if err != nil {
		t.log.Warn(err.Error())
		return
	}
	t.mu.Lock()
	if t.stopped || !t.initialized {
		t.mu.Unlock()
		return
	}
	var out []Update
	for _, p := range t.procs {
		p.pids = p.members(ps)
		if u, ok := t.observe(p, len(p.pids)); ok {
			out = append(out, u)
		}
	}
	t.mu.Unlock()
	t.report(out)
}

// members returns the pids of ps that p tracks.
func (p *procState) members(ps []ProcInfo) map[int]bool {
	m := map[int]bool{}
	for _, pi := range ps {
		if p.m.match(pi) {
			m[pi.PID] = true
		}
	}
	return m
}
