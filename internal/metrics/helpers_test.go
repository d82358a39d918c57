package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// gathered returns the value of the one series matching sel, written
// `name{label="value",...}` with a subset of its labels. It fails the
// test when none or several match.
func gathered(t *testing.T, g prometheus.Gatherer, sel string) float64 {
	t.Helper()
	name, rest, _ := strings.Cut(sel, "{")
	want := map[string]string{}
	for _, kv := range strings.Split(strings.TrimSuffix(rest, "}"), ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			want[k] = strings.Trim(v, `"`)
		}
	}
	mfs, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var vals []float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range want {
				if have[k] != v {
					continue metrics
				}
			}
			switch {
			case m.GetGauge() != nil:
				vals = append(vals, m.GetGauge().GetValue())
			case m.GetCounter() != nil:
				vals = append(vals, m.GetCounter().GetValue())
			case m.GetSummary() != nil:
				vals = append(vals, m.GetSummary().GetSampleSum())
			}
		}
	}
	if len(vals) != 1 {
		t.Fatalf("%s: %d series match", sel, len(vals))
	}
	return vals[0]
}
