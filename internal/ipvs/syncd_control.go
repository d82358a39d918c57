package ipvs

import (
	"fmt"
	"log/slog"

	"github.com/gokeepalived/keepalived/internal/config"
)

// SyncDaemonKernel starts and stops IPVS sync daemons (Netlink does).
type SyncDaemonKernel interface {
	StartSyncDaemon(SyncDaemon) error
	StopSyncDaemon(SyncDaemon) error
}

// SyncControl runs the sync daemon of lvs_sync_daemon that stock
// keepalived's VRRP process runs for its instance's state: the backup
// daemon, or the master one (the backup stopped first), none at stop. It
// implements vrrp.SyncDaemonControl. The kernel side is opened at the
// first daemon to start, so a configuration without lvs_sync_daemon
// opens nothing; errors are logged, never fatal, as keepalived does. Not
// safe for concurrent use (the VRRP subsystem calls it in order from one
// goroutine).
type SyncControl struct {
	log  *slog.Logger
	open func() (SyncDaemonKernel, func(), error)

	k       SyncDaemonKernel
	closeK  func()
	running *SyncDaemon
}

// NewSyncControl returns a SyncControl over the IPVS netlink family of
// the calling goroutine's network namespace.
func NewSyncControl(log *slog.Logger) *SyncControl {
	return NewSyncControlWith(log, func() (SyncDaemonKernel, func(), error) {
		n, err := NewNetlink()
		if err != nil {
			return nil, nil, err
		}
		return n, n.Close, nil
	})
}

// NewSyncControlWith returns a SyncControl over the kernel open returns
// (with its close function).
func NewSyncControlWith(log *slog.Logger, open func() (SyncDaemonKernel, func(), error)) *SyncControl {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &SyncControl{log: log, open: open}
}

// SyncMaster runs m's master daemon.
func (c *SyncControl) SyncMaster(m *config.Model) { c.set(m, false) }

// SyncBackup runs m's backup daemon.
func (c *SyncControl) SyncBackup(m *config.Model) { c.set(m, true) }

// SyncStop stops the daemon it runs and releases the kernel side.
func (c *SyncControl) SyncStop() {
	c.stopRunning()
	if c.closeK != nil {
		c.closeK()
	}
	c.k, c.closeK = nil, nil
}

// Running returns the daemon started last and not stopped.
func (c *SyncControl) Running() (SyncDaemon, bool) {
	if c.running == nil {
		return SyncDaemon{}, false
	}
	return *c.running, true
}

// set makes the daemon for m in role backup the one running: nothing
// when it already runs, else the other one stopped and this one started.
// A model without lvs_sync_daemon (a reload removed it) stops it.
func (c *SyncControl) set(m *config.Model, backup bool) {
	if m == nil {
		return
	}
	d, ok := SyncDaemonFor(m, backup)
	if !ok {
		c.stopRunning()
		return
	}
	if c.running != nil && *c.running == d {
		return
	}
	if c.k == nil {
		k, closeK, err := c.open()
		if err != nil {
			c.log.Error(fmt.Sprintf("IPVS: cannot start the %s sync daemon: %v", role(d), err))
			return
		}
		c.k, c.closeK = k, closeK
	}
	c.stopRunning()
	if err := c.k.StartSyncDaemon(d); err != nil {
		c.log.Error(fmt.Sprintf("IPVS: cannot start the %s sync daemon on %s (syncid %d): %v", role(d), d.Interface, d.SyncID, err))
		return
	}
	c.running = &d
}

// stopRunning stops the daemon started last.
func (c *SyncControl) stopRunning() {
	if c.running == nil || c.k == nil {
		c.running = nil
		return
	}
	d := *c.running
	c.running = nil
	if err := c.k.StopSyncDaemon(d); err != nil {
		c.log.Error(fmt.Sprintf("IPVS: cannot stop the %s sync daemon: %v", role(d), err))
	}
}

func role(d SyncDaemon) string {
	if d.Backup {
		return "backup"
	}
	return "master"
}
