package check

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
)

// BenchmarkScheduler10k measures the scheduler's own cost per check run
// with 10,000 TCP checks (probes are fakes).
func BenchmarkScheduler10k(b *testing.B) {
	var sb strings.Builder
	for v := range 100 {
		fmt.Fprintf(&sb, "virtual_server 10.0.%d.%d 80 {\n delay_loop 1\n protocol TCP\n", v/250, v%250+1)
		for r := range 100 {
			fmt.Fprintf(&sb, " real_server 10.1.%d.%d 80 {\n  TCP_CHECK {\n  }\n }\n", v, r+1)
		}
		sb.WriteString("}\n")
	}
	res := config.LoadBytes("bench.conf", []byte(sb.String()), config.Options{})
	build := func(vs *config.VirtualServer, rs *config.RealServer, c *config.Checker, _ *config.SSLConfig) (Prober, string, error) {
		return ProberFunc(func(context.Context, int) Result { return Result{OK: true} }), c.ConnectIP.String(), nil
	}
	s := New(res.Model, Options{Build: build})
	if s.Units() != 10000 {
		b.Fatalf("units %d", s.Units())
	}
	now := time.Unix(0, 0)
	s.Start(now)
	b.ResetTimer()
	runs := 0
	for runs < b.N {
		at, _ := s.Next()
		now = at
		for _, j := range s.Due(now) {
			s.Complete(j, Result{OK: true}, now)
			runs++
		}
	}
}
