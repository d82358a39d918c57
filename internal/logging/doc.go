// Package logging provides a log/slog Handler that writes keepalived-style
// lines: to syslog (idents "Keepalived", "Keepalived_vrrp",
// "Keepalived_healthcheckers"), to the console ("Sun Nov 22 20:30:00 2026:
// message", keepalived's -l) and to log files (-g, with the subsystem name
// inserted before the file's last dot).
//
// Layout: facility.go (-S values), filename.go (per-subsystem file names),
// handler.go (the slog.Handler), sink.go (the shared outputs).
package logging
