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

	// Nodes and their words are carved from chunks: a large configuration
	// has hundreds of thousands of small nodes, and one allocation per
	// chunk instead of three per node halves the load's time.
	nodes  []Node
	strs   []string
	flags  []bool
	words  []string // scratch for splitting one line
	quoted []bool
}

// chunk is the number of nodes, or of words, allocated at a time.
const chunk = 1024

// newNode returns a zeroed node from the current chunk.
func (t *treeBuilder) newNode() *Node {
	if len(t.nodes) == 0 {
		t.nodes = make([]Node, chunk)
	}
	n := &t.nodes[0]
	t.nodes = t.nodes[1:]
	return n
}

// keepWords copies a line's words (from the scratch slices) into the
// current chunk; the copies are capped so that appending to them never
// touches a neighbour's.
func (t *treeBuilder) keepWords(words []string, quoted []bool) ([]string, []bool) {
	k := len(words)
	if k > chunk/8 {
		return append([]string(nil), words...), append([]bool(nil), quoted...)
	}
	if len(t.strs) < k {
		t.strs, t.flags = make([]string, chunk), make([]bool, chunk)
	}
	w, q := t.strs[:k:k], t.flags[:k:k]
	copy(w, words)
	copy(q, quoted)
	t.strs, t.flags = t.strs[k:], t.flags[k:]
	return w, q
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
	words, quoted, problem := appendWords(t.words[:0], t.quoted[:0], line)
	t.words, t.quoted = words, quoted
	if problem != "" {
		r.warnf(pos, "%s in '%s'", problem, line)
	}
	if len(words) == 0 {
		return
	}
	n := t.newNode()
	n.Pos, n.Raw = pos, line
	n.Args, n.Quoted = t.keepWords(words, quoted)
	top.Children = append(top.Children, n)
	t.last = n
	// keepalived applies include_check only within global_defs.
	if words[0] == "include_check" && !quoted[0] && top.Keyword() == "global_defs" {
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
