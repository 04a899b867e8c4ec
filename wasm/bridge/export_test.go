package bridge

import (
	"strings"
	"testing"

	"raftsandbox/sim"
	"raftsandbox/sim/scenario"
)

// exportRun makes a run worth exporting: an election, a write, a crash, a
// partition and a write to the minority, a heal, a restart, new settings, a
// cut link, a forced timeout, a new node and a read.
func exportRun(t *testing.T, r *Registry, opts string) int {
	t.Helper()
	h := mustCreate(t, r, opts)
	for _, c := range []struct {
		op   Op
		args []Arg
	}{
		{OpAdvance, []Arg{Num(1000)}},
		{OpRequest, []Arg{Str("SET 5")}},
		{OpAdvance, []Arg{Num(300)}},
		{OpCrash, []Arg{Str("A")}},
		{OpPartition, []Arg{Str("B|C,D,E")}},
		{OpRequest, []Arg{Str("ADD 2"), Str("B")}},
		{OpAdvance, []Arg{Num(1200)}},
		{OpHeal, nil},
		{OpRestart, []Arg{Str("A")}},
		{OpConfigure, []Arg{Str("latencyMinMs=5;latencyMaxMs=15;dropRate=0x3fb999999999999a;preVote=1")}},
		{OpCut, []Arg{Str("C"), Str("D")}},
		{OpTimeout, []Arg{Str("E")}},
		{OpAdvance, []Arg{Num(1500)}},
		{OpAddNode, nil},
		{OpAdvance, []Arg{Num(600)}},
		{OpRequest, []Arg{Str("GET x")}},
		{OpAdvance, []Arg{Num(500)}},
	} {
		if _, err := r.Call(h, c.op, c.args); err != nil {
			t.Fatalf("op %d: %v", c.op, err)
		}
	}
	return h
}

// between returns the text between the first open and the next close.
func between(t *testing.T, s, open, close string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, open)
	inner, _, ok2 := strings.Cut(rest, close)
	if !ok || !ok2 {
		t.Fatalf("no %q...%q in\n%s", open, close, s)
	}
	return inner
}

// TestExportGoTestReplays checks that the exported test replays the same run:
// its scenario script (or share string), run to its end time, gives the
// state the sandbox is in, and the source states that state.
func TestExportGoTestReplays(t *testing.T) {
	for _, useShare := range []bool{false, true} {
		r := NewRegistry()
		h := exportRun(t, r, "nodes=5;seed=9")
		args := []Arg{Str("crash, then partition"), Undefined_(), Undefined_(), Undefined_(), BoolArg(useShare)}
		res, err := r.Call(h, OpExportGoTest, args)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := res.(string)
		for _, want := range []string{"package sim_test\n", "func TestCrashThenPartition(t *testing.T) {", "const end = 5100 // virtual ms",
			`{ID: "F", Up: true,`, "Exported from Raft Sandbox."} {
			if !strings.Contains(src, want) {
				t.Errorf("share=%v: the source lacks %q:\n%s", useShare, want, src)
			}
		}
		var s *sim.Sim
		if useShare {
			script, err := scenario.DecodeShare(between(t, src, "const share = `", "`"))
			if err != nil {
				t.Fatal(err)
			}
			s, err = sim.FromScript(script)
			if err != nil {
				t.Fatal(err)
			}
		} else {
			text := between(t, src, "const scenario = `", "`")
			if s, err = sim.FromScenario(text); err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
		}
		if err := s.Advance(5100 - s.Now()); err != nil {
			t.Fatal(err)
		}
		orig := r.sandboxes[h].sim
		var a, b jsonWriter
		st1, st2 := orig.State(), s.State()
		a.state(&st1, -1, 0)
		b.state(&st2, -1, 0)
		if string(a.b) != string(b.b) {
			t.Errorf("share=%v: the exported run ends elsewhere:\n got %s\nwant %s", useShare, b.b, a.b)
		}
	}
}

func TestExportGoTestOptions(t *testing.T) {
	r := NewRegistry()
	h := exportRun(t, r, "nodes=5;seed=9;bugForgetVoteOnRestart=1")
	res, err := r.Call(h, OpExportGoTest, []Arg{Null_(), Str("Found by hand."), Str("regress"), Str("example.com/fork/sim")})
	if err != nil {
		t.Fatal(err)
	}
	src := res.(string)
	for _, want := range []string{"package regress\n", "\t\"example.com/fork/sim\"\n", "// Found by hand.\n", "func TestRegression(", "bug forget-vote-on-restart\n"} {
		if !strings.Contains(src, want) {
			t.Errorf("the source lacks %q:\n%s", want, src)
		}
	}

	// A scenario's title names the test when no name is given.
	h2, err := r.Create([]Arg{Undefined_(), Undefined_(), Str("partition")})
	if err != nil {
		t.Fatal(err)
	}
	res, err = r.Call(h2, OpExportGoTest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if src := res.(string); !strings.Contains(src, "func TestPartitionAndHeal(t *testing.T) {") {
		t.Errorf("the test is not named after the scenario's title:\n%s", src)
	}

	sig := "exportGoTest({ name, comment, package, simImport, share }): "
	cases := []struct {
		args []Arg
		want string
	}{
		{[]Arg{Num(5)}, sig + `name must be a label such as "split vote", got 5`},
		{[]Arg{Str(strings.Repeat("n", MaxExportName+1))}, sig + "name is too long (201 characters; at most 200)"},
		{[]Arg{Undefined_(), OtherArg("object")}, sig + "comment must be a sentence about the run, got a object"},
		{[]Arg{Undefined_(), Undefined_(), Str("1abc")}, sig + `package must be a Go package name such as "sim_test", got "1abc" (not an identifier)`},
		{[]Arg{Undefined_(), Undefined_(), Str("_")}, `got "_" (the blank identifier)`},
		{[]Arg{Undefined_(), Undefined_(), Str("func")}, sig + `package must be a Go package name such as "sim_test", got "func" (a Go keyword)`},
		{[]Arg{Undefined_(), Undefined_(), Undefined_(), Str("a//b")}, sig + `simImport must be an import path such as "raftsandbox/sim", got "a//b"`},
		{[]Arg{Undefined_(), Undefined_(), Undefined_(), Str("/abs")}, `got "/abs"`},
		{[]Arg{Undefined_(), Undefined_(), Undefined_(), Str("a b")}, `got "a b"`},
		{[]Arg{Undefined_(), Undefined_(), Undefined_(), Undefined_(), Str("yes")}, sig + `share must be true or false, got "yes"`},
	}
	for _, c := range cases {
		_, err := r.Call(h, OpExportGoTest, c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.args, err, c.want)
		}
	}
}

func Undefined_() Arg { return Arg{Kind: Undefined} }
func Null_() Arg      { return Arg{Kind: Null} }
