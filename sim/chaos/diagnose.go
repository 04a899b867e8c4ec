package chaos

import (
	"fmt"
	"slices"
	"strings"

	"raftsandbox/sim"
)

// Alarm classes (Failure.Class): what kind of failure a run found. Only the
// first two are safety failures; a soak stops at those and goes on past the
// others.
const (
	ClassInvariants      = "safety: invariant"                  // the simulator's checker halted the run
	ClassLinearizability = "safety: not linearizable"           // porcupine found no linearization
	ClassDisruptive      = "liveness: disruptive node"          // no leader: a node that cannot win keeps raising the term
	ClassSplitVotes      = "liveness: split votes"              // no leader: nodes that could win keep splitting the votes
	ClassNoQuorum        = "liveness: no quorum can be reached" // no leader: no up node can gather a majority of its configuration
	ClassPending         = "liveness: requests unresolved"      // a leader, but requests still pending
	ClassHarness         = "harness"                            // the runner or the simulator refused to go on
)

// IsSafety reports whether a failure of this class breaks safety (rather
// than liveness, or the harness).
func IsSafety(class string) bool {
	return class == ClassInvariants || class == ClassLinearizability
}

// electionCounts counts, per node, the elections it started (Candidate) and
// the pre-votes it asked for (PreCandidate) since the faults stopped.
type electionCounts struct {
	candidate, preCandidate map[string]int
}

func (c *electionCounts) note(e sim.Event) {
	if c.candidate == nil {
		c.candidate, c.preCandidate = map[string]int{}, map[string]int{}
	}
	switch e.Key {
	case sim.KeyBecameCandidate:
		c.candidate[e.Node]++
	case sim.KeyBecamePreCandidate:
		c.preCandidate[e.Node]++
	}
}

// diagnoseNoLeader explains why the cluster has no leader, from its state
// and the elections since the faults stopped. A node can win when it is up,
// a voter of its own configuration, and a majority of that configuration is
// up with a log no more up to date than its own (§5.4.1: they would grant
// their vote). Then:
//
//   - no node can win: ClassNoQuorum (e.g. a configuration that still counts
//     a node that is down or gone);
//   - pre-vote is off and a node that cannot win started two elections or
//     more since the faults stopped: ClassDisruptive, naming the one that
//     started the most: each of its elections raises the term and ends the
//     round of a node that could win (thesis §9.6: pre-vote prevents this);
//   - otherwise ClassSplitVotes: only nodes that can win keep starting
//     elections, and their rounds collide (§5.2: randomized timeouts make
//     this rare, not impossible).
func diagnoseNoLeader(st sim.State, preVote bool, ec electionCounts) (class, why string) {
	var up []sim.NodeView
	byID := map[string]sim.NodeView{}
	for _, n := range st.Nodes {
		if n.Up && !n.Removed {
			up = append(up, n)
			byID[n.ID] = n
		}
	}
	var winners, losers []string
	reasons := map[string]string{}
	for _, c := range up {
		if r := whyCannotWin(c, byID); r != "" {
			losers = append(losers, c.ID)
			reasons[c.ID] = r
		} else {
			winners = append(winners, c.ID)
		}
	}
	// The node that cannot win and started the most elections (pre-votes
	// when pre-vote is on), ties broken by the highest term.
	counts := ec.candidate
	if preVote {
		counts = ec.preCandidate
	}
	eager, most := "", 0
	for _, id := range losers {
		if k := counts[id]; k > most || (k == most && k > 0 && byID[id].Term > byID[eager].Term) {
			eager, most = id, k
		}
	}
	terms := ""
	for _, n := range up {
		terms += fmt.Sprintf(" %s:t%d,%d@%d,%d-elections", n.ID, n.Term, n.LastIndex, n.LastTerm, ec.candidate[n.ID])
	}
	switch {
	case len(winners) == 0:
		var parts []string
		for _, id := range losers {
			parts = append(parts, fmt.Sprintf("%s (%s)", id, reasons[id]))
		}
		return ClassNoQuorum, fmt.Sprintf("no up node can win: %s;%s", strings.Join(parts, ", "), terms)
	case !preVote && most >= 2:
		return ClassDisruptive, fmt.Sprintf("%s cannot win (%s) but started %d elections, each raising the term, "+
			"while %s could win; pre-vote is off;%s", eager, reasons[eager], most, strings.Join(winners, ","), terms)
	default:
		return ClassSplitVotes, fmt.Sprintf("%s could win but the votes keep splitting (pre-vote %v);%s",
			strings.Join(winners, ","), preVote, terms)
	}
}

// whyCannotWin says why up node c cannot win an election now, or "" when it
// can: a majority of its configuration is up (in up) with a log no more up to
// date than its own.
func whyCannotWin(c sim.NodeView, up map[string]sim.NodeView) string {
	if !slices.Contains(c.Voters, c.ID) {
		return "it is not a voter of its configuration " + strings.Join(c.Voters, ",")
	}
	var yes, downOrGone, ahead []string
	for _, v := range c.Voters {
		n, ok := up[v]
		switch {
		case !ok:
			downOrGone = append(downOrGone, v)
		case c.LastTerm < n.LastTerm || (c.LastTerm == n.LastTerm && c.LastIndex < n.LastIndex):
			ahead = append(ahead, v) // §5.4.1: n would refuse its vote
		default:
			yes = append(yes, v)
		}
	}
	if len(yes) > len(c.Voters)/2 {
		return ""
	}
	r := fmt.Sprintf("its configuration %s needs %d votes", strings.Join(c.Voters, ","), len(c.Voters)/2+1)
	if len(ahead) > 0 {
		r += fmt.Sprintf("; its log (%d@%d) is behind %s", c.LastIndex, c.LastTerm, strings.Join(ahead, ","))
	}
	if len(downOrGone) > 0 {
		verb := "is"
		if len(downOrGone) > 1 {
			verb = "are"
		}
		r += fmt.Sprintf("; %s %s down or removed", strings.Join(downOrGone, ","), verb)
	}
	return r
}
