package core

import (
	"context"
	"fmt"
)

// reload loads the configuration again (SIGHUP). A configuration with
// errors, or a missing file, is logged and the running one kept; otherwise
// every running subsystem gets the new model.
func (d *Daemon) reload(ctx context.Context) {
	d.log.Info("Reloading ...")
	d.notifyReloading()
	failure := ""
	defer func() { d.notifyReloaded(failure) }()
	res, ok := d.loadConfig()
	if !ok {
		d.log.Error("Reload failed - keeping the running configuration")
		failure = fmt.Sprintf("Config files missing '%s'.", d.opt.ConfigFile)
		return
	}
	if res.HasErrors() {
		d.log.Error("Configuration has errors - keeping the running configuration")
		failure = firstError(res)
		return
	}
	old := d.model
	for _, s := range d.running {
		if err := s.Reload(ctx, old, res.Model); err != nil {
			d.log.Error(fmt.Sprintf("Reloading %s subsystem: %v", s.Name(), err))
		}
	}
	d.model = res.Model
	d.reloads++
	d.log.Info("Reload finished")
}
