package track

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

// states records delivered InstanceStates.
type states struct {
	mu sync.Mutex
	ss []InstanceState
	ch chan InstanceState
}

func (s *states) update(st InstanceState) {
	s.mu.Lock()
	s.ss = append(s.ss, st)
	s.mu.Unlock()
	if s.ch != nil {
		s.ch <- st
	}
}

func (s *states) take() []InstanceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.ss
	s.ss = nil
	return r
}

func testModel(file string) *config.Model {
	chk := vscript("chk")
	chk.Weight = 0
	bonus := vscript("bonus")
	bonus.Weight = 10
	bonus.InitFail = true
	off := vscript("off")
	off.Disabled = true
	return &config.Model{
		Scripts:        []*config.VRRPScript{chk, bonus, off, vscript("unused")},
		TrackFiles:     []*config.TrackFile{{Name: "tf", File: file, Weight: 1}},
		TrackProcesses: []*config.TrackProcess{{Name: "pa", Process: []string{"a"}, Quorum: 1, QuorumMax: 65535}},
		Instances: []*config.VRRPInstance{
			{Name: "VI_1",
				TrackScripts:    []config.TrackRef{{Name: "chk"}, {Name: "bonus", Weight: 10}, {Name: "off"}},
				TrackInterfaces: []config.TrackRef{{Name: "eth1", Weight: -20}},
				TrackFiles:      []config.TrackRef{{Name: "tf", Weight: 2}},
			},
			{Name: "VI_2", TrackProcesses: []config.TrackRef{{Name: "pa"}}},
			{Name: "VI_3"},
		},
		SyncGroups: []*config.SyncGroup{{Name: "G", Members: []string{"VI_3"}, TrackInterfaces: []config.TrackRef{{Name: "eth1"}}}},
	}
}

func TestManagerFakes(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	file := filepath.Join(dir, "tf")
	writeFile(t, file, "5\n")
	clk := newFakeClock()
	run := &fakeStarter{}
	links := &fakeLinks{initial: map[string]bool{"eth1": true}}
	procs := &fakeProcs{n: map[string]int{}}
	mg := NewManager(Options{Runner: run, Clock: clk, Logger: discard(), Links: links, Procs: procs,
		Files: PollWatcher{Interval: 10 * time.Millisecond}})
	var ss states
	if err := mg.Start(context.Background(), testModel(file), ss.update); err != nil {
		t.Fatal(err)
	}
	init := ss.take()
	byName := map[string]InstanceState{}
	for _, s := range init {
		byName[s.Instance] = s
	}
	if len(init) != 3 {
		t.Fatalf("initial %+v", init)
	}
	// VI_1: chk pending (weight 0, INIT), bonus init_fail (down, +10 not
	// added), eth1 up (-20 not applied), file 5*2.
	if s := byName["VI_1"]; s.Delta != 10 || !slices.Equal(s.Faults, []string{"script chk"}) || !slices.Equal(s.Pending, []string{"script chk"}) {
		t.Errorf("VI_1 %+v", s)
	}
	if s := byName["VI_2"]; s.Delta != 0 || !slices.Equal(s.Faults, []string{"process pa"}) {
		t.Errorf("VI_2 %+v", s)
	}
	if s := byName["VI_3"]; len(s.Faults) != 0 {
		t.Errorf("VI_3 %+v", s)
	}
	clk.Advance(0)
	if run.running() != 2 {
		t.Fatalf("scripts started: %d (want chk and bonus only)", run.running())
	}
	run.finish(exited(0)) // chk
	run.finish(exited(0)) // bonus
	got := ss.take()
	if len(got) != 2 || got[1].Delta != 20 || len(got[1].Faults) != 0 {
		t.Errorf("after scripts %+v", got)
	}
	links.set("eth1", false)
	got = ss.take()
	if len(got) != 2 {
		t.Fatalf("eth1 down: %+v", got)
	}
	for _, s := range got {
		switch s.Instance {
		case "VI_1":
			if s.Delta != 0 {
				t.Errorf("VI_1 %+v", s)
			}
		case "VI_3":
			if !slices.Equal(s.Faults, []string{"interface eth1"}) {
				t.Errorf("VI_3 %+v", s)
			}
		}
	}
	procs.n["a"] = 1
	clk.Advance(time.Second)
	if got := ss.take(); len(got) != 1 || got[0].Instance != "VI_2" || len(got[0].Faults) != 0 {
		t.Errorf("process %+v", got)
	}
	mg.Stop()
	links.set("eth1", true)
	if got := ss.take(); len(got) != 0 {
		t.Errorf("after Stop: %+v", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("goroutines %d before, %d after", before, n)
	}
}

func TestManagerNoRunner(t *testing.T) {
	m := testModel(filepath.Join(t.TempDir(), "f"))
	mg := NewManager(Options{Clock: newFakeClock(), Logger: discard(), Links: &fakeLinks{}, Procs: &fakeProcs{}})
	if err := mg.Start(context.Background(), m, func(InstanceState) {}); err == nil {
		t.Error("scripts without a runner accepted")
	}
	mg.Stop()
}

// End to end with the real runner, files and clock: a file written and a
// script flipping change the instance's state.
func TestManagerReal(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "tf")
	flag := filepath.Join(dir, "ok")
	chk := &config.VRRPScript{Name: "chk", Script: &config.Script{Args: []string{"/bin/sh", "-c", "test -e " + flag}, User: currentUser()},
		Interval: 50 * time.Millisecond, Timeout: time.Second, Rise: 1, Fall: 1}
	m := &config.Model{
		Scripts:    []*config.VRRPScript{chk},
		TrackFiles: []*config.TrackFile{{Name: "tf", File: file, Weight: 1, InitFile: true, InitValue: 3}},
		Instances: []*config.VRRPInstance{{Name: "VI_1",
			TrackScripts: []config.TrackRef{{Name: "chk"}},
			TrackFiles:   []config.TrackRef{{Name: "tf", Weight: -1}}}},
	}
	ss := states{ch: make(chan InstanceState, 32)}
	mg := NewManager(Options{Runner: script.New(script.Options{}), Logger: discard()})
	if err := mg.Start(context.Background(), m, ss.update); err != nil {
		t.Fatal(err)
	}
	defer mg.Stop()
	wait := func(ok func(InstanceState) bool, what string) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case s := <-ss.ch:
				if ok(s) {
					return
				}
			case <-deadline:
				t.Fatalf("never %s", what)
			}
		}
	}
	wait(func(s InstanceState) bool { return s.Delta == -3 && len(s.Pending) == 1 }, "initial -3, pending")
	wait(func(s InstanceState) bool {
		return slices.Equal(s.Faults, []string{"script chk"}) && len(s.Pending) == 0
	}, "script fault")
	writeFile(t, flag, "")
	wait(func(s InstanceState) bool { return len(s.Faults) == 0 }, "script up")
	writeFile(t, file, "10\n")
	wait(func(s InstanceState) bool { return s.Delta == -10 }, "file 10")
}
