package logging

import (
	"path/filepath"
	"strings"
)

// Subsystem names used for idents and per-subsystem log files.
const (
	SubsystemVRRP     = "vrrp"
	SubsystemCheckers = "healthcheckers"
	SubsystemBFD      = "bfd"
)

// SubsystemKey is the slog attribute key that selects a subsystem's ident
// and log file (see WithSubsystem); it is not printed.
const SubsystemKey = "keepalived.subsystem"

// Ident returns the syslog ident for a subsystem ("" is the parent).
func Ident(subsystem string) string {
	if subsystem == "" {
		return "Keepalived"
	}
	return "Keepalived_" + subsystem
}

// SubsystemFile returns the log file of a subsystem derived from the
// parent's -g file: "_" + subsystem is inserted before the last dot of the
// file name, or appended when the name has no dot.
func SubsystemFile(path, subsystem string) string {
	if subsystem == "" || path == "" {
		return path
	}
	dir, base := filepath.Split(path)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return dir + base[:i] + "_" + subsystem + base[i:]
	}
	return path + "_" + subsystem
}
