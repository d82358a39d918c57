package track

import (
	"slices"
	"testing"
)

func TestUpDownEffect(t *testing.T) {
	k := Key{KindScript, "chk"}
	for _, tc := range []struct {
		w    int
		rev  bool
		s    State
		want Effect
	}{
		{0, false, Unknown, Effect{Pending: true}},
		{0, false, Up, Effect{}},
		{0, false, Down, Effect{Fault: true}},
		{0, true, Up, Effect{Fault: true}},
		{0, true, Down, Effect{}},
		{10, false, Up, Effect{Delta: 10}},
		{10, false, Down, Effect{}},
		{10, false, Unknown, Effect{}},
		{-10, false, Up, Effect{}},
		{-10, false, Down, Effect{Delta: -10}},
		{10, true, Up, Effect{Delta: -10}},
		{-10, true, Down, Effect{Delta: 10}},
	} {
		if got := EffectOf(Ref{k, tc.w, tc.rev}, Update{Kind: k.Kind, Name: k.Name, State: tc.s}); got != tc.want {
			t.Errorf("weight %d rev %v %v: %+v, want %+v", tc.w, tc.rev, tc.s, got, tc.want)
		}
	}
}

func TestFileEffect(t *testing.T) {
	k := Key{KindFile, "f"}
	for _, tc := range []struct {
		w, v int
		rev  bool
		want Effect
	}{
		{0, 0, false, Effect{}},
		{0, 5, false, Effect{Fault: true}},
		{0, -5, false, Effect{Fault: true}},
		{0, 0, true, Effect{Fault: true}},
		{0, 3, true, Effect{}},
		{1, 10, false, Effect{Delta: 10}},
		{2, 10, false, Effect{Delta: 20}},
		{-2, 10, false, Effect{Delta: -20}},
		{2, 10, true, Effect{Delta: -20}},
		{1, -254, false, Effect{Fault: true}},
		{1, -253, false, Effect{Delta: -253}},
		{100, -3, false, Effect{Fault: true}},
		{100, 3, false, Effect{Delta: 253}},
		{1 << 30, 254, false, Effect{Delta: 253}},
	} {
		if got := EffectOf(Ref{k, tc.w, tc.rev}, Update{Kind: KindFile, Name: "f", Value: tc.v}); got != tc.want {
			t.Errorf("weight %d value %d rev %v: %+v, want %+v", tc.w, tc.v, tc.rev, got, tc.want)
		}
	}
}

func TestAggregate(t *testing.T) {
	a := NewAggregate("VI_1", []Ref{
		{Key{KindScript, "zero"}, 0, false},
		{Key{KindScript, "plus"}, 20, false},
		{Key{KindFile, "f"}, 2, false},
		{Key{KindInterface, "eth1"}, -30, false},
		{Key{KindProcess, "p"}, 0, false},
	})
	st := a.State()
	if st.Delta != 0 || !slices.Equal(st.Faults, []string{"script zero"}) || !slices.Equal(st.Pending, []string{"script zero"}) {
		t.Fatalf("initial %+v", st)
	}
	steps := []struct {
		u       Update
		changed bool
		delta   int
		faults  []string
	}{
		{Update{Kind: KindScript, Name: "zero", State: Up}, true, 0, nil},
		{Update{Kind: KindScript, Name: "plus", State: Up}, true, 20, nil},
		{Update{Kind: KindScript, Name: "plus", State: Up}, false, 20, nil},
		{Update{Kind: KindFile, Name: "f", Value: 5}, true, 30, nil},
		{Update{Kind: KindInterface, Name: "eth1", State: Down}, true, 0, nil},
		{Update{Kind: KindProcess, Name: "p", State: Down}, true, 0, []string{"process p"}},
		{Update{Kind: KindFile, Name: "f", Value: -200}, true, -10, []string{"file f", "process p"}},
		{Update{Kind: KindScript, Name: "other", State: Down}, false, -10, []string{"file f", "process p"}},
		{Update{Kind: KindFile, Name: "f", Value: 0}, true, -10, []string{"process p"}},
	}
	for i, s := range steps {
		if got := a.Apply(s.u); got != s.changed {
			t.Errorf("step %d: changed %v", i, got)
		}
		st := a.State()
		if st.Delta != s.delta || !slices.Equal(st.Faults, s.faults) {
			t.Errorf("step %d: %+v, want delta %d faults %v", i, st, s.delta, s.faults)
		}
	}
	if !a.Tracks(Key{KindFile, "f"}) || a.Tracks(Key{KindFile, "g"}) {
		t.Error("Tracks")
	}
}

func TestStrtol(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "12\n": 12, "  -7": -7, "+3x": 3, "0x1f": 31, "010": 8, "09": 0,
		"abc": 0, "": 0, "99999999999999999999999": 1 << 40 * 10, "-0x10": -16, "0x": 0,
	} {
		got := strtol(in)
		if in == "99999999999999999999999" {
			if clampFile(got) != 254 {
				t.Errorf("%q: clamp %d", in, clampFile(got))
			}
			continue
		}
		if got != want {
			t.Errorf("strtol(%q) = %d, want %d", in, got, want)
		}
	}
}
