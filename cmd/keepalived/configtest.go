package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Exit statuses of -t (keepalived's KEEPALIVED_EXIT_*).
const (
	exitOK             = 0
	exitFailure        = 1
	exitMissingInclude = 4 // main file missing with -e
	exitConfig         = 5 // any warning or error reported
	exitSecurity       = 6 // scripts would run as root without script security
)

// configTest runs -t: it loads the configuration, prints every diagnostic
// of warning level or more as "file:line: message" on out, and returns the
// exit status. dump, when non-nil, receives the model (-d).
func configTest(path string, opt config.Options, out, dump io.Writer, load loadFunc) int {
	res, err := load(path, opt)
	if err != nil || res == nil || res.Model == nil {
		fmt.Fprintf(out, "Config files missing '%s'.\n", path)
		if err != nil && !errors.Is(err, config.ErrNoConfig) {
			fmt.Fprintf(out, "%v\n", err)
		}
		if opt.IncludeCheck {
			return exitMissingInclude
		}
		return exitOK
	}
	for _, d := range res.Diags {
		if d.Severity >= config.SevWarning {
			fmt.Fprintln(out, d.String())
		}
	}
	if dump != nil {
		if err := config.Dump(dump, res.Model); err != nil {
			fmt.Fprintln(out, err)
		}
	}
	switch {
	case res.SecurityViolation:
		if !hasDiag(res, securityMsg) {
			fmt.Fprintln(out, securityMsg)
		}
		return exitSecurity
	case res.IncludeFailed:
		// keepalived 2.2.7 exits 6 for an include failing a check too.
		return exitSecurity
	case res.Problems() > 0:
		return exitConfig
	}
	return exitOK
}

// securityMsg is keepalived's verdict line for scripts run as root without
// script security.
const securityMsg = "SECURITY VIOLATION - scripts are being executed but script_security not enabled."

// hasDiag reports whether a diagnostic of res contains msg.
func hasDiag(res *config.Result, msg string) bool {
	for _, d := range res.Diags {
		if strings.Contains(d.Msg, msg) {
			return true
		}
	}
	return false
}

// openTestLog opens -t's LOG_FILE for appending, as keepalived does
// (never following a symbolic link).
func openTestLog(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open config-test log file: %w", err)
	}
	return f, nil
}
