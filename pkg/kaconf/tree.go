package kaconf

// treeBuilder turns the preprocessed lines into Nodes: a statement line is
// a Node in the innermost open block; a "{" line opens a block on the
// statement just before it (on the same or the previous line); "}" closes
// the innermost block.
type treeBuilder struct {
	root  *Node
	open  []*Node // open blocks, root first
	last  *Node   // the previous statement, while a "{" may still follow it
	bytes int64   // text handed to the tree, bounding memory
}

func (t *treeBuilder) init() {
	t.root = &Node{Block: true}
	t.open = []*Node{t.root}
}

// maxTreeBytes bounds the total text of the tree.
func (r *reader) maxTreeBytes() int64 {
	return max(4*r.maxBytes, 256<<20)
}

// emit adds one preprocessed line (a statement, "{" or "}") to the tree.
func (r *reader) emit(line string, pos Pos) {
	if line == "" || r.stopped {
		return
	}
	r.lines++
	r.tree.bytes += int64(len(line))
	if r.lines > r.maxLines || r.tree.bytes > r.maxTreeBytes() {
		r.errorf(pos, "configuration is too large after expansion (more than %d lines or %d bytes); reading stopped", r.maxLines, r.maxTreeBytes())
		r.stopped = true
		return
	}
	t := &r.tree
	top := t.open[len(t.open)-1]
	switch line {
	case "{":
		n := t.last
		if n == nil {
			r.warnf(pos, "unexpected '{' with no keyword before it")
			n = &Node{Pos: pos, Args: []string{}, Quoted: []bool{}}
			top.Children = append(top.Children, n)
		}
		n.Block = true
		t.open = append(t.open, n)
		t.last = nil
		return
	case "}":
		t.last = nil
		if len(t.open) == 1 {
			r.errorf(pos, "extra '}' with no block open")
			return
		}
		t.open = t.open[:len(t.open)-1]
		return
	}
	words, quoted, problem := SplitWords(line)
	if problem != "" {
		r.warnf(pos, "%s in '%s'", problem, line)
	}
	if len(words) == 0 {
		return
	}
	n := &Node{Pos: pos, Args: words, Quoted: quoted, Raw: line}
	top.Children = append(top.Children, n)
	t.last = n
	if words[0] == "include_check" && !quoted[0] {
		r.setIncludeCheck(words[1:])
	}
}

// close reports the blocks left open at the end of the input.
func (t *treeBuilder) close(r *reader) {
	const shown = 10
	for i := 1; i < len(t.open) && i <= shown; i++ {
		n := t.open[i]
		r.errorf(n.Pos, "missing '}': block '%s' opened here is not closed", n.Keyword())
	}
	if extra := len(t.open) - 1 - shown; extra > 0 {
		r.errorf(t.open[len(t.open)-1].Pos, "missing '}': %d more blocks are not closed", extra)
	}
	t.open = t.open[:1]
}
