package sim

import (
	"slices"
	"testing"

	"raftsandbox/sim/scenario"
)

// An expectation waits (decided at -1) until its time; one that holds then
// passes at once; one that does not stays pending through its window and
// fails at the window's end, decided at At+Within; RunScript ends at the
// scenario's end and reports the failure.
func TestExpectationVerdicts(t *testing.T) {
	s, err := FromScenario(`nodes 3
at 100ms expect leader within 40ms
expect no leader
at 1s expect leader within 2s
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Expectations() {
		if r.Status != ExpectWaiting || r.DecidedAt != -1 {
			t.Fatalf("before the run: %+v, want waiting, decided at -1", r)
		}
	}
	if err := s.RunScript(); err == nil {
		t.Fatal("RunScript passed with a failed expectation")
	}
	if s.Now() != s.ScriptEnd() || s.ScriptEnd() != 3000 {
		t.Errorf("RunScript ended at %d, script end %d; want both 3000", s.Now(), s.ScriptEnd())
	}
	got := s.Expectations()
	if got[0].Status != ExpectFailed || got[0].DecidedAt != 140 {
		t.Errorf("leader within 40ms of 100ms: %+v, want failed at 140", got[0])
	}
	if got[1].Status != ExpectPassed || got[1].DecidedAt != 100 {
		t.Errorf("no leader at 100ms: %+v, want passed at 100", got[1])
	}
	if got[2].Status != ExpectPassed || got[2].DecidedAt != 1000 {
		t.Errorf("leader at 1s: %+v, want passed at 1000", got[2])
	}
	// at its end already: RunScript adds no time
	if err := s.RunScript(); err == nil || s.Now() != 3000 {
		t.Errorf("RunScript again: %v, now %d", err, s.Now())
	}
}

// A pending expectation fails once the clock passes At+Within, not when it
// reaches it: an event at exactly At+Within can still make it hold.
func TestExpectationWindowEnd(t *testing.T) {
	r := &expectRunner{exps: []scenario.Expect{{At: 100, Within: 50}}, results: []ExpectResult{{Status: ExpectPending, DecidedAt: -1}}, pending: []int{0}}
	r.expire(150)
	if r.results[0].Status != ExpectPending || len(r.pending) != 1 {
		t.Fatalf("at 150 ms (the window's end): %+v, want still pending", r.results[0])
	}
	r.expire(151)
	if r.results[0].Status != ExpectFailed || r.results[0].DecidedAt != 150 || len(r.pending) != 0 {
		t.Fatalf("after 150 ms: %+v, want failed at 150", r.results[0])
	}
}

// "leader" and "no leader" look at whoever leads, node A (index 0)
// included; "on majority" needs more than half of the voters, up ones.
func TestExpectLeaderAndMajority(t *testing.T) {
	s, err := FromScenario("nodes 3\ntimeout A\nexpect leader A within 1s\n")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RunScript(); err != nil {
		t.Fatal(err)
	}
	expect := func(src string) bool {
		t.Helper()
		sc, err := scenario.Parse("nodes 3\nexpect " + src + "\n")
		if err != nil {
			t.Fatal(err)
		}
		return evalExpect(&sc.Expects[0], s)
	}
	if !expect("leader A") || expect("no leader") {
		t.Fatal("A leads: want leader A true and no leader false")
	}
	for _, c := range []struct {
		crash []string
		want  bool
	}{{nil, true}, {[]string{"B"}, true}, {[]string{"B", "C"}, false}} {
		for _, id := range c.crash {
			if nodeView(t, s, id).Up {
				if err := s.Crash(id); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := expect("term >= 1 on majority"); got != c.want {
			t.Errorf("with %v down: term >= 1 on majority = %v, want %v", c.crash, got, c.want)
		}
	}
}

// Request timers pushed in time order (ties included) go to the queue's
// FIFO, which keeps the heap small; any other event, or a timer earlier than
// the FIFO's last, goes to the heap. Either way the queue pops in (time,
// insertion) order (TestEventQueueMixedOrder).
func TestEventQueueRouting(t *testing.T) {
	var q eventQueue
	q.push(10, evDeliver, 1, 0)
	q.push(100, evRequestWake, 2, 0)
	q.push(100, evRequestWake, 3, 0) // a tie: still in order
	q.push(50, evRequestWake, 4, 0)  // earlier than the FIFO's last
	q.push(200, evPlan, 5, 0)
	if q.n != 3 || len(q.fifo)-q.head != 2 {
		t.Fatalf("heap %d, FIFO %d; want 3 (deliver, early timer, plan) and 2 (the timers in order)", q.n, len(q.fifo)-q.head)
	}
	var order []int32
	for q.len() > 0 {
		order = append(order, q.pop().a)
	}
	if want := []int32{1, 4, 2, 3, 5}; !slices.Equal(order, want) {
		t.Fatalf("popped %v, want %v", order, want)
	}
}

// The FIFO reuses its array: emptied, it starts over; with more than 256
// timers popped and more than half of it consumed, the next push moves
// what is pending to the front, so a steady stream of timers keeps it
// bounded.
func TestEventQueueFIFOCompaction(t *testing.T) {
	fill := func(pushed, popped int) *eventQueue {
		q := &eventQueue{}
		for i := 0; i < pushed; i++ {
			q.push(int64(i), evRequestWake, i, 0)
		}
		for i := 0; i < popped; i++ {
			q.pop()
		}
		q.push(int64(pushed), evRequestWake, pushed, 0)
		return q
	}
	for _, c := range []struct {
		pushed, popped int
		head           int // after the next push
	}{
		{300, 256, 256}, // not more than 256 popped: kept
		{300, 257, 0},   // moved to the front
		{600, 300, 300}, // half consumed, not more: kept
		{600, 301, 0},
		{10, 10, 0}, // emptied: starts over
	} {
		q := fill(c.pushed, c.popped)
		if q.head != c.head || len(q.fifo)-q.head != c.pushed-c.popped+1 {
			t.Errorf("%d pushed, %d popped, one more pushed: head %d, FIFO %d long; want head %d and %d pending",
				c.pushed, c.popped, q.head, len(q.fifo), c.head, c.pushed-c.popped+1)
		}
		if e := q.pop(); int(e.a) != c.popped {
			t.Errorf("%d pushed, %d popped: next %d, want %d", c.pushed, c.popped, e.a, c.popped)
		}
	}
}
