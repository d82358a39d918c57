package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// quantiles returns the median and the nearest-rank p99 and maximum.
func quantiles(ds []time.Duration) (med, p99, max time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	if n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	rank := (99*n + 99) / 100
	return med, s[rank-1], s[n-1]
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// printRow prints one table row: the clean stops or the crashes of a series.
func printRow(s series, crash bool, res []result) {
	var gaps, adv, garp []time.Duration
	var floor time.Duration
	var errs []string
	for _, r := range res {
		if r.crash != crash {
			continue
		}
		floor = r.floor
		if r.err != nil {
			errs = append(errs, r.err.Error())
			continue
		}
		gaps, adv, garp = append(gaps, r.gap), append(adv, r.advert), append(garp, r.garp)
	}
	c := "SIGTERM (priority 0)"
	if crash {
		c = "crash (SIGSTOP+SIGKILL)"
	}
	g, _, _ := quantiles(gaps)
	a1, a2, a3 := quantiles(adv)
	r1, r2, r3 := quantiles(garp)
	note := ""
	if len(errs) > 0 {
		note = fmt.Sprintf(" (%d failed: %s)", len(errs), errs[0])
	}
	fmt.Printf("| %s | %s | %d%s | %s ms | %s ms | %s / %s / %s ms | %s / %s / %s ms |\n", s.name(), c, len(adv), note,
		ms(g), ms(floor), ms(a1), ms(a2), ms(a3), ms(r1), ms(r2), ms(r3))
}

// writeCSV records every trial.
func writeCSV(path string, res []result) error {
	var b strings.Builder
	b.WriteString("trial,case,gap_ms,floor_ms,advert_minus_floor_ms,garp_minus_floor_ms,error\n")
	for i, r := range res {
		c := "stop"
		if r.crash {
			c = "crash"
		}
		e := ""
		if r.err != nil {
			e = r.err.Error()
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s\n", i, c, ms(r.gap), ms(r.floor), ms(r.advert), ms(r.garp), e)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
