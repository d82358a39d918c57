// Package track implements keepalived's VRRP trackers: vrrp_script,
// track_file, track_interface and vrrp_track_process.
//
// Each tracker watches one object and reports its state as an Update
// (Kind, Name, State, and for track_file the Value). What an Update means
// for an instance depends on the instance's track_* entry (weight,
// reverse), so the weighting is pure logic in Effect, and an Aggregate
// sums one instance's entries into an InstanceState: the priority Delta
// (keepalived's total_priority minus the base priority) and the names of
// the weight-0 trackers holding the instance in FAULT.
//
// The VRRP instance loop consumes InstanceStates: a Manager built from a
// config.Model starts every tracker the instances use and calls its
// update callback with an instance's InstanceState once at start and
// whenever it changes. It maps onto internal/vrrp's TrackerSource:
//
//	Delta  -> vrrp.PriorityEvent{Delta}
//	Faults -> vrrp.FaultEvent{Reason: name, Down: true/false}
//
// An adapter for the VRRP subsystem is a few lines:
//
//	type source struct{ *track.Manager }
//
//	func (s source) Start(ctx context.Context, m *config.Model, f func(vrrp.TrackState)) error {
//		return s.Manager.Start(ctx, m, func(st track.InstanceState) {
//			f(vrrp.TrackState{Instance: st.Instance, Delta: st.Delta, Faults: st.Faults})
//		})
//	}
//
// Faults includes the weight-0 vrrp_scripts that have not reported yet
// (also listed in Pending): keepalived holds such instances in INIT, and
// holding them in FAULT keeps them from becoming master meanwhile. The
// first run happens at once, so this lasts one script run.
//
// Lower level, each tracker (ScriptTracker, FileTracker, IfaceTracker,
// ProcessTracker) reports Updates to a func(Update), and EffectOf gives
// one Update's effect through one track_* entry.
//
// A reload is a Stop and a Start with the new Model: rise/fall counters
// start again from their initial state.
//
// Trackers are plain logic driven through small edges (a Clock, a script
// Starter, a file Watcher, a LinkSource, a ProcSource) so they are tested
// with fakes; the edges are tested against the kernel.
//
// vrrp_track_process: as keepalived, processes are scanned in /proc at
// start and then followed through the netlink proc connector (fork, exec,
// comm and exit events; a fork of a tracked process counts). Where the
// connector is unavailable (no CAP_NET_ADMIN, a non-initial network
// namespace) /proc is rescanned every Options.ProcessPoll (default 1 s).
// fork_delay applies to quorum changes caused by processes appearing,
// terminate_delay to those caused by processes going away.
package track
