// Package export writes a recorded run of the simulator as a Go test, so that
// a bug found in the page becomes a regression test: the test rebuilds the
// run from its scenario script (or share string), replays it on the virtual
// clock, fails as soon as the safety checker reports a violation, and at the
// end compares the cluster with the state recorded when the run was exported
// (leader, and per node: up, role, term, commit index, applied key-values).
//
// The package uses only the standard library and the simulator's types, and
// no go/format or go/parser (they would weigh down the wasm binary): the
// generator writes gofmt-clean source directly, and its tests check that with
// go/format.
package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"raftsandbox/sim"
)

// Final is the state a run ended in, as recorded when it was exported.
type Final struct {
	Now    int64  // virtual ms the run reached
	Leader string // "" when there was no leader
	Nodes  []Node
}

// Node is one node of Final. KV lists the node's applied key-value pairs
// sorted by key (keys never written are absent).
type Node struct {
	ID          string
	Up          bool
	Role        string // "follower", "precandidate", "candidate", "leader"
	Term        uint64
	CommitIndex uint64
	KV          []KV
}

// KV is one key of a node's state machine.
type KV struct {
	Key   string
	Value int64
}

// FinalOf records the state a run is in now (the simulator's State) as the
// Final an exported test compares its end with.
func FinalOf(st sim.State) Final {
	f := Final{Now: st.Now, Leader: st.Leader, Nodes: make([]Node, len(st.Nodes))}
	for i := range st.Nodes {
		n := &st.Nodes[i]
		node := Node{ID: n.ID, Up: n.Up, Role: n.Role, Term: n.Term, CommitIndex: n.CommitIndex}
		if len(n.KV) > 0 {
			node.KV = make([]KV, len(n.KV))
			for j, kv := range n.KV {
				node.KV[j] = KV{Key: kv.Key, Value: kv.Value}
			}
		}
		f.Nodes[i] = node
	}
	return f
}

// Run is what to replay: exactly one of Scenario (a scenario script, the
// readable choice) and Share (a share string) is set.
type Run struct {
	Scenario string
	Share    string
}

// Options are the optional parts of the generated file.
type Options struct {
	// Package is the package clause of the file; "sim_test" by default
	// (the file then belongs in sim/).
	Package string
	// SimImport is the import path of the simulator; "raftsandbox/sim" by
	// default. A test replaying a share string also imports SimImport+"/scenario".
	SimImport string
	// Comment is a sentence about the run (why it was exported), placed in
	// the test's doc comment.
	Comment string
}

