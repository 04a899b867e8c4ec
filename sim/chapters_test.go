package sim

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"raftsandbox/sim/scenario"
)

// runBuiltin builds a built-in scenario (or a variant, "NAME with LINE")
// and returns it with a function that advances it to a virtual moment.
func runBuiltin(t *testing.T, name string) (*Sim, func(at int64) State) {
	t.Helper()
	text, ok := scenario.Builtin(name)
	if !ok {
		t.Fatalf("no built-in %q", name)
	}
	s, err := FromScenario(text)
	if err != nil {
		t.Fatal(err)
	}
	return s, func(at int64) State {
		t.Helper()
		if at > s.Now() {
			if err := s.Advance(at - s.Now()); err != nil && !s.Halted() {
				t.Fatal(err)
			}
		}
		return s.State()
	}
}

func chapterNode(t *testing.T, st State, id string) NodeView {
	t.Helper()
	for _, n := range st.Nodes {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("no node %s", id)
	return NodeView{}
}

func chapterRequest(t *testing.T, st State, id int) RequestView {
	t.Helper()
	for _, r := range st.Requests {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no request %d", id)
	return RequestView{}
}

// beatEnds returns the end of each beat of a built-in, by key.
func beatEnds(t *testing.T, name string) map[string]int64 {
	t.Helper()
	s, _ := runBuiltin(t, name)
	beats, err := s.Beats()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, b := range beats {
		out[b.Key] = b.End
	}
	return out
}

// The "Try it" of the chapters of Raft in depth replays the chapter with a
// setting or a bug changed (Builtin's variants); what each text promises
// happens.
func TestChapterTries(t *testing.T) {
	t.Run("figure8 with the bug: A commits 2..65, E overwrites them, the checker stops the run", func(t *testing.T) {
		s, at := runBuiltin(t, "figure8 with bug commit-old-term-by-count")
		ends := beatEnds(t, "figure8")
		if a := chapterNode(t, at(ends["8.5"]), "A"); a.CommitIndex != 65 || a.Term != 3 {
			t.Fatalf("at 8.5's moment A commits %d in term %d, want 65 in term 3", a.CommitIndex, a.Term)
		}
		st := at(ends["8.7"])
		if !s.Halted() || len(st.Invariants.Violations) == 0 {
			t.Fatalf("the checker did not stop the run: %+v", st.Invariants)
		}
		if v := st.Invariants.Violations[0]; v.Invariant != InvLeaderCompleteness {
			t.Errorf("violation %+v, want leader completeness", v)
		}
	})
	t.Run("prevote with pre-vote: C keeps its term, a leader within 300 ms of the heal", func(t *testing.T) {
		_, at := runBuiltin(t, "prevote with prevote on")
		if c := chapterNode(t, at(1490), "C"); c.Term != 1 {
			t.Fatalf("cut off with pre-vote, C reached term %d", c.Term)
		}
		st := at(1800)
		if st.Leader != "B" && st.Leader != "D" {
			t.Fatalf("no leader among B, D 300 ms after the heal: %q", st.Leader)
		}
		if c := chapterNode(t, st, "C"); c.Term > 2 {
			t.Errorf("C's term %d: it raised it", c.Term)
		}
	})
	t.Run("checkquorum without check-quorum: A stays leader, then B takes over from a healthy leader", func(t *testing.T) {
		_, at := runBuiltin(t, "checkquorum with checkquorum off")
		if a := chapterNode(t, at(2900), "A"); a.Role != "leader" || a.Term != 1 {
			t.Fatalf("behind the wall A is %s in term %d, want leader of term 1", a.Role, a.Term)
		}
		if st := at(5500); st.Leader != "B" {
			t.Fatalf("at the end the leader is %q, want B (it took over)", st.Leader)
		}
	})
	for _, setting := range []string{"prevote on", "checkquorum on"} {
		t.Run("membership with "+setting+": B, removed and cut off, deposes nobody", func(t *testing.T) {
			_, at := runBuiltin(t, "membership with "+setting)
			for ms := int64(4900); ms <= 7400; ms += 100 { // from before the heal to the settings change
				st := at(ms)
				if a := chapterNode(t, st, "A"); st.Leader != "A" || a.Term != 1 {
					t.Fatalf("at %d ms the leader is %q, A in term %d; want A, term 1", ms, st.Leader, a.Term)
				}
			}
		})
	}
	t.Run("reads with the bug: A answers the pinned read at once with the stale 7", func(t *testing.T) {
		_, at := runBuiltin(t, "reads with bug read-without-read-index")
		st := at(2600)
		if r := chapterRequest(t, st, 3); r.Status != "committed" || r.Result != "9" {
			t.Fatalf("SET 9: %+v", r)
		}
		if r := chapterRequest(t, st, 4); r.Status != "committed" || r.Result != "7" {
			t.Fatalf("the read pinned to A: %+v, want committed = 7 (stale)", r)
		}
		if !st.Invariants.OK {
			t.Errorf("a stale read broke a log invariant: %+v", st.Invariants)
		}
	})
}

// What the beats of Raft in depth say and the scenario conditions cannot
// express (log lengths and terms, snapshots, learners, voters, removal),
// checked at the beats' ends.
func TestChapterFacts(t *testing.T) {
	t.Run("figure8", func(t *testing.T) {
		ends := beatEnds(t, "figure8")
		_, at := runBuiltin(t, "figure8")
		st := at(ends["8.2"])
		if b, c := chapterNode(t, st, "B"), chapterNode(t, st, "C"); b.LastIndex != 71 || b.LastTerm != 1 || c.LastIndex != 1 {
			t.Errorf("8.2: B's log ends at %d@%d, C's at %d; want 71@1 and 1", b.LastIndex, b.LastTerm, c.LastIndex)
		}
		st = at(ends["8.3"])
		if e := chapterNode(t, st, "E"); e.LastIndex != 2 || e.LastTerm != 2 {
			t.Errorf("8.3: E's log ends at %d@%d, want its no-op 2@2", e.LastIndex, e.LastTerm)
		}
		st = at(ends["8.4"])
		if a := chapterNode(t, st, "A"); a.LastIndex != 72 || a.LastTerm != 3 {
			t.Errorf("8.4: A's log ends at %d@%d, want its no-op 72@3", a.LastIndex, a.LastTerm)
		}
		st = at(ends["8.5"])
		for _, id := range []string{"C", "D"} {
			if n := chapterNode(t, st, id); n.LastIndex != 65 || n.LastTerm != 1 {
				t.Errorf("8.5: %s's log ends at %d@%d, want 65@1", id, n.LastIndex, n.LastTerm)
			}
		}
		st = at(ends["8.7"])
		for _, id := range []string{"C", "D"} {
			n := chapterNode(t, st, id)
			if n.LastIndex != 3 || len(n.Log) < 2 || n.Log[1].Index != 2 || n.Log[1].Term != 2 {
				t.Errorf("8.7: %s's log %+v, want E's: 2@2, 3@4", id, n.Log)
			}
		}
	})
	t.Run("prevote", func(t *testing.T) {
		ends := beatEnds(t, "prevote")
		_, at := runBuiltin(t, "prevote")
		if d := chapterNode(t, at(ends["9.6"]), "D"); d.Term != 26 || d.Role != "leader" {
			t.Errorf("9.6: D is %s of term %d, want leader of term 26", d.Role, d.Term)
		}
		if ends["9.6"]-1500 < 3500 {
			t.Errorf("9.6: a leader %d ms after the heal, the text says about 4 s", ends["9.6"]-1500)
		}
	})
	t.Run("checkquorum", func(t *testing.T) {
		ends := beatEnds(t, "checkquorum")
		s, at := runBuiltin(t, "checkquorum")
		at(ends["10.7"])
		lease := 0
		for _, e := range s.Events(0) {
			if e.At <= ends["10.5"] {
				continue
			}
			if e.Key == KeyPreVoteRejected && e.Node == "B" && e.Peer == "A" && e.Why.Code == "in-lease" {
				lease++
			}
			if e.Key == KeyBecameCandidate || e.Key == KeyBecameLeader {
				t.Errorf("10.6-10.7: %s %s in term %d: the lease should keep B from it", e.Node, e.Key, e.Term)
			}
		}
		if lease == 0 {
			t.Error("10.7: A never refused B's pre-vote for its lease")
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		ends := beatEnds(t, "snapshot")
		_, at := runBuiltin(t, "snapshot")
		st := at(ends["11.3"])
		for _, id := range []string{"A", "B"} {
			if n := chapterNode(t, st, id); n.SnapshotIndex != 13 || n.LogStart != 14 || n.LastIndex != 15 {
				t.Errorf("11.3: %s snapshot %d, log %d..%d; want 13, 14..15", id, n.SnapshotIndex, n.LogStart, n.LastIndex)
			}
		}
		if c := chapterNode(t, at(ends["11.4"]), "C"); c.SnapshotIndex != 13 {
			t.Errorf("11.4: C's snapshot index %d, want 13 (InstallSnapshot)", c.SnapshotIndex)
		}
	})
	t.Run("membership", func(t *testing.T) {
		ends := beatEnds(t, "membership")
		_, at := runBuiltin(t, "membership")
		st := at(ends["12.2"])
		if a := chapterNode(t, st, "A"); len(a.Learners) != 1 || a.Learners[0] != "D" || len(a.Voters) != 3 {
			t.Errorf("12.2: voters %v, learners %v; want D a learner", a.Voters, a.Learners)
		}
		st = at(ends["12.3"])
		if d := chapterNode(t, st, "D"); d.SnapshotIndex == 0 {
			t.Errorf("12.3: D caught up without a snapshot")
		}
		st = at(ends["12.4"])
		if a := chapterNode(t, st, "A"); len(a.Voters) != 4 || len(a.Learners) != 0 {
			t.Errorf("12.4: voters %v, learners %v; want D promoted", a.Voters, a.Learners)
		}
		st = at(ends["12.5"])
		if a, c := chapterNode(t, st, "A"), chapterNode(t, st, "C"); len(a.Voters) != 3 || !c.Removed || !c.Up {
			t.Errorf("12.5: voters %v, C removed %v, up %v; want C removed, and still running until it learns it", a.Voters, c.Removed, c.Up)
		}
		st = at(ends["12.6"])
		if c := chapterNode(t, st, "C"); !c.Removed || c.Up {
			t.Errorf("12.6: C removed %v, up %v; want shut down once it learned it", c.Removed, c.Up)
		}
		st = at(ends["12.7"])
		if a, b := chapterNode(t, st, "A"), chapterNode(t, st, "B"); len(a.Voters) != 2 || !b.Removed || !b.Up || len(b.Voters) != 3 {
			t.Errorf("12.7: A's voters %v; B removed %v, up %v, its voters %v; want B removed, running, still counting itself", a.Voters, b.Removed, b.Up, b.Voters)
		}
		// 12.9-12.10: B's vote requests depose leader after leader; 12.11:
		// with pre-vote and check-quorum, A leads on; B never learns it and runs
		var elected, deposed []string
		refused := map[string]bool{} // "vote A log" ...: who refused B's requests, and why
		s, _ := runBuiltin(t, "membership")
		if err := s.Advance(ends["12.11"]); err != nil {
			t.Fatal(err)
		}
		for _, e := range s.Events(0) {
			if e.Node == "B" && e.At > ends["12.8"] {
				switch e.Key {
				case KeyVoteGranted, KeyPreVoteGranted:
					t.Errorf("%s granted B's %s at %d ms", e.Peer, e.Key, e.At)
				case KeyVoteRejected:
					if strings.HasPrefix(e.Reason, "log-") { // log-older, log-shorter
						refused["vote "+e.Peer+" log"] = true
					}
				case KeyPreVoteRejected:
					refused["prevote "+e.Peer+" "+e.Reason] = true
				}
			}
			switch {
			case e.Key == KeyNodeLeft && e.Node != "C":
				t.Errorf("%s learned it was removed at %d ms", e.Node, e.At)
			case e.At <= ends["12.8"] || e.At > ends["12.11"]:
			case e.Key == KeyBecameLeader:
				elected = append(elected, fmt.Sprintf("%s@%d", e.Node, e.Term))
			case e.Key == KeyLeaderSteppedDown && e.At < ends["12.10"]+400: // (A, term 18, is deposed just before the settings change)
				deposed = append(deposed, fmt.Sprintf("%s@%d", e.Node, e.Term))
			}
		}
		if want := []string{"D@12", "A@14", "D@16", "A@18", "A@20"}; !slices.Equal(elected, want) {
			t.Errorf("12.9-12.11: leaders %v, want %v", elected, want)
		}
		if want := []string{"A@1", "D@12", "A@14", "D@16", "A@18"}; !slices.Equal(deposed, want) {
			t.Errorf("12.9-12.10: leaders deposed %v, want %v", deposed, want)
		}
		// 12.9: they refuse B's votes on its log; 12.11: its pre-votes, hearing their leader
		for _, k := range []string{"vote A log", "vote D log", "prevote A in-lease", "prevote D in-lease"} {
			if !refused[k] {
				t.Errorf("12.9-12.11: no refusal %q of B's requests (got %v)", k, refused)
			}
		}
		if b := chapterNode(t, s.State(), "B"); !b.Removed || !b.Up || b.Term != 20 {
			t.Errorf("12.11: B removed %v, up %v, term %d; want still running, in A's term", b.Removed, b.Up, b.Term)
		}
	})
}
