package sim

import (
	"fmt"
	"slices"

	"raftsandbox/raft"
	"raftsandbox/sim/scenario"
)

// Expectation statuses.
const (
	ExpectWaiting = "waiting" // its time has not come
	ExpectPending = "pending" // evaluated, not yet true, still within its window
	ExpectPassed  = "passed"
	ExpectFailed  = "failed"
)

// ExpectResult is the verdict on one expectation of a scenario script.
type ExpectResult struct {
	Text      string // the expectation as the script prints it
	At        int64
	Within    int64
	Status    string // ExpectWaiting, ExpectPending, ExpectPassed, ExpectFailed
	DecidedAt int64  // when it passed or failed; -1 otherwise
}

// planItem is one step of a scenario: an action or an expectation, at a time.
type planItem struct {
	at     int64
	action *Action
	expect int // index into expectRunner.results (unused with an action)
}

// expectRunner evaluates a script's expectations as time passes, with the
// rules of package scenario: evaluated at At after the actions before it;
// if false and Within > 0 it stays pending and passes at the first event
// after which it holds, or fails once the clock passes At+Within.
type expectRunner struct {
	exps    []scenario.Expect
	results []ExpectResult
	pending []int
}

func newExpectRunner(script *scenario.Script) *expectRunner {
	r := &expectRunner{exps: script.Expects}
	for _, e := range script.Expects {
		r.results = append(r.results, ExpectResult{Text: e.String(), At: e.At, Within: e.Within,
			Status: ExpectWaiting, DecidedAt: -1})
	}
	return r
}

func planOf(script *scenario.Script) []planItem {
	if script == nil {
		return nil
	}
	var plan []planItem
	k := 0
	for _, st := range script.Steps() {
		if st.Action != nil {
			a := *st.Action
			plan = append(plan, planItem{at: st.At, action: &a})
		} else {
			plan = append(plan, planItem{at: st.At, expect: k})
			k++
		}
	}
	return plan
}

func (r *expectRunner) begin(k int, s *Sim) {
	res := &r.results[k]
	if evalExpect(&r.exps[k], s) {
		res.Status, res.DecidedAt = ExpectPassed, s.now
	} else if r.exps[k].Within == 0 {
		res.Status, res.DecidedAt = ExpectFailed, s.now
	} else {
		res.Status = ExpectPending
		r.pending = append(r.pending, k)
	}
}

// check re-evaluates the pending expectations after an event.
func (r *expectRunner) check(s *Sim) {
	if len(r.pending) == 0 {
		return
	}
	kept := r.pending[:0]
	for _, k := range r.pending {
		if evalExpect(&r.exps[k], s) {
			r.results[k].Status, r.results[k].DecidedAt = ExpectPassed, s.now
			continue
		}
		kept = append(kept, k)
	}
	r.pending = kept
}

// expire fails the pending expectations whose window closed before t.
// (Not inlined, so that Sim.setNow, which runs for every event, is.)
//
//go:noinline
func (r *expectRunner) expire(t int64) {
	if len(r.pending) == 0 {
		return
	}
	kept := r.pending[:0]
	for _, k := range r.pending {
		if e := &r.exps[k]; e.At+e.Within < t {
			r.results[k].Status, r.results[k].DecidedAt = ExpectFailed, e.At+e.Within
			continue
		}
		kept = append(kept, k)
	}
	r.pending = kept
}

// Expectations returns the verdict on each expectation of the scenario (nil
// without a scenario).
func (s *Sim) Expectations() []ExpectResult {
	if s.expects == nil {
		return nil
	}
	return slices.Clone(s.expects.results)
}

// ScriptEnd is the virtual time the scenario lasts until (0 without one).
func (s *Sim) ScriptEnd() int64 {
	if s.script == nil {
		return 0
	}
	return s.script.End
}

// RunScript advances to the scenario's end and reports the first failed
// expectation (or a safety violation) as an error.
func (s *Sim) RunScript() error {
	if err := s.Advance(max(s.ScriptEnd()-s.now, 0)); err != nil {
		return err
	}
	for _, r := range s.Expectations() {
		if r.Status != ExpectPassed {
			return fmt.Errorf("expectation %q (at %d ms) %s", r.Text, r.At, r.Status)
		}
	}
	return nil
}

// scopeNodes lists the nodes an expectation talks about; majority reports
// whether it needs a majority of voters rather than all of them.
func scopeNodes(e *scenario.Expect, s *Sim) (nodes []*simNode, majority bool) {
	switch e.Scope {
	case scenario.ScopeAll:
		for _, n := range s.nodes {
			if n.rn != nil && !n.removed {
				nodes = append(nodes, n)
			}
		}
	case scenario.ScopeMajority:
		for _, i := range s.voterIdx {
			nodes = append(nodes, s.nodes[i])
		}
		majority = true
	default:
		for _, name := range e.Nodes {
			if n, err := s.nodeByName(name); err == nil {
				nodes = append(nodes, n)
			} else {
				return nil, false
			}
		}
	}
	return nodes, majority
}

func evalExpect(e *scenario.Expect, s *Sim) bool {
	switch e.Kind {
	case scenario.ExpectLeader:
		if s.leader < 0 {
			return false
		}
		return len(e.Nodes) == 0 || slices.Contains(e.Nodes, s.nodes[s.leader].name)
	case scenario.ExpectNoLeader:
		return s.leader < 0
	case scenario.ExpectInvariants:
		return (e.Status == "ok") == s.chk.ok()
	case scenario.ExpectRequest:
		for _, r := range s.recent {
			if r.id == e.Request {
				return r.status == e.Status && (!e.HasResult || (r.status == StatusCommitted && r.value == e.Value))
			}
		}
		return false
	case scenario.ExpectConverged:
		var first *simNode
		for _, n := range s.nodes {
			if n.rn == nil || n.removed {
				continue
			}
			if n.hs.Commit != n.lastIndex() {
				return false
			}
			if first == nil {
				first = n
				continue
			}
			a, _ := first.chainAt(first.lastIndex())
			b, _ := n.chainAt(n.lastIndex())
			if n.lastIndex() != first.lastIndex() || a != b {
				return false
			}
		}
		return first != nil
	}
	nodes, majority := scopeNodes(e, s)
	if len(nodes) == 0 {
		return false
	}
	good := 0
	for _, n := range nodes {
		if holdsOn(e, n) {
			good++
		}
	}
	if majority {
		return good > len(nodes)/2
	}
	return good == len(nodes)
}

func holdsOn(e *scenario.Expect, n *simNode) bool {
	if e.Kind == scenario.ExpectDown {
		return n.rn == nil && !n.removed
	}
	if n.rn == nil {
		return false
	}
	switch e.Kind {
	case scenario.ExpectKV:
		return n.kv.get(e.Key) == e.Value
	case scenario.ExpectTerm:
		return e.Compare(int64(n.rn.Term()))
	case scenario.ExpectCommit:
		return e.Compare(int64(n.hs.Commit))
	case scenario.ExpectVotes:
		st := &n.status
		n.rn.StatusInto(st)
		return e.Compare(int64(len(st.VotesGranted)))
	case scenario.ExpectRole:
		return n.rn.Role().String() == e.Status
	}
	return false
}

var _ = raft.None
