package netif

import (
	"errors"
	"fmt"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/vishvananda/netlink"
)

// AddAddresses adds each address (virtual_ipaddress or
// virtual_ipaddress_excluded entries) to its dev, or to defaultDev (the
// instance's interface or its VMAC) when it names none. An address that is
// already there counts as success. It returns the addresses it added and
// the errors of the others, joined; one failure does not stop the rest.
func (m *Manager) AddAddresses(defaultDev string, addrs []*config.IPAddress) ([]*config.IPAddress, error) {
	var added []*config.IPAddress
	var errs []error
	for _, a := range addrs {
		ok, err := m.addAddress(defaultDev, a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			added = append(added, a)
		}
	}
	return added, errors.Join(errs...)
}

// RemoveAddresses removes each address from its dev (or defaultDev). An
// absent address, or a vanished interface, counts as success. It returns
// the addresses it removed.
func (m *Manager) RemoveAddresses(defaultDev string, addrs []*config.IPAddress) ([]*config.IPAddress, error) {
	var removed []*config.IPAddress
	var errs []error
	for _, a := range addrs {
		ok, err := m.removeAddress(defaultDev, a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			removed = append(removed, a)
		}
	}
	return removed, errors.Join(errs...)
}

// devOf returns the interface an address goes on.
func devOf(defaultDev string, a *config.IPAddress) string {
	if a.Dev != "" {
		return a.Dev
	}
	return defaultDev
}

// addAddress adds one address, reporting whether it was added.
func (m *Manager) addAddress(defaultDev string, a *config.IPAddress) (bool, error) {
	dev := devOf(defaultDev, a)
	spec, err := addrSpec(a)
	if err != nil {
		return false, fmt.Errorf("add %s: %w", a.Prefix(), err)
	}
	l, err := m.link(dev)
	if err != nil {
		return false, fmt.Errorf("add %s: %w", a.Prefix(), err)
	}
	if err := m.addrAddTo(l, spec); err != nil {
		if isExist(err) {
			return false, nil
		}
		return false, fmt.Errorf("add %s dev %s: %w", a.Prefix(), dev, err)
	}
	return true, nil
}

// removeAddress removes one address, reporting whether it was there.
func (m *Manager) removeAddress(defaultDev string, a *config.IPAddress) (bool, error) {
	dev := devOf(defaultDev, a)
	spec, err := delSpec(a)
	if err != nil {
		return false, fmt.Errorf("remove %s: %w", a.Prefix(), err)
	}
	l, err := m.link(dev)
	if err != nil {
		if isLinkNotFound(err) {
			return false, nil
		}
		return false, fmt.Errorf("remove %s: %w", a.Prefix(), err)
	}
	if err := m.nl.AddrDel(l, spec); err != nil {
		if isAbsent(err) {
			return false, nil
		}
		return false, fmt.Errorf("remove %s dev %s: %w", a.Prefix(), dev, err)
	}
	return true, nil
}

// addrAddTo adds spec on l: through addrAdd when set and l's index is
// known, else through the netlink handle.
func (m *Manager) addrAddTo(l netlink.Link, spec *netlink.Addr) error {
	if m.addrAdd != nil && l.Attrs() != nil && l.Attrs().Index > 0 {
		return m.addrAdd(l.Attrs().Index, spec)
	}
	return m.nl.AddrAdd(l, spec)
}
