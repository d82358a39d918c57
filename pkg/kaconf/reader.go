package kaconf

import (
	"fmt"
	"io"
	"os"
)

// reader holds the state of one ReadFile/ReadBytes call.
type reader struct {
	opt      Options
	maxBytes int64
	maxLines int
	maxWork  int

	bytesRead int64
	lines     int // logical lines handed to the tree
	work      int // preprocessing steps, bounding expansions that emit nothing
	stopped   bool
	// failedInclude is set when an include problem failed a check.
	failedInclude bool

	files []string
	diags []Diagnostic
	tree  treeBuilder
	defs  *defs
	stack []*frame // files being read, innermost last
	ml    *def     // multi-line definition being collected, if any
}

// frame is one file being read.
type frame struct {
	name  string // as opened; relative includes are joined to its directory
	abs   string // absolute path, symlinks resolved, for loop detection
	dir   string // absolute directory, for ${_PWD}
	check includeCheck
}

func newReader(opt Options) *reader {
	r := &reader{opt: opt, maxBytes: opt.MaxBytes, maxLines: opt.MaxLines}
	if r.maxBytes <= 0 {
		r.maxBytes = DefaultMaxBytes
	}
	if r.maxLines <= 0 {
		r.maxLines = DefaultMaxLines
	}
	r.maxWork = 4*r.maxLines + 1000
	if r.opt.Getenv == nil {
		r.opt.Getenv = os.Getenv
	}
	r.defs = newDefs(r)
	r.tree.init()
	return r
}

// maxDiags bounds the diagnostics kept; one more says some were dropped.
const maxDiags = 1000

func (r *reader) addDiag(p Pos, sev Severity, format string, args ...any) {
	switch {
	case len(r.diags) < maxDiags:
		r.diags = append(r.diags, Diagnostic{Pos: p, Severity: sev, Msg: fmt.Sprintf(format, args...)})
	case len(r.diags) == maxDiags:
		r.diags = append(r.diags, Diagnostic{Pos: p, Severity: SevError, Msg: fmt.Sprintf("more than %d problems; further ones not reported", maxDiags)})
	}
}

func (r *reader) errorf(p Pos, format string, args ...any) { r.addDiag(p, SevError, format, args...) }
func (r *reader) warnf(p Pos, format string, args ...any)  { r.addDiag(p, SevWarning, format, args...) }
func (r *reader) infof(p Pos, format string, args ...any)  { r.addDiag(p, SevInfo, format, args...) }

// step counts one unit of preprocessing work and stops reading when the
// budget is spent, so that expansions producing nothing cannot spin.
func (r *reader) step(p Pos) bool {
	if r.stopped {
		return false
	}
	r.work++
	if r.work > r.maxWork {
		r.errorf(p, "configuration expands to too much work (more than %d preprocessing steps); reading stopped", r.maxWork)
		r.stopped = true
		return false
	}
	return true
}

// readLimited reads a file, counting its size against MaxBytes.
func (r *reader) readLimited(path string, at Pos) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	left := r.maxBytes - r.bytesRead
	data, err := io.ReadAll(io.LimitReader(f, left+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > left {
		r.errorf(at, "reading %s exceeds the limit of %d bytes of configuration; reading stopped", path, r.maxBytes)
		r.stopped = true
		return nil, nil
	}
	r.bytesRead += int64(len(data))
	return data, nil
}

// current returns the innermost file frame.
func (r *reader) current() *frame {
	if len(r.stack) == 0 {
		return &frame{dir: "."}
	}
	return r.stack[len(r.stack)-1]
}
