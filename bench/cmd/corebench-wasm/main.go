// Command corebench-wasm runs our core's half of the core benchmark. It
// imports only our core and the harness, so it builds for GOOS=js
// GOARCH=wasm and runs in Node:
//
//	GOOS=js GOARCH=wasm go build -o corebench.wasm ./cmd/corebench-wasm
//	node "$(go env GOROOT)/lib/wasm/wasm_exec_node.js" corebench.wasm -n 100000 -rounds 3
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"raftsandbox/bench/harness"
	"raftsandbox/bench/ours"
)

// budget is the rate the design asks of our core under wasm in Node.
const budget = 20000

func main() {
	n := flag.Int("n", 100000, "proposals per run")
	rounds := flag.Int("rounds", 3, "rounds; each runs every mode once")
	quiet := flag.Bool("q", false, "do not print a line per run")
	flag.Parse()
	if *n < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "corebench-wasm: -n and -rounds must be at least 1")
		os.Exit(2)
	}
	fmt.Printf("Core benchmark (%s/%s, %s): our core only, %d proposals of %d bytes per run, %d rounds, medians.\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.Version(), *n, harness.PayloadSize, *rounds)
	var progress io.Writer = os.Stdout
	if *quiet {
		progress = io.Discard
	}
	cores := []harness.Core{{Name: ours.Name, New: func() (harness.Cluster, error) { return ours.New() }}}
	results, err := harness.Interleave(cores, []harness.Mode{harness.OneAtATime, harness.Batched}, *n, *rounds, progress)
	fmt.Println()
	sums := harness.Summarize(results)
	harness.WriteTable(os.Stdout, sums, "")
	if err != nil {
		fmt.Fprintf(os.Stderr, "\ncorebench-wasm: %v\n", err)
		os.Exit(1)
	}
	for _, s := range sums {
		verdict := "met"
		if s.PerSecond < budget {
			verdict = "MISSED"
		}
		fmt.Printf("budget %s: at least %d proposals/s in wasm: %s\n", s.Mode, budget, verdict)
	}
}
