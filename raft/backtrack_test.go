package raft

import (
	"slices"
	"testing"
)

// TestBacktrackSkipsARunOfAnotherLeadersEntries: a follower holds a long run
// of entries of a later term than the leader's at the same indexes (Figure
// 8's shape: a leader of term 3 that reached only this follower). Its hint
// names its entry's term (3), later than the leader's there (2), so the
// leader skips its whole run of term 2 in one round trip. It used to back
// off one entry per round trip: the chaos search's figure8 seed 41048857
// then committed nothing for 6 s after the faults stopped, its leader about
// 240 entries away from its followers' logs (docs/chaos.md).
func TestBacktrackSkipsARunOfAnotherLeadersEntries(t *testing.T) {
	leader, follower := []uint64{1}, []uint64{1}
	for range 100 {
		leader = append(leader, 2)     // indexes 2..101, term 2
		follower = append(follower, 3) // the same indexes, term 3
	}
	nw := newNetworkFrom(t, []Durable{durableLog(4, leader...), durableLog(3, follower...), durableLog(2, 1, 2)})
	rejections := 0
	nw.filter = func(m *Message) bool {
		if m.From == 2 && m.Type == MsgAppResp && m.Reject {
			rejections++
		}
		return true
	}
	nw.elect(1)
	nw.propose(1, "x")
	if got, want := logTerms(nw.node(2)), logTerms(nw.node(1)); !slices.Equal(got, want) {
		t.Fatalf("follower 2's log terms %v, want the leader's %v", got, want)
	}
	if rejections > 2 {
		t.Fatalf("follower 2 refused %d appends before its log matched, want at most 2", rejections)
	}
}
