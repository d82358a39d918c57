package netif

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/gokeepalived/keepalived/internal/config"
)

// ruleActions maps ip-rule(8) actions to FR_ACT_* values.
var ruleActions = map[string]uint8{
	"": unix.FR_ACT_TO_TBL, "nop": unix.FR_ACT_NOP, "blackhole": unix.FR_ACT_BLACKHOLE,
	"unreachable": unix.FR_ACT_UNREACHABLE, "prohibit": unix.FR_ACT_PROHIBIT,
}

// ruleSpec builds the netlink rule for r. Options it does not program
// give an error wrapping ErrNotImplemented.
func (m *Manager) ruleSpec(r *config.Rule) (*netlink.Rule, error) {
	if len(r.Options) > 0 {
		keys := make([]string, 0, len(r.Options))
		for k := range r.Options {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("rule option %s: %w", strings.Join(keys, ", "), ErrNotImplemented)
	}
	act, ok := ruleActions[r.Action]
	if !ok {
		return nil, fmt.Errorf("rule action %s: %w", r.Action, ErrNotImplemented)
	}
	nr := netlink.NewRule()
	nr.Family = unix.AF_INET
	if r.Family == 6 {
		nr.Family = unix.AF_INET6
	}
	nr.Type = act
	nr.Protocol = rtprotKeepalived
	nr.Invert = r.Invert
	nr.Priority = int(r.Priority)
	if r.From.IsValid() && r.From.Bits() > 0 {
		nr.Src = ipNet(r.From.Masked())
	}
	if r.To.IsValid() && r.To.Bits() > 0 {
		nr.Dst = ipNet(r.To.Masked())
	}
	if act == unix.FR_ACT_TO_TBL {
		t, err := m.tableID(r.Table)
		if err != nil {
			return nil, err
		}
		nr.Table = t
	}
	if r.FwMark != "" {
		mark, mask, err := parseFwMark(r.FwMark)
		if err != nil {
			return nil, err
		}
		nr.Mark = mark
		if mask != nil {
			nr.Mask = mask
		}
	}
	nr.IifName = r.IIF
	nr.OifName = r.OIF
	return nr, nil
}

// parseFwMark parses "MARK[/MASK]".
func parseFwMark(s string) (uint32, *uint32, error) {
	ms, mk, hasMask := strings.Cut(s, "/")
	mark, err := strconv.ParseUint(ms, 0, 32)
	if err != nil {
		return 0, nil, fmt.Errorf("invalid fwmark %q", s)
	}
	if !hasMask {
		return uint32(mark), nil, nil
	}
	mask, err := strconv.ParseUint(mk, 0, 32)
	if err != nil {
		return 0, nil, fmt.Errorf("invalid fwmark mask %q", s)
	}
	m32 := uint32(mask)
	return uint32(mark), &m32, nil
}

// ruleName describes a rule in errors.
func ruleName(r *config.Rule) string {
	return fmt.Sprintf("priority %d", r.Priority)
}

// AddRules adds virtual rules. A rule that is already there counts as
// success; it returns the rules it added and the other rules' errors.
func (m *Manager) AddRules(rules []*config.Rule) ([]*config.Rule, error) {
	var done []*config.Rule
	var errs []error
	for _, r := range rules {
		nr, err := m.ruleSpec(r)
		if err == nil {
			err = m.nl.RuleAdd(nr)
			if isExist(err) {
				continue
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("add rule %s: %w", ruleName(r), err))
			continue
		}
		done = append(done, r)
	}
	return done, errors.Join(errs...)
}

// RemoveRules removes virtual rules; absent ones count as success. It
// returns the rules it removed.
func (m *Manager) RemoveRules(rules []*config.Rule) ([]*config.Rule, error) {
	var done []*config.Rule
	var errs []error
	for _, r := range rules {
		nr, err := m.ruleSpec(r)
		if err == nil {
			err = m.nl.RuleDel(nr)
			if isAbsent(err) {
				continue
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("remove rule %s: %w", ruleName(r), err))
			continue
		}
		done = append(done, r)
	}
	return done, errors.Join(errs...)
}
