package vrrp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"
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

// WriteData writes the SIGUSR1 VRRP topology: the main facts of each
// instance and sync group, in the layout of keepalived's data file.
func (s *Subsystem) WriteData(w io.Writer) error {
	return s.snapshot(w, func(b *bytes.Buffer, l *loop) {
		fmt.Fprintf(b, "------< VRRP Topology >------\n")
		for _, in := range l.insts {
			writeInstanceData(b, in)
		}
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
}

func writeInstanceData(b *bytes.Buffer, in *instance) {
	c := in.m.Config()
	fmt.Fprintf(b, " VRRP Instance = %s\n", in.spec.Name)
	fmt.Fprintf(b, "   VRRP Version = %d\n", c.Version)
	fmt.Fprintf(b, "   State = %s\n", in.m.State())
	if in.m.State() == StateBackup && in.m.MasterAddr().IsValid() {
		fmt.Fprintf(b, "   Master router = %s\n", in.m.MasterAddr())
		fmt.Fprintf(b, "   Master priority = %d\n", in.m.MasterPriority())
	}
	fmt.Fprintf(b, "   Number of interface and track script faults = %d\n", len(in.faults))
	if !in.transition.IsZero() {
		tr := in.transition
		fmt.Fprintf(b, "   Last transition = %d.%06d (%s.%06d %s)\n", tr.Unix(), tr.Nanosecond()/1000,
			tr.Format("Mon Jan _2 15:04:05"), tr.Nanosecond()/1000, tr.Format("2006"))
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
	if in.spec.Net.AuthType == 1 {
		fmt.Fprintf(b, "   Authentication type = SIMPLE_PASSWORD\n")
		fmt.Fprintf(b, "   Password = %s\n", strings.TrimRight(string(in.spec.Net.AuthPass[:]), "\x00"))
	}
	if len(in.spec.Addrs.VIPs) > 0 {
		set := ""
		if in.m.VIPsSet() {
			set = " set"
		}
		fmt.Fprintf(b, "   Virtual IP (%d):\n", len(in.spec.Addrs.VIPs))
		for _, a := range in.spec.Addrs.VIPs {
			dev := a.Dev
			if dev == "" {
				dev = in.spec.Addrs.Interface
			}
			fmt.Fprintf(b, "     %s dev %s scope %s%s\n", a.Prefix(), dev, a.Scope, set)
		}
	}
	if in.ownFaulted() {
		fmt.Fprintf(b, "   Fault reasons = %s\n", in.faultList())
	}
	fmt.Fprintf(b, "   Notify priority changes = %t\n", in.spec.NotifyPriorityChanges)
}

func enabled(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}
