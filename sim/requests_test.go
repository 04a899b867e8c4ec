package sim

import "testing"

// Rules of the client requests that the mutation run of client.go found
// unchecked (docs/testing.md). A is node index 0: requests pinned to it or
// handled by it must be reported like any other node's.

// leadA makes A the leader of a fresh 5-node cluster.
func leadA(t *testing.T, mod func(*Config)) *Sim {
	t.Helper()
	s := newTestSim(t, mod)
	if err := s.Timeout("A"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 500)
	if l := s.State().Leader; l != "A" {
		t.Fatalf("leader %q, want A", l)
	}
	return s
}

// The request list names the node a request is pinned to and the node
// handling it; a request that never reached a node (its node is down, or
// refused it) names no handler.
func TestRequestViewNamesItsNodes(t *testing.T) {
	s := leadA(t, nil)
	unpinned := mustRequest(t, s, "SET 1", "")
	pinned := mustRequest(t, s, "SET 2", "A")
	if err := s.Crash("C"); err != nil {
		t.Fatal(err)
	}
	down := mustRequest(t, s, "SET 3", "C")
	refused := mustRequest(t, s, "SET 4", "B") // a follower refuses writes
	for _, c := range []struct {
		id             int
		to, target, st string
	}{
		{unpinned, "", "A", StatusPending},
		{pinned, "A", "A", StatusPending},
		{down, "C", "", StatusFailed},
		{refused, "B", "", StatusFailed},
	} {
		if r := requestView(t, s, c.id); r.To != c.to || r.Target != c.target || r.Status != c.st {
			t.Errorf("request %d: %+v, want to %q, target %q, %s", c.id, r, c.to, c.target, c.st)
		}
	}
}

// A request that commits at its first attempt is not narrated as retried;
// one sent again after its leader was lost is, with the reason.
func TestRetriedOnlyWhenSentAgain(t *testing.T) {
	s := leadA(t, nil)
	id := mustRequest(t, s, "SET 1", "")
	advance(t, s, 500)
	if r := requestView(t, s, id); r.Status != StatusCommitted {
		t.Fatalf("request %+v, want committed", r)
	}
	if ev := eventsWithKey(s, KeyRequestRetried); len(ev) != 0 {
		t.Fatalf("a request committed at once was narrated as retried: %+v", ev)
	}
}

// Each request carries its own command, also when the client alternates
// commands (the parsed command is memoized by its text).
func TestAlternatingCommands(t *testing.T) {
	s := leadA(t, nil)
	a := mustRequest(t, s, "SET 5", "")
	b := mustRequest(t, s, "ADD 2", "")
	c := mustRequest(t, s, "SET 5", "")
	advance(t, s, 500)
	for id, want := range map[int]string{a: "5", b: "7", c: "5"} {
		if r := requestView(t, s, id); r.Status != StatusCommitted || r.Result != want {
			t.Errorf("request %d: %+v, want committed with %s", id, r, want)
		}
	}
}

// An empty command is refused, also as the very first command of a run.
func TestEmptyCommandRefusedFirst(t *testing.T) {
	s := newTestSim(t, nil)
	if _, err := s.Request("", ""); err == nil {
		t.Fatal("an empty first command was accepted")
	}
	if _, _, err := s.parseCommand(""); err == nil {
		t.Fatal("parseCommand accepted an empty command")
	}
}

// The history recorder: a pending request has no return time yet and shows
// how often it was sent so far; requests made while recording is off are
// not recorded and do not touch the recorded ones.
func TestHistoryWhilePendingAndOff(t *testing.T) {
	s := leadA(t, nil)
	s.RecordHistory(true)
	first := mustRequest(t, s, "SET 1", "")
	advance(t, s, 500)
	if err := s.Partition([][]string{{"A"}}); err != nil {
		t.Fatal(err)
	}
	second := mustRequest(t, s, "SET 2", "A")
	h := s.History()
	if len(h) != 2 || h[0].ID != first || h[0].Status != StatusCommitted || h[0].Return < 0 {
		t.Fatalf("history %+v: the first request should be recorded as committed", h)
	}
	if h[1].ID != second || h[1].Status != StatusPending || h[1].Return != -1 || h[1].Attempts != 1 {
		t.Fatalf("history %+v: the second request should be pending, sent once, without a return time", h)
	}
	if op, ok := s.RequestOp(second); !ok || op.Attempts != 1 || op.Return != -1 {
		t.Fatalf("RequestOp(%d) = %+v, %v", second, op, ok)
	}
	s.RecordHistory(false)
	if err := s.Heal(); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	third := mustRequest(t, s, "SET 3", "")
	advance(t, s, 2000)
	if r := requestView(t, s, third); r.Status != StatusCommitted {
		t.Fatalf("request %+v, want committed", r)
	}
	h2 := s.History()
	if v := requestView(t, s, second); len(h2) != 2 || h2[1].ID != second || h2[1].Status != v.Status || h2[1].Value == 3 {
		t.Fatalf("history after recording stopped: %+v (before: %+v)", h2, h)
	}
}