// TestName turns any label ("split vote, then heal") into the name of a Go
// test function ("TestSplitVoteThenHeal"). An empty label gives "TestRegression".
func TestName(label string) string {
	var b strings.Builder
	b.WriteString("Test")
	upper := true
	for _, r := range label {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	name := b.String()
	if name == "Test" {
		return "TestRegression"
	}
	if c := name[4]; c >= '0' && c <= '9' { // "Test1" is a test; keep it readable
		name = "Test_" + name[4:]
	}
	return name
}

// GoTest generates the source of a Go test file whose test (named after
// label, see TestName) replays run and checks it against final. The output
// is gofmt-clean. Bad input is an error, never a panic.
func GoTest(label string, run Run, final Final, opt Options) ([]byte, error) {
	if err := checkInput(run, final, &opt); err != nil {
		return nil, err
	}
	name := TestName(label)
	var w writer
	w.preamble(name, run, opt)
	w.replay(run, final)
	w.wantFinal(final)
	w.line("}")
	return []byte(w.String()), nil
}

// checkInput checks what GoTest is given, and fills opt's defaults.
func checkInput(run Run, final Final, opt *Options) error {
	if (run.Scenario == "") == (run.Share == "") {
		return errors.New("export: give exactly one of a scenario script and a share string")
	}
	if opt.Package == "" {
		opt.Package = "sim_test"
	}
	if why := PackageNameProblem(opt.Package); why != "" {
		return fmt.Errorf("export: %q is not a Go package name (%s)", opt.Package, why)
	}
	if opt.SimImport == "" {
		opt.SimImport = "raftsandbox/sim"
	}
	if final.Now < 0 {
		return fmt.Errorf("export: final time %d ms is negative", final.Now)
	}
	if len(final.Nodes) == 0 || len(final.Nodes) > sim.MaxNodes {
		return fmt.Errorf("export: the final state has %d nodes; want 1 to %d", len(final.Nodes), sim.MaxNodes)
	}
	ids := map[string]bool{}
	for _, n := range final.Nodes {
		if n.ID == "" || ids[n.ID] {
			return fmt.Errorf("export: node id %q is empty or repeated", n.ID)
		}
		ids[n.ID] = true
	}
	if final.Leader != "" && !ids[final.Leader] {
		return fmt.Errorf("export: leader %q is not one of the nodes", final.Leader)
	}
	return nil
}

// preamble writes the file's header, package, imports, the test's comment
// and its first line.
func (w *writer) preamble(name string, run Run, opt Options) {
	w.line("// Code generated by Raft Sandbox (export as Go test). It is an ordinary test: edit it freely.")
	w.line("")
	w.line("package %s", opt.Package)
	w.line("")
	w.line("import (")
	w.line("\t\"slices\"")
	w.line("\t\"testing\"")
	w.line("")
	w.line("\t%s", strconv.Quote(opt.SimImport))
	if run.Share != "" {
		w.line("\t%s", strconv.Quote(opt.SimImport+"/scenario"))
	}
	w.line(")")
	w.line("")
	w.line("// %s replays a run recorded in Raft Sandbox. The safety", name)
	w.line("// checker must hold after every event, and the run must end where it ended")
	w.line("// when it was recorded.")
	if c := oneLine(opt.Comment); c != "" {
		w.line("//")
		for _, l := range wrap(c, 72) {
			w.line("// %s", l)
		}
	}
	w.line("func %s(t *testing.T) {", name)
}

// replay writes the rebuilding of the run and its replay to the final
// time, checking safety at every tick.
func (w *writer) replay(run Run, final Final) {
	if run.Scenario != "" {
		w.line("\tconst scenario = %s", goString(run.Scenario))
		w.line("\ts, err := sim.FromScenario(scenario)")
	} else {
		// Not sim.FromShare: it replays to the end at once, and the test
		// should see the run unfold.
		w.line("\tconst share = %s", goString(run.Share))
		w.line("\tscript, err := scenario.DecodeShare(share)")
		w.line("\tif err != nil {")
		w.line("\t\tt.Fatalf(\"decoding the share string: %%v\", err)")
		w.line("\t}")
		w.line("\ts, err := sim.FromScript(script)")
	}
	w.line("\tif err != nil {")
	w.line("\t\tt.Fatalf(\"rebuilding the run: %%v\", err)")
	w.line("\t}")
	w.line("")
	w.line("\t// Replay one tick at a time so that a violation is reported with the time it appeared.")
	w.line("\tconst end = %d // virtual ms", final.Now)
	w.line("\tfor s.Now() < end {")
	w.line("\t\tif err := s.Advance(min(s.Config().TickMs, end-s.Now())); err != nil {")
	w.line("\t\t\tt.Fatalf(\"at %%d ms: %%v\", s.Now(), err)")
	w.line("\t\t}")
	w.line("\t\tif inv := s.State().Invariants; !inv.OK {")
	w.line("\t\t\tt.Fatalf(\"at %%d ms the safety checker failed: %%+v\", s.Now(), inv.Violations)")
	w.line("\t\t}")
	w.line("\t}")
	w.line("")
}

// wantFinal writes the final state as the test's want and the comparison
// of the replayed run's state with it.
func (w *writer) wantFinal(final Final) {
	w.line("\ttype node struct {")
	w.line("\t\tID     string")
	w.line("\t\tUp     bool")
	w.line("\t\tRole   string")
	w.line("\t\tTerm   uint64")
	w.line("\t\tCommit uint64")
	w.line("\t\tKV     []sim.KV")
	w.line("\t}")
	w.line("\twant := []node{")
	for _, n := range final.Nodes {
		kv := "nil"
		if len(n.KV) > 0 {
			parts := make([]string, len(n.KV))
			for i, p := range n.KV {
				parts[i] = fmt.Sprintf("{Key: %s, Value: %d}", strconv.Quote(p.Key), p.Value)
			}
			kv = "[]sim.KV{" + strings.Join(parts, ", ") + "}"
		}
		w.line("\t\t{ID: %s, Up: %v, Role: %s, Term: %d, Commit: %d, KV: %s},",
			strconv.Quote(n.ID), n.Up, strconv.Quote(n.Role), n.Term, n.CommitIndex, kv)
	}
	w.line("\t}")
	w.line("\tst := s.State()")
	w.line("\tif st.Leader != %s {", strconv.Quote(final.Leader))
	w.line("\t\tt.Errorf(\"leader = %%q, want %%q\", st.Leader, %s)", strconv.Quote(final.Leader))
	w.line("\t}")
	w.line("\tif len(st.Nodes) != len(want) {")
	w.line("\t\tt.Fatalf(\"%%d nodes, want %%d\", len(st.Nodes), len(want))")
	w.line("\t}")
	w.line("\tfor i, n := range st.Nodes {")
	w.line("\t\tgot := node{ID: n.ID, Up: n.Up, Role: n.Role, Term: n.Term, Commit: n.CommitIndex, KV: n.KV}")
	w.line("\t\tif w := want[i]; got.ID != w.ID || got.Up != w.Up || got.Role != w.Role || got.Term != w.Term ||")
	w.line("\t\t\tgot.Commit != w.Commit || !slices.Equal(got.KV, w.KV) {")
	w.line("\t\t\tt.Errorf(\"node %%d:\\n got %%+v\\nwant %%+v\", i, got, w)")
	w.line("\t\t}")
	w.line("\t}")
}

type writer struct{ strings.Builder }

func (w *writer) line(format string, args ...any) {
	if format == "" {
		w.WriteByte('\n')
		return
	}
	w.WriteString(fmt.Sprintf(format, args...))
	w.WriteByte('\n')
}

// goString writes s as a Go string literal: a raw string when it can be one
// (readable, multi-line), else an interpreted one.
func goString(s string) string {
	if utf8.ValidString(s) && !strings.ContainsAny(s, "`\r\x00\ufeff") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// PackageNameProblem says why s cannot name a Go package ("not an
// identifier", "a Go keyword", "the blank identifier"), or "" when it can.
// The JS API's checks (wasm/bridge, web/raft-sandbox.js) use the same rule.
func PackageNameProblem(s string) string {
	switch {
	case s == "_":
		return "the blank identifier"
	case isKeyword(s):
		return "a Go keyword"
	case !isIdentifier(s):
		return "not an identifier"
	}
	return ""
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return !isKeyword(s)
}

func isKeyword(s string) bool {
	switch s {
	case "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
		"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
		"return", "select", "struct", "switch", "type", "var":
		return true
	}
	return false
}

// oneLine makes s fit in a line comment: invalid UTF-8 and unprintable
// characters become spaces, and runs of spaces (newlines included) collapse.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, " "))
	return strings.Join(strings.Fields(s), " ")
}

// wrap splits text into lines of at most width bytes at spaces (a longer word
// stays whole).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
