package track

import "fmt"

// Kind is the kind of tracked object.
type Kind int

// Tracked object kinds.
const (
	KindScript    Kind = iota // vrrp_script
	KindFile                  // track_file
	KindInterface             // track_interface
	KindProcess               // vrrp_track_process
)

// String names the kind as used in fault reasons.
func (k Kind) String() string {
	switch k {
	case KindScript:
		return "script"
	case KindFile:
		return "file"
	case KindInterface:
		return "interface"
	case KindProcess:
		return "process"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// State is a tracked object's condition.
type State int

// Tracked object states.
const (
	// Unknown: a vrrp_script without init_fail that has not completed a
	// run yet. keepalived holds weight-0 trackers' instances in INIT and
	// adds no weight until the first result.
	Unknown State = iota
	Up            // script succeeded (rise reached), link up, process quorum held
	Down          // script failed (fall reached), link down, no quorum
)

// String returns UP, DOWN or UNKNOWN.
func (s State) String() string {
	switch s {
	case Up:
		return "UP"
	case Down:
		return "DOWN"
	}
	return "UNKNOWN"
}

// Update is one tracker's new state.
type Update struct {
	Kind  Kind
	Name  string // vrrp_script / track_file / vrrp_track_process name, or interface name
	State State
	// Value is a track_file's value (clamped to -254..254; State is Up
	// when it is 0) or a tracked process's current count.
	Value int
}

// Key identifies a tracked object.
type Key struct {
	Kind Kind
	Name string
}

// Key returns the object u is about.
func (u Update) Key() Key { return Key{u.Kind, u.Name} }

// Reason is the fault reason naming a weight-0 tracker: "script chk".
func (k Key) Reason() string { return k.Kind.String() + " " + k.Name }
