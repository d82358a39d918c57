package genhash

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzArgs runs genhash's command line parser on arbitrary arguments: it
// never panics, and what it rejects gets the usage text and status 1.
func FuzzArgs(f *testing.F) {
	f.Add("-s 127.0.0.1 -p 80 -u / -v")
	f.Add("--port=0 --url")
	f.Add("-vSIs::1 -p65536")
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if _, err := parse(args); err == nil {
			return // would fetch: not here
		}
		var out, errb bytes.Buffer
		if rc := Run(context.Background(), "genhash", args, &out, &errb); rc != 1 || !strings.Contains(errb.String(), "Usage: genhash") {
			t.Fatalf("%q: rc %d stderr %q", args, rc, errb.String())
		}
	})
}
