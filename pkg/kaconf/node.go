package kaconf

import "fmt"

// Pos is a position in a configuration file.
type Pos struct {
	File string // path as opened (after include resolution)
	Line int    // 1-based line number
}

// String formats the position as file:line.
func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Node is one statement: the words of a line, and the statements of the
// { } block that follows it, if any.
//
// "vrrp_instance VI_1 {" gives Args ["vrrp_instance" "VI_1"], Block true;
// a line "10.0.0.1/24 dev eth0" inside virtual_ipaddress gives a Node whose
// Args are those three words. Quotes are removed from quoted words (their
// inner spaces kept, escapes decoded) and Quoted records which words were
// quoted.
type Node struct {
	Pos      Pos
	Args     []string
	Quoted   []bool // same length as Args
	Block    bool   // a { } block followed (possibly empty)
	Children []*Node
	// Raw is the line's text after preprocessing, before it was split
	// into words (for keywords that re-split it with their own rules).
	Raw string
}

// Keyword returns the first word, or "" for an empty node.
func (n *Node) Keyword() string {
	if n == nil || len(n.Args) == 0 {
		return ""
	}
	return n.Args[0]
}
