// Command mutate prints the table of a mutation-testing run: it reads the
// JSON reports gremlins writes (gremlins unleash -o report.json) and prints,
// in Markdown, one row per file and one total per report, with the two
// figures gremlins defines:
//
//   - test efficacy: killed / (killed + lived), the share of the mutants the
//     tests reached that they caught;
//   - mutator coverage: (killed + lived) / (killed + lived + not covered),
//     the share of the mutants that some test reaches at all.
//
// Mutants that timed out, that do not compile (not viable) or that lie
// outside the lines asked for (skipped) count in neither.
//
//	go run ./tools/mutate raft.json sim.json
//
// build.sh mutate runs gremlins and then this.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

type report struct {
	Files []file `json:"files"`
}

type file struct {
	Name      string     `json:"file_name"`
	Mutations []mutation `json:"mutations"`
}

type mutation struct {
	Status string `json:"status"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Type   string `json:"type"`
}

type counts struct{ killed, lived, timedOut, notCovered, notViable int }

func (c *counts) add(status string) {
	switch status {
	case "KILLED":
		c.killed++
	case "LIVED":
		c.lived++
	case "TIMED OUT":
		c.timedOut++
	case "NOT COVERED":
		c.notCovered++
	case "NOT VIABLE":
		c.notViable++
	}
}

func (c counts) plus(d counts) counts {
	return counts{c.killed + d.killed, c.lived + d.lived, c.timedOut + d.timedOut, c.notCovered + d.notCovered, c.notViable + d.notViable}
}

func percent(num, den int) string {
	if den == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(num)/float64(den))
}

func (c counts) row(name string) string {
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %s | %s |", name, c.killed, c.lived, c.timedOut, c.notCovered,
		percent(c.killed, c.killed+c.lived), percent(c.killed+c.lived, c.killed+c.lived+c.notCovered))
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/mutate report.json...")
		os.Exit(2)
	}
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, paths []string) error {
	fmt.Fprintln(w, "| file | killed | lived | timed out | not covered | test efficacy | mutator coverage |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	var lived []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var r report
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		slices.SortFunc(r.Files, func(a, b file) int { return strings.Compare(a.Name, b.Name) })
		var total counts
		for _, f := range r.Files {
			var c counts
			for _, m := range f.Mutations {
				c.add(m.Status)
				if m.Status == "LIVED" {
					lived = append(lived, fmt.Sprintf("%s:%d:%d %s", f.Name, m.Line, m.Column, m.Type))
				}
			}
			if c == (counts{}) {
				continue
			}
			fmt.Fprintln(w, c.row(f.Name))
			total = total.plus(c)
		}
		fmt.Fprintln(w, total.row("**"+strings.TrimSuffix(filepath.Base(p), ".json")+"**"))
	}
	if len(lived) > 0 {
		fmt.Fprintf(w, "\nLived (%d):\n", len(lived))
		for _, l := range lived {
			fmt.Fprintln(w, "  "+l)
		}
	}
	return nil
}
