package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// fileCheckConf has one real server per FILE_CHECK flavour, as in the
// run of stock keepalived 2.2.7 whose log the test below replays.
func fileCheckConf(ff, fz string) string {
	return fmt.Sprintf(`track_file tf {
  file %s
}
track_file tz {
  file %s
  weight 0
}
virtual_server 10.9.9.9 80 {
  delay_loop 1
  protocol TCP
  real_server 127.0.0.1 8081 {
    weight 3
    FILE_CHECK {
      track_file tf
    }
  }
  real_server 127.0.0.1 8082 {
    weight 3
    FILE_CHECK {
      track_file tf
      weight 0
    }
  }
  real_server 127.0.0.1 8083 {
    weight 3
    FILE_CHECK {
      track_file tf
      weight 2 reverse
    }
  }
  real_server 127.0.0.1 8084 {
    weight 3
    FILE_CHECK {
      track_file tz
    }
  }
  real_server 127.0.0.1 8085 {
    weight 3
    FILE_CHECK {
      track_file tz
      weight 0 reverse
    }
  }
}
`, ff, fz)
}

func loadModel(t *testing.T, conf string) *config.Model {
	t.Helper()
	res := config.LoadBytes("t.conf", []byte(conf), config.Options{})
	if res.Model == nil {
		t.Fatalf("config: %v", res.Diags)
	}
	return res.Model
}

func evList(evs []Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%d %v %d", e.RS.Port, e.Up, e.Weight))
	}
	return strings.Join(out, ", ")
}

// TestFileCheckSemantics replays what stock keepalived 2.2.7 did with
// the same configuration (its log: "Changing weight from 3 to 4 ...",
// "tracked file tf now FAULT state", "Removing service ..."): weight 0
// makes a non-zero value (zero with reverse) take the real server down,
// any other weight adds value x weight (negated with reverse) to the real
// server's weight, clamped at 0.
func TestFileCheckSemantics(t *testing.T) {
	vals := map[string]int{"/f/tf": 0, "/f/tz": 0}
	m := loadModel(t, fileCheckConf("/f/tf", "/f/tz"))
	s := New(m, Options{ReadFile: func(p string) int { return vals[p] }})
	if n := len(s.Unsupported()); n != 0 {
		t.Fatalf("%d unsupported checkers", n)
	}
	if got := evList(s.Initial()); got != "8081 true 3, 8082 true 3, 8083 true 3, 8084 true 3, 8085 true 3" {
		t.Fatalf("initial: %s", got)
	}
	steps := []struct {
		file string
		v    int
		want string
	}{
		{"tf", 1, "8081 true 4, 8082 false 3, 8083 true 1"},
		{"tz", 1, "8084 false 3"}, // 8085 leaves FAULT: it was up already
		{"tf", 5, "8081 true 8, 8083 true 0"},
		{"tf", 0, "8081 true 3, 8082 true 3, 8083 true 3"},
		{"tz", 0, "8084 true 3, 8085 false 3"},
		{"tf", 2, "8081 true 5, 8082 false 3, 8083 true 0"},
		{"tf", 0, "8081 true 3, 8082 true 3, 8083 true 3"}, // deleted: 0
		{"tf", 0, ""},
	}
	for i, st := range steps {
		if got := evList(s.FileChanged(st.file, st.v)); got != st.want {
			t.Errorf("step %d (%s=%d): %q, want %q", i, st.file, st.v, got, st.want)
		}
	}
}

// TestFileCheckInitial: a non-zero value at start takes weight-0 checkers
// down and weights the others, as keepalived's
// set_track_file_checkers_down and set_track_file_weights do; a zero
// value leaves the reverse weight-0 checker up.
func TestFileCheckInitial(t *testing.T) {
	vals := map[string]int{"/f/tf": 2, "/f/tz": 0}
	s := New(loadModel(t, fileCheckConf("/f/tf", "/f/tz")), Options{ReadFile: func(p string) int { return vals[p] }})
	if got := evList(s.Initial()); got != "8081 true 5, 8082 false 3, 8083 true 0, 8084 true 3, 8085 true 3" {
		t.Fatalf("initial: %s", got)
	}
}

// TestFileCheckRealFile runs FILE_CHECK on a real file watched with
// inotify: writing 1 takes the weight-0 real server out, 0 brings it
// back; deleting the file counts as 0.
func TestFileCheckRealFile(t *testing.T) {
	dir := t.TempDir()
	tf, tz := filepath.Join(dir, "tf"), filepath.Join(dir, "tz")
	s := New(loadModel(t, fileCheckConf(tf, tz)), Options{})
	events := make(chan Event, 64)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = (&Runner{Sched: s, Sink: SinkFunc(func(e Event) { events <- e })}).Run(ctx)
	}()
	defer func() { cancel(); <-done }()
	wait := func(port uint16, up bool, weight int) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case e := <-events:
				if e.RS.Port == port && e.Up == up && e.Weight == weight {
					return
				}
			case <-deadline:
				t.Fatalf("no event for %d up=%v weight=%d", port, up, weight)
			}
		}
	}
	write := func(path, v string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(tf, "1\n")
	wait(8081, true, 4) // events come in configuration order
	wait(8082, false, 3)
	write(tf, "0x10\n") // strtol base 0: 16
	wait(8081, true, 19)
	if err := os.Remove(tf); err != nil {
		t.Fatal(err)
	}
	wait(8082, true, 3)
	write(tz, "7")
	wait(8084, false, 3)
}
