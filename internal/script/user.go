package script

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"

	"github.com/gokeepalived/keepalived/internal/config"
)

// DefaultUserName is the user scripts run as when neither the script nor
// script_user names one and it exists; otherwise they run as root.
const DefaultUserName = "keepalived_script"

// Lookup resolves user and group names; tests replace it.
type Lookup struct {
	User  func(name string) (*user.User, error)
	Group func(name string) (*user.Group, error)
}

// OSLookup resolves names through os/user.
func OSLookup() Lookup { return Lookup{User: user.Lookup, Group: user.LookupGroup} }

// ids is a resolved run-as identity.
type ids struct{ uid, gid uint32 }

// resolve returns the uid:gid for name (and optional group).
func (l Lookup) resolve(name, group string) (ids, error) {
	u, err := l.User(name)
	if err != nil {
		return ids{}, fmt.Errorf("script user %q: %w", name, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return ids{}, fmt.Errorf("script user %q: non-numeric ids %s:%s", name, u.Uid, u.Gid)
	}
	if group != "" {
		g, err := l.Group(group)
		if err != nil {
			return ids{}, fmt.Errorf("script group %q: %w", group, err)
		}
		gid, err = strconv.ParseUint(g.Gid, 10, 32)
		if err != nil {
			return ids{}, fmt.Errorf("script group %q: non-numeric gid %s", group, g.Gid)
		}
	}
	return ids{uint32(uid), uint32(gid)}, nil
}

// runAs resolves the identity a script runs as: its own user/group, else
// the default (script_user, else keepalived_script if it exists, else
// root), as internal/config validated it. A daemon not running as root
// cannot switch to root, so there the last fallback is itself.
func (r *Runner) runAs(s *config.Script) (ids, error) {
	if s.User != "" {
		return r.lookup.resolve(s.User, s.Group)
	}
	if r.opt.DefaultUser != "" {
		return r.lookup.resolve(r.opt.DefaultUser, r.opt.DefaultGroup)
	}
	if id, err := r.lookup.resolve(DefaultUserName, ""); err == nil {
		return id, nil
	}
	return ids{uint32(os.Geteuid()), uint32(os.Getegid())}, nil
}

// credential returns the SysProcAttr credential for id, or nil when the
// program runs as ourselves and we cannot (or need not) switch.
func credential(id ids) *syscall.Credential {
	if os.Geteuid() != 0 {
		if int(id.uid) == os.Geteuid() && int(id.gid) == os.Getegid() {
			return nil
		}
		// Not root: let the kernel refuse; the error names the cause.
		return &syscall.Credential{Uid: id.uid, Gid: id.gid, NoSetGroups: true}
	}
	// As keepalived: supplementary groups are reduced to the run-as group.
	return &syscall.Credential{Uid: id.uid, Gid: id.gid, Groups: []uint32{id.gid}}
}
