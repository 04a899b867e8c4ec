// Command mutate prints the table of mutation-testing runs: it reads the
// JSON reports gremlins writes (gremlins unleash -o report.json) and prints,
// in Markdown, one row per file and one total per package, with the two
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
// A report is named after what build.sh mutate ran: raft.json for the
// package raft, sim-scenario.json for sim/scenario, raft-log.go.json for
// the file raft/log.go alone. Reports are read in order and a file's later
// result replaces an earlier one, so a package run followed by runs of the
// files changed since gives the current table:
//
//	go run ./tools/mutate .mutate/raft.json .mutate/raft-snapshot.go.json
//
// A run cut short writes no JSON report, but build.sh also keeps what
// gremlins printed, one line per mutant tested ("KILLED
// CONDITIONALS_NEGATION at kv.go:268:10"), as .mutate/<name>.log; a path
// ending in .log is read that way, so the mutants tested so far still give
// a table:
//
//	go run ./tools/mutate .mutate/sim-sim.go.log
//
// The mutants that lived are listed after the table.
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

// result is one file's counts and the mutants that lived in it.
type result struct {
	counts counts
	lived  []string
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

// parseLog reads the mutants from gremlins' printed output: lines of the
// form "<STATUS> <TYPE> at <file>:<line>:<column>"; other lines are skipped.
func parseLog(text string) report {
	var r report
	index := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		before, where, ok := strings.Cut(strings.TrimSpace(line), " at ")
		if !ok {
			continue
		}
		f := strings.Fields(before)
		parts := strings.Split(where, ":")
		if len(f) < 2 || len(parts) != 3 {
			continue
		}
		var m mutation
		m.Status, m.Type = strings.Join(f[:len(f)-1], " "), f[len(f)-1]
		if _, err := fmt.Sscanf(parts[1]+" "+parts[2], "%d %d", &m.Line, &m.Column); err != nil {
			continue
		}
		k, seen := index[parts[0]]
		if !seen {
			k = len(r.Files)
			index[parts[0]] = k
			r.Files = append(r.Files, file{Name: parts[0]})
		}
		r.Files[k].Mutations = append(r.Files[k].Mutations, m)
	}
	return r
}

// packageOf reads the package directory from a report's name, and the file
// when the report covers one file only.
func packageOf(path string) (pkg, only string) {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".json"), ".log")
	if strings.HasSuffix(name, ".go") {
		if i := strings.LastIndex(name, "-"); i >= 0 {
			return strings.ReplaceAll(name[:i], "-", "/"), name[i+1:]
		}
	}
	return strings.ReplaceAll(name, "-", "/"), ""
}

func run(w io.Writer, paths []string) error {
	results := map[string]map[string]result{} // package -> file -> result
	var order []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var r report
		if strings.HasSuffix(p, ".log") {
			r = parseLog(string(data))
		} else if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		pkg, only := packageOf(p)
		if results[pkg] == nil {
			results[pkg] = map[string]result{}
			order = append(order, pkg)
		}
		for _, f := range r.Files {
			var res result
			for _, m := range f.Mutations {
				res.counts.add(m.Status)
				if m.Status == "LIVED" {
					res.lived = append(res.lived, fmt.Sprintf("%s/%s:%d:%d %s", pkg, f.Name, m.Line, m.Column, m.Type))
				}
			}
			if res.counts == (counts{}) && f.Name != only {
				continue // only skipped mutants: not part of this run
			}
			results[pkg][f.Name] = res
		}
	}
	fmt.Fprintln(w, "| file | killed | lived | timed out | not covered | test efficacy | mutator coverage |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	var lived []string
	for _, pkg := range order {
		names := make([]string, 0, len(results[pkg]))
		for name := range results[pkg] {
			names = append(names, name)
		}
		slices.Sort(names)
		var total counts
		for _, name := range names {
			res := results[pkg][name]
			fmt.Fprintln(w, res.counts.row(pkg+"/"+name))
			total = total.plus(res.counts)
			lived = append(lived, res.lived...)
		}
		fmt.Fprintln(w, total.row("**"+pkg+"**"))
	}
	if len(lived) > 0 {
		fmt.Fprintf(w, "\nLived (%d):\n", len(lived))
		for _, l := range lived {
			fmt.Fprintln(w, "  "+l)
		}
	}
	return nil
}
