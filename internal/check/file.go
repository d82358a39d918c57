package check

import (
	"math"

	"github.com/gokeepalived/keepalived/internal/config"
)

// weightFault is keepalived's IPVS_WEIGHT_FAULT (INT_MIN): a FILE_CHECK
// status meaning "down" rather than a weight change.
const weightFault = math.MinInt32

// maxWeight is the largest weight IPVS takes (keepalived's IPVS_WEIGHT_MAX).
const maxWeight = 65535

// fileSub is one FILE_CHECK: a real server watching a track_file, with
// the weight and direction applied to the file's value.
type fileSub struct {
	u      *unit // key of the checker in the real server's failed and offs
	st     *rsState
	weight int
	mult   int // -1 with reverse
}

// fileTrack is a track_file some FILE_CHECKs watch, with its last value.
type fileTrack struct {
	cfg  *config.TrackFile
	subs []*fileSub
	last int
}

// status is keepalived's status of a FILE_CHECK for a file value v: with
// weight 0, weightFault when the value says down (non-zero, or zero with
// reverse) and 0 otherwise; else v times the weight, in int range.
func (f *fileSub) status(v int) int {
	if f.weight == 0 {
		if (v == 0) != (f.mult == 1) {
			return weightFault
		}
		return 0
	}
	p := int64(v) * int64(f.weight) * int64(f.mult)
	return int(max(min(p, math.MaxInt32), math.MinInt32))
}

// addFileCheck registers FILE_CHECK c of real server st. As keepalived
// does, the checker's weight is its own when given, else the
// track_file's.
func (s *Scheduler) addFileCheck(st *rsState, c *config.Checker) {
	if c.File == nil || c.File.Track == nil {
		return
	}
	tf := c.File.Track
	w, rev := tf.Weight, tf.Reverse
	if c.File.WeightSet {
		w, rev = c.File.Weight, c.File.Reverse
	}
	f := &fileSub{u: &unit{kind: config.CheckFile, idx: -1, key: "FILE_CHECK|" + tf.Name}, st: st, weight: w, mult: 1}
	if rev {
		f.mult = -1
	}
	ft := s.files[tf.Name]
	if ft == nil {
		ft = &fileTrack{cfg: tf, last: s.readFile(tf.File)}
		s.files[tf.Name] = ft
		s.fileOrder = append(s.fileOrder, ft)
	}
	ft.subs = append(ft.subs, f)
	// keepalived's set_track_file_checkers_down and set_track_file_weights:
	// only a non-zero value counts at start.
	if v := ft.last; v != 0 {
		if w == 0 || f.status(v) <= weightFault {
			st.failed[f.u] = true
		} else {
			st.setOffset(f.u, f.status(v))
		}
	}
}

// TrackFiles returns the track_file blocks FILE_CHECKs watch; the caller
// reports their new values with FileChanged.
func (s *Scheduler) TrackFiles() []*config.TrackFile {
	out := make([]*config.TrackFile, 0, len(s.fileOrder))
	for _, ft := range s.fileOrder {
		out = append(out, ft.cfg)
	}
	return out
}

// FileChanged applies a new value of track_file name (0 when the file was
// deleted) as keepalived's process_update_checker_track_file_status
// does, and returns the real-server events it causes.
func (s *Scheduler) FileChanged(name string, v int) []Event {
	ft := s.files[name]
	if ft == nil || v == ft.last {
		return nil
	}
	var evs []Event
	for _, f := range ft.subs {
		prev, next := f.status(ft.last), f.status(v)
		if prev == next {
			continue
		}
		st := f.st
		wasUp, wasWeight := st.up, st.weight
		switch {
		case next == weightFault:
			s.log.Debug("(" + FormatRS(st.vs, st.rs) + "): tracked file " + name + " now FAULT state")
			st.failed[f.u] = true
			st.setOffset(f.u, 0)
		case prev == weightFault:
			s.log.Debug("(" + FormatRS(st.vs, st.rs) + "): tracked file " + name + " leaving FAULT state")
			delete(st.failed, f.u)
			st.setOffset(f.u, next)
		default:
			st.setOffset(f.u, next)
		}
		st.up = len(st.failed) == 0
		if st.up != wasUp || st.weight != wasWeight {
			evs = append(evs, Event{VS: st.vs, RS: st.rs, Up: st.up, Weight: st.weight})
		}
	}
	ft.last = v
	return evs
}

// setOffset sets the weight FILE_CHECK u adds to the real server and
// recomputes its weight.
func (st *rsState) setOffset(u *unit, off int) {
	if off == 0 {
		delete(st.offs, u)
	} else {
		if st.offs == nil {
			st.offs = map[*unit]int{}
		}
		st.offs[u] = off
	}
	st.reweigh()
}

// reweigh sets weight from base and the FILE_CHECK offsets, within the
// weights IPVS takes.
func (st *rsState) reweigh() {
	w := int64(st.base)
	for _, o := range st.offs {
		w += int64(o)
	}
	st.weight = int(max(min(w, maxWeight), 0))
}
