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
