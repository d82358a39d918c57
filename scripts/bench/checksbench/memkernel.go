package main

import (
	"sync"
	"syscall"

	"github.com/gokeepalived/keepalived/internal/ipvs"
)

// memKernel is an in-memory IPVS table standing in for the kernel's on
// hosts without ip_vs (stock keepalived gets the same treatment from
// checks-ipvs-shim.c): it keeps what it is told and fails as the kernel
// does on duplicates and missing entries.
type memKernel struct {
	mu    sync.Mutex
	svcs  map[ipvs.ServiceKey]ipvs.Service
	dests map[ipvs.ServiceKey]map[ipvs.DestKey]ipvs.Dest
}

var _ ipvs.Kernel = (*memKernel)(nil)

func newMemKernel() *memKernel {
	return &memKernel{svcs: map[ipvs.ServiceKey]ipvs.Service{}, dests: map[ipvs.ServiceKey]map[ipvs.DestKey]ipvs.Dest{}}
}

func (m *memKernel) GetServices() ([]ipvs.Service, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]ipvs.Service, 0, len(m.svcs))
	for _, s := range m.svcs {
		out = append(out, s)
	}
	return out, nil
}

func (m *memKernel) GetDestinations(s ipvs.Service) ([]ipvs.Dest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ds, ok := m.dests[s.ServiceKey]
	if !ok {
		return nil, syscall.ESRCH
	}
	out := make([]ipvs.Dest, 0, len(ds))
	for _, d := range ds {
		out = append(out, d)
	}
	return out, nil
}

func (m *memKernel) NewService(s ipvs.Service) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.svcs[s.ServiceKey]; ok {
		return syscall.EEXIST
	}
	m.svcs[s.ServiceKey] = s
	m.dests[s.ServiceKey] = map[ipvs.DestKey]ipvs.Dest{}
	return nil
}

func (m *memKernel) UpdateService(s ipvs.Service) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.svcs[s.ServiceKey]; !ok {
		return syscall.ENOENT
	}
	m.svcs[s.ServiceKey] = s
	return nil
}

func (m *memKernel) DelService(s ipvs.Service) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.svcs[s.ServiceKey]; !ok {
		return syscall.ENOENT
	}
	delete(m.svcs, s.ServiceKey)
	delete(m.dests, s.ServiceKey)
	return nil
}

func (m *memKernel) dest(s ipvs.Service, d ipvs.Dest, exist bool, del bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	ds, ok := m.dests[s.ServiceKey]
	if !ok {
		return syscall.ESRCH
	}
	if _, ok := ds[d.DestKey]; ok != exist {
		if exist {
			return syscall.ENOENT
		}
		return syscall.EEXIST
	}
	if del {
		delete(ds, d.DestKey)
	} else {
		ds[d.DestKey] = d
	}
	return nil
}

func (m *memKernel) NewDestination(s ipvs.Service, d ipvs.Dest) error {
	return m.dest(s, d, false, false)
}

func (m *memKernel) UpdateDestination(s ipvs.Service, d ipvs.Dest) error {
	return m.dest(s, d, true, false)
}

func (m *memKernel) DelDestination(s ipvs.Service, d ipvs.Dest) error {
	return m.dest(s, d, true, true)
}

func (m *memKernel) SetConfig(ipvs.Timeouts) error { return nil }

func (m *memKernel) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.svcs)
	clear(m.dests)
	return nil
}
