package raft

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// Thesis §4.2.1 and §4.1: a new server joins as a learner, catches up
// without voting, then is promoted to voter.
func TestLearnerCatchUpThenPromotion(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	for i := range 10 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddVoter, NodeID: 4}); !errors.Is(err, ErrConfChangePending) {
		t.Fatalf("second pending change: %v", err)
	}
	nw.deliver()
	cfg := testConfig(4, ids(1, 2, 3))
	cfg.Join = true
	nw.add(cfg)
	nw.tick(3)
	if got := nw.appliedData(4); len(got) != 10 {
		t.Fatalf("learner applied %d entries", len(got))
	}
	if st := nw.node(4).Status(); !slices.Equal(st.Config.Learners, ids(4)) {
		t.Fatalf("learner's configuration %+v", st.Config)
	}
	// A learner never campaigns and never counts toward a quorum.
	nw.tick(50, 4)
	if nw.node(4).Role() != Follower || nw.node(4).Term() != 1 {
		t.Fatal("learner campaigned")
	}
	var prog PeerProgress
	for _, p := range nw.node(1).Status().Progress {
		if p.ID == 4 {
			prog = p
		}
	}
	if !prog.IsLearner || prog.Match != nw.node(1).Status().LastIndex {
		t.Fatalf("learner progress %+v", prog)
	}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddVoter, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	nw.tick(2)
	for _, id := range ids(1, 2, 3, 4) {
		if st := nw.node(id).Status(); !slices.Equal(st.Config.Voters, ids(1, 2, 3, 4)) || len(st.Config.Learners) != 0 {
			t.Fatalf("node %d configuration %+v", id, st.Config)
		}
	}
	// Now 4 counts: with 1 and 2 down, 3 and 4 alone are not a quorum of 4.
	nw.crash(1)
	nw.crash(2)
	nw.tick(60)
	if nw.leader() != None {
		t.Fatal("two of four voters elected a leader")
	}
}

// Config.Learners (thesis §4.2.1): a node listed only as a learner of the
// bootstrap configuration starts without Join, receives the log, never
// campaigns, does not count toward a quorum, and votes once promoted.
func TestBootstrapLearner(t *testing.T) {
	nw := newNetwork(t, 0)
	for _, id := range ids(1, 2, 3, 4) {
		cfg := testConfig(id, ids(1, 2, 3))
		cfg.Learners = ids(4)
		nw.add(cfg)
	}
	if st := nw.node(4).Status(); !slices.Equal(st.Config.Voters, ids(1, 2, 3)) || !slices.Equal(st.Config.Learners, ids(4)) {
		t.Fatalf("learner's configuration %+v", st.Config)
	}
	nw.tick(50, 4)
	if nw.node(4).Role() != Follower || nw.node(4).Term() != 0 {
		t.Fatalf("learner campaigned: %v in term %d", nw.node(4).Role(), nw.node(4).Term())
	}
	nw.elect(1)
	nw.propose(1, "a")
	nw.tick(2)
	if got := nw.appliedData(4); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("learner applied %q", got)
	}
	// 1 and 4 are not a quorum of the voters 1, 2, 3.
	nw.isolate(2)
	nw.isolate(3)
	before := nw.node(1).Status().Commit
	nw.propose(1, "b")
	nw.tick(3, 1, 4)
	if got := nw.node(1).Status().Commit; got != before {
		t.Fatalf("the leader and a learner committed %d (was %d)", got, before)
	}
	nw.heal()
	nw.tick(3)
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddVoter, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.tick(3)
	if st := nw.node(4).Status(); !slices.Equal(st.Config.Voters, ids(1, 2, 3, 4)) {
		t.Fatalf("promoted learner's configuration %+v", st.Config)
	}
}

// Thesis §4.2.2: a leader removed from the configuration steps down once the
// change commits; the others elect a new leader and carry on.
func TestLeaderRemoval(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.propose(1, "a")
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 1}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	if nw.node(1).Role() == Leader {
		t.Fatal("removed leader still leads")
	}
	nw.tick(50)
	for _, id := range ids(2, 3) {
		if st := nw.node(id).Status(); !slices.Equal(st.Config.Voters, ids(2, 3)) {
			t.Fatalf("node %d configuration %+v", id, st.Config)
		}
	}
	lead := nw.leader()
	if lead != 2 && lead != 3 {
		t.Fatalf("leader %d", lead)
	}
	nw.propose(lead, "b")
	if got := nw.appliedData(2); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("applied %q", got)
	}
}

