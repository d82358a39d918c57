package vrrp

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gokeepalived/keepalived/internal/track"
)

// ScriptStatuses returns the status of every running vrrp_script, for
// the data file.
func (t TrackManager) ScriptStatuses() []track.ScriptStatus { return t.M.ScriptStatuses() }

// scriptStatuser is a TrackerSource that can tell its scripts' status.
type scriptStatuser interface {
	ScriptStatuses() []track.ScriptStatus
}

// scriptUsers lists, per vrrp_script, the instances tracking it as
// keepalived prints them ("VI_1, weight -20"); it runs on the loop.
func scriptUsers(l *loop) map[string][]string {
	users := map[string][]string{}
	for _, in := range l.insts {
		if in.vi == nil {
			continue
		}
		for _, r := range in.vi.TrackScripts {
			users[r.Name] = append(users[r.Name], fmt.Sprintf("%s, weight %d%s", in.spec.Name, r.Weight, reverse(r.Reverse)))
		}
	}
	return users
}

// writeScripts writes the data file's "VRRP Scripts" section in
// keepalived 2.2.7's layout: keepalived-exporter reads each script's
// Status (GOOD/BAD) and State (idle/running) from it.
func writeScripts(w io.Writer, sts []track.ScriptStatus, users map[string][]string) error {
	if len(sts) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("------< VRRP Scripts >------\n")
	for _, s := range sts {
		fmt.Fprintf(&b, " VRRP Script = %s\n", s.Name)
		q := make([]string, len(s.Args))
		for i, a := range s.Args {
			q[i] = "'" + a + "'"
		}
		fmt.Fprintf(&b, "   Command = %s\n", strings.Join(q, " "))
		fmt.Fprintf(&b, "   Interval = %d sec\n", s.Interval/time.Second)
		fmt.Fprintf(&b, "   Timeout = %d sec\n", s.Timeout/time.Second)
		fmt.Fprintf(&b, "   Weight = %d%s\n", s.Weight, reverse(s.Reverse))
		fmt.Fprintf(&b, "   Rise = %d\n", s.Rise)
		fmt.Fprintf(&b, "   Fall = %d\n", s.Fall)
		fmt.Fprintf(&b, "   Result = %d\n", s.Result)
		status := "BAD"
		if s.State == track.Up {
			status = "GOOD"
		}
		fmt.Fprintf(&b, "   Status = %s\n", status)
		b.WriteString("   Tracking instances :\n")
		for _, u := range users[s.Name] {
			fmt.Fprintf(&b, "     %s\n", u)
		}
		state := "idle"
		if s.Running {
			state = "running"
		}
		fmt.Fprintf(&b, "   State = %s\n", state)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
