package scenario

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestBuiltins(t *testing.T) {
	list := Builtins()
	wantNames := []string{"single-node", "states", "election", "leader-crash", "split-vote", "replication", "partition",
		"figure8", "prevote", "checkquorum", "snapshot", "membership", "reads", "transfer"}
	if got := BuiltinNames(); strings.Join(got, " ") != strings.Join(wantNames, " ") {
		t.Fatalf("BuiltinNames() = %v, want %v (one per tutorial chapter, in order)", got, wantNames)
	}
	for i, b := range list {
		if b.Chapter != i+1 {
			t.Errorf("%s: chapter %d, want %d", b.Name, b.Chapter, i+1)
		}
		s, err := Parse(b.Text)
		if err != nil {
			t.Errorf("%s: %v", b.Name, err)
			continue
		}
		if s.Title == "" {
			t.Errorf("%s: no title", b.Name)
		}
		if len(s.Expects) < 3 {
			t.Errorf("%s: only %d expectations: a built-in scenario is a test", b.Name, len(s.Expects))
		}
		last := s.Expects[len(s.Expects)-1]
		if last.Kind != ExpectInvariants || last.Status != "ok" {
			t.Errorf("%s: the last expectation is %q, want expect invariants ok", b.Name, last.String())
		}
		// The default timing: the tutorial tells the seed's numbers. (A
		// chapter may pick the random seed, to find a run that shows its
		// point by itself rather than by a staged fault.)
		// The chapters of "Raft in depth" may set the protocol and timing
		// they are about (pre-vote, check-quorum, compaction, long
		// timeouts), but never a bug: they tell the real Raft.
		d := Defaults()
		d.Nodes, d.Seed = s.Config.Nodes, s.Config.Seed
		if b.Chapter >= FirstDeepChapter {
			d = s.Config
			d.Bugs = Defaults().Bugs
		}
		if s.Config != d {
			t.Errorf("%s: config %+v differs from the defaults in more than the node count and seed", b.Name, s.Config)
		}
		if len(s.Beats) < 3 {
			t.Errorf("%s: %d beats: the tutorial tells every chapter beat by beat", b.Name, len(s.Beats))
		}
		text, ok := Builtin(b.Name)
		if !ok || text != b.Text {
			t.Errorf("Builtin(%q) = %q, %v", b.Name, text, ok)
		}
		roundTrip(t, s)
	}
	if _, ok := Builtin("no-such-scenario"); ok {
		t.Error("Builtin of an unknown name")
	}
	// Builtins returns a copy: callers cannot change the embedded list.
	list[0].Text = "changed"
	if Builtins()[0].Text == "changed" {
		t.Error("Builtins shares its slice")
	}
}

// TestBuiltinStories checks the story each tutorial chapter tells, beyond
// "it parses": the actions and expectations the narration relies on.
func TestBuiltinStories(t *testing.T) {
	has := func(name string, want ...string) {
		t.Helper()
		text, _ := Builtin(name)
		canon := Format(mustParse(t, text))
		for _, w := range want {
			if !strings.Contains(canon, w) {
				t.Errorf("%s: missing %q in\n%s", name, w, canon)
			}
		}
	}
	has("single-node", "nodes 1\n", "request SET 5\n", "expect x = 5 on all")
	has("states", "nodes 3\n", "holds role follower on all\n", "until role candidate on A within", "until leader A", "request SET 5\n", "until x = 5 on all")
	has("election", "nodes 5\n", "at 0ms expect no leader\n", "until role candidate on B within", "until leader B within")
	has("leader-crash", "crash B\n", "expect leader in A,C,D,E within", "expect term >= 2", "restart B\n")
	has("split-vote", "nodes 4\n", "at 0ms timeout A\nat 0ms timeout C\n", "until votes = 2 on A,C", "holds no leader\n", "expect term >= 2 on all")
	has("replication", "request SET 5\n", "request ADD 2\n", "expect x = 7 on all", "expect request 1 pending\n",
		"until request 1 committed = 5", "crash D\n", "crash E\n", "crash C\n", "until request 4 pending", "until x = 10 on all")
	has("partition", "nodes 5\n", "partition A,B | C,D,E\n", "request SET 8 to B\n", "until request 1 pending\n",
		"expect request 2 committed", "heal\n", "until role follower on B", "until logs converged", "holds role leader on B\n")
}

