package ipvs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Options configure a Manager.
type Options struct {
	// DontRelease leaves the table in place at Stop (-I,
	// --dont-release-ipvs).
	DontRelease bool
	// OnQuorum, if set, is called when a virtual server gains or loses
	// quorum (init: at its first evaluation). It runs with the Manager's
	// lock held: it must not call the Manager and must not block.
	OnQuorum func(vs *config.VirtualServer, up, init bool)
}

// Manager keeps the kernel's IPVS table equal to what stock keepalived
// would program for the current configuration and real-server states.
// It is safe for concurrent use.
type Manager struct {
	k   Kernel
	log *slog.Logger
	opt Options

	mu    sync.Mutex
	model *config.Model
	// names caches VSName of each virtual server of model; byName and
	// refs index model's virtual and real servers by name.
	names  map[*config.VirtualServer]string
	byName map[string]*config.VirtualServer
	refs   map[RSRef]rsLoc
	rs     map[RSRef]*rsState
	quorum map[string]bool // by VSName
	owned  map[ServiceKey]bool
	// last is the desired table of the last pass, by service: a partial
	// pass reads back only the services whose desired entry differs.
	last    map[ServiceKey]*Entry
	started bool
}

// rsLoc is where a real server sits in the model.
type rsLoc struct {
	vs *config.VirtualServer
	rs *config.RealServer
}

// RSState is a real server's state as the health checkers know it.
type RSState struct {
	Up bool
	// Weight is the effective weight (the configured one unless a
	// checker changed it).
	Weight int
}

// RSUpdate is one real server's new state, for Update.
type RSUpdate struct {
	Ref RSRef
	RSState
}

// NewManager returns a Manager over k that logs to log.
func NewManager(k Kernel, log *slog.Logger, opt Options) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manager{k: k, log: log, opt: opt, rs: map[RSRef]*rsState{}, quorum: map[string]bool{},
		owned: map[ServiceKey]bool{}, last: map[ServiceKey]*Entry{}}
}

func (m *Manager) state() mgrState { return mgrState{rs: m.rs, quorum: m.quorum, names: m.names} }

// setModel switches to model and indexes it.
func (m *Manager) setModel(model *config.Model) {
	m.model = model
	m.names = make(map[*config.VirtualServer]string, len(model.VirtualServers))
	m.byName = make(map[string]*config.VirtualServer, len(model.VirtualServers))
	m.refs = map[RSRef]rsLoc{}
	for _, vs := range model.VirtualServers {
		name := VSName(vs)
		m.names[vs] = name
		if _, dup := m.byName[name]; !dup {
			m.byName[name] = vs
		}
		for _, rs := range vs.RealServers {
			ref := RSRef{VS: name, Addr: rs.Addr, Port: rs.Port}
			if _, dup := m.refs[ref]; !dup {
				m.refs[ref] = rsLoc{vs, rs}
			}
		}
	}
}

