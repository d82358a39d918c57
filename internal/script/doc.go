// Package script is the one place that runs external programs:
// vrrp_script checks, notify_* scripts, the *_fifo_script readers and
// (later) MISC_CHECK.
//
// A Runner starts each program as keepalived does: as the configured
// user and group (supplementary groups cleared to that group), in its own
// process group, with stdin, stdout and stderr on /dev/null, with the
// daemon's environment unchanged and SIGTERM as its parent-death signal.
// At a job's timeout the whole process group gets SIGTERM; if it is
// still there after the grace period (2 s, keepalived's value) it gets
// SIGKILL, repeated once more after another grace period. Start never
// blocks: the result arrives on a callback. Concurrency is bounded; jobs
// beyond the bound wait in a bounded queue.
//
// Notify helpers format the four arguments keepalived appends for
// `notify` (NotifyArgs) and the lines of notify FIFOs (FifoLine), and a
// Fifo writes those lines without ever blocking.
package script
