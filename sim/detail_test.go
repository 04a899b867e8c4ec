package sim

import (
	"fmt"
	"strings"
	"testing"
)

// stepUntilMessage steps the run until a message in flight satisfies ok, and
// returns it (at most limit events).
func stepUntilMessage(t *testing.T, s *Sim, limit int, ok func(MessageView) bool) MessageView {
	t.Helper()
	for i := 0; i < limit; i++ {
		for _, m := range s.State().Messages {
			if ok(m) {
				return m
			}
		}
		if _, more := s.Step(); !more {
			break
		}
	}
	t.Fatalf("no such message in flight within %d events (seed %d)", limit, s.Config().Seed)
	return MessageView{}
}

// MessageDetail (a page's message popover) shows what a message carries:
// an append's entries with their commands and the leader's commit index,
// a snapshot's last index and term, nothing for a message no longer in
// flight; a vote's reply shows no log term (a refusal's reasons are in Why).
func TestMessageDetail(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes, c.Seed, c.SnapshotEvery = 3, 5, 4 })
	vote := stepUntilMessage(t, s, 500, func(m MessageView) bool { return m.Type == "RequestVoteResp" })
	d, ok := s.MessageDetail(vote.ID)
	if !ok || d.MessageView != vote || d.LogTerm != 0 || len(d.Log) != 0 || d.SnapshotIndex != 0 {
		t.Fatalf("MessageDetail(%d) of a vote's reply = %+v, %v; want the message with no log term", vote.ID, d, ok)
	}
	leader := waitLeader(t, s, 3000)
	heartbeat := stepUntilMessage(t, s, 500, func(m MessageView) bool { return m.Type == "Heartbeat" })
	if d, ok := s.MessageDetail(heartbeat.ID); !ok || len(d.Log) != 0 || d.Why.Code != "" {
		t.Fatalf("MessageDetail of a heartbeat = %+v, %v; want no entries and no refusal", d, ok)
	}

	mustRequest(t, s, "SET x 5", leader)
	app := stepUntilMessage(t, s, 500, func(m MessageView) bool { return m.Type == "AppendEntries" && m.Entries > 0 })
	d, ok = s.MessageDetail(app.ID)
	if !ok || len(d.Log) != app.Entries || d.Log[len(d.Log)-1].Command != "SET x 5" || d.Log[0].Index != app.Index+1 {
		t.Fatalf("MessageDetail(%d) of an append = %+v, %v; want its %d entries, the last SET x 5", app.ID, d, ok, app.Entries)
	}
	if d.LogTerm == 0 || d.Log[0].Term < d.LogTerm {
		t.Errorf("append's prevLogTerm %d, entries %+v: want the term of the entry before them", d.LogTerm, d.Log)
	}
	for _, m := range s.State().Messages {
		if m.ID == app.ID {
			continue
		}
		if _, ok := s.MessageDetail(m.ID); !ok {
			t.Errorf("MessageDetail(%d) of a message in flight: not found", m.ID)
		}
	}
	if _, ok := s.MessageDetail(1 << 30); ok {
		t.Error("MessageDetail of an id never sent found something")
	}

	// a follower behind the snapshot gets one
	follower := "A"
	if leader == "A" {
		follower = "B"
	}
	if err := s.Crash(follower); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 8; i++ {
		mustRequest(t, s, "ADD x 1", leader)
		advance(t, s, 200)
	}
	if err := s.Restart(follower); err != nil {
		t.Fatal(err)
	}
	snap := stepUntilMessage(t, s, 2000, func(m MessageView) bool { return m.Type == "InstallSnapshot" })
	d, ok = s.MessageDetail(snap.ID)
	if !ok || d.SnapshotIndex < 4 || d.SnapshotTerm == 0 || d.SnapshotTerm > nodeView(t, s, leader).Term {
		t.Fatalf("MessageDetail(%d) of a snapshot = %+v, %v; want its index (at least 4) and term", snap.ID, d, ok)
	}
	checkOK(t, s)
}

