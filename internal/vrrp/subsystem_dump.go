package vrrp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// dumpTimeout bounds how long a dump waits for the loop.
const dumpTimeout = 5 * time.Second

// snapshot runs f on the loop goroutine into a buffer and copies the
// buffer to w.
func (s *Subsystem) snapshot(w io.Writer, f func(b *bytes.Buffer, l *loop)) error {
	s.mu.Lock()
	l := s.l
	s.mu.Unlock()
	if l == nil {
		return nil
	}
	var b bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), dumpTimeout)
	defer cancel()
	if err := l.call(ctx, func() { f(&b, l) }); err != nil {
		return fmt.Errorf("vrrp: dump: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteStats writes the SIGUSR2 statistics of every instance, in
// keepalived's format.
func (s *Subsystem) WriteStats(w io.Writer) error {
	return s.snapshot(w, func(b *bytes.Buffer, l *loop) {
		for _, in := range l.insts {
			_ = writeStats(b, in.spec.Name, in.statsWithDrops())
		}
	})
}

// WriteStatsForClear writes the statistics as WriteStats does and returns
// clear, which zeroes what was written (keepalived's STATS_CLEAR): the
// caller calls it once the file is written, so nothing is cleared when
// the file cannot be written, and what was counted between the two calls
// is kept.
func (s *Subsystem) WriteStatsForClear(w io.Writer) (clear func(), err error) {
	type written struct {
		in         *instance
		own, drops Stats
	}
	var ws []written
	var l *loop
	err = s.snapshot(w, func(b *bytes.Buffer, lp *loop) {
		l = lp
		for _, in := range lp.insts {
			_ = writeStats(b, in.spec.Name, in.statsWithDrops())
			ws = append(ws, written{in: in, own: in.stats, drops: in.endpointDrops()})
		}
	})
	if err != nil || l == nil {
		return func() {}, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), dumpTimeout)
		defer cancel()
		_ = l.call(ctx, func() {
			for _, x := range ws {
				x.in.clearWritten(x.own, x.drops)
			}
		})
	}, nil
}

// WriteData writes the SIGUSR1 VRRP topology: the main facts of each
// instance and sync group, then the vrrp_scripts, in the layout of
// keepalived 2.2.7's data file (the lines the Prometheus exporters parse
// are the same).
func (s *Subsystem) WriteData(w io.Writer) error {
	var users map[string][]string
	err := s.snapshot(w, func(b *bytes.Buffer, l *loop) {
		fmt.Fprintf(b, "------< VRRP Topology >------\n")
		for _, in := range l.insts {
			writeInstanceData(b, in)
		}
		users = scriptUsers(l)
		if len(l.groups) == 0 {
			return
		}
		fmt.Fprintf(b, "------< VRRP Sync groups >------\n")
		for _, g := range l.groups {
			fmt.Fprintf(b, " VRRP Sync Group = %s, %s\n", g.name, g.state)
			for _, n := range g.members {
				fmt.Fprintf(b, "   monitor = %s\n", n)
			}
		}
	})
	if err != nil || users == nil {
		return err
	}
	s.mu.Lock()
	ss, ok := s.deps.Trackers.(scriptStatuser)
	s.mu.Unlock()
	if !ok {
		return nil
	}
	// Asked off the loop: the trackers report to the loop.
	return writeScripts(w, ss.ScriptStatuses(), users)
}