// Thesis §4.2.3, what a removed server does. One that learns it is removed
// (the leader's last append tells it the commit) never campaigns again. One
// that was cut off when the change committed never learns it: it keeps
// timing out and raising its term (or, with pre-vote, asking for pre-votes),
// and once it is heard again, what happens depends on the cluster's
// defences: with neither pre-vote nor check-quorum its higher term deposes
// the leader (the members refuse their votes, its log lacking the change,
// but take its term), over and over; with check-quorum the members, hearing
// their leader, ignore it (the lease); with pre-vote it never raises its
// term, and nobody grants its pre-votes. Either way it cannot win.
func TestRemovedServer(t *testing.T) {
	for _, c := range []struct {
		knows, preVote, checkQuorum, disrupts bool
	}{
		{knows: true, disrupts: false},
		{knows: false, disrupts: true},
		{knows: false, preVote: true},
		{knows: false, checkQuorum: true},
		{knows: false, preVote: true, checkQuorum: true},
	} {
		t.Run(fmt.Sprintf("knows=%v,prevote=%v,checkquorum=%v", c.knows, c.preVote, c.checkQuorum), func(t *testing.T) {
			nw := newNetwork(t, 4, func(cfg *Config) { cfg.PreVote, cfg.CheckQuorum = c.preVote, c.checkQuorum })
			nw.elect(1)
			if !c.knows {
				nw.isolate(4)
			}
			if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 4}); err != nil {
				t.Fatal(err)
			}
			nw.deliver()
			nw.tick(2)
			if !c.knows {
				nw.tick(60, 4) // it keeps timing out on its own
				if st := nw.node(4).Status(); !slices.Contains(st.Config.Voters, 4) {
					t.Fatalf("the cut-off server knows it was removed: voters %v", st.Config.Voters)
				}
				if got := nw.node(4).Term() > 1; got == c.preVote {
					t.Fatalf("cut off, its term is %d (pre-vote %v)", nw.node(4).Term(), c.preVote)
				}
				nw.heal()
			}
			nw.tick(60)
			disrupted := nw.leader() != 1 || nw.node(1).Term() != 1
			if disrupted != c.disrupts {
				t.Fatalf("leader %d term %d: disrupted %v, want %v", nw.leader(), nw.node(1).Term(), disrupted, c.disrupts)
			}
			if c.knows && nw.node(4).Term() != 1 {
				t.Fatalf("removed server that knows it is removed campaigned: term %d", nw.node(4).Term())
			}
			if l := nw.leader(); l == 4 || l == None {
				t.Fatalf("leader %d after the removed server's campaigns", l)
			}
		})
	}
}

func TestConfChangeErrors(t *testing.T) {
	nw := newNetwork(t, 3)
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err == nil {
		t.Fatal("follower accepted a change")
	}
	nw.elect(1)
	cases := []ConfChange{
		{Type: AddLearner, NodeID: 2},
		{Type: AddVoter, NodeID: 3},
		{Type: RemoveNode, NodeID: 9},
		{Type: 0, NodeID: 5},
		{Type: AddVoter, NodeID: None},
	}
	for _, cc := range cases {
		if _, err := nw.node(1).ProposeConfChange(cc); !errors.Is(err, ErrInvalidConfChange) {
			t.Errorf("%v: err %v", cc, err)
		}
	}
	// Thesis §4.1: the last voter cannot be removed (nobody could commit
	// anything again); a lone learner can.
	solo := newNetwork(t, 1)
	solo.elect(1)
	if _, err := solo.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 1}); !errors.Is(err, ErrInvalidConfChange) {
		t.Errorf("removing the last voter: %v", err)
	}
	if _, err := solo.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 2}); err != nil {
		t.Fatal(err)
	}
	solo.tick(1)
	if _, err := solo.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 2}); err != nil {
		t.Errorf("removing a learner next to the last voter: %v", err)
	}
	for _, data := range [][]byte{nil, {1}, {confChangeMagic, 9, 1}, {confChangeMagic, 1}, {confChangeMagic, 1, 0}, {confChangeMagic, 1, 0x80}, {confChangeMagic, 1, 1, 1}} {
		if _, err := DecodeConfChange(data); !errors.Is(err, ErrInvalidConfChange) {
			t.Errorf("decode %v: %v", data, err)
		}
	}
	for _, cc := range []ConfChange{{AddLearner, 1}, {AddVoter, 1 << 40}, {RemoveNode, 7}} {
		got, err := DecodeConfChange(EncodeConfChange(cc))
		if err != nil || got != cc {
			t.Errorf("round trip %v: %v %v", cc, got, err)
		}
	}
	for cc, want := range map[ConfChange]string{{AddLearner, 4}: "add learner 4", {AddVoter, 5}: "add voter 5",
		{RemoveNode, 6}: "remove 6", {9, 7}: "unknown change 9 of 7"} {
		if got := cc.String(); got != want {
			t.Errorf("String: %q, want %q", got, want)
		}
	}
}

