package track

// Ref is an instance's track_* entry: the object and how it weighs.
type Ref struct {
	Key
	Weight  int  // 0: failure means FAULT
	Reverse bool // weight ... reverse
}

// Effect is what one tracked object does to one instance.
type Effect struct {
	Delta   int  // priority contribution
	Fault   bool // the instance must be in FAULT
	Pending bool // weight-0 script without a first result (keepalived's INIT hold)
}

// FaultFile is the clamped track_file contribution at or below which an
// instance goes to FAULT.
const FaultFile = -254

// upDownEffect is keepalived's rule for scripts, interfaces and
// processes: with weight 0 the object being down (up with reverse) is a
// fault; otherwise a positive weight is added while up and a negative one
// while down, negated by reverse. Unknown adds nothing.
func upDownEffect(r Ref, s State) Effect {
	mult := 1
	if r.Reverse {
		mult = -1
	}
	if r.Weight == 0 {
		switch s {
		case Unknown:
			return Effect{Pending: true}
		case Up:
			return Effect{Fault: r.Reverse}
		}
		return Effect{Fault: !r.Reverse}
	}
	switch {
	case s == Up && r.Weight > 0, s == Down && r.Weight < 0:
		return Effect{Delta: r.Weight * mult}
	}
	return Effect{}
}

// fileStatus is keepalived's track_file status for an instance: with
// weight 0 a non-zero value (zero with reverse) is FaultFile, else 0;
// otherwise value x weight (negated by reverse) clamped to
// [FaultFile, 253].
func fileStatus(r Ref, value int) int {
	if r.Weight == 0 {
		if (value != 0) != r.Reverse {
			return FaultFile
		}
		return 0
	}
	mult := 1
	if r.Reverse {
		mult = -1
	}
	s := int64(value) * int64(r.Weight) * int64(mult)
	switch {
	case s < FaultFile:
		return FaultFile
	case s > 253:
		return 253
	}
	return int(s)
}

// clampFile limits a track_file's value as keepalived does.
func clampFile(v int64) int {
	switch {
	case v > 254:
		return 254
	case v < -254:
		return -254
	}
	return int(v)
}

// EffectOf returns what u does to an instance tracking it through r.
func EffectOf(r Ref, u Update) Effect {
	if r.Kind == KindFile {
		s := fileStatus(r, u.Value)
		if s <= FaultFile {
			return Effect{Fault: true}
		}
		return Effect{Delta: s}
	}
	return upDownEffect(r, u.State)
}
