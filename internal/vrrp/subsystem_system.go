package vrrp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/netif"
	"github.com/gokeepalived/keepalived/internal/script"
	"github.com/gokeepalived/keepalived/internal/track"
	"github.com/gokeepalived/keepalived/internal/vrrpnet"
)

// NewSystem returns the VRRP subsystem on the real network of the calling
// thread's namespace: vrrpnet's raw sockets, netlink addresses, AF_PACKET
// GARPs, netlink link watching and the script runner for notifies. The
// sockets and handles are opened at Start (so a daemon that never needs
// VRRP opens none) and closed at Stop. trackers nil means track's Manager
// (vrrp_script, track_file, track_interface, vrrp_track_process) with the
// script runner of the first model's script_user.
func NewSystem(log *slog.Logger, trackers TrackerSource, opt SubsystemOptions) *Subsystem {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := NewSubsystem(Deps{Log: log, Trackers: trackers, Links: NetifLinks{}, AddrWatch: NetifAddrWatch{}}, opt)
	sys := &system{log: log}
	s.prepare = sys.open
	s.onModel = sys.model
	s.cleanup = sys.close
	return s
}

// system holds the real edges while the subsystem runs.
type system struct {
	log      *slog.Logger
	pool     *vrrpnet.Pool
	nlClose  func()
	ann      *netif.Announcer
	notifier *ScriptNotifier
	fifos    script.Fifos
	fifoCfg  []config.Fifo
	// fifoCancel ends the FIFO scripts (SIGTERM) of the open FIFOs.
	fifoCancel context.CancelFunc
	cancel     context.CancelFunc
	ctx        context.Context
}

// open opens the edges and fills deps.
func (y *system) open(d *Deps, m *config.Model) error {
	mgr, nlClose, err := netif.NewSystem(y.log)
	if err != nil {
		return fmt.Errorf("vrrp: netlink: %w", err)
	}
	ann, err := netif.NewAnnouncer(nil, y.log)
	if err != nil {
		nlClose()
		return fmt.Errorf("vrrp: announcer: %w", err)
	}
	y.nlClose, y.ann = nlClose, ann
	y.pool = vrrpnet.NewPool(vrrpnet.Options{Logger: y.log, LogUnknownVRIDs: m.Global.LogUnknownVRIDs})
	y.notifier = &ScriptNotifier{Log: y.log}
	if d.Trackers == nil {
		o := script.OptionsFromGlobal(&m.Global)
		o.Logger = y.log
		d.Trackers = TrackManager{M: track.NewManager(track.Options{Runner: script.New(o), Logger: y.log})}
	}
	y.ctx, y.cancel = context.WithCancel(context.Background())
	d.Transport = PoolTransport{Pool: y.pool}
	d.Addrs = NetifAddrs{M: mgr}
	d.VMACs = NetifVMACs{M: mgr}
	d.Announcer = NetifAnnouncer{A: ann}
	d.Notifier = y.notifier
	return nil
}

// model applies a (new) model's global settings: the script user of
// notify scripts and the notify FIFOs. FIFOs (and their scripts) are
// reopened only when their configuration changed; the old FIFO script gets
// SIGTERM.
func (y *system) model(m *config.Model) {
	if y.notifier == nil {
		return
	}
	o := script.OptionsFromGlobal(&m.Global)
	o.Logger = y.log
	y.notifier.SetRunner(script.New(o))
	cfg := []config.Fifo{m.Global.NotifyFifo, m.Global.VRRPNotifyFifo}
	if y.fifoCfg != nil && deepEqualNoPos(reflect.ValueOf(cfg), reflect.ValueOf(y.fifoCfg), 0) {
		return
	}
	y.closeFifos()
	y.fifoCfg = cfg
	var ctx context.Context
	ctx, y.fifoCancel = context.WithCancel(y.ctx)
	for _, c := range cfg {
		f, err := y.notifier.runner().OpenConfigFifo(ctx, c, -1, -1, nil)
		if err != nil {
			y.log.Error(fmt.Sprintf("Unable to open notify fifo %s: %v", c.Path, err))
			continue
		}
		if f != nil {
			y.fifos = append(y.fifos, f)
		}
	}
	y.notifier.SetFifos(y.fifos)
}

// closeFifos stops the FIFO scripts and closes the FIFOs.
func (y *system) closeFifos() error {
	if y.fifoCancel != nil {
		y.fifoCancel()
	}
	var errs []error
	for _, f := range y.fifos {
		errs = append(errs, f.Close())
	}
	y.fifos = nil
	if y.notifier != nil {
		y.notifier.SetFifos(nil)
	}
	return errors.Join(errs...)
}

// Stop lets the notify scripts run for up to shutdownNotifyWait (the STOP
// ones were just started), then sends SIGTERM to those still running and
// waits up to shutdownNotifyKill for them, as keepalived 2.2.7 ends its
// scripts at shutdown (measured: SIGTERM about 1 s after notify_stop
// started, exit 0.2 s later).
const (
	shutdownNotifyWait = time.Second
	shutdownNotifyKill = 300 * time.Millisecond
)

// close closes the edges.
func (y *system) close() error {
	var errs []error
	if y.notifier != nil && !y.notifier.Shutdown(shutdownNotifyWait, shutdownNotifyKill) {
		y.log.Debug("Notify scripts still running at shutdown after SIGTERM")
	}
	errs = append(errs, y.closeFifos())
	if y.cancel != nil {
		y.cancel()
	}
	if y.pool != nil {
		errs = append(errs, y.pool.Close())
	}
	if y.ann != nil {
		errs = append(errs, y.ann.Close())
	}
	if y.nlClose != nil {
		y.nlClose()
	}
	return errors.Join(errs...)
}
