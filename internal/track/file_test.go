package track

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

func TestReadFileValue(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v")
	if v := ReadFileValue(p); v != 0 {
		t.Errorf("missing file: %d", v)
	}
	for in, want := range map[string]int{"5\n": 5, "-300": -254, "1000": 254, "junk": 0, "": 0, " 0x10 ": 16} {
		writeFile(t, p, in)
		if v := ReadFileValue(p); v != want {
			t.Errorf("%q: %d, want %d", in, v, want)
		}
	}
}

func TestInitFile(t *testing.T) {
	dir := t.TempDir()
	tf := &config.TrackFile{Name: "f", File: filepath.Join(dir, "f"), InitFile: true, InitValue: 7}
	if err := InitFile(tf); err != nil {
		t.Fatal(err)
	}
	if v := ReadFileValue(tf.File); v != 7 {
		t.Errorf("created %d", v)
	}
	writeFile(t, tf.File, "3\n")
	InitFile(tf)
	if v := ReadFileValue(tf.File); v != 3 {
		t.Errorf("existing file overwritten without overwrite: %d", v)
	}
	tf.InitOverwrite = true
	InitFile(tf)
	if b, _ := os.ReadFile(tf.File); string(b) != "7\n" {
		t.Errorf("overwrite wrote %q", b)
	}
	tf.File = filepath.Join(dir, "no/such/dir/f")
	if err := InitFile(tf); err == nil {
		t.Error("no error for an unwritable path")
	}
	if err := InitFile(&config.TrackFile{File: tf.File}); err != nil {
		t.Error("error without init_file")
	}
}

// watchFileTracker runs a FileTracker over w and returns its updates.
func watchFileTracker(t *testing.T, w FileWatcher, path string) (chan Update, *FileTracker) {
	t.Helper()
	ch := make(chan Update, 16)
	tr := NewFileTracker(&config.TrackFile{Name: "tf", File: path}, w, func(u Update) { ch <- u })
	if u := tr.Initial(); u.Value != 0 || u.State != Up || u.Kind != KindFile {
		t.Fatalf("initial %+v", u)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := tr.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("watcher did not stop")
		}
	})
	return ch, tr
}

func expectValue(t *testing.T, ch chan Update, want int) {
	t.Helper()
	select {
	case u := <-ch:
		if u.Value != want {
			t.Fatalf("value %d, want %d", u.Value, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no update to %d", want)
	}
}

func TestFileTrackerInotify(t *testing.T) {
	checkGoroutines(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "state")
	ch, _ := watchFileTracker(t, InotifyWatcher{}, p)
	time.Sleep(20 * time.Millisecond) // let the watch be installed
	writeFile(t, p, "12\n")
	expectValue(t, ch, 12)
	// Renamed into place (IN_MOVED_TO), as careful writers do.
	tmp := filepath.Join(dir, "tmp")
	writeFile(t, tmp, "-3\n")
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	expectValue(t, ch, -3)
	// Deleted: 0.
	removeFile(t, p)
	expectValue(t, ch, 0)
	// Other files in the directory do not matter.
	writeFile(t, filepath.Join(dir, "other"), "9")
	select {
	case u := <-ch:
		t.Errorf("update for another file: %+v", u)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestFileTrackerPollFallback(t *testing.T) {
	dir := t.TempDir()
	// The directory does not exist yet: inotify fails, polling takes over.
	sub := filepath.Join(dir, "later")
	p := filepath.Join(sub, "state")
	ch, _ := watchFileTracker(t, InotifyWatcher{Poll: 20 * time.Millisecond}, p)
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, "4")
	expectValue(t, ch, 4)
	removeFile(t, p)
	expectValue(t, ch, 0)
}
