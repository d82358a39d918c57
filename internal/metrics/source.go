package metrics

import (
	"context"

	"github.com/gokeepalived/keepalived/internal/lvs"
	"github.com/gokeepalived/keepalived/internal/vrrp"
)

// VRRPSource is implemented by the VRRP subsystem (vrrp.Subsystem).
type VRRPSource interface {
	Status(ctx context.Context) ([]vrrp.InstanceStatus, error)
}

// LVSSource is implemented by the checker subsystem (lvs.Subsystem).
type LVSSource interface {
	Status(ctx context.Context) (lvs.Status, error)
}

var (
	_ VRRPSource = (*vrrp.Subsystem)(nil)
	_ LVSSource  = (*lvs.Subsystem)(nil)
)
