// Package lvs is keepalived's checker process as a core.Subsystem: it
// runs the health checkers of internal/check and drives the kernel's IPVS
// table through internal/ipvs with what they find.
//
// At Start the check Scheduler is built from the model; the Manager is
// seeded with the Scheduler's initial states (so alpha real servers start
// down) and the Runner's events are fed to the Manager (SetWeight, then
// SetRealServer). At Reload the Runner is stopped, a new Scheduler adopts
// the state of every unchanged check (check state survives SIGHUP), the
// Manager applies the new model with the current states and a new Runner
// starts. At Stop the Runner is stopped (waiting for its probes, bounded
// by the context), virtual servers with omega run their down notifies,
// and the Manager removes what it created (unless -I).
//
// Effects of state changes, as keepalived's ipwrapper.c has them:
// notify_up / notify_down of the real server and an lvs_notify_fifo (and
// notify_fifo) line `RS [1.2.3.4]:tcp:80 [10.0.0.1]:tcp:80 DOWN` when a
// real server changes state, then quorum_up / quorum_down of the virtual
// server and a line `VS [10.0.0.1]:tcp:80 UP` when it gains or loses
// quorum (at start only when it starts down with a sorry server). Scripts
// run through internal/script's Runner and never block the checkers;
// FIFO writes never block either. rs_init_notifies sends the real servers'
// notifies at start too.
//
// Not done (yet): the notify keepalived sends when an alpha checker's
// first check fails (the state does not change, so no Event reaches us),
// SMTP alerts, SNMP traps.
package lvs
