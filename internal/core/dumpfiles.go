package core

import (
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Default dump files: keepalived writes them in its temporary directory,
// $TMPDIR when set, else /tmp (KA_TMP_DIR).
const (
	DefaultDataFile  = "/tmp/keepalived.data"
	DefaultStatsFile = "/tmp/keepalived.stats"
	DefaultJSONFile  = "/tmp/keepalived.json"
)

// JSONWriter is implemented by subsystems that write the JSON dump
// (keepalived's JSON signal, SIGRTMIN+2): VRRP alone in keepalived.
type JSONWriter interface {
	WriteJSON(w io.Writer) error
}

// StatsClearer is implemented by stats writers whose counters the
// STATS_CLEAR signal (SIGRTMAX-1) zeroes: WriteStatsForClear writes the
// statistics and returns clear, which zeroes what was written; core calls
// it only once the file is written.
type StatsClearer interface {
	WriteStatsForClear(w io.Writer) (clear func(), err error)
}

// writeData writes the SIGUSR1 data file: process facts, the running
// configuration, and what each subsystem adds.
func (d *Daemon) writeData() {
	path := d.dumpPath("StateDumpFile", DefaultDataFile)
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

// writeStats writes the SIGUSR2 stats file; with clear (SIGRTMAX-1) the
// subsystems zero their counters once written, as keepalived does.
func (d *Daemon) writeStats(clear bool) {
	path := d.dumpPath("StatsDumpFile", DefaultStatsFile)
	if clear {
		d.log.Info(fmt.Sprintf("Printing and clearing VRRP stats for process(%d) on signal", d.sys.Getpid()))
	} else {
		d.log.Info(fmt.Sprintf("Printing VRRP stats for process(%d) on signal", d.sys.Getpid()))
	}
	// Only the subsystems' blocks: stock keepalived's file starts directly
	// with "VRRP Instance: ..." and the Prometheus exporters parse it so.
	var b strings.Builder
	var clears []func()
	for _, s := range d.running {
		w, ok := s.(StatsWriter)
		if !ok {
			continue
		}
		var err error
		if c, ok := s.(StatsClearer); ok && clear {
			var f func()
			f, err = c.WriteStatsForClear(&b)
			if f != nil {
				clears = append(clears, f)
			}
		} else {
			err = w.WriteStats(&b)
		}
		if err != nil {
			d.log.Error(fmt.Sprintf("Stats of %s subsystem: %v", s.Name(), err))
		}
	}
	// keepalived clears nothing when it cannot write the file.
	if d.writeDump(path, b.String()) {
		for _, f := range clears {
			f()
		}
	}
}

// writeJSON writes the JSON dump (keepalived's JSON signal). Without a
// subsystem that writes one (no VRRP running) nothing is written, as
// keepalived writes none without VRRP instances.
func (d *Daemon) writeJSON() {
	path := d.dumpPath("JSONDumpFile", DefaultJSONFile)
	d.log.Info(fmt.Sprintf("Printing VRRP as json for process(%d) on signal", d.sys.Getpid()))
	var b strings.Builder
	found := false
	for _, s := range d.running {
		w, ok := s.(JSONWriter)
		if !ok {
			continue
		}
		found = true
		if err := w.WriteJSON(&b); err != nil {
			d.log.Error(fmt.Sprintf("JSON of %s subsystem: %v", s.Name(), err))
			return
		}
	}
	if found {
		d.writeDump(path, b.String())
	}
}

// dumpPath returns where a dump goes: the model's path (state_dump_file,
// stats_dump_file, json_dump_file), or the default file name in $TMPDIR
// (else /tmp) when the model holds the default or nothing.
func (d *Daemon) dumpPath(field, def string) string {
	if p := modelString(d.model, "", "Global", field); p != "" && p != def {
		return p
	}
	dir := d.sys.Getenv("TMPDIR")
	if dir == "" || !filepath.IsAbs(dir) {
		return def
	}
	return filepath.Join(dir, filepath.Base(def))
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

// writeDump writes a dump file, replacing it at once where the system
// can (as keepalived does: a temporary file renamed over it), so that an
// exporter reading right after the signal never sees half a file. It
// logs a failure and reports success.
func (d *Daemon) writeDump(path, text string) bool {
	write := d.sys.WriteFile
	if a, ok := d.sys.(atomicWriter); ok {
		write = a.WriteFileAtomic
	}
	if err := write(path, []byte(text), 0o600); err != nil {
		d.log.Error(fmt.Sprintf("Unable to write dump file %s: %v", path, err))
		return false
	}
	return true
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
