package logging

import (
	"fmt"
	"log/syslog"
	"strconv"
	"strings"
)

// ParseFacility interprets keepalived's -S argument: a number 0-7
// (LOG_LOCAL0-7), local0-local7, user or daemon, all case-sensitive as in
// keepalived.
func ParseFacility(s string) (syslog.Priority, error) {
	if n, ok := smallNumber(s); ok {
		return syslog.LOG_LOCAL0 + syslog.Priority(n)<<3, nil
	}
	if rest, ok := strings.CutPrefix(s, "local"); ok && len(rest) == 1 && rest[0] >= '0' && rest[0] <= '7' {
		return syslog.LOG_LOCAL0 + syslog.Priority(rest[0]-'0')<<3, nil
	}
	switch s {
	case "user":
		return syslog.LOG_USER, nil
	case "daemon":
		return syslog.LOG_DAEMON, nil
	}
	return 0, fmt.Errorf("invalid log facility '%s'", s)
}

// smallNumber parses a decimal 0-7 (leading zeros allowed).
func smallNumber(s string) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 7 {
		return 0, false
	}
	return n, true
}
