package vmtest

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
)

// cpioRecord is one entry read back from a newc archive.
type cpioRecord struct {
	name string
	mode uint32
	data string
}

// readNewc parses a newc archive up to its trailer.
func readNewc(b []byte) ([]cpioRecord, error) {
	var out []cpioRecord
	off := 0
	align := func(n int) int { return (n + 3) &^ 3 }
	for {
		if off+110 > len(b) {
			return nil, fmt.Errorf("short header at %d", off)
		}
		h := b[off : off+110]
		if string(h[:6]) != "070701" {
			return nil, fmt.Errorf("bad magic at %d: %q", off, h[:6])
		}
		field := func(i int) int {
			v, _ := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			return int(v)
		}
		mode, size, nameLen := field(1), field(6), field(11)
		nameEnd := off + 110 + nameLen
		if nameEnd > len(b) || b[nameEnd-1] != 0 {
			return nil, fmt.Errorf("bad name at %d", off)
		}
		name := string(b[off+110 : nameEnd-1])
		dataStart := align(nameEnd)
		if dataStart+size > len(b) {
			return nil, fmt.Errorf("short data for %s", name)
		}
		if name == "TRAILER!!!" {
			return out, nil
		}
		out = append(out, cpioRecord{name, uint32(mode), string(b[dataStart : dataStart+size])})
		off = align(dataStart + size)
	}
}

func TestCPIOWriter(t *testing.T) {
	var buf bytes.Buffer
	entries := []cpioEntry{
		bytesEntry("/b/c/file", []byte("hello"), 0o600),
		bytesEntry("/a", []byte(""), 0o755),
		bytesEntry("/b/d", []byte("1234"), 0o644),
	}
	if err := newCPIOWriter(&buf).writeAll(entries); err != nil {
		t.Fatal(err)
	}
	if buf.Len()%4 != 0 {
		t.Errorf("archive length %d is not a multiple of 4", buf.Len())
	}
	got, err := readNewc(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []cpioRecord{
		{"a", cpioFile | 0o755, ""},
		{"b", cpioDir | 0o755, ""},
		{"b/c", cpioDir | 0o755, ""},
		{"b/c/file", cpioFile | 0o600, "hello"},
		{"b/d", cpioFile | 0o644, "1234"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestSpecEntries(t *testing.T) {
	for _, bad := range []string{"relative/path", "/a/../b", "/vmtest/run.sh"} {
		if _, err := specEntries(Spec{Files: map[string]File{bad: FromBytes(nil, 0)}}); err == nil {
			t.Errorf("guest path %q accepted", bad)
		}
	}
	if _, err := specEntries(Spec{Files: map[string]File{"/x": FromHost("/nonexistent/file")}}); err == nil {
		t.Error("missing host file accepted")
	}
	if _, err := specEntries(Spec{Files: map[string]File{"/x": FromHost(t.TempDir())}}); err == nil {
		t.Error("host directory accepted")
	}
	es, err := specEntries(Spec{Script: "true", Files: map[string]File{"/etc/x": FromBytes([]byte("x"), 0)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[1].mode != 0o644 {
		t.Errorf("entries %+v: want the script and /etc/x with mode 0644", es)
	}
}

func TestParseOutput(t *testing.T) {
	for _, tc := range []struct {
		in     string
		out    string
		status int
		ok     bool
	}{
		{"a\nb\n\nVMTEST-EXIT 0\n", "a\nb\n", 0, true},
		{"\nVMTEST-EXIT 3\n", "", 3, true},
		{"no newline\nVMTEST-EXIT 127\n", "no newline", 127, true},
		{"x\nVMTEST-EXIT 1\n\nVMTEST-EXIT 2\n", "x\nVMTEST-EXIT 1\n", 2, true},
		{"truncated output", "", 0, false},
		{"\nVMTEST-EXIT \n", "", 0, false},
	} {
		out, status, ok := parseOutput(tc.in)
		if out != tc.out || status != tc.status || ok != tc.ok {
			t.Errorf("parseOutput(%q) = %q, %d, %v; want %q, %d, %v", tc.in, out, status, ok, tc.out, tc.status, tc.ok)
		}
	}
}
