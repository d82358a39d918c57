package vrrp

import (
	"testing"
	"time"
)

func us(n int64) time.Duration { return time.Duration(n) * time.Microsecond }

// Expected values worked by hand from keepalived's VRRP_TIMER_SKEW_CALC:
// v2 (256-p)*1e6/256 µs, v3 (256-p)*cs*625/16 µs, truncated to µs.
func TestSkew(t *testing.T) {
	tests := []struct {
		version, prio int
		interval      time.Duration
		want          time.Duration
	}{
		// v2: independent of the interval.
		{2, 1, time.Second, us(996093)},
		{2, 100, time.Second, us(609375)},
		{2, 150, time.Second, us(414062)},
		{2, 254, time.Second, us(7812)},
		{2, 255, time.Second, us(3906)},
		{2, 100, 100 * time.Millisecond, us(609375)},
		{2, 150, 3 * time.Second, us(414062)},
		{2, 1, 3 * time.Second, us(996093)},
		// v3, 1 s = 100 cs.
		{3, 1, time.Second, us(996093)},
		{3, 100, time.Second, us(609375)},
		{3, 150, time.Second, us(414062)},
		{3, 254, time.Second, us(7812)},
		{3, 255, time.Second, us(3906)},
		// v3, 0.1 s = 10 cs.
		{3, 1, 100 * time.Millisecond, us(99609)},
		{3, 100, 100 * time.Millisecond, us(60937)},
		{3, 150, 100 * time.Millisecond, us(41406)},
		{3, 254, 100 * time.Millisecond, us(781)},
		{3, 255, 100 * time.Millisecond, us(390)},
		// v3, 3 s = 300 cs.
		{3, 1, 3 * time.Second, us(2988281)},
		{3, 100, 3 * time.Second, us(1828125)},
		{3, 150, 3 * time.Second, us(1242187)},
		{3, 254, 3 * time.Second, us(23437)},
		{3, 255, 3 * time.Second, us(11718)},
		// Priority 0 (used for nothing, but must not misbehave).
		{2, 0, time.Second, time.Second},
		{3, 0, 100 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := Skew(tt.version, tt.prio, tt.interval); got != tt.want {
			t.Errorf("Skew(v%d, prio %d, %v) = %v, want %v", tt.version, tt.prio, tt.interval, got, tt.want)
		}
	}
}

func TestMasterDownInterval(t *testing.T) {
	tests := []struct {
		version, prio, adverts int
		interval               time.Duration
		want                   time.Duration
	}{
		{2, 1, 3, time.Second, 3*time.Second + us(996093)},
		{2, 100, 3, time.Second, 3*time.Second + us(609375)}, // 3.609 s (RFC example)
		{2, 150, 3, time.Second, 3*time.Second + us(414062)},
		{2, 254, 3, time.Second, 3*time.Second + us(7812)},
		{2, 255, 3, time.Second, 3*time.Second + us(3906)},
		{2, 100, 3, 3 * time.Second, 9*time.Second + us(609375)},
		{2, 150, 3, 100 * time.Millisecond, 300*time.Millisecond + us(414062)},
		{3, 1, 3, 100 * time.Millisecond, 300*time.Millisecond + us(99609)},
		{3, 100, 3, 100 * time.Millisecond, 300*time.Millisecond + us(60937)}, // lab floor 360.9 ms
		{3, 150, 3, 100 * time.Millisecond, 300*time.Millisecond + us(41406)},
		{3, 254, 3, 100 * time.Millisecond, 300*time.Millisecond + us(781)},
		{3, 255, 3, 100 * time.Millisecond, 300*time.Millisecond + us(390)},
		{3, 100, 3, time.Second, 3*time.Second + us(609375)},
		{3, 150, 3, 3 * time.Second, 9*time.Second + us(1242187)},
		{3, 254, 3, 3 * time.Second, 9*time.Second + us(23437)},
		{3, 100, 5, 100 * time.Millisecond, 500*time.Millisecond + us(60937)},
		{2, 100, 1, time.Second, time.Second + us(609375)},
		{2, 100, 0, time.Second, 3*time.Second + us(609375)}, // 0 = default 3
	}
	for _, tt := range tests {
		got := MasterDownInterval(tt.version, tt.prio, tt.adverts, tt.interval)
		if got != tt.want {
			t.Errorf("MasterDownInterval(v%d, prio %d, x%d, %v) = %v, want %v",
				tt.version, tt.prio, tt.adverts, tt.interval, got, tt.want)
		}
	}
}

// The v3 skew is the exact (256-p) x interval / 256, truncated to µs, for
// every priority and every interval from 10 ms to 40.95 s (no float, no
// early truncation of interval/256).
func TestSkewV3Exact(t *testing.T) {
	for cs := int64(1); cs <= 4095; cs += 7 {
		iv := time.Duration(cs) * 10 * time.Millisecond
		for p := 1; p <= 255; p++ {
			want := (time.Duration(256-p) * iv / 256).Truncate(time.Microsecond)
			if got := Skew(3, p, iv); got != want {
				t.Fatalf("Skew(3, %d, %v) = %v, want %v", p, iv, got, want)
			}
		}
	}
}

func TestSkewMin(t *testing.T) {
	if got := SkewMin(2, 3*time.Second); got != us(3906) {
		t.Errorf("SkewMin(2) = %v", got)
	}
	if got := SkewMin(3, 100*time.Millisecond); got != us(390) {
		t.Errorf("SkewMin(3, 100ms) = %v", got)
	}
}

func TestTimersNegativeInputs(t *testing.T) {
	if got := MasterDownInterval(3, 300, 3, -time.Second); got != 0 {
		t.Errorf("negative interval, clamped priority: %v", got)
	}
	if got := Skew(2, -5, time.Second); got != time.Second {
		t.Errorf("negative priority: %v", got)
	}
}