// Apply switches to model (at start or reload) and reconciles the kernel.
// The first Apply makes a full pass (every service it wants or owns is
// read back: a crashed run's table is adopted, drift corrected); a reload
// makes a partial one (the service list, then the destinations of the
// services whose desired state changed: a service deleted or changed by
// hand comes back, a destination deleted by hand within an unchanged
// service only at the next full pass, Reconcile). states gives the
// state of the real servers the caller knows (nil: keep what is known;
// new servers are up at their configured weight). The first Apply flushes
// the table when lvs_flush is set; every Apply sets lvs_timeouts.
func (m *Manager) Apply(ctx context.Context, model *config.Model, states map[RSRef]RSState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	mode := passList
	if !m.started {
		mode = passFull
		m.started = true
		if model.Global.LVSFlush {
			if err := m.k.Flush(); err != nil {
				errs = append(errs, fmt.Errorf("lvs_flush: %w", err))
			}
		}
	} else {
		m.logRemoved(model)
	}
	// keepalived sets lvs_timeouts at every (re)load, even unchanged.
	g := model.Global
	if t := (Timeouts{TCP: g.LVSTimeoutTCP, TCPFin: g.LVSTimeoutTCPFin, UDP: g.LVSTimeoutUDP}); !t.IsZero() {
		if err := m.k.SetConfig(t); err != nil {
			errs = append(errs, fmt.Errorf("lvs_timeouts: %w", err))
		}
	}
	m.setModel(model)
	m.forgetStale()
	for ref, u := range states {
		loc, ok := m.refs[ref]
		if !ok {
			continue
		}
		st := m.rs[ref]
		if st == nil {
			st = &rsState{}
			m.rs[ref] = st
		}
		st.up = u.Up
		// A configured weight stays tied to the configuration.
		st.weight, st.wSet = u.Weight, u.Weight != loc.rs.Weight
	}
	for _, vs := range model.VirtualServers {
		_, known := m.quorum[m.names[vs]]
		m.updateQuorum(vs, !known)
	}
	if err := m.reconcile(ctx, mode); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// logRemoved logs, in keepalived's wording, the virtual and real servers a
// reload drops.
func (m *Manager) logRemoved(next *config.Model) {
	if m.model == nil {
		return
	}
	newVS := map[string]*config.VirtualServer{}
	for _, vs := range next.VirtualServers {
		newVS[VSName(vs)] = vs
	}
	for _, vs := range m.model.VirtualServers {
		nv, ok := newVS[VSName(vs)]
		if !ok {
			if vs.GroupName != "" {
				m.log.Info(fmt.Sprintf("Removing Virtual Server Group [%s]", vs.GroupName))
			} else {
				m.log.Info("Removing Virtual Server " + VSName(vs))
			}
			continue
		}
		for _, rs := range vs.RealServers {
			if !hasRS(nv, rs) {
				m.log.Info(fmt.Sprintf("service %s no longer exist", RSName(vs, rs)))
			}
		}
	}
}

func hasRS(vs *config.VirtualServer, rs *config.RealServer) bool {
	for _, r := range vs.RealServers {
		if r.Addr == rs.Addr && r.Port == rs.Port {
			return true
		}
	}
	return false
}

// forgetStale drops the states of servers the (new) model no longer has.
func (m *Manager) forgetStale() {
	for r := range m.rs {
		if _, ok := m.refs[r]; !ok {
			delete(m.rs, r)
		}
	}
	for n := range m.quorum {
		if _, ok := m.byName[n]; !ok {
			delete(m.quorum, n)
		}
	}
}

// find returns the configured virtual and real server of ref.
func (m *Manager) find(ref RSRef) (*config.VirtualServer, *config.RealServer, error) {
	loc, ok := m.refs[ref]
	if !ok {
		return nil, nil, fmt.Errorf("ipvs: no real server %s in VS %s", trio(ref.Addr, 0, ref.Port), ref.VS)
	}
	return loc.vs, loc.rs, nil
}

// Update applies several real servers' states at once, each logged as
// keepalived does (weight first, then up or down), and reconciles once:
// the pass reads the service list and the destinations of the services
// whose desired state changed. Unknown servers give an error; the others
// are still applied.
func (m *Manager) Update(ctx context.Context, us []RSUpdate) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	changed := false
	for _, u := range us {
		cw, err := m.setWeight(u.Ref, u.Weight)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cu, _ := m.setUp(u.Ref, u.Up)
		changed = changed || cw || cu
	}
	if changed {
		if err := m.reconcile(ctx, passChanged); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SetRealServer marks a real server up or down (for the health checkers)
// and reconciles what changed. Unknown servers give an error.
func (m *Manager) SetRealServer(ctx context.Context, ref RSRef, up bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	changed, err := m.setUp(ref, up)
	if err != nil || !changed {
		return err
	}
	return m.reconcile(ctx, passChanged)
}

// setUp records a real server's up/down state and reports whether it
// changed.
func (m *Manager) setUp(ref RSRef, up bool) (bool, error) {
	vs, rs, err := m.find(ref)
	if err != nil {
		return false, err
	}
	cur, _ := m.state().RealServer(vs, rs)
	if cur == up {
		return false, nil
	}
	verb, prep := "Remov", "from"
	if up {
		verb, prep = "Add", "to"
	}
	if rs.Inhibit {
		verb, prep = "Disabl", "of"
		if up {
			verb = "Enabl"
		}
	}
	m.log.Info(fmt.Sprintf("%sing service %s %s VS %s", verb, RSName(vs, rs), prep, ref.VS))
	st := m.rs[ref]
	if st == nil {
		st = &rsState{}
		m.rs[ref] = st
	}
	st.up = up
	m.updateQuorum(vs, false)
	return true, nil
}

// SetWeight sets a real server's effective weight (track_file, MISC_CHECK
// dynamic weights) and reconciles what changed.
func (m *Manager) SetWeight(ctx context.Context, ref RSRef, weight int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	changed, err := m.setWeight(ref, weight)
	if err != nil || !changed {
		return err
	}
	return m.reconcile(ctx, passChanged)
}

// setWeight records a real server's effective weight and reports whether
// it changed.
func (m *Manager) setWeight(ref RSRef, weight int) (bool, error) {
	vs, rs, err := m.find(ref)
	if err != nil {
		return false, err
	}
	up, old := m.state().RealServer(vs, rs)
	if old == weight {
		return false, nil
	}
	act := ""
	if !up {
		act = "in"
	}
	m.log.Info(fmt.Sprintf("Changing weight from %d to %d for %sactive service %s of VS %s", old, weight, act, RSName(vs, rs), ref.VS))
	st := m.rs[ref]
	if st == nil {
		st = &rsState{up: true}
		m.rs[ref] = st
	}
	st.weight, st.wSet = weight, true
	m.updateQuorum(vs, false)
	return true, nil
}

// Reconcile reads the kernel's whole table and applies the difference
// from the desired one (restoring, for example, entries deleted by hand).
func (m *Manager) Reconcile(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.model == nil {
		return nil
	}
	return m.reconcile(ctx, passFull)
}

// updateQuorum is keepalived's update_quorum_state: quorum is lost when
// the live weight falls to 0 or below quorum-hysteresis, gained when it
// reaches quorum+hysteresis; init marks the first evaluation of a virtual
// server, where a down quorum is logged as "Starting with quorum down".
func (m *Manager) updateQuorum(vs *config.VirtualServer, init bool) {
	name, ok := m.names[vs]
	if !ok {
		name = VSName(vs)
	}
	st := m.state()
	up := st.QuorumUp(vs)
	sum := weightSum(vs, st)
	// keepalived computes the threshold in unsigned 32-bit arithmetic
	// (which matters when the configuration reduced quorum to 0 and
	// hysteresis wrapped).
	q, h := vs.Quorum, vs.Hysteresis
	threshold := int64(q + h)
	if up {
		threshold = int64(q - h)
	}
	switch {
	case !up && sum >= threshold:
		m.quorum[name] = true
		m.log.Info(fmt.Sprintf("Gained quorum %d+%d=%d <= %d for VS %s", q, h, threshold, sum, name))
		if s := vs.Sorry; s != nil {
			verb := "Removing"
			if s.Inhibit {
				verb = "Disabling"
			}
			m.log.Info(fmt.Sprintf("%s sorry server %s from VS %s", verb, RSName(vs, s), name))
		}
		if m.opt.OnQuorum != nil {
			m.opt.OnQuorum(vs, true, init)
		}
	case up && (sum == 0 || sum < threshold):
		m.quorum[name] = false
		what := "Lost quorum"
		if init {
			what = "Starting with quorum down"
		}
		m.log.Info(fmt.Sprintf("%s %d-%d=%d > %d for VS %s", what, q, h, threshold, sum, name))
		if s := vs.Sorry; s != nil {
			verb := "Adding"
			if s.Inhibit {
				verb = "Enabling"
			}
			m.log.Info(fmt.Sprintf("%s sorry server %s to VS %s", verb, RSName(vs, s), name))
		}
		if m.opt.OnQuorum != nil {
			m.opt.OnQuorum(vs, false, init)
		}
	default:
		m.quorum[name] = up
		if init && up && m.opt.OnQuorum != nil {
			m.opt.OnQuorum(vs, true, true)
		}
	}
}

// passMode says what a reconcile pass reads back.
type passMode uint8

const (
	// passFull reads the destinations of every service desired or owned.
	passFull passMode = iota
	// passList reads the service list, and the destinations of the
	// services whose desired entry differs from the last pass's (the
	// others are taken as they were left, unless the list shows them
	// missing or changed).
	passList
	// passChanged is passList, skipped when no desired entry changed.
	passChanged
)

// reconcile brings the kernel to the desired table in one pass that
// reads the kernel once: the service list, then the destinations of the
// services mode asks for.
func (m *Manager) reconcile(ctx context.Context, mode passMode) error {
	desired, warns := Build(m.model, m.state())
	for _, w := range warns {
		m.log.Warn(w)
	}
	want := desired.index()
	var scope map[ServiceKey]bool
	if mode != passFull {
		scope = map[ServiceKey]bool{}
		for k, e := range want {
			if l := m.last[k]; l == nil || !l.same(e) {
				scope[k] = true
			}
		}
		for k := range m.last {
			if want[k] == nil {
				scope[k] = true
			}
		}
		if len(scope) == 0 && mode == passChanged {
			return nil
		}
	}
	current, err := m.read(func(k ServiceKey) bool { return want[k] != nil || m.owned[k] }, scope, want)
	if err != nil {
		return err
	}
	ops := Diff(desired, current, func(k ServiceKey) bool { return m.owned[k] })
	for _, op := range ops {
		if op.Kind == AddService && m.owned[op.Service.ServiceKey] {
			m.log.Info(fmt.Sprintf("Restoring missing IPVS service %s of VS %s", op.Service.ServiceKey, op.VS))
		}
	}
	errs, failed := m.run(ctx, ops)
	// Adopted and added services are ours; deleted ones no longer.
	for k := range m.owned {
		if want[k] == nil {
			delete(m.owned, k)
		}
	}
	for k := range want {
		m.owned[k] = true
	}
	// What failed (or was not reached) is read back at the next pass.
	m.last = want
	if len(errs) > 0 {
		for k := range failed {
			delete(m.last, k)
		}
		if ctx.Err() != nil {
			m.last = map[ServiceKey]*Entry{}
		}
	}
	return errors.Join(errs...)
}

// read returns the kernel's services that pass keep. The destinations of
// those in scope (all when scope is nil) are read from the kernel; the
// others are taken to be as desired in want.
func (m *Manager) read(keep func(ServiceKey) bool, scope map[ServiceKey]bool, want map[ServiceKey]*Entry) (*Table, error) {
	svcs, err := m.k.GetServices()
	if err != nil {
		return nil, fmt.Errorf("ipvs: list services: %w", err)
	}
	t := &Table{Entries: make([]*Entry, 0, len(want))}
	for _, s := range svcs {
		k := s.ServiceKey
		if !keep(k) {
			continue
		}
		if scope != nil && !scope[k] {
			var ds []Dest
			if w := want[k]; w != nil {
				ds = w.Dests
			}
			t.Entries = append(t.Entries, &Entry{Service: s, Dests: ds})
			continue
		}
		ds, err := m.k.GetDestinations(s)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list destinations of %s: %w", k, err)
		}
		t.Entries = append(t.Entries, &Entry{Service: s, Dests: ds})
	}
	return t, nil
}

// runChunk is how many ops run between two checks of the context.
const runChunk = 256

// maxOpLogs is how many ops a pass logs one by one at debug level; a
// larger pass (a start) logs how many of each kind it makes.
const maxOpLogs = 64

// run applies ops in order, in batches when the Kernel is an OpBatcher,
// and returns the errors and the services they concern. It stops early
// when ctx is done.
func (m *Manager) run(ctx context.Context, ops []Op) ([]error, map[ServiceKey]bool) {
	var errs []error
	failed := map[ServiceKey]bool{}
	debug := m.log.Enabled(ctx, slog.LevelDebug)
	if debug && len(ops) > maxOpLogs {
		debug = false
		m.log.Debug("IPVS: " + summary(ops))
	}
	b, batched := m.k.(OpBatcher)
	for len(ops) > 0 {
		if err := ctx.Err(); err != nil {
			return append(errs, err), failed
		}
		chunk := ops[:min(len(ops), runChunk)]
		ops = ops[len(chunk):]
		if debug {
			for _, op := range chunk {
				m.log.Debug("IPVS: " + op.String())
			}
		}
		var res []error
		if batched {
			res = b.Do(chunk)
		} else {
			res = make([]error, len(chunk))
			for i, op := range chunk {
				res[i] = m.call(op)
			}
		}
		for i, op := range chunk {
			if err := m.result(op, res[i]); err != nil {
				errs = append(errs, err)
				failed[op.Service.ServiceKey] = true
			}
		}
	}
	return errs, failed
}

// summary counts ops by kind: "11000 changes: 1000 add service, 10000
// add destination".
func summary(ops []Op) string {
	var n [len(opNames)]int
	for _, op := range ops {
		if int(op.Kind) < len(n) {
			n[op.Kind]++
		}
	}
	var parts []string
	for k, c := range n {
		if c > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c, OpKind(k)))
		}
	}
	return fmt.Sprintf("%d changes: %s", len(ops), strings.Join(parts, ", "))
}

