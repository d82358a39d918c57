package logging

import (
	"fmt"
	"log/syslog"
	"strings"
)

// ParseFacility interprets keepalived's -S argument: 0-7 (LOG_LOCAL0-7),
// local0-local7, user or daemon.
func ParseFacility(s string) (syslog.Priority, error) {
	v := strings.ToLower(s)
	if len(v) == 1 && v[0] >= '0' && v[0] <= '7' {
		return syslog.LOG_LOCAL0 + syslog.Priority(v[0]-'0')<<3, nil
	}
	if len(v) == 6 && strings.HasPrefix(v, "local") && v[5] >= '0' && v[5] <= '7' {
		return syslog.LOG_LOCAL0 + syslog.Priority(v[5]-'0')<<3, nil
	}
	switch v {
	case "user":
		return syslog.LOG_USER, nil
	case "daemon":
		return syslog.LOG_DAEMON, nil
	}
	return 0, fmt.Errorf("invalid log facility '%s'", s)
}
