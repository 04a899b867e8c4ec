package export

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

func sampleFinal() Final {
	return Final{Now: 2500, Leader: "B", Nodes: []Node{
		{ID: "A", Up: false, Role: "follower", Term: 2, CommitIndex: 3},
		{ID: "B", Up: true, Role: "leader", Term: 3, CommitIndex: 4, KV: []KV{{"x", 7}, {"y", -1}}},
		{ID: "C", Up: true, Role: "follower", Term: 3, CommitIndex: 4, KV: []KV{{"x", 7}, {"y", -1}}},
	}}
}

// parse checks that src is gofmt-clean Go and returns its syntax tree.
func parse(t *testing.T, src []byte) *ast.File {
	t.Helper()
	formatted, err := format.Source(src)
	if err != nil {
		t.Fatalf("generated source does not parse: %v\n%s", err, src)
	}
	if !bytes.Equal(formatted, src) {
		t.Fatalf("generated source is not gofmt-clean:\n--- got\n%s\n--- gofmt\n%s", src, formatted)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "gen_test.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// constValue returns the value of the string constant name declared in fn.
func constValue(t *testing.T, f *ast.File, name string) string {
	t.Helper()
	var val string
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != name {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Fatalf("const %s is not a string literal", name)
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		val, found = v, true
		return false
	})
	if !found {
		t.Fatalf("no const %s in the generated test", name)
	}
	return val
}

func funcNames(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			names = append(names, fn.Name.Name)
		}
	}
	return names
}

func TestGoTestIsGofmtCleanAndCarriesTheRun(t *testing.T) {
	scenarios := []string{
		"nodes 3\nseed 7\nat 500ms request SET 5\n",
		"title \"a `quoted` run\"\nnodes 3\n", // a backquote forces an interpreted literal
		"nodes 3\r\nseed 1\r\n",               // so does a carriage return
		"nodes 3\n# 中文 comment\n",
	}
	for _, sc := range scenarios {
		src, err := GoTest("partition, then heal", Run{Scenario: sc}, sampleFinal(), Options{Comment: "Found on the page.\nTwo lines."})
		if err != nil {
			t.Fatal(err)
		}
		f := parse(t, src)
		if got := constValue(t, f, "scenario"); got != sc {
			t.Errorf("scenario constant = %q, want %q", got, sc)
		}
		if f.Name.Name != "sim_test" {
			t.Errorf("package %s, want sim_test", f.Name.Name)
		}
		if names := funcNames(f); len(names) != 1 || names[0] != "TestPartitionThenHeal" {
			t.Errorf("functions %v, want [TestPartitionThenHeal]", names)
		}
		for _, want := range []string{`sim.FromScenario(scenario)`, `const end = 2500`, `st.Leader != "B"`,
			`{ID: "B", Up: true, Role: "leader", Term: 3, Commit: 4, KV: []sim.KV{{Key: "x", Value: 7}, {Key: "y", Value: -1}}},`,
			`{ID: "A", Up: false, Role: "follower", Term: 2, Commit: 3, KV: nil},`, "// Found on the page. Two lines."} {
			if !bytes.Contains(src, []byte(want)) {
				t.Errorf("generated test lacks %q:\n%s", want, src)
			}
		}
	}
}

func TestGoTestFromShare(t *testing.T) {
	src, err := GoTest("", Run{Share: "v1.abc-_"}, sampleFinal(), Options{Package: "regress", SimImport: "example.com/x/sim"})
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, src)
	if got := constValue(t, f, "share"); got != "v1.abc-_" {
		t.Errorf("share constant = %q", got)
	}
	if f.Name.Name != "regress" || f.Imports[len(f.Imports)-2].Path.Value != `"example.com/x/sim"` ||
		f.Imports[len(f.Imports)-1].Path.Value != `"example.com/x/sim/scenario"` {
		t.Errorf("package %s, imports %v", f.Name.Name, f.Imports)
	}
	if names := funcNames(f); len(names) != 1 || names[0] != "TestRegression" {
		t.Errorf("functions %v", names)
	}
	if !bytes.Contains(src, []byte("scenario.DecodeShare(share)")) || !bytes.Contains(src, []byte("sim.FromScript(script)")) {
		t.Error("does not rebuild from the share string")
	}
}

func TestGoTestRejectsBadInput(t *testing.T) {
	good := sampleFinal()
	dup := sampleFinal()
	dup.Nodes[1].ID = "A"
	noLeader := sampleFinal()
	noLeader.Leader = "Z"
	past := sampleFinal()
	past.Now = -1
	cases := []struct {
		name  string
		run   Run
		final Final
		opt   Options
		want  string
	}{
		{"no run", Run{}, good, Options{}, "exactly one"},
		{"both runs", Run{Scenario: "nodes 3", Share: "x"}, good, Options{}, "exactly one"},
		{"keyword package", Run{Share: "x"}, good, Options{Package: "func"}, "package name"},
		{"bad package", Run{Share: "x"}, good, Options{Package: "a-b"}, "package name"},
		{"no nodes", Run{Share: "x"}, Final{}, Options{}, "nodes"},
		{"repeated id", Run{Share: "x"}, dup, Options{}, "repeated"},
		{"unknown leader", Run{Share: "x"}, noLeader, Options{}, "leader"},
		{"negative time", Run{Share: "x"}, past, Options{}, "negative"},
	}
	for _, c := range cases {
		_, err := GoTest("x", c.run, c.final, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func TestTestName(t *testing.T) {
	cases := map[string]string{
		"":                      "TestRegression",
		"  ":                    "TestRegression",
		"partition, then heal":  "TestPartitionThenHeal",
		"split-vote_2":          "TestSplitVote2",
		"3 nodes":               "Test_3Nodes",
		"已经 leader crash":       "TestLeaderCrash",
		"TestAlready":           "TestTestAlready",
		"chaos seed 12 (ack)":   "TestChaosSeed12Ack",
		"\x00\xff bad bytes ok": "TestBadBytesOk",
	}
	for in, want := range cases {
		if got := TestName(in); got != want {
			t.Errorf("TestName(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzGoTest(f *testing.F) {
	f.Add("label", "nodes 3\n", "comment", "A", "x", int64(5))
	f.Add("", "`\r\n\x00", "\xff", "", "", int64(-1))
	f.Fuzz(func(t *testing.T, label, scenario, comment, id, key string, value int64) {
		final := Final{Now: 10, Nodes: []Node{{ID: id, Role: "follower", KV: []KV{{key, value}}}}}
		src, err := GoTest(label, Run{Scenario: scenario}, final, Options{Comment: comment})
		if err != nil {
			return
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "gen_test.go", src, 0); err != nil {
			t.Fatalf("generated source does not parse: %v\n%s", err, src)
		}
	})
}
