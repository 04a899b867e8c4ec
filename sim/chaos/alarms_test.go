package chaos

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"raftsandbox/sim"
)

// The alarms of a soak of about 990,000 seeds (issue 14, docs/chaos.md
// "Alarms found by soaks"), kept as tests. Each runs in milliseconds.

// TestRemovedNodeIsNotRestarted: in seed 13159777, B's removal is proposed
// at 1,370 ms, B crashes at 1,510 ms and the removal commits while B is
// down. When the faults stop, the runner restarts every crashed member, and
// used to restart B too, which the simulator refused ("node B was removed
// from the cluster"). A removed node stays down.
func TestRemovedNodeIsNotRestarted(t *testing.T) {
	var end sim.State
	res, err := Run(13159777, Options{OnEnd: func(s *sim.Sim) { end = s.State() }})
	if err != nil {
		t.Fatal(err)
	}
	var b *sim.NodeView
	for i := range end.Nodes {
		if end.Nodes[i].ID == "B" {
			b = &end.Nodes[i]
		}
	}
	if b == nil || !b.Removed || b.Up {
		t.Fatalf("B at the end: %+v, want removed and down", b)
	}
	if end.Leader == "" || res.Committed == 0 {
		t.Fatalf("the run ended without a leader or a committed request: leader %q, %+v", end.Leader, res)
	}
}

// stall is one liveness alarm: no leader 10 election timeouts after the
// faults stopped, pre-vote off.
type stall struct {
	seed    uint64
	profile string
	// cannotWin is the node that starts the most elections although its log
	// is behind what a majority of its configuration holds: each election
	// raises the term and ends the round of a node that could win.
	cannotWin string
	// leaderMs is when a leader came, from the end of the faults, when the
	// run was given time (docs/chaos.md): Raft's liveness without pre-vote
	// is probabilistic, and a timing that lets a node that can win go first
	// comes at last. The test asserts only that it comes, after the bound.
	leaderMs int64
}

var stalls = []stall{
	{5022752, "default", "E", 3380},
	{13043284, "default", "B", 3560},
	{13085533, "default", "D", 3580},
	{13244086, "default", "A", 3020},
	{11137534, "crashy", "C", 3220},
	{13164268, "crashy", "B", 3580},
	{13171480, "crashy", "B", 3380},
	{7017799, "figure8", "C", 3980},
	// The soak of this session (docs/chaos.md, "Soak figures"): 1,010,997
	// default and 1,035,360 crashy seeds, 16 alarms, all of this kind.
	// (21120813 and 21344654, which removed a node, run differently since a
	// removed node runs until it learns of its removal and the members
	// answer its vote requests: neither stalls any more.)
	{21050734, "default", "B", 3190},
	{21069783, "default", "A", 3260},
	{21358764, "default", "C", 3400},
	{21411817, "default", "E", 3250},
	{22117461, "default", "B", 3080},
	{22258423, "default", "D", 3010},
	{31120662, "crashy", "B", 3210},
	{31452083, "crashy", "C", 3070},
	{32059818, "crashy", "A", 3190},
	{32126649, "crashy", "A", 3030},
	{32165696, "crashy", "A", 3100},
	{32254552, "crashy", "B", 3100},
	{32302160, "crashy", "C", 3160},
	{32388096, "crashy", "A", 3020},
	// The figure8 soak after the speed-up (docs/chaos.md, "Soak figures"),
	// seeds 44,000,001-44,500,000 and 45,000,001-45,500,000: 5 alarms,
	// all of this kind.
	{44421962, "figure8", "C", 3670},
	{44487119, "figure8", "D", 3110},
	{45030875, "figure8", "D", 3070},
	{45095994, "figure8", "A", 3130},
	{45249685, "figure8", "C", 3680},
}

func (c stall) options(t *testing.T) Options {
	p, err := ProfileByName(c.profile)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Profile: p, ProfileName: c.profile}
}

func (c stall) name() string { return fmt.Sprintf("%s/%d", c.profile, c.seed) }

// TestStallsAreDisruptiveNodes: each alarm is classified as a disruptive
// node (a node that cannot win keeps raising the term, pre-vote off), names
// that node, and ends by itself when the run is given more time.
func TestStallsAreDisruptiveNodes(t *testing.T) {
	for _, c := range stalls {
		t.Run(c.name(), func(t *testing.T) {
			opt := c.options(t)
			_, err := Run(c.seed, opt)
			var f *Failure
			if !errors.As(err, &f) {
				t.Fatalf("want a liveness alarm, got %v", err)
			}
			if f.Class != ClassDisruptive || !strings.Contains(f.Detail, "stopped: "+c.cannotWin+" cannot win") {
				t.Fatalf("want class %q naming %s, got:\n%v", ClassDisruptive, c.cannotWin, f)
			}
			if NewPlan(c.seed, opt.Bugs, opt.Profile).Config.PreVote {
				t.Fatal("the plan has pre-vote on")
			}
			opt.LeaderTimeouts = 40
			res, err := Run(c.seed, opt)
			if err != nil || res.LeaderInMs <= LeaderWithinTimeouts*sim.DefaultConfig().ElectionMaxMs {
				t.Fatalf("given 40 election timeouts: leader after %d ms (docs/chaos.md: %d), %v", res.LeaderInMs, c.leaderMs, err)
			}
		})
	}
}

