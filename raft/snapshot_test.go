package raft

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// §7: a follower far behind receives the leader's snapshot; a follower whose
// log conflicts with the snapshot discards its log (Figure 13 step 7).
func TestSnapshotToConflictingFollower(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(3)
	// 3 leads term 1, then is cut off with entries nobody else has.
	nw.isolate(3)
	for _, v := range []string{"x", "y"} {
		if _, err := nw.node(3).Propose([]byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	nw.process(3)
	// 1 and 2 elect 1 in term 2, commit more, and 1 compacts its log.
	nw.elect(1)
	for i := range 5 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.compact(1, nw.node(1).Status().Applied)
	snaps := 0
	nw.filter = func(m *Message) bool {
		if m.Type == MsgSnap {
			snaps++
		}
		return true
	}
	nw.heal()
	nw.tick(3)
	st3 := nw.node(3).Status()
	if snaps == 0 || st3.SnapshotIndex == 0 || st3.Commit != nw.node(1).Status().Commit {
		t.Fatalf("node 3 after %d snapshots: %+v", snaps, st3)
	}
	if got, want := logTerms(nw.node(3)), logTerms(nw.node(1)); !slices.Equal(got, want) {
		t.Fatalf("node 3 log %v, leader %v", got, want)
	}
	if nw.durable[3].Snapshot.Index != st3.SnapshotIndex || len(nw.durable[3].Entries) != len(nw.node(3).log.entries) {
		t.Fatalf("snapshot not persisted: %+v", nw.durable[3])
	}
	// 3 applied the snapshot, then the entries after it: it agrees with 1.
	if nw.appliedIndex[3] != nw.appliedIndex[1] {
		t.Fatalf("applied %d vs %d", nw.appliedIndex[3], nw.appliedIndex[1])
	}
}

// §7 and the persistence model: a node restarts from its snapshot plus the
// log after it, and hands out only the entries after the snapshot.
func TestRestartFromSnapshotAndLog(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	for i := range 6 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.tick(2)
	nw.compact(2, 4)
	if err := nw.node(2).Compact(4, nil); !errors.Is(err, ErrCompacted) {
		t.Fatalf("compacting twice: %v", err)
	}
	if err := nw.node(2).Compact(100, nil); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("compacting past applied: %v", err)
	}
	nw.crash(2)
	nw.propose(1, "v6")
	n := nw.restart(2)
	if st := n.Status(); st.SnapshotIndex != 4 || st.Applied != 7 {
		t.Fatalf("restarted: %+v", st)
	}
	nw.tick(3)
	if got := nw.appliedData(2); !slices.Equal(got, []string{"v3", "v4", "v5", "v6"}) {
		t.Fatalf("applied after restart %q", got)
	}
	if len(n.log.entries) != int(n.log.lastIndex()-4) {
		t.Fatal("log not compacted")
	}
}

// §7 with membership: a server that joins after the leader compacted away
// its AddLearner entry learns the configuration from the snapshot.
func TestJoinAfterCompaction(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	if _, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4}); err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	nw.propose(1, "a")
	nw.compact(1, nw.node(1).Status().Applied)
	cfg := testConfig(4, ids(1, 2, 3))
	cfg.Join = true
	nw.add(cfg)
	nw.tick(3)
	st := nw.node(4).Status()
	if st.SnapshotIndex == 0 || !slices.Equal(st.Config.Learners, ids(4)) || st.Commit != nw.node(1).Status().Commit {
		t.Fatalf("joined node: %+v", st)
	}
}

// §7: a lost InstallSnapshot is sent again (a heartbeat answer shows the
// follower is still behind).
func TestLostSnapshotIsResent(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	nw.isolate(3)
	for i := range 5 {
		nw.propose(1, fmt.Sprintf("v%d", i))
	}
	nw.compact(1, nw.node(1).Status().Applied)
	nw.heal()
	snaps := 0
	nw.filter = func(m *Message) bool {
		if m.Type == MsgSnap {
			snaps++
			return snaps > 1 // the first one is lost
		}
		return true
	}
	nw.tick(4)
	if snaps < 2 {
		t.Fatalf("%d snapshots sent, want a resend", snaps)
	}
	if got := nw.appliedIndex[3]; got != nw.node(1).Status().Commit {
		t.Fatalf("node 3 applied %d, leader commit %d", got, nw.node(1).Status().Commit)
	}
}

