package config

// keywordTables holds the keyword tables of the block kinds a large
// configuration repeats (instances, virtual and real servers, checkers).
// Each is built on first use in a Load and is never changed after: the
// handlers take the object they fill as an argument instead of closing
// over it, so one table serves every block of its kind.
type keywordTables struct {
	instance objTable[*VRRPInstance]
	vs       objTable[*VirtualServer]
	rs       objTable[rsScope]
	checkers map[CheckerKind]objTable[*Checker]
}

// instanceKeywords returns the vrrp_instance keyword table.
func (p *parser) instanceKeywords() objTable[*VRRPInstance] {
	if p.kw.instance == nil {
		p.kw.instance = instanceTable()
	}
	return p.kw.instance
}

// vsKeywords returns the virtual_server keyword table.
func (p *parser) vsKeywords() objTable[*VirtualServer] {
	if p.kw.vs == nil {
		p.kw.vs = vsTable()
	}
	return p.kw.vs
}

// rsKeywords returns the real_server keyword table.
func (p *parser) rsKeywords() objTable[rsScope] {
	if p.kw.rs == nil {
		p.kw.rs = rsTable()
	}
	return p.kw.rs
}

// checkerKeywords returns the keyword table of checkers of kind k.
func (p *parser) checkerKeywords(k CheckerKind) objTable[*Checker] {
	if t, ok := p.kw.checkers[k]; ok {
		return t
	}
	if p.kw.checkers == nil {
		p.kw.checkers = map[CheckerKind]objTable[*Checker]{}
	}
	t := checkerTable(k)
	p.kw.checkers[k] = t
	return t
}

// merge copies src's handlers into dst (src wins).
func merge[T any](dst, src objTable[T]) objTable[T] {
	for k, h := range src {
		dst[k] = h
	}
	return dst
}
