package core

import (
	"context"
	"fmt"
)

// slot is one subsystem kind core knows about.
type slot struct {
	name     string
	title    string // for log lines
	selected bool
	pidFile  string
}

func (d *Daemon) slots() []slot {
	return []slot{
		{NameVRRP, "VRRP", d.opt.RunVRRP, d.opt.VRRPPidFile},
		{NameCheckers, "Healthcheck", d.opt.RunCheckers, d.opt.CheckersPidFile},
	}
}

// find returns the available subsystem with this name, or nil.
func (d *Daemon) find(name string) Subsystem {
	for _, s := range d.subs {
		if s != nil && s.Name() == name {
			return s
		}
	}
	return nil
}

// startSubsystems starts every selected subsystem the model needs (all
// selected ones with --all) and writes their pid files.
func (d *Daemon) startSubsystems(ctx context.Context) error {
	any := false
	for _, sl := range d.slots() {
		if !sl.selected {
			continue
		}
		s := d.find(sl.name)
		needed := d.opt.RunAll
		if n, ok := s.(Needer); ok && !needed {
			needed = n.Needed(d.model)
		}
		if !needed {
			continue
		}
		any = true
		if s == nil {
			d.log.Info(fmt.Sprintf("%s subsystem is not implemented yet - not started", sl.title))
		} else {
			d.log.Info(fmt.Sprintf("Starting %s subsystem", sl.title))
			if err := s.Start(ctx, d.model); err != nil {
				return fmt.Errorf("starting %s subsystem: %w", sl.title, err)
			}
			d.running = append(d.running, s)
		}
		if err := writePid(d.sys, sl.pidFile); err != nil {
			return err
		}
		d.pidFiles = append(d.pidFiles, sl.pidFile)
	}
	if !any {
		d.log.Info("Warning - keepalived has no configuration to run")
	}
	return nil
}
