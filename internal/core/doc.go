// Package core runs keepalived's process life in one Go process: it loads
// the configuration, starts the selected subsystems, writes the pid files,
// and handles signals (HUP reload, TERM/INT stop, USR1/USR2 dump files).
// Everything that touches the OS goes through the System interface so the
// logic is unit-testable.
//
// Layout: subsystem.go (the Subsystem interface), options.go (what the
// command line selects), system.go (the OS interface and its real
// implementation), pidfile.go, daemon.go (the run loop), reload.go,
// dumpfiles.go, notify.go (sd_notify), daemonize.go (re-exec detached).
package core
