package vrrp

// State is the state of one VRRP instance, as keepalived names them.
type State int

// The instance states. StateInit is the state before Start; StateStop the
// state after Stop, from which nothing leaves.
const (
	StateInit State = iota
	StateBackup
	StateMaster
	StateFault
	StateStop
)

// String gives keepalived's upper-case word for the state, the one notify
// scripts receive ("MASTER", "BACKUP", "FAULT", "STOP"; "INIT" before start).
func (s State) String() string {
	switch s {
	case StateInit:
		return "INIT"
	case StateBackup:
		return "BACKUP"
	case StateMaster:
		return "MASTER"
	case StateFault:
		return "FAULT"
	case StateStop:
		return "STOP"
	}
	return "UNKNOWN"
}