// TestBuiltinFiles checks the table of built-ins against builtin/: every
// N-name.scn file is in it with its chapter and its exact text, and nothing
// else is.
func TestBuiltinFiles(t *testing.T) {
	entries, err := os.ReadDir("builtin")
	if err != nil {
		t.Fatal(err)
	}
	list := Builtins()
	if len(entries) != len(list) {
		t.Fatalf("builtin/ has %d files, the table in builtin.go %d: add a //go:embed line and a row for each file", len(entries), len(list))
	}
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".scn"), "-")
		ch, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".scn") {
			t.Errorf("builtin/%s: want a name like 3-election.scn", e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join("builtin", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range list {
			if b.Name == name {
				found = true
				if b.Chapter != ch {
					t.Errorf("%s: chapter %d in the table, %d in the file name", name, b.Chapter, ch)
				}
				if b.Text != string(data) {
					t.Errorf("%s: the embedded text differs from builtin/%s", name, e.Name())
				}
			}
		}
		if !found {
			t.Errorf("builtin/%s is not in the table in builtin.go", e.Name())
		}
	}
}

// A variant of a built-in ("NAME with LINE; LINE") puts header lines at the
// top and replaces the script's own prevote and checkquorum lines; anything
// else is not a built-in name.
func TestBuiltinVariant(t *testing.T) {
	text, ok := Builtin("checkquorum with checkquorum off; bug read-without-read-index")
	if !ok {
		t.Fatal("variant not found")
	}
	s, err := Parse(text)
	if err != nil {
		t.Fatalf("variant does not parse: %v\n%s", err, text)
	}
	if s.Config.CheckQuorum || !s.Config.PreVote || !s.Config.Bugs.ReadWithoutReadIndex {
		t.Fatalf("variant config %+v", s.Config)
	}
	base, _ := Builtin("checkquorum")
	b := mustParse(t, base)
	if len(s.Beats) != 0 || len(b.Actions) != len(s.Actions) || len(s.Expects) != len(b.Expects)+len(b.Beats) {
		t.Fatalf("the variant has %d beats, %d actions, %d expectations; want none, %d, %d (its until lines become expectations)",
			len(s.Beats), len(s.Actions), len(s.Expects), len(b.Actions), len(b.Expects)+len(b.Beats))
	}
	for i := range b.Actions {
		if b.Actions[i].At != s.Actions[i].At {
			t.Fatalf("action %d moved from %d to %d ms", i, b.Actions[i].At, s.Actions[i].At)
		}
	}
	// every built-in has variants that parse
	for _, name := range BuiltinNames() {
		if text, ok := Builtin(name + " with bug vote-without-log-check; prevote on"); !ok {
			t.Errorf("%s: no variant", name)
		} else if _, err := Parse(text); err != nil {
			t.Errorf("%s's variant does not parse: %v", name, err)
		}
	}
	for _, bad := range []string{"checkquorum with", "checkquorum with nodes 3", "checkquorum with bug typo",
		"checkquorum with prevote maybe", "nothing with prevote on", "checkquorum  with prevote on"} {
		if _, ok := Builtin(bad); ok {
			t.Errorf("Builtin(%q) is a variant", bad)
		}
	}
}

// withHeader line by line: header lines first; the replaced settings, beat,
// show and holds lines and blank lines dropped; until, alone or after a
// time, becomes expect; everything else kept as written.
func TestWithHeaderLines(t *testing.T) {
	text := "title \"t\"\nprevote off\n\nbeat 1.1\nshow A\nafter 1s until leader\nholds term = 1\n  until no leader\nat 2s\ncheckquorum on\nat 3s crash A # until"
	got, ok := withHeader(text, "prevote on; bug ack-before-durable")
	want := "prevote on\nbug ack-before-durable\ntitle \"t\"\nafter 1s expect leader\n  expect no leader\nat 2s\ncheckquorum on\nat 3s crash A # until"
	if !ok || got != want {
		t.Fatalf("withHeader:\n%s\nwant:\n%s", got, want)
	}
}
