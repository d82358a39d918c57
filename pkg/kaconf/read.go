package kaconf

import (
	"fmt"
	"os"
	"strings"
)

// File is the result of reading a configuration.
type File struct {
	Nodes []*Node      // top-level statements in order
	Diags []Diagnostic // problems found while reading
	Files []string     // every file read, main file first
}

// ReadFile reads the configuration at path with its includes. The error is
// non-nil only when the main file cannot be read at all; everything else is
// reported in File.Diags.
//
// TEMPORARY minimal implementation (no preprocessor): to be replaced.
func ReadFile(path string, opt Options) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ReadBytes(path, b, opt), nil
}

// ReadBytes reads configuration text as if it came from the named file.
//
// TEMPORARY minimal implementation (no preprocessor): to be replaced.
func ReadBytes(name string, data []byte, opt Options) *File {
	f := &File{Files: []string{name}}
	root := &Node{Block: true}
	stack := []*Node{root}
	var last *Node
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexAny(line, "#!"); j >= 0 {
			line = line[:j]
		}
		line = strings.ReplaceAll(strings.ReplaceAll(line, "{", " { "), "}", " } ")
		var cur *Node
		for _, w := range strings.Fields(line) {
			switch w {
			case "{":
				parent := cur
				if parent == nil {
					parent = last
				}
				if parent == nil {
					parent = &Node{Pos: Pos{name, i + 1}}
					stack[len(stack)-1].Children = append(stack[len(stack)-1].Children, parent)
				}
				parent.Block = true
				stack = append(stack, parent)
				cur, last = nil, nil
			case "}":
				if len(stack) > 1 {
					stack = stack[:len(stack)-1]
				}
				cur, last = nil, nil
			default:
				if cur == nil {
					cur = &Node{Pos: Pos{name, i + 1}}
					top := stack[len(stack)-1]
					top.Children = append(top.Children, cur)
				}
				cur.Args = append(cur.Args, w)
				cur.Quoted = append(cur.Quoted, false)
			}
		}
		if cur != nil {
			last = cur
		}
	}
	f.Nodes = root.Children
	return f
}