// TestPreVoteEndsTheStalls switches pre-vote on the moment the faults stop
// (which restarts every node from its durable state): a leader comes within
// 4 election timeouts, and the node that could not win never raises the
// term again: its pre-votes fail (thesis §9.6). (Restarting every node
// without pre-vote also ends each of these stalls, later: the stall is a
// coincidence of timers, not a state without a possible leader.)
func TestPreVoteEndsTheStalls(t *testing.T) {
	on := true
	for _, c := range stalls {
		t.Run(c.name(), func(t *testing.T) {
			opt := c.options(t)
			var quiet uint64 // the last event before pre-vote was on
			opt.AfterFaults = func(s *sim.Sim) error {
				ev := s.Events(0)
				quiet = ev[len(ev)-1].Seq
				return s.Configure(sim.Settings{PreVote: &on})
			}
			var events []sim.Event
			opt.OnEnd = func(s *sim.Sim) { events = s.Events(0) }
			res, err := Run(c.seed, opt)
			if err != nil {
				t.Fatal(err)
			}
			if limit := 4 * sim.DefaultConfig().ElectionMaxMs; res.LeaderInMs > limit {
				t.Fatalf("leader after %d ms, want at most %d", res.LeaderInMs, limit)
			}
			if events[0].Seq > quiet {
				t.Fatalf("the event ring starts at event %d, after the faults stopped (%d)", events[0].Seq, quiet)
			}
			pre := 0
			for _, e := range events {
				if e.Seq <= quiet || e.Node != c.cannotWin {
					continue
				}
				switch e.Key {
				case sim.KeyBecameCandidate:
					t.Fatalf("%s became a candidate at %d ms (term %d) with pre-vote on", c.cannotWin, e.At, e.Term)
				case sim.KeyBecamePreCandidate:
					pre++
				}
			}
			t.Logf("leader after %d ms; %s asked for %d pre-votes", res.LeaderInMs, c.cannotWin, pre)
		})
	}
}

// TestPreVotePlansElect runs each alarm's plan with pre-vote on from the
// start: the faults are the same, the run is not (elections differ), and a
// leader comes within 2 election timeouts of the faults stopping.
func TestPreVotePlansElect(t *testing.T) {
	for _, c := range stalls {
		t.Run(c.name(), func(t *testing.T) {
			opt := c.options(t)
			plan := NewPlan(c.seed, opt.Bugs, opt.Profile)
			plan.Config.PreVote = true
			res, err := runPlan(plan, opt)
			if err != nil {
				t.Fatal(err)
			}
			if limit := 2 * plan.Config.ElectionMaxMs; res.LeaderInMs > limit {
				t.Fatalf("leader after %d ms, want at most %d", res.LeaderInMs, limit)
			}
		})
	}
}

// TestRemovedLeaderIsNotCountedAnyMore: seeds 11180709 and 11160105 were
// liveness alarms caused by a defect of the core. A leader (B, E) removed
// itself and stepped down once the removal committed; its last append, which
// tells the others the commit index, was sent at their nextIndex, which is
// optimistic while entries are in flight, so it overtook those entries, was
// refused, and the others never learned that the removal committed. They
// kept counting the removed leader (a change takes effect when it commits:
// raft/confchange.go), so they needed the old configuration's majority:
// 11180709 stalled 8,130 ms and 11160105 4,660 ms after the faults stopped,
// pre-vote off. The last append now starts at the follower's matchIndex
// (raft TestRemovedLeadersLastAppendOvertakesEntriesInFlight): both runs
// have a leader within a timeout, and no node counts the removed leader.
func TestRemovedLeaderIsNotCountedAnyMore(t *testing.T) {
	for _, c := range []struct {
		seed    uint64
		removed string
	}{{11180709, "B"}, {11160105, "E"}} {
		var end sim.State
		res, err := Run(c.seed, Options{OnEnd: func(s *sim.Sim) { end = s.State() }})
		if err != nil {
			t.Fatalf("seed %d: %v", c.seed, err)
		}
		if limit := sim.DefaultConfig().ElectionMaxMs; res.LeaderInMs > limit {
			t.Fatalf("seed %d: leader after %d ms, want at most %d", c.seed, res.LeaderInMs, limit)
		}
		for _, n := range end.Nodes {
			switch {
			case n.ID == c.removed && (!n.Removed || n.Up):
				t.Fatalf("seed %d: %s is not removed: %+v", c.seed, n.ID, n)
			case n.Up && !n.Removed && slices.Contains(n.Voters, c.removed):
				// (a node removed too, and cut off, runs on with the old
				// configuration until it learns of its removal: not a member)
				t.Fatalf("seed %d: %s still counts the removed %s: voters %v", c.seed, n.ID, c.removed, n.Voters)
			}
		}
	}
}

// TestLongConflictResolvesQuickly: figure8 seed 41048857 (found by today's
// soak) left its requests pending for 6 s after the faults stopped. The
// leader A (term 9) had to overwrite about 240 entries of its followers,
// of a higher term than its own at the same indexes, and backed off one
// entry per round trip. The follower's hint now skips its entries of a
// term higher than the leader's (raft TestRejectHintSkipsEntriesOfAHigherTerm):
// every request is resolved within 2 election timeouts.
func TestLongConflictResolvesQuickly(t *testing.T) {
	p, err := ProfileByName("figure8")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(41048857, Options{Profile: p, ProfileName: "figure8"})
	if err != nil {
		t.Fatal(err)
	}
	if limit := 2 * sim.DefaultConfig().ElectionMaxMs; res.ResolvedMs > limit {
		t.Fatalf("every request resolved %d ms after the faults, want at most %d", res.ResolvedMs, limit)
	}
}
