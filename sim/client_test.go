package sim

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// An unpinned request whose leader crashes before it commits is retried,
// with the same id, at the next leader, and applied exactly once.
func TestRequestRetriedOnLeaderChange(t *testing.T) {
	s := newTestSim(t, nil)
	s.RecordHistory(true)
	leader := waitLeader(t, s, 2000)
	mustRequest(t, s, "SET 10", "")
	advance(t, s, 300)
	// Cut the leader off so the next write cannot commit, then crash it.
	var others []string
	for _, n := range s.State().Nodes {
		if n.ID != leader {
			others = append(others, n.ID)
		}
	}
	if err := s.Partition([][]string{{leader}}); err != nil {
		t.Fatal(err)
	}
	id := mustRequest(t, s, "ADD 5", "")
	if r := requestView(t, s, id); r.Status != StatusPending || r.Target != leader {
		t.Fatalf("request %+v, want pending at %s", r, leader)
	}
	advance(t, s, 50)
	if err := s.Crash(leader); err != nil {
		t.Fatal(err)
	}
	if err := s.Heal(); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 3000)
	r := requestView(t, s, id)
	if r.Status != StatusCommitted || r.Result != "15" || r.Target == leader {
		t.Fatalf("request after leader change: %+v", r)
	}
	if len(eventsWithKey(s, KeyRequestRetried)) == 0 {
		t.Fatal("no request-retried event")
	}
	// The old leader comes back with the ADD in its log: it is rolled back
	// or deduplicated, never applied twice.
	if err := s.Restart(leader); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	for _, n := range s.State().Nodes {
		if kvOf(n, "x") != 15 {
			t.Fatalf("%s: x = %d, want 15 (the ADD applied once)", n.ID, kvOf(n, "x"))
		}
	}
	h := s.History()
	if len(h) != 2 || h[1].Status != StatusCommitted || h[1].Value != 15 || h[1].Attempts < 2 || h[1].Return <= h[1].Invoke {
		t.Fatalf("history %+v", h)
	}
	if op, ok := s.RequestOp(id); !ok || op != h[1] {
		t.Fatalf("RequestOp(%d) = %+v, %v; want %+v", id, op, ok, h[1])
	}
	if _, ok := s.RequestOp(99); ok {
		t.Fatal("RequestOp of an unknown id succeeded")
	}
	checkOK(t, s)
}

// The seed's partition story: a write pinned to the old leader, cut off in
// the minority, stays pending while the partition lasts and fails once that
// node learns it is no longer the leader; a write to the new leader commits.
func TestPinnedWriteToOldLeaderNeverCommits(t *testing.T) {
	s := newTestSim(t, nil)
	if err := s.Timeout("B"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 1000)
	if l := s.State().Leader; l != "B" {
		t.Fatalf("leader %q, want B", l)
	}
	if err := s.Partition([][]string{{"A", "B"}, {"C", "D", "E"}}); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	old := mustRequest(t, s, "SET 8", "B")
	fresh := mustRequest(t, s, "SET 3", "")
	advance(t, s, 3000)
	if r := requestView(t, s, old); r.Status != StatusPending {
		t.Fatalf("write to the old leader: %+v, want pending", r)
	}
	if r := requestView(t, s, fresh); r.Status != StatusCommitted || r.Target == "B" || r.Target == "A" {
		t.Fatalf("write to the new leader: %+v", r)
	}
	if err := s.Heal(); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	r := requestView(t, s, old)
	if r.Status != StatusFailed || !strings.Contains(r.Error, "B is no longer the leader") {
		t.Fatalf("write to the old leader after heal: %+v", r)
	}
	for _, n := range s.State().Nodes {
		if kvOf(n, "x") != 3 {
			t.Fatalf("%s: x = %d, want 3 (SET 8 never commits)", n.ID, kvOf(n, "x"))
		}
	}
	checkOK(t, s)
}

// GET is a linearizable read through ReadIndex: it sees every write that
// committed before it was issued, and puts nothing in the log.
func TestGetThroughReadIndex(t *testing.T) {
	s := newTestSim(t, nil)
	waitLeader(t, s, 2000)
	mustRequest(t, s, "SET k 41", "")
	mustRequest(t, s, "ADD k 1", "")
	advance(t, s, 500)
	last := nodeView(t, s, s.State().Leader).LastIndex
	id := mustRequest(t, s, "GET k", "")
	advance(t, s, 500)
	r := requestView(t, s, id)
	if r.Status != StatusCommitted || r.Result != "42" {
		t.Fatalf("GET k: %+v", r)
	}
	if got := nodeView(t, s, s.State().Leader).LastIndex; got != last {
		t.Fatalf("GET appended to the log: last index %d -> %d", last, got)
	}
	// A GET of a key never written reads 0.
	id = mustRequest(t, s, "GET nothing", "")
	advance(t, s, 500)
	if r := requestView(t, s, id); r.Status != StatusCommitted || r.Result != "0" {
		t.Fatalf("GET nothing: %+v", r)
	}
	checkOK(t, s)
}

