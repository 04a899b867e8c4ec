package harness

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Summary is the median of several rounds of one core in one mode.
type Summary struct {
	Core, Mode           string
	Rounds               int
	PerSecond            float64 // median
	MinPerSec, MaxPerSec float64
	PerCPUSecond         float64 // median of proposals per CPU-second; 0 where unknown
	Allocs, Bytes        float64 // per proposal, median
}

// Summarize groups results by (mode, core), keeping first-seen order.
func Summarize(results []Result) []Summary {
	type key struct{ mode, core string }
	var order []key
	groups := map[key][]Result{}
	for _, r := range results {
		k := key{r.Mode, r.Core}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	slices.SortStableFunc(order, func(a, b key) int { return strings.Compare(modeRank(a.mode), modeRank(b.mode)) })
	out := make([]Summary, 0, len(order))
	for _, k := range order {
		rs := groups[k]
		rates := make([]float64, len(rs))
		allocs := make([]float64, len(rs))
		bytes := make([]float64, len(rs))
		cpuRates := make([]float64, len(rs))
		for i, r := range rs {
			rates[i], allocs[i], bytes[i] = r.PerSecond(), r.AllocsPerProposal(), r.BytesPerProposal()
			cpuRates[i] = r.PerCPUSecond()
		}
		s := Summary{Core: k.core, Mode: k.mode, Rounds: len(rs),
			PerSecond: median(rates), PerCPUSecond: median(cpuRates), Allocs: median(allocs), Bytes: median(bytes)}
		s.MinPerSec, s.MaxPerSec = slices.Min(rates), slices.Max(rates)
		out = append(out, s)
	}
	return out
}

// modeRank keeps one-at-a-time before the batched modes in tables.
func modeRank(mode string) string {
	if mode == OneAtATime.Name {
		return "0"
	}
	return "1" + mode
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// WriteTable prints summaries as an aligned table. When base names a core
// present in a mode, a ratio row "<core>/<base>" follows that mode's rows
// for every other core: throughput ratio (higher is better for the first
// core) and allocation ratios (lower is better).
func WriteTable(w io.Writer, sums []Summary, base string) {
	if len(sums) == 0 {
		fmt.Fprintln(w, "(no results)")
		return
	}
	fmt.Fprintf(w, "%-14s %-11s %13s %23s %16s %12s %12s\n",
		"mode", "core", "proposals/s", "min-max over rounds", "proposals/CPU-s", "allocs/prop", "bytes/prop")
	for i, s := range sums {
		fmt.Fprintf(w, "%-14s %-11s %13s %23s %16s %12.2f %12.0f\n", s.Mode, s.Core, thousands(s.PerSecond),
			thousands(s.MinPerSec)+"-"+thousands(s.MaxPerSec), orDash(s.PerCPUSecond), s.Allocs, s.Bytes)
		if i+1 < len(sums) && sums[i+1].Mode == s.Mode {
			continue
		}
		// End of this mode's rows: ratios against base.
		var b *Summary
		for j := range sums {
			if sums[j].Mode == s.Mode && sums[j].Core == base {
				b = &sums[j]
			}
		}
		if b == nil {
			continue
		}
		for _, o := range sums {
			if o.Mode != s.Mode || o.Core == base {
				continue
			}
			cpu := "-"
			if o.PerCPUSecond > 0 && b.PerCPUSecond > 0 {
				cpu = fmt.Sprintf("%.2fx", o.PerCPUSecond/b.PerCPUSecond)
			}
			fmt.Fprintf(w, "%-14s %-11s %12.2fx %23s %16s %11.2fx %11.2fx\n", s.Mode, o.Core+"/"+base,
				o.PerSecond/b.PerSecond, "", cpu, ratio(o.Allocs, b.Allocs), ratio(o.Bytes, b.Bytes))
		}
	}
}

// orDash formats a rate, or "-" when it is unknown (zero).
func orDash(x float64) string {
	if x <= 0 {
		return "-"
	}
	return thousands(x)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// thousands formats a rate as an integer with thousands separators.
func thousands(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
