package core

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// ReadyFDEnv names the descriptor of the pipe on which a detached child
// (see Daemonize) tells its waiting parent that it is ready, or why it
// failed to start.
const ReadyFDEnv = "GOKEEPALIVED_READY_FD"

// readyLine is what the detached child writes on the ready pipe once it
// runs; anything else written there is a start failure to report.
const readyLine = "READY"

// notifier tells the outside world about the daemon's life: systemd
// through sd_notify (when NOTIFY_SOCKET is set), and the parent waiting in
// Daemonize through the ready pipe (when this is the detached child).
// A failing sd_notify is logged once; later failures are quiet, and none
// changes what the daemon does.
type notifier struct {
	// send delivers one sd_notify message; nil without NOTIFY_SOCKET.
	send func(state string) error
	// ready is the pipe to the waiting parent, nil when not detached; it
	// is closed once used.
	ready io.WriteCloser
	// stderr receives start failures when there is no waiting parent.
	stderr io.Writer
	log    *slog.Logger
	pid    int

	mu       sync.Mutex
	sendFail bool // a send failed and was logged
}

// newNotifier returns the notifier for sys's environment: sd_notify
// through go-systemd when NOTIFY_SOCKET is set, the ready pipe when
// ReadyFDEnv names one.
func newNotifier(sys System, log *slog.Logger) *notifier {
	n := &notifier{stderr: os.Stderr, log: log, pid: sys.Getpid()}
	if sys.Getenv("NOTIFY_SOCKET") != "" {
		n.send = sdNotify
	}
	if s := sys.Getenv(ReadyFDEnv); s != "" {
		if _, real := sys.(OS); real {
			// Programs the daemon runs must not see it.
			_ = os.Unsetenv(ReadyFDEnv)
		}
		fd, err := strconv.Atoi(s)
		if err != nil || fd < 3 {
			log.Error(fmt.Sprintf("Ignoring %s=%q: not a descriptor number", ReadyFDEnv, s))
		} else {
			unix.CloseOnExec(fd)
			n.ready = os.NewFile(uintptr(fd), "ready pipe")
		}
	}
	return n
}

// sdNotify sends state to systemd with go-systemd (a datagram to
// NOTIFY_SOCKET; a leading @ names an abstract socket). Without
// NOTIFY_SOCKET it does nothing.
func sdNotify(state string) error {
	if _, err := daemon.SdNotify(false, state); err != nil {
		return fmt.Errorf("sd_notify to %s: %w", os.Getenv("NOTIFY_SOCKET"), err)
	}
	return nil
}

// notify sends the given assignments ("READY=1", "STATUS=...") as one
// sd_notify message. The first failure is logged as an error.
func (n *notifier) notify(assignments ...string) {
	if n.send == nil {
		return
	}
	err := n.send(strings.Join(assignments, "\n"))
	if err == nil {
		return
	}
	n.mu.Lock()
	first := !n.sendFail
	n.sendFail = true
	n.mu.Unlock()
	if first {
		n.log.Error(err.Error() + " - systemd will not hear from keepalived (further failures not logged)")
	}
}

// started tells systemd the daemon is ready and the parent that it may
// return.
func (n *notifier) started(status string) {
	n.notify(daemon.SdNotifyReady, "MAINPID="+strconv.Itoa(n.pid), "STATUS="+status)
	n.tellParent(readyLine)
}

// startFailed reports why the daemon does not start: to systemd's status
// line and to the waiting parent, or to stderr when there is none, so
// that `systemctl status` and the shell that ran keepalived show it.
func (n *notifier) startFailed(reason string) {
	n.notify("STATUS=Start failed: " + reason)
	line := "Keepalived: Start failed: " + reason
	if !n.tellParent(line) {
		fmt.Fprintln(n.stderr, line)
	}
}

// tellParent writes line on the ready pipe and closes it; it reports
// whether there was a parent to tell.
func (n *notifier) tellParent(line string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ready == nil {
		return false
	}
	if _, err := io.WriteString(n.ready, line+"\n"); err != nil && !errors.Is(err, unix.EPIPE) {
		n.log.Warn(fmt.Sprintf("Telling the parent process: %v", err))
	}
	_ = n.ready.Close()
	n.ready = nil
	return true
}

// runningStatus is the STATUS= line of a running daemon, e.g.
// "Running, 2 VRRP instances, 3 virtual servers".
func runningStatus(m *config.Model, reloads int) string {
	var vi, vs int
	if m != nil {
		vi, vs = len(m.Instances), len(m.VirtualServers)
	}
	s := fmt.Sprintf("Running, %s, %s", plural(vi, "VRRP instance"), plural(vs, "virtual server"))
	if reloads > 0 {
		s += fmt.Sprintf(", %s", plural(reloads, "reload"))
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// firstError returns the first error diagnostic of res as "file:line:
// message", with the count of further errors; "" when there is none.
func firstError(res *config.Result) string {
	if res == nil {
		return ""
	}
	first, more := "", 0
	for _, d := range res.Diags {
		if d.Severity < config.SevError {
			continue
		}
		if first == "" {
			first = d.String()
		} else {
			more++
		}
	}
	if first != "" && more > 0 {
		first += fmt.Sprintf(" (and %s)", plural(more, "more error"))
	}
	return first
}

// nothingToRun reports whether m has neither VRRP instances nor virtual
// servers nor static addresses, routes or rules.
func nothingToRun(m *config.Model) bool {
	return m == nil || len(m.Instances) == 0 && len(m.VirtualServers) == 0 &&
		len(m.StaticAddresses) == 0 && len(m.StaticRoutes) == 0 && len(m.StaticRules) == 0
}

// brokenConfig returns why a configuration that loaded must not start:
// its text is malformed (unbalanced braces, a failed include, a limit:
// stock keepalived starts with whatever it made of such a file; we refuse,
// so that `systemctl start` fails with the error in `systemctl status`),
// or it has errors and nothing left to run (keepalived's children exit
// with a permanent configuration error then). "" means start. Errors in
// single keywords' values start as keepalived does, with the rest.
func brokenConfig(res *config.Result) string {
	if res == nil {
		return ""
	}
	if len(res.FileErrors) > 0 {
		return res.FileErrors[0].String() + ", configuration malformed"
	}
	if !res.HasErrors() || !nothingToRun(res.Model) {
		return ""
	}
	return firstError(res) + ", nothing left to run"
}

// notifyReloading tells systemd a reload started (MONOTONIC_USEC lets a
// Type=notify-reload unit match it to the reload it asked for).
func (d *Daemon) notifyReloading() {
	var ts unix.Timespec
	a := []string{daemon.SdNotifyReloading, "STATUS=Reloading configuration"}
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err == nil {
		a = append(a, fmt.Sprintf("MONOTONIC_USEC=%d", ts.Nano()/1000))
	}
	d.sd.notify(a...)
}

// notifyReloaded tells systemd the reload is over: READY=1 again, with
// the running status or, when failure is not empty, why the running
// configuration was kept.
func (d *Daemon) notifyReloaded(failure string) {
	status := runningStatus(d.model, d.reloads)
	if failure != "" {
		status = "Reload failed: " + failure + ", keeping the running configuration"
	}
	d.sd.notify(daemon.SdNotifyReady, "STATUS="+status)
}

// notifyStopping tells systemd the daemon is stopping.
func (d *Daemon) notifyStopping() {
	d.sd.notify(daemon.SdNotifyStopping, "STATUS=Stopping")
}
