// Package ipvs programs the kernel's IPVS table as keepalived 2.2.7's
// checker process does.
//
// The work is split in three pure steps and one edge:
//   - Build turns a config.Model plus the up/down state of every real
//     server (and each virtual server's quorum state) into the desired
//     Table: one Service per address, fwmark or virtual_server_group
//     member, with its Dests;
//   - Diff compares a desired Table with the kernel's and returns the
//     minimal list of Ops;
//   - Manager keeps the real-server and quorum states, logs in
//     keepalived's wording and applies Ops through a Kernel. Checker
//     events come in batches (Update): one reconcile per batch;
//   - Netlink is the Kernel: the service list, flush and timeouts through
//     github.com/moby/ipvs; changes, destination lists and the sync daemon
//     through its own blocking generic-netlink socket, with the attributes
//     keepalived uses that moby lacks (destination address family, tunnel
//     type, port and checksum flags); up to 64 changes share one send.
//
// Reads. Each reconcile pass reads the kernel once: the service list,
// then the destinations of the services it needs. The first Apply (and
// Reconcile) reads every service it wants or owns; a reload and a batch of
// checker events read only the services whose desired entry differs from
// the previous pass's (a batch that changes nothing reads nothing).
//
// Ownership. A kernel service is ours when it is in the desired table or
// when this Manager created or adopted it earlier in this process's life.
// Only owned services are ever updated or deleted; any other (foreign)
// service is left alone at start, reload and stop. At start a service that
// already matches a desired one is adopted (no "file exists"); a desired
// service missing from the kernel (for example deleted by hand) is added
// again on the next reconcile; a destination deleted by hand within a
// service whose desired state did not change, on the next full pass. Within an owned service the destinations
// converge to the desired set. As keepalived does, a service that a
// previous run created but that the new configuration no longer has is not
// known after a restart and is therefore left alone. lvs_flush (flush the
// whole table at start) and lvs_flush_on_stop (flush at stop) override
// this rule because the configuration asks for it.
package ipvs