// Restart rebuilds the configuration from the snapshot plus the committed
// membership changes in the durable log.
func TestRestartRebuildsConfiguration(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.propose(1, "a")
	nw.compact(2, nw.node(2).Status().Applied) // snapshot with {1,2,3}
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	nw.tick(2)
	nw.crash(2)
	n := nw.restart(2)
	if st := n.Status(); !slices.Equal(st.Config.Voters, ids(1, 2, 3)) || !slices.Equal(st.Config.Learners, ids(4)) {
		t.Fatalf("configuration after restart: %+v", st.Config)
	}
}

// With PiggybackCommit too, a member added by a committed change gets its
// first append at once, not at the next heartbeat: the change itself asks
// for appends to the new configuration.
func TestNewMemberGetsAppendsAtOnce(t *testing.T) {
	for _, piggyback := range []bool{false, true} {
		nw := newNetwork(t, 3, func(c *Config) { c.PiggybackCommit = piggyback })
		nw.elect(1)
		nw.propose(1, "a")
		cfg := testConfig(4, ids(1, 2, 3))
		cfg.Join, cfg.PiggybackCommit = true, piggyback
		nw.add(cfg)
		if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
			t.Fatal(err)
		}
		nw.deliver() // no tick: no heartbeat
		if last := nw.node(4).Status().LastIndex; last == 0 {
			t.Fatalf("piggyback=%v: the new learner got no entries before any heartbeat", piggyback)
		}
	}
}

// Thesis §3.10: a leadership transfer ends when its target is no longer a
// voter; the leader takes proposals again at once instead of waiting for
// the transfer to time out.
func TestTransferAbortedWhenTargetRemoved(t *testing.T) {
	nw := newNetwork(t, 4)
	nw.elect(1)
	nw.isolate(4)
	nw.propose(1, "a")
	// The removal is proposed first (a transfer refuses proposals), and
	// commits while the transfer waits for 4 to catch up.
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: RemoveNode, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	if err := nw.node(1).TransferLeadership(4); err != nil {
		t.Fatal(err)
	}
	if st := nw.node(1).Status(); st.LeadTransferee != 4 {
		t.Fatalf("transferee %d", st.LeadTransferee)
	}
	nw.deliver()
	if st := nw.node(1).Status(); st.LeadTransferee != None || st.Role != Leader {
		t.Fatalf("after removing the target: transferee %d, role %v", st.LeadTransferee, st.Role)
	}
	if _, err := nw.node(1).Propose([]byte("b")); err != nil {
		t.Fatalf("proposal after the aborted transfer: %v", err)
	}
}

// Members are kept sorted by id whatever the order of the configuration:
// here the one learner has the lowest id.
func TestConfigurationSortedByID(t *testing.T) {
	nw := newNetwork(t, 0)
	for _, id := range ids(1, 2, 3) {
		cfg := testConfig(id, ids(3, 2))
		cfg.Learners = ids(1)
		nw.add(cfg)
	}
	nw.elect(3)
	nw.propose(3, "a")
	var got []uint64
	for _, p := range nw.node(3).Status().Progress {
		got = append(got, p.ID)
	}
	if !slices.Equal(got, ids(1, 2)) {
		t.Fatalf("progress ids %v", got)
	}
	if data := nw.appliedData(1); !slices.Equal(data, []string{"a"}) {
		t.Fatalf("learner 1 applied %q", data)
	}
}
