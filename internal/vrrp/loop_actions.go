package vrrp

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"
)

// apply carries out a machine's actions in order. Log lines are held
// until the actions are done, in their order: writing them first would
// delay the adverts, VIPs and GARPs of a new master.
func (l *loop) apply(in *instance, acts []Action) {
	if !l.holding {
		l.holding = true
		defer l.flushLogs()
	}
	for _, a := range acts {
		switch a := a.(type) {
		case SendAdvert:
			l.send(in, a.Priority)
		case AddVIPs:
			in.stats.BecomeMaster++
			if in.spec.Addrs.Empty() {
				continue
			}
			if err := l.deps.Addrs.Add(l.ctx, in.spec.Addrs); err != nil {
				l.logf(slog.LevelError, "(%s) setting VIPs failed: %v", in.spec.Name, err)
			}
		case RemoveVIPs:
			in.stats.ReleaseMaster++
			if in.keepVIPs || in.spec.Addrs.Empty() {
				continue
			}
			if err := l.deps.Addrs.Remove(l.ctx, in.spec.Addrs); err != nil {
				l.logf(slog.LevelError, "(%s) removing VIPs failed: %v", in.spec.Name, err)
			}
		case SendGARP:
			l.garp(in, a.Repeat)
		case RunNotify:
			st := a.State.String()
			if a.State == StateStop && in.removed {
				// keepalived notifies an instance a reload removed as
				// FAULT, or DELETED with notify_deleted (measured).
				st = "FAULT"
				if in.spec.Notify.DeletedSet {
					st = "DELETED"
				}
			}
			l.notes.push(Notification{Name: in.spec.Name, State: st, Priority: int(a.Priority), Scripts: in.spec.Notify})
		case NotifyMasterRxLowerPri:
			l.notes.push(Notification{Name: in.spec.Name, State: "MASTER_RX_LOWER_PRI", Priority: int(a.Priority), Scripts: in.spec.Notify})
		case PriorityChanged:
			if in.spec.NotifyPriorityChanges && (a.State == StateMaster || a.State == StateBackup) {
				l.notes.push(Notification{Name: in.spec.Name, State: a.State.String() + "_PRIORITY", Priority: int(a.To), Scripts: in.spec.Notify})
			}
		case LogLine:
			if in.suppressRx && isRxLine(a.Text) {
				continue
			}
			if a.Detail {
				l.logLine(slog.LevelDebug, a.Text)
			} else {
				l.logLine(slog.LevelInfo, a.Text)
			}
		case ArmTimer:
			in.deadline = a.Deadline
		}
	}
}

// isRxLine tells the election lines that name the sender of an advert.
func isRxLine(s string) bool {
	return strings.Contains(s, "received advert from") || strings.Contains(s, "received priority 0") ||
		strings.Contains(s, "Received advert from") || strings.Contains(s, "equal priority advert")
}

// send counts one advert and transmits it.
func (l *loop) send(in *instance, prio uint8) {
	if in.ep == nil {
		return
	}
	// keepalived counts an advert (and a priority 0 one) sent even when
	// the send fails.
	in.stats.AdvertSent++
	if prio == 0 {
		in.stats.PriZeroSent++
	}
	if err := in.ep.Send(in.advert(prio)); err != nil {
		l.logf(slog.LevelDebug, "(%s) send advert failed: %v", in.spec.Name, err)
	}
}

// garp logs and sends one GARP/NA burst for every address of the
// instance, grouped by interface. A burst with spacing runs off the loop.
func (l *loop) garp(in *instance, repeat int) {
	if l.deps.Announcer == nil || len(in.spec.GARPAddrs) == 0 || repeat <= 0 {
		return
	}
	// Held by apply, the lines are written after the burst went out.
	for i, line := range in.garpLines(repeat) {
		if i < len(in.spec.GARPAddrs) {
			l.logLine(slog.LevelInfo, line)
		} else {
			l.logLine(slog.LevelDebug, line)
		}
	}
	byIf := map[string][]netip.Addr{}
	var order []string
	for _, t := range in.spec.GARPAddrs {
		if _, ok := byIf[t.Iface]; !ok {
			order = append(order, t.Iface)
		}
		byIf[t.Iface] = append(byIf[t.Iface], t.Addr)
	}
	iv := in.spec.GARPInterval
	name := in.spec.Name
	run := func(ctx context.Context) {
		for _, ifc := range order {
			if err := l.deps.Announcer.Announce(ctx, ifc, byIf[ifc], repeat, iv); err != nil {
				l.log.Error(fmt.Sprintf("(%s) gratuitous ARP on %s failed: %v", name, ifc, err))
			}
		}
	}
	if iv <= 0 || iv*time.Duration(repeat) < time.Millisecond {
		run(l.ctx)
		return
	}
	go run(l.ctx)
}

// heldLine is a log line apply holds until its actions are done.
type heldLine struct {
	level slog.Level
	text  string
}

// logLine writes a line, or holds it while apply runs.
func (l *loop) logLine(level slog.Level, text string) {
	if l.holding {
		l.held = append(l.held, heldLine{level, text})
		return
	}
	l.log.Log(context.Background(), level, text)
}

// logf is logLine with a format.
func (l *loop) logf(level slog.Level, format string, a ...any) {
	l.logLine(level, fmt.Sprintf(format, a...))
}

// flushLogs writes the held lines in order and stops holding.
func (l *loop) flushLogs() {
	l.holding = false
	for _, h := range l.held {
		l.log.Log(context.Background(), h.level, h.text)
	}
	clear(l.held)
	l.held = l.held[:0]
}