// Script merges the scenario's own actions with the user's in the order they
// ran: by time, and at equal times the scenario's first; an expectation stays
// after the actions that preceded it.
func TestScriptMergesUserActions(t *testing.T) {
	s, err := FromScenario("nodes 3\nat 500ms crash C\nexpect down C\nat 1s restart C\n")
	if err != nil {
		t.Fatal(err)
	}
	user := func(at int64) {
		advance(t, s, at-s.Now())
		if err := s.Configure(Settings{DropRate: ptr(0.0)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, at := range []int64{200, 500, 700, 1200} {
		user(at)
	}
	var got []string
	sc := s.Script()
	for _, a := range sc.Actions {
		got = append(got, fmt.Sprintf("%d %s", a.At, a))
	}
	want := []string{
		"200 configure drop 0%", "500 crash C", "500 configure drop 0%",
		"700 configure drop 0%", "1000 restart C", "1200 configure drop 0%",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Script().Actions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(sc.Expects) != 1 || sc.Expects[0].AfterActions != 2 {
		t.Fatalf("Script().Expects = %+v, want the expectation after the crash (2 actions before it)", sc.Expects)
	}
	if sc.End != 1200 {
		t.Errorf("Script().End = %d, want now (1200)", sc.End)
	}

	// every user action before the scenario's last
	s, err = FromScenario("nodes 3\nat 500ms crash C\n")
	if err != nil {
		t.Fatal(err)
	}
	user(200)
	sc = s.Script()
	if len(sc.Actions) != 2 || sc.Actions[0].At != 200 || sc.Actions[1].String() != "crash C" || sc.End != 500 {
		t.Fatalf("Script() = %+v, want the user's action at 200, the crash at 500, the end at 500", sc)
	}
}

// A node's view shows its election timer in milliseconds (within the
// configured range, elapsed never past it), the leader it knows of, and on
// the leader the progress of each follower; a node that is down shows no
// votes or progress (its status is not read).
func TestNodeViewTimersLeaderAndProgress(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	leader := waitLeader(t, s, 3000)
	advance(t, s, 95)
	for _, n := range s.State().Nodes {
		if n.ID == leader {
			if len(n.Progress) != 2 {
				t.Errorf("leader %s: progress %+v, want its two followers'", n.ID, n.Progress)
			}
			continue
		}
		if n.Lead != leader {
			t.Errorf("%s knows of leader %q, want %s", n.ID, n.Lead, leader)
		}
		if n.ElectionTimeout < 150 || n.ElectionTimeout >= 300 || n.ElectionElapsed < 0 || n.ElectionElapsed > n.ElectionTimeout || n.ElectionTimeout%10 != 0 {
			t.Errorf("%s: election timer %d of %d ms, want a timeout in 150-300 ms and elapsed within it", n.ID, n.ElectionElapsed, n.ElectionTimeout)
		}
	}
	if err := s.Crash(leader); err != nil {
		t.Fatal(err)
	}
	if v := nodeView(t, s, leader); len(v.Progress) != 0 || len(v.Votes) != 0 || v.Lead != "" {
		t.Errorf("%s down: progress %+v, votes %v, lead %q; want none", leader, v.Progress, v.Votes, v.Lead)
	}
	// no heartbeat sent for 100 ms (the last ones still arrived after the crash): the followers' timers ran 50 to 110 ms
	advance(t, s, 100)
	for _, n := range s.State().Nodes {
		if n.ID != leader && n.Role == "follower" && (n.ElectionElapsed < 50 || n.ElectionElapsed > 110) {
			t.Errorf("%s 100 ms after the last heartbeat: election timer %d ms elapsed", n.ID, n.ElectionElapsed)
		}
	}
}

// nameOf names a node by its raft id without allocating, also for the
// names of two letters (node 27 is AA), which building the name would.
func TestNameOfDoesNotAllocate(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 30 })
	var name string
	for _, id := range []uint64{1, 27, 30} {
		if allocs := testing.AllocsPerRun(10, func() { name = s.nameOf(id) }); allocs != 0 {
			t.Errorf("nameOf(%d) allocates %v times", id, allocs)
		}
		if want := nodeNameOf(id); name != want {
			t.Errorf("nameOf(%d) = %q, want %q", id, name, want)
		}
	}
}
