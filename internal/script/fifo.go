package script

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Fifo is an open notify FIFO (notify_fifo, vrrp_notify_fifo,
// lvs_notify_fifo). As keepalived does, it is opened read-write and
// non-blocking: lines written while no reader is attached wait in the
// pipe buffer (64 KiB on Linux), and once that is full further lines are
// dropped and counted, so a missing or stuck reader never blocks the
// daemon.
type Fifo struct {
	path    string
	created bool // we made the FIFO, so Close removes it

	mu      sync.Mutex
	fd      int // -1 once closed
	dropped atomic.Uint64
	written atomic.Uint64
}

// OpenFifo creates path as a FIFO (mode 0644, owned by uid:gid when we
// create it and those differ from ours; -1 keeps ours) unless it exists,
// and opens it.
func OpenFifo(path string, uid, gid int) (*Fifo, error) {
	f := &Fifo{path: path, fd: -1}
	switch err := unix.Mkfifo(path, 0o644); {
	case err == nil:
		f.created = true
		if (uid >= 0 && uid != unix.Geteuid()) || (gid >= 0 && gid != unix.Getegid()) {
			if err := unix.Chown(path, uid, gid); err != nil {
				_ = unix.Unlink(path)
				return nil, fmt.Errorf("notify fifo %s: chown: %w", path, err)
			}
		}
	case errors.Is(err, unix.EEXIST):
	default:
		return nil, fmt.Errorf("unable to create notify fifo %s: %w", path, err)
	}
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		if f.created {
			_ = unix.Unlink(path)
		}
		return nil, fmt.Errorf("unable to open notify fifo %s: %w", path, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO {
		_ = unix.Close(fd)
		return nil, fmt.Errorf("notify fifo %s: not a FIFO", path)
	}
	f.fd = fd
	return f, nil
}

// Path returns the FIFO's path.
func (f *Fifo) Path() string { return f.path }

// WriteLine writes one line without blocking. It reports false, and
// counts a drop, when the line could not be written whole.
func (f *Fifo) WriteLine(line string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fd < 0 {
		f.dropped.Add(1)
		return false
	}
	for {
		n, err := unix.Write(f.fd, []byte(line))
		if err == unix.EINTR {
			continue
		}
		if err != nil || n != len(line) {
			f.dropped.Add(1)
			return false
		}
		f.written.Add(1)
		return true
	}
}

// Dropped returns the number of lines dropped.
func (f *Fifo) Dropped() uint64 { return f.dropped.Load() }

// Written returns the number of lines written.
func (f *Fifo) Written() uint64 { return f.written.Load() }

// Close removes the FIFO if we created it (first, so a reader that
// reopens it in a loop cannot find it again) and closes it.
func (f *Fifo) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fd < 0 {
		return nil
	}
	if f.created {
		_ = unix.Unlink(f.path)
	}
	err := unix.Close(f.fd)
	f.fd = -1
	if err != nil {
		return fmt.Errorf("notify fifo %s: %w", f.path, err)
	}
	return nil
}

// Fifos writes each line to several FIFOs (keepalived writes VRRP lines
// to both notify_fifo and vrrp_notify_fifo). Nil entries are skipped.
type Fifos []*Fifo

// WriteLine writes line to every FIFO; it reports whether all took it.
func (fs Fifos) WriteLine(line string) bool {
	ok := true
	for _, f := range fs {
		if f != nil && !f.WriteLine(line) {
			ok = false
		}
	}
	return ok
}

// StartFifoScript starts a *_fifo_script with the FIFO's name as its last
// argument and no timeout; cancelling ctx sends it SIGTERM (keepalived
// does so at exit). done, if not nil, gets its result.
func (r *Runner) StartFifoScript(ctx context.Context, s *config.Script, fifoPath string, done func(Result)) error {
	return r.Start(ctx, Job{Script: s, Extra: []string{fifoPath}}, done)
}

// OpenConfigFifo creates and opens a configured FIFO, then starts its
// script, so the script finds the FIFO when it opens it. uid and gid own a created FIFO (-1: ours). A
// Fifo with an empty Path gives (nil, nil).
func (r *Runner) OpenConfigFifo(ctx context.Context, c config.Fifo, uid, gid int, done func(Result)) (*Fifo, error) {
	if c.Path == "" {
		return nil, nil
	}
	f, err := OpenFifo(c.Path, uid, gid)
	if err != nil {
		return nil, err
	}
	if c.Script != nil && !c.Script.Disabled {
		if err := r.StartFifoScript(ctx, c.Script, c.Path, done); err != nil {
			_ = f.Close()
			return nil, err
		}
	}
	return f, nil
}