func TestRequestFailures(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.RequestGiveUpMs = 3000 })
	leader := waitLeader(t, s, 2000)
	follower := "A"
	if leader == "A" {
		follower = "B"
	}
	// Pinned to a follower: refused at once.
	id := mustRequest(t, s, "SET 1", follower)
	if r := requestView(t, s, id); r.Status != StatusFailed || !strings.Contains(r.Error, "refused") {
		t.Fatalf("pinned to a follower: %+v", r)
	}
	// Pinned to a crashed node: fails at once.
	if err := s.Crash(follower); err != nil {
		t.Fatal(err)
	}
	id = mustRequest(t, s, "SET 1", follower)
	if r := requestView(t, s, id); r.Status != StatusFailed || !strings.Contains(r.Error, "down") {
		t.Fatalf("pinned to a crashed node: %+v", r)
	}
	// No quorum: an unpinned request waits, retries, then gives up.
	for _, n := range s.State().Nodes {
		if n.Up && n.ID != leader {
			if err := s.Crash(n.ID); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if err := s.Partition([][]string{{leader}}); err != nil {
		t.Fatal(err)
	}
	id = mustRequest(t, s, "ADD 1", "")
	advance(t, s, 2000)
	if r := requestView(t, s, id); r.Status != StatusPending {
		t.Fatalf("before the deadline: %+v", r)
	}
	advance(t, s, 1500)
	if r := requestView(t, s, id); r.Status != StatusFailed || !strings.Contains(r.Error, "after 3000 ms") {
		t.Fatalf("after the deadline: %+v", r)
	}
	checkOK(t, s)
}

// With no leader at all, an unpinned request waits and is sent once one is elected.
func TestRequestWaitsForALeader(t *testing.T) {
	s := newTestSim(t, nil)
	id := mustRequest(t, s, "SET 7", "")
	if r := requestView(t, s, id); r.Status != StatusPending || r.Target != "" {
		t.Fatalf("before any election: %+v", r)
	}
	advance(t, s, 2000)
	if r := requestView(t, s, id); r.Status != StatusCommitted || r.Result != "7" {
		t.Fatalf("after the election: %+v", r)
	}
}

// requestTable against a map: requests resolve mostly in order, a few stay
// pending for very long (they move out of the window, which stays short).
func TestRequestTable(t *testing.T) {
	var tab requestTable
	ref := map[int]*request{}
	r := rand.New(rand.NewPCG(9, 9))
	next := 1
	for step := 0; step < 20000; step++ {
		if r.IntN(2) == 0 || len(ref) == 0 {
			q := &request{id: next}
			next++
			tab.add(q)
			ref[q.id] = q
		} else {
			// resolve one of the oldest few, now and then one long pending
			id := next - 1 - r.IntN(min(8, next-1))
			if r.IntN(50) == 0 {
				id = 1 + r.IntN(next-1)
			}
			tab.remove(id)
			delete(ref, id)
		}
		if tab.count != len(ref) || len(tab.win)-tab.head > requestWindow {
			t.Fatalf("step %d: count %d, want %d; window %d", step, tab.count, len(ref), len(tab.win)-tab.head)
		}
		for k := 0; k < 5; k++ {
			id := 1 + r.IntN(next)
			if got := tab.get(id); got != ref[id] {
				t.Fatalf("step %d: get(%d) = %v, want %v", step, id, got, ref[id])
			}
		}
		if step%97 == 0 {
			// Every pending request is found; only those with
			// requestWindow newer ones after them sit in the map; the
			// window's storage does not grow past twice its bound.
			for id, q := range ref {
				if tab.get(id) != q {
					t.Fatalf("step %d: pending request %d lost", step, id)
				}
			}
			for id := range tab.old {
				if id >= next-requestWindow {
					t.Fatalf("step %d: request %d is in the map, yet among the %d latest (next id %d)", step, id, requestWindow, next)
				}
			}
			if cap(tab.win) > 2*requestWindow {
				t.Fatalf("step %d: the window's storage grew to %d", step, cap(tab.win))
			}
			tab.remove(next) // an id not handed out yet: nothing to remove
			if tab.count != len(ref) {
				t.Fatalf("step %d: removing an unknown id changed the count", step)
			}
		}
	}
	// Once every request resolved, the table holds nothing: resolved
	// requests at the front leave the window at once.
	for id := range ref {
		tab.remove(id)
	}
	if tab.count != 0 || len(tab.win) != tab.head || len(tab.old) != 0 {
		t.Fatalf("all resolved: count %d, window %d, map %d", tab.count, len(tab.win)-tab.head, len(tab.old))
	}
}
