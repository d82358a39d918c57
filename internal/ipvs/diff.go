package ipvs

import "fmt"

// OpKind is the kind of one IPVS change.
type OpKind uint8

// Kinds of change, in the order Diff emits them within a service.
const (
	AddService OpKind = iota
	UpdateService
	DelService
	AddDest
	UpdateDest
	DelDest
)

var opNames = [...]string{"add service", "update service", "delete service", "add destination", "update destination", "delete destination"}

// String names the kind.
func (k OpKind) String() string {
	if int(k) < len(opNames) {
		return opNames[k]
	}
	return "unknown op"
}

// Op is one change to the kernel's table. Dest is set for destination
// kinds; VS names the virtual server of a desired service ("" when the
// service is being removed).
type Op struct {
	Kind    OpKind
	Service Service
	Dest    Dest
	VS      string
}

// String describes the op for logs and tests.
func (o Op) String() string {
	if o.Kind >= AddDest {
		return fmt.Sprintf("%s %s -> %s w%d", o.Kind, o.Service.ServiceKey, trio(o.Dest.Addr, o.Service.Protocol, o.Dest.Port), o.Dest.Weight)
	}
	return fmt.Sprintf("%s %s", o.Kind, o.Service.ServiceKey)
}

// Diff returns the minimal operations turning current into desired:
// missing services are added with their destinations, services whose
// settings differ are updated (the kernel's hashed flag is ignored),
// destinations of desired services are added, updated or deleted, and
// services absent from desired are deleted only when owned reports them as
// ours. Foreign services are never touched.
func Diff(desired, current *Table, owned func(ServiceKey) bool) []Op {
	var ops []Op
	cur := current.index()
	for _, want := range desired.Entries {
		have, ok := cur[want.Service.ServiceKey]
		if !ok {
			ops = append(ops, Op{Kind: AddService, Service: want.Service, VS: want.VS})
			for _, d := range want.Dests {
				ops = append(ops, Op{Kind: AddDest, Service: want.Service, Dest: d, VS: want.VS})
			}
			continue
		}
		if !want.Service.sameAttrs(have.Service) {
			ops = append(ops, Op{Kind: UpdateService, Service: want.Service, VS: want.VS})
		}
		ops = append(ops, diffDests(want, have)...)
	}
	want := desired.index()
	for _, have := range current.Entries {
		k := have.Service.ServiceKey
		if _, ok := want[k]; !ok && owned != nil && owned(k) {
			ops = append(ops, Op{Kind: DelService, Service: have.Service})
		}
	}
	return ops
}

// diffDests compares the destinations of one service.
func diffDests(want, have *Entry) []Op {
	var ops []Op
	for _, d := range want.Dests {
		h, ok := have.dest(d.DestKey)
		switch {
		case !ok:
			ops = append(ops, Op{Kind: AddDest, Service: want.Service, Dest: d, VS: want.VS})
		case !d.sameAttrs(h):
			ops = append(ops, Op{Kind: UpdateDest, Service: want.Service, Dest: d, VS: want.VS})
		}
	}
	for _, h := range have.Dests {
		if _, ok := want.dest(h.DestKey); !ok {
			ops = append(ops, Op{Kind: DelDest, Service: want.Service, Dest: h, VS: want.VS})
		}
	}
	return ops
}
