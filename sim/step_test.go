package sim

import (
	"testing"
)

// Step reports one visible event at a time, in time order, skipping silent
// ticks; the sequence of Steps equals what Advance does.
func TestStepReportsVisibleEvents(t *testing.T) {
	s := newTestSim(t, nil)
	kinds := map[string]int{}
	last := int64(0)
	for i := 0; i < 300; i++ {
		r, ok := s.Step()
		if !ok {
			t.Fatal("nothing pending in a running cluster")
		}
		if r.At < last || r.At != s.Now() {
			t.Fatalf("step %d at %d after %d (now %d)", i, r.At, last, s.Now())
		}
		last = r.At
		kinds[r.Kind]++
		if r.Kind == "deliver" && (r.Message == nil || r.Message.To != r.Node) {
			t.Fatalf("delivery without its message: %+v", r)
		}
	}
	if kinds["timeout"] == 0 || kinds["deliver"] == 0 || kinds["heartbeat"] == 0 {
		t.Fatalf("step kinds %v: want timeouts, deliveries and heartbeats", kinds)
	}
	// The first step of a fresh cluster is the first election timeout (>= 150 ms), not a silent tick.
	f := newTestSim(t, nil)
	if r, _ := f.Step(); r.Kind != "timeout" || r.At < 150 || r.At >= 300 {
		t.Fatalf("first step %+v, want an election timeout in [150, 300)", r)
	}
	// Stepping and advancing reach the same state.
	a := newTestSim(t, nil)
	b := newTestSim(t, nil)
	for a.Now() < 1000 {
		a.Step()
	}
	advance(t, b, a.Now()-b.Now())
	if a.TraceHash() != b.TraceHash() {
		t.Fatalf("Step and Advance diverge: %x vs %x", a.TraceHash(), b.TraceHash())
	}
}

func TestStepWithNothingToDo(t *testing.T) {
	// A single-node leader has nothing to send: Step still returns, after a horizon.
	s := newTestSim(t, func(c *Config) { c.Nodes = 1 })
	waitLeader(t, s, 1000)
	r, ok := s.Step()
	if !ok || r.Kind != "tick" || r.At <= 0 {
		t.Fatalf("idle step %+v %v", r, ok)
	}
	id := mustRequest(t, s, "SET 5", "")
	if rv := requestView(t, s, id); rv.Status != StatusCommitted || rv.Result != "5" {
		t.Fatalf("single node write: %+v", rv)
	}
	// Every node down, nothing in flight: nothing pending.
	d := newTestSim(t, func(c *Config) { c.Nodes = 2 })
	for _, id := range []string{"A", "B"} {
		if err := d.Crash(id); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := d.Step(); ok {
		t.Fatal("Step with every node down and nothing in flight reported an event")
	}
}

func TestNarrationRingIsBounded(t *testing.T) {
	var r eventRing
	for i := 0; i < maxEvents+500; i++ {
		r.add(Event{Key: "k", Value: int64(i)})
		// Before the ring is full, and across the chunks it grows by.
		if i == 3*eventRingChunk/2 {
			for _, since := range []uint64{0, eventRingChunk - 1, eventRingChunk, uint64(i)} {
				got := r.since(since)
				if len(got) != i+1-int(since) || got[0].Seq != since+1 || got[len(got)-1].Value != int64(i) {
					t.Fatalf("after %d events, since(%d): %d events, first Seq %d", i+1, since, len(got), got[0].Seq)
				}
			}
		}
	}
	all := r.since(0)
	if len(all) != maxEvents || all[0].Seq != 501 || all[len(all)-1].Seq != maxEvents+500 {
		t.Fatalf("ring holds %d events, %d..%d", len(all), all[0].Seq, all[len(all)-1].Seq)
	}
	for k, e := range all {
		if e.Seq != uint64(501+k) || e.Value != int64(500+k) {
			t.Fatalf("event %d of the full ring: Seq %d value %d", k, e.Seq, e.Value)
		}
	}
	// appendSince appends the same events after what dst holds.
	buf := r.appendSince([]Event{{Key: "mine"}}, maxEvents+100)
	if len(buf) != 401 || buf[0].Key != "mine" || buf[1].Seq != maxEvents+101 || buf[400].Seq != maxEvents+500 {
		t.Fatalf("appendSince: %d events, %+v then Seq %d..%d", len(buf), buf[0], buf[1].Seq, buf[len(buf)-1].Seq)
	}
	tail := r.since(maxEvents + 498)
	if len(tail) != 2 || tail[0].Value != maxEvents+498 {
		t.Fatalf("since: %+v", tail)
	}
	if r.since(maxEvents+500) != nil {
		t.Fatal("events after the last one")
	}
}

// Narration tells the story of an election with stable keys.
func TestNarrationKeys(t *testing.T) {
	s := newTestSim(t, nil)
	if err := s.Timeout("C"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 500)
	mustRequest(t, s, "SET 5", "")
	advance(t, s, 500)
	if err := s.Crash("A"); err != nil {
		t.Fatal(err)
	}
	want := []string{KeyTimeoutForced, KeyBecameCandidate, KeyVoteGranted, KeyBecameLeader, KeyEntryAppended,
		KeyEntryCommitted, KeyRequestSubmitted, KeyRequestSent, KeyRequestCommitted, KeyNodeCrashed}
	got := map[string]Event{}
	for _, e := range s.Events(0) {
		if _, seen := got[e.Key]; !seen {
			got[e.Key] = e
		}
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("no %s event", k)
		}
	}
	if e := got[KeyBecameLeader]; e.Node != "C" || e.Term != 1 {
		t.Errorf("became-leader %+v", e)
	}
	if e := got[KeyRequestCommitted]; e.Value != 1 || e.Detail != "5" {
		t.Errorf("request-committed %+v", e)
	}
	prev := uint64(0)
	for _, e := range s.Events(0) {
		if e.Seq != prev+1 {
			t.Fatalf("sequence gap at %d", e.Seq)
		}
		prev = e.Seq
	}
}

