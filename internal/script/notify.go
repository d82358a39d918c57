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

// VSFifoLine returns an lvs_notify_fifo line for a virtual server, given
// as keepalived formats it (e.g. "[192.168.201.15]:tcp:80"):
// `VS [192.168.201.15]:tcp:80 UP` and a newline.
func VSFifoLine(vs string, up bool) string {
	return fmt.Sprintf("VS %s %s\n", vs, upDown(up))
}

// RSFifoLine returns an lvs_notify_fifo line for a real server of a
// virtual server: `RS [1.2.3.4]:tcp:80 [192.168.201.15]:tcp:80 DOWN`.
func RSFifoLine(rs, vs string, up bool) string {
	return fmt.Sprintf("RS %s %s %s\n", rs, vs, upDown(up))
}

func upDown(up bool) string {
	if up {
		return "UP"
	}
	return "DOWN"
}
