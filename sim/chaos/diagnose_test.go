package chaos

import (
	"strings"
	"testing"

	"raftsandbox/sim"
)

// TestDiagnoseNoLeader covers each class on made-up clusters.
func TestDiagnoseNoLeader(t *testing.T) {
	abcd := []string{"A", "B", "C", "D"}
	node := func(id string, up bool, last, term uint64, voters []string) sim.NodeView {
		return sim.NodeView{ID: id, Up: up, LastIndex: last, LastTerm: term, Term: 9, Voters: voters}
	}
	counts := func(cand map[string]int) electionCounts {
		return electionCounts{candidate: cand, preCandidate: map[string]int{}}
	}
	cases := []struct {
		name    string
		nodes   []sim.NodeView
		preVote bool
		ec      electionCounts
		class   string
		want    string
	}{
		{"a node behind keeps campaigning", []sim.NodeView{node("A", true, 5, 1, abcd), node("B", true, 5, 1, abcd),
			node("C", true, 4, 1, abcd), node("D", true, 3, 1, abcd)}, false,
			counts(map[string]int{"A": 3, "B": 2, "C": 6, "D": 4}), ClassDisruptive,
			"C cannot win (its configuration A,B,C,D needs 3 votes; its log (4@1) is behind A,B) but started 6 elections"},
		{"only nodes that can win campaign", []sim.NodeView{node("A", true, 5, 1, abcd), node("B", true, 5, 1, abcd),
			node("C", true, 5, 1, abcd), node("D", true, 3, 1, abcd)}, false,
			counts(map[string]int{"A": 5, "B": 4, "C": 6, "D": 1}), ClassSplitVotes, "A,B,C could win but the votes keep splitting"},
		{"pre-vote on", []sim.NodeView{node("A", true, 5, 1, abcd), node("B", true, 5, 1, abcd),
			node("C", true, 4, 1, abcd), node("D", true, 3, 1, abcd)}, true,
			counts(map[string]int{"C": 6}), ClassSplitVotes, "(pre-vote true)"},
		{"a configuration that counts nodes that are gone", []sim.NodeView{node("A", true, 5, 1, abcd), node("B", false, 5, 1, abcd),
			node("C", false, 4, 1, abcd), node("D", true, 5, 2, abcd)}, false,
			counts(map[string]int{"A": 6, "D": 6}), ClassNoQuorum, "A (its configuration A,B,C,D needs 3 votes; its log (5@1) is behind D; B,C are down or removed)"},
		{"not a voter", []sim.NodeView{node("A", true, 5, 1, []string{"B", "C"}), node("B", false, 5, 1, abcd)}, false,
			counts(nil), ClassNoQuorum, "A (it is not a voter of its configuration B,C)"},
	}
	for _, c := range cases {
		class, why := diagnoseNoLeader(sim.State{Nodes: c.nodes}, c.preVote, c.ec)
		if class != c.class || !strings.Contains(why, c.want) {
			t.Errorf("%s: %s: %s\nwant %s containing %q", c.name, class, why, c.class, c.want)
		}
	}
}