func writeInstanceData(b *bytes.Buffer, in *instance) {
	c := in.m.Config()
	vi := in.vi
	if vi == nil {
		vi = &config.VRRPInstance{}
	}
	fmt.Fprintf(b, " VRRP Instance = %s\n", in.spec.Name)
	fmt.Fprintf(b, "   VRRP Version = %d\n", c.Version)
	fmt.Fprintf(b, "   State = %s\n", in.m.State())
	if in.m.State() == StateBackup && in.m.MasterAddr().IsValid() {
		fmt.Fprintf(b, "   Master router = %s\n", in.m.MasterAddr())
		fmt.Fprintf(b, "   Master priority = %d\n", in.m.MasterPriority())
	}
	fmt.Fprintf(b, "   Flags: none\n")
	fmt.Fprintf(b, "   Wantstate = %s\n", in.wantState())
	fmt.Fprintf(b, "   Number of config faults = 0\n")
	fmt.Fprintf(b, "   Number of interface and track script faults = %d\n", len(in.faults))
	fmt.Fprintf(b, "   Number of track scripts init = 0\n")
	if !in.transition.IsZero() {
		fmt.Fprintf(b, "   Last transition = %s\n", dataTime(in.transition))
	}
	if !in.deadline.IsZero() {
		fmt.Fprintf(b, "   Read timeout = %s\n", dataTime(in.deadline))
	}
	fmt.Fprintf(b, "   Master down timer = %d usecs\n", in.m.DownTimer()/time.Microsecond)
	fmt.Fprintf(b, "   Interface = %s\n", in.spec.Net.Interface)
	fmt.Fprintf(b, "   Using src_ip = %s\n", c.PrimaryAddr)
	if len(in.spec.Net.Peers) == 0 && in.spec.Net.Group.IsValid() {
		fmt.Fprintf(b, "   Multicast address %s\n", in.spec.Net.Group)
	}
	fmt.Fprintf(b, "   Gratuitous ARP delay = %d\n", c.GARPMasterDelay/time.Second)
	fmt.Fprintf(b, "   Gratuitous ARP repeat = %d\n", c.GARPMasterRepeat)
	fmt.Fprintf(b, "   Gratuitous ARP refresh = %d\n", c.GARPMasterRefresh/time.Second)
	fmt.Fprintf(b, "   Gratuitous ARP refresh repeat = %d\n", c.GARPMasterRefreshRepeat)
	fmt.Fprintf(b, "   Gratuitous ARP lower priority delay = %d\n", c.GARPLowerPrioDelay/time.Second)
	fmt.Fprintf(b, "   Gratuitous ARP lower priority repeat = %d\n", c.GARPLowerPrioRepeat)
	fmt.Fprintf(b, "   Down timer adverts = %d\n", c.DownTimerAdverts)
	fmt.Fprintf(b, "   Send advert after receive lower priority advert = %t\n", !c.LowerPrioNoAdvert)
	fmt.Fprintf(b, "   Send advert after receive higher priority advert = %t\n", c.HigherPrioSendAdvert)
	fmt.Fprintf(b, "   Virtual Router ID = %d\n", c.VRID)
	fmt.Fprintf(b, "   Priority = %d\n", c.Priority)
	fmt.Fprintf(b, "   Effective priority = %d\n", in.m.EffectivePriority())
	fmt.Fprintf(b, "   Total priority = %d\n", in.m.EffectivePriority())
	if c.Version == 2 {
		fmt.Fprintf(b, "   Advert interval = %d sec\n", c.AdvertInterval/time.Second)
	} else {
		fmt.Fprintf(b, "   Advert interval = %d milli-sec\n", c.AdvertInterval/time.Millisecond)
	}
	fmt.Fprintf(b, "   Accept = %s\n", enabled(in.m.Accept()))
	fmt.Fprintf(b, "   Preempt = %s\n", enabled(!c.Nopreempt))
	if c.PreemptDelay > 0 {
		fmt.Fprintf(b, "   Preempt delay = %g secs\n", c.PreemptDelay.Seconds())
	}
	fmt.Fprintf(b, "   Promote_secondaries = %s\n", enabled(vi.PromoteSecondaries))
	if in.spec.Net.AuthType == 1 {
		fmt.Fprintf(b, "   Authentication type = SIMPLE_PASSWORD\n")
		fmt.Fprintf(b, "   Password = %s\n", strings.TrimRight(string(in.spec.Net.AuthPass[:]), "\x00"))
	} else if c.Version == 2 {
		fmt.Fprintf(b, "   Authentication type = none\n")
	}
	if vips := in.vipStrings(in.spec.Addrs.VIPs); len(vips) > 0 {
		fmt.Fprintf(b, "   Virtual IP (%d):\n", len(vips))
		for _, v := range vips {
			fmt.Fprintf(b, "     %s\n", v)
		}
	}
	if evips := in.vipStrings(in.spec.Addrs.EVIPs); len(evips) > 0 {
		fmt.Fprintf(b, "   Virtual IP Excluded (%d):\n", len(evips))
		for _, v := range evips {
			fmt.Fprintf(b, "     %s\n", v)
		}
	}
	if len(vi.TrackScripts) > 0 {
		fmt.Fprintf(b, "   Tracked scripts :\n")
		for _, t := range vi.TrackScripts {
			fmt.Fprintf(b, "     %s weight %d%s\n", t.Name, t.Weight, reverse(t.Reverse))
		}
	}
	if in.ownFaulted() {
		fmt.Fprintf(b, "   Fault reasons = %s\n", in.faultList())
	}
	fmt.Fprintf(b, "   Using smtp notification = %s\n", yesNo(vi.SMTPAlert == 1))
	if vi.Notify.DeletedSet {
		fmt.Fprintf(b, "   Notify deleted = Deleted\n")
	} else {
		fmt.Fprintf(b, "   Notify deleted = Fault\n")
	}
	fmt.Fprintf(b, "   Notify priority changes = %t\n", in.spec.NotifyPriorityChanges)
}

