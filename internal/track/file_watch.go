package track

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// FileWatcher calls fn whenever a watched file may have changed.
type FileWatcher interface {
	// Watch watches path until ctx ends; fn runs on its goroutine, once
	// as soon as the watch is in place (so a change between a first
	// read and the watch is not lost) and then on every change.
	Watch(ctx context.Context, path string, fn func()) error
}

// InotifyWatcher watches a file's directory with inotify for the file
// being written and closed, deleted or moved, as keepalived does. When
// inotify cannot be set up (for instance the directory does not exist)
// it falls back to polling the file every Poll.
type InotifyWatcher struct {
	Poll time.Duration // fallback poll interval (default 1 s)
}

// watchMask is keepalived's set of inotify events for track files.
const watchMask = unix.IN_CLOSE_WRITE | unix.IN_DELETE | unix.IN_MOVE

// Watch implements FileWatcher. It returns when ctx ends.
func (w InotifyWatcher) Watch(ctx context.Context, path string, fn func()) error {
	err := watchInotify(ctx, path, fn)
	if err == nil || ctx.Err() != nil {
		return nil
	}
	poll := w.Poll
	if poll <= 0 {
		poll = time.Second
	}
	return PollWatcher{Interval: poll}.Watch(ctx, path, fn)
}

// watchInotify watches path's directory until ctx ends.
func watchInotify(ctx context.Context, path string, fn func()) error {
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		return fmt.Errorf("inotify: %w", err)
	}
	f := os.NewFile(uintptr(fd), "inotify") // non-blocking: uses the poller
	defer f.Close()
	dir, name := filepath.Split(filepath.Clean(path))
	if dir == "" {
		dir = "."
	}
	if _, err := unix.InotifyAddWatch(fd, dir, watchMask); err != nil {
		return fmt.Errorf("inotify watch %s: %w", dir, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	fn()
	buf := make([]byte, 64*(unix.SizeofInotifyEvent+unix.NAME_MAX+1))
	for {
		n, err := f.Read(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
				return nil
			}
			return fmt.Errorf("inotify read: %w", err)
		}
		if eventsName(buf[:n], name) {
			fn()
		}
	}
}

// eventsName reports whether any inotify event in b names name (and is
// not about a directory).
func eventsName(b []byte, name string) bool {
	hit := false
	for len(b) >= unix.SizeofInotifyEvent {
		ev := (*unix.InotifyEvent)(unsafe.Pointer(&b[0]))
		end := unix.SizeofInotifyEvent + int(ev.Len)
		if end > len(b) {
			break
		}
		nb := b[unix.SizeofInotifyEvent:end]
		for i, c := range nb {
			if c == 0 {
				nb = nb[:i]
				break
			}
		}
		if ev.Mask&unix.IN_ISDIR == 0 && ev.Mask&watchMask != 0 && string(nb) == name {
			hit = true
		}
		b = b[end:]
	}
	return hit
}

// PollWatcher checks a file's identity, size and modification time every
// Interval.
type PollWatcher struct {
	Interval time.Duration
}

// Watch implements FileWatcher.
func (w PollWatcher) Watch(ctx context.Context, path string, fn func()) error {
	iv := w.Interval
	if iv <= 0 {
		iv = time.Second
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	last := fileSig(path)
	fn()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if s := fileSig(path); s != last {
				last = s
				fn()
			}
		}
	}
}

// sig identifies a file version.
type sig struct {
	ino, size int64
	mtime     int64
	ok        bool
}

func fileSig(path string) sig {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return sig{}
	}
	return sig{ino: int64(st.Ino), size: st.Size, mtime: st.Mtim.Nano(), ok: true}
}