// State shows at most LogWindow entries per node, with LogStart, and its
// cached parts are reused between frames.
func TestStateLogWindow(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.SnapshotEvery = 0 })
	waitLeader(t, s, 2000)
	for i := 0; i < 300; i++ {
		mustRequest(t, s, "ADD 1", "")
	}
	advance(t, s, 2000)
	st := s.State()
	for _, n := range st.Nodes {
		if len(n.Log) != LogWindow || n.LogStart != n.LastIndex-LogWindow+1 || n.Log[0].Index != n.LogStart {
			t.Fatalf("%s: %d entries from %d, last %d", n.ID, len(n.Log), n.LogStart, n.LastIndex)
		}
		if last := n.Log[len(n.Log)-1]; last.Command != "ADD x 1" {
			t.Fatalf("%s: last entry %+v", n.ID, last)
		}
	}
	again := s.State()
	if &again.Nodes[0].Log[0] != &st.Nodes[0].Log[0] || &again.Nodes[0].KV[0] != &st.Nodes[0].KV[0] {
		t.Fatal("unchanged log and KV views were rebuilt")
	}
	if st.TickMs != 10 || st.Now != s.Now() || !st.Invariants.OK || st.Leader == "" {
		t.Fatalf("state header %+v", st)
	}
}

// Configure records one action per setting; pre-vote and check-quorum
// restart the running nodes with the new setting.
func TestConfigure(t *testing.T) {
	s := newTestSim(t, nil)
	waitLeader(t, s, 2000)
	err := s.Configure(Settings{PreVote: ptr(true), CheckQuorum: ptr(true), DropRate: ptr(0.1), SnapshotEvery: ptr(0)})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config()
	if !c.PreVote || !c.CheckQuorum || c.DropRate != 0.1 || c.SnapshotEvery != 0 {
		t.Fatalf("config %+v", c)
	}
	var kinds []string
	for _, a := range s.Actions() {
		kinds = append(kinds, a.String())
	}
	if len(kinds) != 4 {
		t.Fatalf("actions %v", kinds)
	}
	waitLeader(t, s, 3000)
	checkOK(t, s)
}