// An unpinned request that never found a leader gives up with "no leader";
// one that was sent but never committed gives up with "not committed".
func TestGiveUpReasons(t *testing.T) {
	for _, c := range []struct {
		name     string
		setup    func(*Sim) error
		wantCode string
	}{
		{"no leader ever", func(s *Sim) error {
			for _, n := range []string{"B", "C", "D"} {
				if err := s.Crash(n); err != nil {
					return err
				}
			}
			return nil
		}, "no-leader-in-time"},
		{"leader in the minority", func(s *Sim) error {
			if err := s.Timeout("A"); err != nil {
				return err
			}
			if err := s.Advance(500); err != nil {
				return err
			}
			return s.Partition([][]string{{"A"}, {"B"}, {"C"}, {"D", "E"}})
		}, "not-committed-in-time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestSim(t, nil)
			if err := c.setup(s); err != nil {
				t.Fatal(err)
			}
			id := mustRequest(t, s, "SET 1", "")
			advance(t, s, s.Config().RequestGiveUpMs+100)
			if r := requestView(t, s, id); r.Status != StatusFailed || r.Why.Code != c.wantCode {
				t.Fatalf("request %+v, want failed with %s", r, c.wantCode)
			}
		})
	}
}

// A request's retry at the leader is a visible step (Step stops on it, and
// names the node); a pinned request is never retried (it has no timer).
func TestRetryIsAStepAndPinnedNeverRetry(t *testing.T) {
	s := leadA(t, nil)
	s.RecordHistory(true)
	if err := s.Partition([][]string{{"A", "B"}, {"C"}, {"D", "E"}}); err != nil {
		t.Fatal(err)
	}
	unpinned := mustRequest(t, s, "SET 1", "")
	pinned := mustRequest(t, s, "SET 2", "A")
	retry := s.Now() + s.Config().RequestRetryMs
	var steps []StepResult
	for s.Now() <= retry {
		res, ok := s.Step()
		if !ok {
			t.Fatal("the run ended")
		}
		if res.Kind == "client" {
			steps = append(steps, res)
		}
	}
	if len(steps) != 1 || steps[0].Node != "A" || steps[0].At != retry {
		t.Fatalf("client steps %+v, want one at %d ms naming A", steps, retry)
	}
	for _, op := range s.History() {
		want := map[int]int{unpinned: 2, pinned: 1}[op.ID]
		if op.Attempts != want || op.Status != StatusPending {
			t.Errorf("request %d: %+v, want pending after %d attempts", op.ID, op, want)
		}
	}
}

// State's request list is bounded: every pending request stays in it, and
// of the resolved ones the latest 256 (trimRecent); the list of requests
// the watermark walks keeps only the pending ones once it grows past twice
// their number and 64 (a request pending for long must not keep every later
// one alive). Both are compacted only when they reach their bound, so that
// the copying costs a constant per request.
func TestRequestListBounded(t *testing.T) {
	s := leadA(t, nil)
	if err := s.Partition([][]string{{"A", "B"}, {"C", "D", "E"}}); err != nil {
		t.Fatal(err)
	}
	stuck := mustRequest(t, s, "SET 9", "A") // pending while the partition lasts
	advance(t, s, 1000)                      // C, D or E leads the majority
	const keep = 256
	longest, slack := 0, -1<<30
	for k := 0; k < 1200; k++ {
		id := mustRequest(t, s, "ADD 1", "")
		slack = max(slack, len(s.order)-2*s.pending.count)
		longest = max(longest, len(s.recent))
		if k%8 == 7 {
			advance(t, s, 100)
		}
		reqs := s.recent // what State lists
		if len(reqs) >= 4*keep {
			t.Fatalf("after request %d: %d requests listed, want fewer than %d", id, len(reqs), 4*keep)
		}
		listed := map[int]bool{}
		for _, r := range reqs {
			listed[r.id] = true
		}
		if !listed[stuck] {
			t.Fatalf("after request %d: the pending request %d is not listed", id, stuck)
		}
		for j := max(stuck+1, id-keep+1); j <= id; j++ {
			if !listed[j] {
				t.Fatalf("after request %d: request %d (one of the latest %d) is not listed", id, j, keep)
			}
		}
	}
	if r := requestView(t, s, stuck); r.Status != StatusPending {
		t.Fatalf("request %+v, want still pending", r)
	}
	if longest != 4*keep-1 || slack != 64 {
		t.Fatalf("the request list grew to %d (want %d before compacting), the watermark's to twice the pending and %d (want 64)", longest, 4*keep-1, slack)
	}
	checkOK(t, s)
}

// Client entries are encoded into shared chunks of 4 KiB: one allocation
// per chunk, not per request. Each entry decodes to what was encoded, ends
// its slice's capacity (nothing appended to it can overwrite the next
// entry), and a chunk never grows past its size.
func TestEntryArena(t *testing.T) {
	s := newTestSim(t, nil)
	cmd := Command{Op: OpAdd, Key: "counter", Value: -3}
	var prev []byte
	for k := uint64(1); k <= 2000; k++ {
		b := s.encodeEntry(k, k/2, cmd)
		id, wm, c, err := decodeEntry(b)
		if err != nil || id != k || wm != k/2 || c != cmd {
			t.Fatalf("entry %d decodes to %d %d %+v %v", k, id, wm, c, err)
		}
		if cap(b) != len(b) || cap(s.arena) > 4096 {
			t.Fatalf("entry %d: len %d cap %d; arena cap %d", k, len(b), cap(b), cap(s.arena))
		}
		if prev != nil {
			if _, _, c, err := decodeEntry(prev); err != nil || c != cmd {
				t.Fatalf("entry %d overwrote the one before it", k)
			}
		}
		prev = b
	}
	if allocs := testing.AllocsPerRun(100, func() { s.encodeEntry(1, 1, cmd) }); allocs != 0 {
		t.Fatalf("%v allocations per entry, want 0 (one per 4 KiB chunk)", allocs)
	}
}
