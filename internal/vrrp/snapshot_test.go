package vrrp

import (
	"context"
	"testing"
)

func TestStatus(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	if st, err := h.s.Status(ctx); err != nil || st != nil {
		t.Fatalf("Status before Start = %v, %v", st, err)
	}
	if err := h.s.Start(ctx, loadModel(t, confOne)); err != nil {
		t.Fatal(err)
	}
	h.sync()
	st, err := h.s.Status(ctx)
	if err != nil || len(st) != 1 {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	got := st[0]
	if got.Name != "VI_1" || got.Interface != "veth9" || got.VRID != 51 || got.Family != 4 || got.Version != 2 ||
		got.State != StateBackup || got.Priority != 100 || got.EffectivePriority != 100 {
		t.Errorf("backup status = %+v", got)
	}
	becomeMaster(t, h)
	st, err = h.s.Status(ctx)
	if err != nil || len(st) != 1 {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	got = st[0]
	if got.State != StateMaster || got.Stats.BecomeMaster != 1 || got.Stats.AdvertSent == 0 || got.LastTransition.IsZero() {
		t.Errorf("master status = %+v", got)
	}
	if err := h.s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := h.s.Status(ctx); err != nil || st != nil {
		t.Errorf("Status after Stop = %v, %v", st, err)
	}
}
