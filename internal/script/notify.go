package script

import (
	"fmt"
	"strconv"
)

// Notify states: the state word of notify's third appended argument and
// of FIFO lines.
const (
	StateMaster           = "MASTER"
	StateBackup           = "BACKUP"
	StateFault            = "FAULT"
	StateStop             = "STOP"
	StateDeleted          = "DELETED"
	StateMasterRxLowerPri = "MASTER_RX_LOWER_PRI" // FIFO only
	StateMasterPriority   = "MASTER_PRIORITY"     // FIFO only, notify_priority_changes
	StateBackupPriority   = "BACKUP_PRIORITY"     // FIFO only, notify_priority_changes
)

// Notify object types.
const (
	TypeInstance = "INSTANCE"
	TypeGroup    = "GROUP"
)

// NotifyArgs returns the four words keepalived appends to a `notify`
// script: INSTANCE|GROUP, the name, the state and the priority (0 for a
// group).
func NotifyArgs(group bool, name, state string, priority int) []string {
	typ := TypeInstance
	if group {
		typ = TypeGroup
		priority = 0
	}
	return []string{typ, name, state, strconv.Itoa(priority)}
}

// FifoLine returns a vrrp_notify_fifo / notify_fifo line:
// `INSTANCE "VI_1" MASTER 100` and a newline (priority 0 for a group).
func FifoLine(group bool, name, state string, priority int) string {
	typ := TypeInstance
	if group {
		typ = TypeGroup
		priority = 0
	}
	return fmt.Sprintf("%s \"%s\" %s %d\n", typ, name, state, priority)
}
