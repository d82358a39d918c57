package core

import (
	"context"
	"io"

	"github.com/gokeepalived/keepalived/internal/config"
)

// Subsystem names, as selected by -P (vrrp) and -C (healthcheckers).
const (
	NameVRRP     = "vrrp"
	NameCheckers = "healthcheckers"
)

// Subsystem is one part of keepalived run by core: the VRRP or the
// health-checker subsystem. Core calls Start once, Reload with each new
// configuration that loaded without errors, and Stop once.
type Subsystem interface {
	// Name is NameVRRP or NameCheckers.
	Name() string
	// Start begins running m.
	Start(ctx context.Context, m *config.Model) error
	// Reload switches from old to new, changing only what differs.
	Reload(ctx context.Context, old, new *config.Model) error
	// Stop releases what the subsystem set up (unless told otherwise).
	Stop(ctx context.Context) error
}

// Needer is implemented by subsystems that run only when the configuration
// has something for them (keepalived starts no VRRP child without VRRP
// configuration unless --all is given).
type Needer interface {
	Needed(m *config.Model) bool
}

// DataWriter is implemented by subsystems that add to the SIGUSR1 data
// file.
type DataWriter interface {
	WriteData(w io.Writer) error
}

// StatsWriter is implemented by subsystems that add to the SIGUSR2 stats
// file.
type StatsWriter interface {
	WriteStats(w io.Writer) error
}
