package track

import "github.com/gokeepalived/keepalived/internal/config"

// RefsOf returns instance vi's track_* entries, followed by those of the
// sync group it belongs to (internal/config has already zeroed a group's
// weights unless sync_group_tracking_weight is set). track_bfd is not
// handled here.
func RefsOf(m *config.Model, vi *config.VRRPInstance) []Ref {
	var out []Ref
	add := func(k Kind, rs []config.TrackRef) {
		for _, r := range rs {
			out = append(out, Ref{Key: Key{k, r.Name}, Weight: r.Weight, Reverse: r.Reverse})
		}
	}
	addAll := func(ifs, scripts, files, procs []config.TrackRef) {
		add(KindInterface, ifs)
		add(KindScript, scripts)
		add(KindFile, files)
		add(KindProcess, procs)
	}
	addAll(vi.TrackInterfaces, vi.TrackScripts, vi.TrackFiles, vi.TrackProcesses)
	for _, g := range m.SyncGroups {
		for _, name := range g.Members {
			if name == vi.Name {
				addAll(g.TrackInterfaces, g.TrackScripts, g.TrackFiles, g.TrackProcesses)
			}
		}
	}
	return out
}
