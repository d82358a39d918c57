package core

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Default dump files (keepalived's KA_TMP_DIR is /tmp).
const (
	DefaultDataFile  = "/tmp/keepalived.data"
	DefaultStatsFile = "/tmp/keepalived.stats"
)

// writeData writes the SIGUSR1 data file: process facts, the running
// configuration, and what each subsystem adds.
func (d *Daemon) writeData() {
	path := modelString(d.model, DefaultDataFile, "Global", "StateDumpFile")
	d.log.Info(fmt.Sprintf("Printing data for process(%d) on signal", d.sys.Getpid()))
	var b strings.Builder
	b.WriteString("------< Keepalived data >------\n")
	d.writeFacts(&b)
	b.WriteString("------< Configuration >------\n")
	if err := config.Dump(&b, d.model); err != nil {
		d.log.Error(err.Error())
	}
	for _, s := range d.running {
		if w, ok := s.(DataWriter); ok {
			if err := w.WriteData(&b); err != nil {
				d.log.Error(fmt.Sprintf("Data of %s subsystem: %v", s.Name(), err))
			}
		}
	}
	d.writeDump(path, b.String())
}

// writeStats writes the SIGUSR2 stats file (clear: SIGRTMAX-1, which
// keepalived follows by clearing the counters).
func (d *Daemon) writeStats(clear bool) {
	path := modelString(d.model, DefaultStatsFile, "Global", "StatsDumpFile")
	d.log.Info(fmt.Sprintf("Printing stats for process(%d) on signal", d.sys.Getpid()))
	// Only the subsystems' blocks: stock keepalived's file starts directly
	// with "VRRP Instance: ..." and the Prometheus exporters parse it so.
	var b strings.Builder
	for _, s := range d.running {
		if w, ok := s.(StatsWriter); ok {
			if err := w.WriteStats(&b); err != nil {
				d.log.Error(fmt.Sprintf("Stats of %s subsystem: %v", s.Name(), err))
			}
		}
	}
	if clear {
		d.log.Info("Clearing statistics is not implemented yet")
	}
	d.writeDump(path, b.String())
}

func (d *Daemon) writeFacts(b *strings.Builder) {
	fmt.Fprintf(b, " Version = %s\n", d.opt.Version)
	fmt.Fprintf(b, " Pid = %d\n", d.sys.Getpid())
	fmt.Fprintf(b, " Configuration file = %s\n", d.opt.ConfigFile)
	fmt.Fprintf(b, " Started = %s\n", d.started.Format(time.RFC3339))
	fmt.Fprintf(b, " Reloads = %s\n", strconv.Itoa(d.reloads))
	names := make([]string, 0, len(d.running))
	for _, s := range d.running {
		names = append(names, s.Name())
	}
	fmt.Fprintf(b, " Subsystems = %s\n", strings.Join(names, " "))
}

func (d *Daemon) writeDump(path, text string) {
	if err := d.sys.WriteFile(path, []byte(text), 0o600); err != nil {
		d.log.Error(fmt.Sprintf("Unable to write dump file %s: %v", path, err))
	}
}

// modelString reads a string field by path from m, found by reflection so
// core does not depend on the model's layout; def when absent or empty.
func modelString(m *config.Model, def string, path ...string) string {
	if m == nil {
		return def
	}
	v := reflect.ValueOf(m).Elem()
	for _, name := range path {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return def
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return def
		}
		v = v.FieldByName(name)
		if !v.IsValid() {
			return def
		}
	}
	if v.Kind() != reflect.String || v.String() == "" {
		return def
	}
	return v.String()
}