// wantState is the state the instance is heading for (keepalived's
// wantstate): its state, or before the first transition the configured
// initial state.
func (in *instance) wantState() State {
	st := in.m.State()
	if st != StateInit && st != StateStop {
		return st
	}
	if in.m.Config().InitialState == StateMaster {
		return StateMaster
	}
	return StateBackup
}

// vipStrings formats addresses as keepalived's format_ipaddress does,
// with " set" while the instance has them installed.
func (in *instance) vipStrings(addrs []*config.IPAddress) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, formatIPAddress(a, in.spec.Addrs.Interface, in.m.VIPsSet()))
	}
	return out
}

// formatIPAddress is keepalived's format_ipaddress: the address (with
// its prefix length unless a host address), brd, dev, scope, label and
// peer, then " set" when installed. defDev is the device of an address
// without dev.
func formatIPAddress(a *config.IPAddress, defDev string, set bool) string {
	var b strings.Builder
	b.WriteString(a.Addr.String())
	if a.Bits != a.Addr.BitLen() {
		fmt.Fprintf(&b, "/%d", a.Bits)
	}
	if a.Addr.Is4() && a.Broadcast.IsValid() && !a.Broadcast.IsUnspecified() {
		fmt.Fprintf(&b, " brd %s", a.Broadcast)
	}
	dev := a.Dev
	if dev == "" {
		dev = defDev
	}
	scope := a.Scope
	if scope == "" {
		scope = "global"
	}
	fmt.Fprintf(&b, " dev %s scope %s", dev, scope)
	if a.Label != "" {
		fmt.Fprintf(&b, " label %s", a.Label)
	}
	if a.Peer.IsValid() {
		fmt.Fprintf(&b, " peer %s/%d", a.Peer.Addr(), a.Bits)
	}
	if set {
		b.WriteString(" set")
	}
	return b.String()
}

// dataTime prints a time as keepalived's data file does:
// "1795388332.051433 (Sun Nov 22 22:58:52.051433 2026)".
func dataTime(t time.Time) string {
	us := t.Nanosecond() / 1000
	return fmt.Sprintf("%d.%06d (%s.%06d %s)", t.Unix(), us, t.Format("Mon Jan _2 15:04:05"), us, t.Format("2006"))
}

func enabled(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func reverse(b bool) string {
	if b {
		return " reverse"
	}
	return ""
}