// call carries out one op through the Kernel's methods.
func (m *Manager) call(op Op) error {
	switch op.Kind {
	case AddService:
		return m.k.NewService(op.Service)
	case UpdateService:
		return m.k.UpdateService(op.Service)
	case DelService:
		return m.k.DelService(op.Service)
	case AddDest:
		return m.k.NewDestination(op.Service, op.Dest)
	case UpdateDest:
		return m.k.UpdateDestination(op.Service, op.Dest)
	case DelDest:
		return m.k.DelDestination(op.Service, op.Dest)
	}
	return fmt.Errorf("unknown op kind %d", op.Kind)
}

// result judges the outcome err of op, treating "exists" on add and
// "missing" on delete as done, as keepalived does, and logs failures.
func (m *Manager) result(op Op, err error) error {
	switch {
	case err == nil:
	case errors.Is(err, os.ErrExist) && (op.Kind == AddService || op.Kind == AddDest):
		err = nil
	case errors.Is(err, os.ErrNotExist) && (op.Kind == DelService || op.Kind == DelDest):
		err = nil
	default:
		err = fmt.Errorf("ipvs: %s: %w", op, err)
		m.log.Error(err.Error())
	}
	return err
}

// Stop removes what the Manager owns, unless DontRelease is set:
// lvs_flush_on_stop flushes the whole table instead, and "lvs_flush_on_stop
// VS" removes the services without logging each real server.
func (m *Manager) Stop(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opt.DontRelease || m.model == nil {
		return nil
	}
	if m.model.Global.LVSFlushOnStopMode == config.LVSFlushFull {
		m.owned, m.last = map[ServiceKey]bool{}, map[ServiceKey]*Entry{}
		if err := m.k.Flush(); err != nil {
			return fmt.Errorf("ipvs: lvs_flush_on_stop: %w", err)
		}
		return nil
	}
	desired, _ := Build(m.model, m.state())
	var ops []Op
	done := map[ServiceKey]bool{}
	logged := map[string]bool{}
	for _, e := range desired.Entries {
		if m.model.Global.LVSFlushOnStopMode == config.LVSFlushNone && !logged[e.VS] {
			logged[e.VS] = true
			m.logShutdown(e.VS)
		}
		ops = append(ops, Op{Kind: DelService, Service: e.Service})
		done[e.Service.ServiceKey] = true
	}
	for k := range m.owned {
		if !done[k] {
			ops = append(ops, Op{Kind: DelService, Service: Service{ServiceKey: k}})
		}
	}
	errs, _ := m.run(ctx, ops)
	m.owned = map[ServiceKey]bool{}
	m.last = map[ServiceKey]*Entry{}
	return errors.Join(errs...)
}

// logShutdown logs keepalived's "Shutting down service" line for each real
// server of the named virtual server.
func (m *Manager) logShutdown(name string) {
	vs := m.byName[name]
	if vs == nil {
		return
	}
	for _, rs := range vs.RealServers {
		m.log.Info(fmt.Sprintf("Shutting down service %s from VS %s", RSName(vs, rs), name))
	}
}
