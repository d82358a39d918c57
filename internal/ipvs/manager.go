package ipvs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
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

	mu      sync.Mutex
	model   *config.Model
	rs      map[RSRef]*rsState
	quorum  map[string]bool // by VSName
	owned   map[ServiceKey]bool
	started bool
}

// NewManager returns a Manager over k that logs to log.
func NewManager(k Kernel, log *slog.Logger, opt Options) *Manager {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Manager{k: k, log: log, opt: opt, rs: map[RSRef]*rsState{}, quorum: map[string]bool{}, owned: map[ServiceKey]bool{}}
}

func (m *Manager) state() mgrState { return mgrState{rs: m.rs, quorum: m.quorum} }

// Apply switches to model (at start or reload) and reconciles the kernel.
// up gives the state of real servers the caller knows (nil: keep what is
// known; new servers are up). At the first Apply, lvs_flush flushes the
// table and lvs_timeouts are set.
func (m *Manager) Apply(ctx context.Context, model *config.Model, up map[RSRef]bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	if !m.started {
		m.started = true
		g := model.Global
		if g.LVSFlush {
			if err := m.k.Flush(); err != nil {
				errs = append(errs, fmt.Errorf("lvs_flush: %w", err))
			}
		}
		if t := (Timeouts{TCP: g.LVSTimeoutTCP, TCPFin: g.LVSTimeoutTCPFin, UDP: g.LVSTimeoutUDP}); !t.IsZero() {
			if err := m.k.SetConfig(t); err != nil {
				errs = append(errs, fmt.Errorf("lvs_timeouts: %w", err))
			}
		}
	} else {
		m.logRemoved(model)
	}
	m.model = model
	m.forgetStale(model)
	for ref, u := range up {
		st := m.rs[ref]
		if st == nil {
			st = &rsState{}
			m.rs[ref] = st
		}
		st.up = u
	}
	for _, vs := range model.VirtualServers {
		_, known := m.quorum[VSName(vs)]
		m.updateQuorum(vs, !known)
	}
	if err := m.reconcile(ctx); err != nil {
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

// forgetStale drops the states of servers model no longer has.
func (m *Manager) forgetStale(model *config.Model) {
	refs := map[RSRef]bool{}
	names := map[string]bool{}
	for _, vs := range model.VirtualServers {
		names[VSName(vs)] = true
		for _, rs := range vs.RealServers {
			refs[Ref(vs, rs)] = true
		}
	}
	for r := range m.rs {
		if !refs[r] {
			delete(m.rs, r)
		}
	}
	for n := range m.quorum {
		if !names[n] {
			delete(m.quorum, n)
		}
	}
}

// find returns the configured virtual and real server of ref.
func (m *Manager) find(ref RSRef) (*config.VirtualServer, *config.RealServer) {
	if m.model == nil {
		return nil, nil
	}
	for _, vs := range m.model.VirtualServers {
		if VSName(vs) != ref.VS {
			continue
		}
		for _, rs := range vs.RealServers {
			if rs.Addr == ref.Addr && rs.Port == ref.Port {
				return vs, rs
			}
		}
	}
	return nil, nil
}

// SetRealServer marks a real server up or down (for the health checkers)
// and reconciles. Unknown servers give an error.
func (m *Manager) SetRealServer(ctx context.Context, ref RSRef, up bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	vs, rs := m.find(ref)
	if vs == nil {
		return fmt.Errorf("ipvs: no real server %s in VS %s", trio(ref.Addr, 0, ref.Port), ref.VS)
	}
	cur, _ := m.state().RealServer(vs, rs)
	if cur == up {
		return nil
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
	m.log.Info(fmt.Sprintf("%sing service %s %s VS %s", verb, RSName(vs, rs), prep, VSName(vs)))
	st := m.rs[ref]
	if st == nil {
		st = &rsState{}
		m.rs[ref] = st
	}
	st.up = up
	m.updateQuorum(vs, false)
	return m.reconcile(ctx)
}

// SetWeight sets a real server's effective weight (track_file, MISC_CHECK
// dynamic weights) and reconciles.
func (m *Manager) SetWeight(ctx context.Context, ref RSRef, weight int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	vs, rs := m.find(ref)
	if vs == nil {
		return fmt.Errorf("ipvs: no real server %s in VS %s", trio(ref.Addr, 0, ref.Port), ref.VS)
	}
	up, old := m.state().RealServer(vs, rs)
	if old == weight {
		return nil
	}
	act := ""
	if !up {
		act = "in"
	}
	m.log.Info(fmt.Sprintf("Changing weight from %d to %d for %sactive service %s of VS %s", old, weight, act, RSName(vs, rs), VSName(vs)))
	st := m.rs[ref]
	if st == nil {
		st = &rsState{up: true}
		m.rs[ref] = st
	}
	st.weight, st.wSet = weight, true
	m.updateQuorum(vs, false)
	return m.reconcile(ctx)
}

// Reconcile reads the kernel's table and applies the difference from the
// desired one (restoring, for example, entries deleted by hand).
func (m *Manager) Reconcile(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.model == nil {
		return nil
	}
	return m.reconcile(ctx)
}

// updateQuorum is keepalived's update_quorum_state: quorum is lost when
// the live weight falls to 0 or below quorum-hysteresis, gained when it
// reaches quorum+hysteresis; init marks the first evaluation of a virtual
// server, where a down quorum is logged as "Starting with quorum down".
func (m *Manager) updateQuorum(vs *config.VirtualServer, init bool) {
	name := VSName(vs)
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

// reconcile brings the kernel to the desired table.
func (m *Manager) reconcile(ctx context.Context) error {
	desired, warns := Build(m.model, m.state())
	for _, w := range warns {
		m.log.Warn(w)
	}
	want := desired.index()
	current, err := m.read(func(k ServiceKey) bool { return want[k] != nil || m.owned[k] })
	if err != nil {
		return err
	}
	ops := Diff(desired, current, func(k ServiceKey) bool { return m.owned[k] })
	var errs []error
	for _, op := range ops {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
		if op.Kind == AddService && m.owned[op.Service.ServiceKey] {
			m.log.Info(fmt.Sprintf("Restoring missing IPVS service %s of VS %s", op.Service.ServiceKey, op.VS))
		}
		if err := m.do(op); err != nil {
			errs = append(errs, err)
		}
	}
	// Adopted and added services are ours; deleted ones no longer.
	for k := range m.owned {
		if want[k] == nil {
			delete(m.owned, k)
		}
	}
	for k := range want {
		m.owned[k] = true
	}
	return errors.Join(errs...)
}

// read returns the kernel's services that pass keep, with their
// destinations.
func (m *Manager) read(keep func(ServiceKey) bool) (*Table, error) {
	svcs, err := m.k.GetServices()
	if err != nil {
		return nil, fmt.Errorf("ipvs: list services: %w", err)
	}
	t := &Table{}
	for _, s := range svcs {
		if !keep(s.ServiceKey) {
			continue
		}
		ds, err := m.k.GetDestinations(s)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list destinations of %s: %w", s.ServiceKey, err)
		}
		t.Entries = append(t.Entries, &Entry{Service: s, Dests: ds})
	}
	return t, nil
}

// do applies one op, treating "exists" on add and "missing" on delete as
// done, as keepalived does.
func (m *Manager) do(op Op) error {
	m.log.Debug("IPVS: " + op.String())
	var err error
	switch op.Kind {
	case AddService:
		err = m.k.NewService(op.Service)
	case UpdateService:
		err = m.k.UpdateService(op.Service)
	case DelService:
		err = m.k.DelService(op.Service)
	case AddDest:
		err = m.k.NewDestination(op.Service, op.Dest)
	case UpdateDest:
		err = m.k.UpdateDestination(op.Service, op.Dest)
	case DelDest:
		err = m.k.DelDestination(op.Service, op.Dest)
	}
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
		m.owned = map[ServiceKey]bool{}
		if err := m.k.Flush(); err != nil {
			return fmt.Errorf("ipvs: lvs_flush_on_stop: %w", err)
		}
		return nil
	}
	desired, _ := Build(m.model, m.state())
	var errs []error
	done := map[ServiceKey]bool{}
	logged := map[string]bool{}
	for _, e := range desired.Entries {
		if m.model.Global.LVSFlushOnStopMode == config.LVSFlushNone && !logged[e.VS] {
			logged[e.VS] = true
			m.logShutdown(e.VS)
		}
		if err := m.do(Op{Kind: DelService, Service: e.Service}); err != nil {
			errs = append(errs, err)
		}
		done[e.Service.ServiceKey] = true
	}
	for k := range m.owned {
		if !done[k] {
			if err := m.do(Op{Kind: DelService, Service: Service{ServiceKey: k}}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	m.owned = map[ServiceKey]bool{}
	return errors.Join(errs...)
}

// logShutdown logs keepalived's "Shutting down service" line for each real
// server of the named virtual server.
func (m *Manager) logShutdown(name string) {
	for _, vs := range m.model.VirtualServers {
		if VSName(vs) != name {
			continue
		}
		for _, rs := range vs.RealServers {
			m.log.Info(fmt.Sprintf("Shutting down service %s from VS %s", RSName(vs, rs), name))
		}
	}
}
