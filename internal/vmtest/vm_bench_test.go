package vmtest

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkVMBoot measures a whole run of an empty script: launch, boot,
// script, power off. Besides ns/op it reports the median and the maximum.
func BenchmarkVMBoot(b *testing.B) {
	Require(b)
	var ds []time.Duration
	for b.Loop() {
		res, err := Run(context.Background(), Spec{Script: "true"})
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, res.Duration)
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(ds[len(ds)-1].Milliseconds()), "max-ms")
}
