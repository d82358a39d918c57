package kaconf

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is the result of reading a configuration.
type File struct {
	Nodes []*Node      // top-level statements in order
	Diags []Diagnostic // problems found while reading
	Files []string     // every file read, main file first
	// IncludeFailed is set when an include failed a check in force (an
	// include variant, include_check, Options.IncludeCheck): keepalived
	// -t exits 6 then.
	IncludeFailed bool
}

// Built-in limits, used when the Options leave them zero.
const (
	// DefaultMaxBytes bounds the total bytes read across all files.
	DefaultMaxBytes = 64 << 20
	// DefaultMaxLines bounds the number of lines after expansion.
	DefaultMaxLines = 4_000_000
	// maxIncludeDepth bounds nested includes.
	maxIncludeDepth = 32
	// maxLineLen bounds one line after parameter substitution.
	maxLineLen = 64 << 10
	// maxExpandDepth bounds nested multi-line parameter and ~SEQ/~LST
	// expansion.
	maxExpandDepth = 32
	// maxSubstitutions bounds the parameter substitutions in one line.
	maxSubstitutions = 10_000
)

// ReadFile reads the configuration at path with its includes. The error is
// non-nil only when the main file cannot be read at all; everything else is
// reported in File.Diags.
func ReadFile(path string, opt Options) (*File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("read config %s: is a directory", path)
	}
	r := newReader(opt)
	data, err := r.readLimited(path, Pos{})
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return r.run(path, data), nil
}

// ReadBytes reads configuration text as if it came from the named file:
// includes are resolved relative to the file's directory.
func ReadBytes(name string, data []byte, opt Options) *File {
	r := newReader(opt)
	if int64(len(data)) > r.maxBytes {
		r.errorf(Pos{File: name}, "configuration is %d bytes, more than the limit of %d", len(data), r.maxBytes)
		r.stopped = true
		return r.finish()
	}
	r.bytesRead = int64(len(data))
	return r.run(name, data)
}

// run reads the main file's text and builds the tree.
func (r *reader) run(name string, data []byte) *File {
	r.files = append(r.files, name)
	var check includeCheck
	if r.opt.IncludeCheck {
		check = checkAll
	}
	r.readText(name, data, check)
	return r.finish()
}

// finish closes the tree and returns the result.
func (r *reader) finish() *File {
	r.tree.close(r)
	return &File{Nodes: r.tree.root.Children, Diags: r.diags, Files: r.files, IncludeFailed: r.failedInclude}
}

// absDir returns the absolute directory of a file name, or its plain
// directory when it cannot be made absolute.
func absDir(name string) string {
	d := filepath.Dir(name)
	if a, err := filepath.Abs(d); err == nil {
		return a
	}
	return d
}
