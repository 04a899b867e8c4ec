// Command corebench runs the core benchmark natively: our core and etcd's
// raft in the same harness, interleaved, and prints the medians and ratios.
//
//	go run ./cmd/corebench [-n 100000] [-rounds 5] [-cores ours,etcd]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"raftsandbox/bench/etcdcore"
	"raftsandbox/bench/harness"
	"raftsandbox/bench/ours"
)

func main() {
	n := flag.Int("n", 100000, "proposals per run")
	rounds := flag.Int("rounds", 5, "rounds; each runs every core in every mode once")
	coreList := flag.String("cores", "ours,etcd", "comma-separated cores to run: ours, etcd")
	quiet := flag.Bool("q", false, "do not print a line per run")
	flag.Parse()
	if *n < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "corebench: -n and -rounds must be at least 1")
		os.Exit(2)
	}
	available := map[string]harness.Core{
		ours.Name:     {Name: ours.Name, New: func() (harness.Cluster, error) { return ours.New() }},
		etcdcore.Name: {Name: etcdcore.Name, New: func() (harness.Cluster, error) { return etcdcore.New() }},
	}
	var cores []harness.Core
	for _, name := range strings.Split(*coreList, ",") {
		c, ok := available[strings.TrimSpace(name)]
		if !ok {
			fmt.Fprintf(os.Stderr, "corebench: unknown core %q (known: ours, etcd)\n", name)
			os.Exit(2)
		}
		cores = append(cores, c)
	}

	fmt.Printf("Core benchmark (native, %s/%s, %s, GOMAXPROCS %d): 3 nodes in memory, %d proposals of %d bytes per run,\n",
		runtime.GOOS, runtime.GOARCH, runtime.Version(), runtime.GOMAXPROCS(0), *n, harness.PayloadSize)
	fmt.Printf("committed and applied on all three; %d rounds, cores interleaved; medians over rounds.\n\n", *rounds)
	var progress io.Writer = os.Stdout
	if *quiet {
		progress = io.Discard
	}
	results, err := harness.Interleave(cores, []harness.Mode{harness.OneAtATime, harness.Batched}, *n, *rounds, progress)
	fmt.Println()
	sums := harness.Summarize(results)
	harness.WriteTable(os.Stdout, sums, etcdcore.Name)
	printBudget(sums)
	if err != nil {
		fmt.Fprintf(os.Stderr, "\ncorebench: %v\n", err)
		os.Exit(1)
	}
}

// printBudget says whether our core meets issue 2's budget in each mode: at
// least etcd's rate (aim 1.5x) with fewer allocations. A miss is reported,
// not fatal: this is a benchmark, not a test.
func printBudget(sums []harness.Summary) {
	find := func(core, mode string) *harness.Summary {
		for i := range sums {
			if sums[i].Core == core && sums[i].Mode == mode {
				return &sums[i]
			}
		}
		return nil
	}
	for _, mode := range []harness.Mode{harness.OneAtATime, harness.Batched} {
		o, e := find(ours.Name, mode.Name), find(etcdcore.Name, mode.Name)
		if o == nil || e == nil {
			continue
		}
		rate := o.PerSecond / e.PerSecond
		verdict := "MISSED"
		switch {
		case rate >= 1.5:
			verdict = "met, and the 1.5x aim too"
		case rate >= 1.0:
			verdict = "met (the aim is 1.5x)"
		}
		allocs := "MISSED"
		if o.Allocs < e.Allocs {
			allocs = "met"
		}
		cpu := ""
		if o.PerCPUSecond > 0 && e.PerCPUSecond > 0 {
			cpu = fmt.Sprintf(" (%.2fx per CPU-second)", o.PerCPUSecond/e.PerCPUSecond)
		}
		fmt.Printf("budget %s: ours at least 1.0x etcd's rate: %.2fx%s, %s; fewer allocations: %.2f vs %.2f per proposal, %s\n",
			mode.Name, rate, cpu, verdict, o.Allocs, e.Allocs, allocs)
	}
}