// §7: a snapshot records the configuration as of its last index, that is
// the latest membership change at or before it (thesis §4.1: a change takes
// effect when committed), and not one after it.
func TestSnapshotConfigurationAtItsIndex(t *testing.T) {
	nw := newNetwork(t, 3)
	nw.elect(1)
	idx, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 4})
	if err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	idx5, err := nw.node(1).ProposeConfChange(ConfChange{Type: AddLearner, NodeID: 5})
	if err != nil {
		t.Fatal(err)
	}
	nw.deliver()
	n := nw.node(2)
	if err := n.Compact(idx-1, nil); err != nil {
		t.Fatal(err)
	}
	if got := n.Snapshot().ConfState; len(got.Learners) != 0 {
		t.Fatalf("snapshot before the change: %+v", got)
	}
	if err := n.Compact(idx, nil); err != nil {
		t.Fatal(err)
	}
	if got := n.Snapshot().ConfState; !slices.Equal(got.Learners, ids(4)) || !slices.Equal(got.Voters, ids(1, 2, 3)) {
		t.Fatalf("snapshot at the change: %+v", got)
	}
	if err := n.Compact(idx5, nil); err != nil {
		t.Fatal(err)
	}
	if got := n.Snapshot().ConfState; !slices.Equal(got.Learners, ids(4, 5)) {
		t.Fatalf("snapshot at the second change: %+v", got)
	}
}

// Figure 13 step 6 and Figure 2 (matchIndex: "index of highest log entry
// known to be replicated on server"): a follower whose log already holds the
// snapshot's last entry keeps what follows, but answers with the snapshot's
// index only. The entries after it were never checked against the leader's
// log: here entry 3 comes from the leader of term 2, and the leader of
// term 3 may hold another entry 3. Answering with the last index (as this
// core did before a surviving mutant pointed here) let the leader count the
// follower for an entry it does not hold.
func TestSnapshotAnswerClaimsOnlyTheSnapshot(t *testing.T) {
	d := durableLog(2, 1, 1, 2)
	d.HardState.Commit = 1
	n := restartTestNode(t, 2, ids(1, 2, 3), d)
	takeMsgs(n)
	n.Step(Message{Type: MsgSnap, From: 1, To: 2, Term: 3,
		Snapshot: &Snapshot{Index: 2, Term: 1, ConfState: ConfState{Voters: ids(1, 2, 3)}}})
	resp := msgsOfType(takeMsgs(n), MsgAppResp)
	if len(resp) != 1 || resp[0].Index != 2 || resp[0].Reject {
		t.Fatalf("answer %+v, want an acknowledgement of index 2", resp)
	}
	if st := n.Status(); st.Commit != 2 || st.LastIndex != 3 || st.SnapshotIndex != 0 {
		t.Fatalf("follower %+v: want commit 2, entry 3 kept, no snapshot installed", st)
	}
	// A stale snapshot (at or below the commit index) gets the same answer.
	n.Step(Message{Type: MsgSnap, From: 1, To: 2, Term: 3,
		Snapshot: &Snapshot{Index: 1, Term: 1, ConfState: ConfState{Voters: ids(1, 2, 3)}}})
	if resp := msgsOfType(takeMsgs(n), MsgAppResp); len(resp) != 1 || resp[0].Index != 2 {
		t.Fatalf("answer to a stale snapshot %+v, want the commit index 2", resp)
	}
}

// §7: the snapshot a server takes covers every entry up to its index, so
// those entries need no other persistence. With Bugs.AckBeforeDurable a
// follower applies entries it has not yet handed out to persist (they wait
// for the next Tick); once it compacts them into a snapshot, the Tick hands
// out nothing, and a node with nothing left to do has no Ready.
func TestCompactCoversEntriesNotYetPersisted(t *testing.T) {
	nw := newNetwork(t, 3, func(c *Config) { c.Bugs.AckBeforeDurable = true })
	nw.elect(1)
	nw.tick(2)
	nw.propose(1, "a")
	n := nw.node(2)
	st := n.Status()
	if st.Applied != st.LastIndex || n.HasReady() {
		t.Fatalf("follower 2 should have applied its held entry and be idle: %+v", st)
	}
	nw.compact(2, st.Applied)
	n.Tick()
	if n.HasReady() {
		rd := n.Ready()
		t.Fatalf("after compacting everything it held, follower 2 still has a Ready: entries %v from %d", rd.Entries, rd.EntriesFrom)
	}
}
