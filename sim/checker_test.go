package sim

import (
	"hash/fnv"
	"testing"
)

// The checker catches hand-made violations, fed to it directly.
func TestCheckerCatchesViolations(t *testing.T) {
	names := func(i int) string { return string(rune('A' + i)) }
	chainOf := func(terms ...uint64) []uint64 { // chains of a log with these terms, command = index
		out := make([]uint64, len(terms)+1)
		for i, tm := range terms {
			out[i+1] = chainNext(out[i], tm, entryHash(0, []byte{byte(i + 1)}))
		}
		return out
	}
	good := chainOf(1, 1, 2)
	other := chainOf(1, 1, 3) // differs at index 3
	at := func(c []uint64) func(uint64) (uint64, bool) {
		return func(i uint64) (uint64, bool) {
			if i >= uint64(len(c)) {
				return 0, false
			}
			return c[i], true
		}
	}
	tests := []struct {
		name string
		want string
		feed func(c *checker)
	}{
		{"two leaders in one term", InvElectionSafety, func(c *checker) {
			c.leaderElected(0, 2, at(good), 0)
			c.leaderElected(1, 2, at(good), 0)
		}},
		{"same index and term, different entry", InvLogMatching, func(c *checker) {
			c.entryPersisted(0, 3, 2, good[3])
			c.entryPersisted(1, 3, 2, chainNext(good[2], 2, entryHash(0, []byte("other"))))
		}},
		{"leader overwrote its log", InvLeaderAppendOnly, func(c *checker) {
			c.leaderOverwrote(0, 2, 2, 3)
		}},
		{"new leader misses a committed entry", InvLeaderCompleteness, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.leaderElected(1, 3, at(good[:3]), 0) // its log ends at index 2
		}},
		{"new leader has a different committed entry", InvLeaderCompleteness, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.leaderElected(1, 3, at(other), 0)
		}},
		{"different commands applied at one index", InvStateMachineSafety, func(c *checker) {
			c.applied(0, 3, entryHash(0, []byte("SET x 5")), 2)
			c.applied(1, 3, entryHash(0, []byte("SET x 6")), 2)
		}},
		{"two nodes commit different entries", InvStateMachineSafety, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.commitAdvanced(1, 3, 3, at(other))
		}},
		{"commit beyond the durable log", InvCommitDurable, func(c *checker) {
			c.commitExceedsDurable(0, 5, 3, 2)
		}},
		{"committed entry on a minority", InvQuorumDurable, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			holds := map[int]bool{0: true, 1: false, 2: false}
			c.quorum([]int{0, 1, 2}, func(v int, i, chain uint64) bool { return holds[v] })
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newChecker(names)
			tc.feed(c)
			if len(c.violations) == 0 {
				t.Fatal("no violation")
			}
			v := c.violations[0]
			if v.Invariant != tc.want || v.Detail == "" || len(v.Nodes) == 0 {
				t.Fatalf("violation %+v, want %s with a detail and nodes", v, tc.want)
			}
		})
	}
	// And the same facts in a legal order raise nothing.
	c := newChecker(names)
	c.leaderElected(0, 1, at(good), 0)
	c.entryPersisted(0, 1, 1, good[1])
	c.entryPersisted(1, 1, 1, good[1])
	c.commitAdvanced(0, 2, 1, at(good))
	c.commitAdvanced(1, 1, 1, at(good))
	c.applied(0, 1, 7, 1)
	c.applied(1, 1, 7, 1)
	c.quorum([]int{0, 1, 2}, func(v int, i, chain uint64) bool { return v < 2 })
	c.leaderElected(1, 2, at(good), 0)
	c.prune(1)
	c.commitAdvanced(2, 3, 2, at(good))
	if len(c.violations) != 0 {
		t.Fatalf("legal history flagged: %+v", c.violations)
	}
}

// A violation in a running cluster stops it: Step/Tick/Advance refuse with
// an error naming the invariant, and rewinding to before it recovers.
func TestViolationStopsTheRun(t *testing.T) {
	s := newTestSim(t, nil)
	waitLeader(t, s, 2000)
	before := s.Now()
	// Forge a second leader for the leader's term.
	l := s.nodes[s.leader]
	s.chk.leaderElected((l.idx+1)%5, l.term, l.chainAt, 0)
	advance(t, s, 0) // nothing happens at the same instant
	s.afterEvent()
	if !s.Halted() {
		t.Fatal("not halted")
	}
	if err := s.Advance(10); err == nil {
		t.Fatal("Advance after a violation succeeded")
	}
	if err := s.Tick(1); err == nil {
		t.Fatal("Tick after a violation succeeded")
	}
	if _, ok := s.Step(); ok {
		t.Fatal("Step after a violation succeeded")
	}
	st := s.State()
	if st.Invariants.OK || !st.Halted || st.Invariants.Violations[0].Invariant != InvElectionSafety {
		t.Fatalf("state: %+v", st.Invariants)
	}
	if len(eventsWithKey(s, KeyInvariantViolated)) != 1 {
		t.Fatal("violation not narrated")
	}
	if err := s.RewindTo(before - 10); err != nil {
		t.Fatal(err)
	}
	if s.Halted() || !s.State().Invariants.OK {
		t.Fatal("rewind did not recover")
	}
	advance(t, s, 100)
}

// Break-it switches reach the core; a deliberate bug under a hostile
// workload is caught by the checker within a few seeds.
func TestCheckerCatchesBugs(t *testing.T) {
	caught := 0
	for seed := uint64(1); seed <= 40 && caught == 0; seed++ {
		cfg := DefaultConfig()
		cfg.Seed = seed
		cfg.Bugs.CommitOldTermByCount = true
		cfg.Bugs.VoteWithoutLogCheck = true
		cfg.DropRate = 0.1
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"A", "B", "C", "D", "E"}
		for k := 0; k < 200 && !s.Halted(); k++ {
			_ = s.Advance(37)
			_, _ = s.Request("ADD 1", "")
			switch k % 7 {
			case 0:
				_ = s.Crash(names[(k/7)%5])
			case 3:
				_ = s.Restart(names[(k/7)%5])
			case 5:
				_ = s.Partition([][]string{{names[k%5], names[(k+1)%5]}})
			case 6:
				_ = s.Heal()
			}
		}
		if s.Halted() {
			caught++
			v := s.Violations()[0]
			t.Logf("seed %d: caught %s: %s", seed, v.Invariant, v.Detail)
		}
	}
	if caught == 0 {
		t.Fatal("the checker never caught vote-without-log-check + commit-old-term-by-count in 40 seeds")
	}
}

// Each rule of the checker at its edges, as table cases: the fact that is
// just inside a rule is flagged, the one just outside is not. A checker that
// lets such a case through can miss a real bug.
func TestCheckerEdges(t *testing.T) {
	names := func(i int) string { return string(rune('A' + i)) }
	chainOf := func(cmd byte, terms ...uint64) []uint64 {
		out := make([]uint64, len(terms)+1)
		for i, tm := range terms {
			out[i+1] = chainNext(out[i], tm, entryHash(0, []byte{cmd, byte(i + 1)}))
		}
		return out
	}
	good := chainOf('g', 1, 1, 2, 2, 2)
	other := chainOf('o', 1, 1, 2, 2, 2) // differs everywhere
	at := func(c []uint64) func(uint64) (uint64, bool) {
		return func(i uint64) (uint64, bool) {
			if i >= uint64(len(c)) {
				return 0, false
			}
			return c[i], true
		}
	}
	holders := func(n int) func(v int, i, chain uint64) bool {
		return func(v int, i, chain uint64) bool { return v < n }
	}
	tests := []struct {
		name string
		want string // "" for no violation
		feed func(c *checker)
	}{
		// Leader Completeness (§5.4) is checked at the last index committed
		// in an earlier term, even when it is exactly the new leader's
		// snapshot index; below the snapshot it was checked on install.
		{"completeness at the snapshot index", InvLeaderCompleteness, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.leaderElected(1, 3, at(other), 3)
		}},
		{"completeness below the snapshot index", "", func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.leaderElected(1, 3, at(other), 4)
		}},
		{"entries committed in the leader's own term are not yet required", "", func(c *checker) {
			c.commitAdvanced(0, 2, 1, at(good))
			c.commitAdvanced(0, 4, 3, at(good))
			c.leaderElected(1, 3, at(good[:3]), 0)
		}},
		{"the same leader reported twice in its term", "", func(c *checker) {
			c.leaderElected(0, 2, at(good), 0)
			c.leaderElected(0, 2, at(good), 0)
		}},
		// State Machine Safety on commit: a second node's commit index is
		// compared at the highest index both committed.
		{"commit behind the record, different entry", InvStateMachineSafety, func(c *checker) {
			c.commitAdvanced(0, 5, 2, at(good))
			c.commitAdvanced(1, 4, 2, at(other))
		}},
		{"commit ahead of the record, different entry at the record's end", InvStateMachineSafety, func(c *checker) {
			c.commitAdvanced(0, 2, 1, at(good))
			c.commitAdvanced(1, 5, 2, at(other))
		}},
		{"commit ahead of the record, same prefix", "", func(c *checker) {
			c.commitAdvanced(0, 2, 1, at(good))
			c.commitAdvanced(1, 5, 2, at(good))
			c.commitAdvanced(0, 5, 2, at(good))
		}},
		// Quorum durability: every majority must include a holder, that is
		// holders >= ceil(voters/2).
		{"2 of 4 voters hold the commit", "", func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.quorum([]int{0, 1, 2, 3}, holders(2))
		}},
		{"1 of 4 voters holds the commit", InvQuorumDurable, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.quorum([]int{0, 1, 2, 3}, holders(1))
		}},
		{"3 of 5 voters hold the commit", "", func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.quorum([]int{0, 1, 2, 3, 4}, holders(3))
		}},
		{"2 of 5 voters hold the commit", InvQuorumDurable, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.quorum([]int{0, 1, 2, 3, 4}, holders(2))
		}},
		{"1 voter, holding the commit", "", func(c *checker) {
			c.commitAdvanced(0, 1, 1, at(good))
			c.quorum([]int{0}, holders(1))
		}},
		{"nothing committed yet", "", func(c *checker) {
			c.quorum([]int{0, 1, 2}, holders(0))
		}},
		{"no voters", "", func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.quorum(nil, holders(0))
		}},
		// Log Matching, with entries seen out of order.
		{"an earlier index seen after a later one, then contradicted", InvLogMatching, func(c *checker) {
			c.entryPersisted(0, 5, 2, good[5])
			c.entryPersisted(0, 3, 2, good[3])
			c.entryPersisted(1, 3, 2, other[3])
		}},
		{"the later index still checked after growing to the left", InvLogMatching, func(c *checker) {
			c.entryPersisted(0, 5, 2, good[5])
			c.entryPersisted(0, 3, 2, good[3])
			c.entryPersisted(1, 5, 2, other[5])
		}},
		{"the same entries seen again, in any order", "", func(c *checker) {
			c.entryPersisted(0, 5, 2, good[5])
			c.entryPersisted(0, 3, 2, good[3])
			c.entryPersisted(1, 4, 2, good[4])
			c.entryPersisted(1, 3, 2, good[3])
			c.entryPersisted(1, 5, 2, good[5])
		}},
		{"entries of two terms, alternating", InvLogMatching, func(c *checker) {
			c.entryPersisted(0, 2, 1, good[2])
			c.entryPersisted(0, 3, 2, good[3])
			c.entryPersisted(1, 2, 1, other[2])
		}},
		// Pruning forgets what every snapshot covers, and nothing after it.
		{"pruned: a different entry at the floor", "", func(c *checker) {
			c.entryPersisted(0, 3, 2, good[3])
			c.prune(3)
			c.entryPersisted(1, 3, 2, other[3])
			c.entryPersisted(2, 3, 2, good[3])
		}},
		{"pruned: a different entry just after the floor", InvLogMatching, func(c *checker) {
			for i := uint64(1); i <= 5; i++ {
				c.entryPersisted(0, i, []uint64{0, 1, 1, 2, 2, 2}[i], good[i])
			}
			c.prune(3)
			c.entryPersisted(1, 4, 2, other[4])
		}},
		{"pruned: a term entirely below the floor is forgotten", "", func(c *checker) {
			c.entryPersisted(0, 1, 1, good[1])
			c.entryPersisted(0, 2, 1, good[2])
			c.entryPersisted(0, 3, 2, good[3])
			c.prune(2)
			c.entryPersisted(1, 2, 1, other[2])
			c.entryPersisted(0, 3, 2, good[3])
		}},
		{"pruning never goes back", "", func(c *checker) {
			c.entryPersisted(0, 3, 2, good[3])
			c.prune(3)
			c.prune(2)
			c.entryPersisted(1, 3, 2, other[3])
		}},
		{"pruned: applied at the floor", "", func(c *checker) {
			c.applied(0, 3, 7, 2)
			c.prune(3)
			c.applied(1, 3, 9, 2)
		}},
		{"pruned: applied just after the floor", InvStateMachineSafety, func(c *checker) {
			c.applied(0, 3, 7, 2)
			c.applied(0, 4, 7, 2)
			c.prune(3)
			c.applied(1, 4, 9, 2)
		}},
		{"pruned: the last committed record is kept for the quorum check", InvQuorumDurable, func(c *checker) {
			c.commitAdvanced(0, 3, 2, at(good))
			c.prune(5)
			c.quorum([]int{0, 1, 2}, holders(1))
		}},
		{"pruned: a commit at the floor is not compared", "", func(c *checker) {
			c.commitAdvanced(0, 5, 2, at(good))
			c.prune(3)
			c.commitAdvanced(1, 3, 2, at(other))
		}},
		{"pruned: commits after the floor are still compared", InvStateMachineSafety, func(c *checker) {
			c.commitAdvanced(0, 5, 2, at(good))
			c.prune(3)
			c.commitAdvanced(1, 4, 2, at(other))
		}},
		{"pruned: completeness after the floor", InvLeaderCompleteness, func(c *checker) {
			c.commitAdvanced(0, 2, 1, at(good))
			c.commitAdvanced(0, 5, 2, at(good))
			c.prune(3)
			c.leaderElected(1, 3, at(other), 0)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newChecker(names)
			tc.feed(c)
			switch {
			case tc.want == "" && len(c.violations) > 0:
				t.Fatalf("flagged: %+v", c.violations)
			case tc.want != "" && len(c.violations) == 0:
				t.Fatalf("no violation, want %s", tc.want)
			case tc.want != "" && c.violations[0].Invariant != tc.want:
				t.Fatalf("violation %+v, want %s", c.violations[0], tc.want)
			}
		})
	}
}

// The checker's hashes: entryHash is FNV-1a (hash/fnv) over the type byte
// and the data, chainNext and mix64 separate their inputs; none is ever 0,
// which the records use for "not seen".
func TestCheckerHashes(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("SET x 5"), {0, 1, 2, 255}} {
		for _, typ := range []uint8{0, 1, 7} {
			h := fnv.New64a()
			h.Write(append([]byte{typ}, data...))
			if got, want := entryHash(typ, data), h.Sum64()|1; got != want {
				t.Errorf("entryHash(%d, %q) = %#x, FNV-1a says %#x", typ, data, got, want)
			}
		}
	}
	// splitmix64 seeded with 0 starts 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4.
	var golden uint64 = 0x9e3779b97f4a7c15
	if got := mix64(golden); got != 0xe220a8397b1dcdaf {
		t.Errorf("mix64: %#x", got)
	}
	if got := mix64(2 * golden); got != 0x6e789e6aa1b965f4 {
		t.Errorf("mix64: %#x", got)
	}
	seen := map[uint64]bool{}
	for prev := range uint64(20) {
		for term := range uint64(20) {
			for hash := range uint64(20) {
				c := chainNext(prev, term, hash)
				if c == 0 || seen[c] {
					t.Fatalf("chainNext(%d, %d, %d) = %#x: zero or seen before", prev, term, hash, c)
				}
				seen[c] = true
			}
		}
	}
}

// Pruning bounds the checker's memory on long runs: what every snapshot
// covers is freed (the last committed record excepted), exactly that, and
// the checks after the floor still work.
func TestCheckerPruneFreesMemory(t *testing.T) {
	c := newChecker(func(i int) string { return string(rune('A' + i)) })
	c.prune(2) // nothing recorded yet
	if c.floor != 2 || len(c.commitRec) != 0 || c.commitBase != 0 {
		t.Fatalf("empty checker pruned: %+v", c)
	}
	chain := func(i uint64) (uint64, bool) { return chainNext(i, 1, i) | 1, true }
	for i := uint64(3); i <= 8; i++ {
		term := uint64(1)
		if i > 5 {
			term = 2
		}
		c.entryPersisted(0, i, term, chainNext(i, term, i))
		c.applied(0, i, i, term)
	}
	c.commitAdvanced(0, 8, 2, chain)
	c.prune(6)
	if c.commitBase != 6 || len(c.commitRec) != 2 || c.appliedBase != 6 || len(c.appliedRec) != 2 {
		t.Fatalf("after prune(6): commit base %d (%d records), applied base %d (%d records)", c.commitBase, len(c.commitRec), c.appliedBase, len(c.appliedRec))
	}
	if _, ok := c.terms[1]; ok {
		t.Fatal("term 1 (indexes 3 to 5, all below the floor) is still recorded")
	}
	if tl := c.terms[2]; tl == nil || tl.start != 7 || len(tl.chains) != 2 {
		t.Fatalf("term 2 after prune(6): %+v, want indexes 7 and 8", tl)
	}
	c.prune(6) // again: nothing changes
	if c.commitBase != 6 || len(c.commitRec) != 2 || c.terms[2].start != 7 {
		t.Fatal("pruning twice at one floor changed the records")
	}
	c.entryPersisted(1, 8, 2, chainNext(8, 2, 8)) // another node holds entry 8: term 2 is the last term seen
	c.prune(8)                                    // the last index of term 2: its record goes
	if _, ok := c.terms[2]; ok || len(c.appliedRec) != 0 {
		t.Fatalf("after prune(8): term 2 %+v, %d applied records", c.terms[2], len(c.appliedRec))
	}
	c.prune(20) // beyond everything: the last committed record stays
	if c.commitBase != 7 || len(c.commitRec) != 1 || c.commitMax() != 8 || len(c.appliedRec) != 0 || len(c.terms) != 0 {
		t.Fatalf("after prune(20): commit base %d (%d records), %d applied records, %d terms", c.commitBase, len(c.commitRec), len(c.appliedRec), len(c.terms))
	}
	if len(c.violations) != 0 {
		t.Fatalf("violations: %+v", c.violations)
	}
	// Two partial prunes in a row: the second drops only what lies between
	// the two floors.
	p := newChecker(func(i int) string { return "A" })
	p.commitAdvanced(0, 10, 1, chain)
	for i := uint64(1); i <= 10; i++ {
		p.applied(0, i, i, 1)
	}
	p.prune(3)
	p.prune(5)
	if p.commitBase != 5 || len(p.commitRec) != 5 || p.appliedBase != 5 || len(p.appliedRec) != 5 {
		t.Fatalf("after prune(3), prune(5): commit base %d (%d records), applied base %d (%d records)", p.commitBase, len(p.commitRec), p.appliedBase, len(p.appliedRec))
	}
	// After the cached term was pruned away, a later entry of that term is
	// recorded afresh.
	c.entryPersisted(1, 21, 2, 5)
	c.entryPersisted(0, 21, 2, 7)
	if len(c.violations) != 1 || c.violations[0].Invariant != InvLogMatching {
		t.Fatalf("after pruning the cached term: %+v", c.violations)
	}
	if tl := c.terms[2]; tl == nil || tl.start != 21 {
		t.Fatalf("term 2 recorded again: %+v (the cache must not keep the pruned record)", tl)
	}
}

// A violation says, for the page, which node it is about (the first one it
// names), its index and its term; the committed record answers for exactly
// the indexes it holds after pruning.
func TestCheckerViolationWhyAndRecord(t *testing.T) {
	c := newChecker(func(i int) string { return string(rune('A' + i)) })
	c.fail(InvCommitDurable, 5, 2, []int{2, 0}, Why{Code: "x"}, "detail")
	c.fail(InvQuorumDurable, 6, 3, nil, Why{Code: "y"}, "detail")
	v := c.violations
	if len(v) != 2 || v[0].Why.Arg("node") != "C" || v[0].Why.Arg("index") != "5" || v[0].Why.Arg("term") != "2" ||
		len(v[0].Nodes) != 2 || v[0].Nodes[1] != "A" {
		t.Fatalf("first violation %+v", v[0])
	}
	if v[1].Why.Arg("node") != "" || v[1].Why.Arg("index") != "6" || len(v[1].Nodes) != 0 {
		t.Fatalf("violation without nodes %+v", v[1])
	}
	r := newChecker(func(i int) string { return "A" })
	r.commitAdvanced(0, 6, 1, func(i uint64) (uint64, bool) { return i*10 + 1, true })
	r.prune(3)
	for i, want := range map[uint64]bool{2: false, 3: false, 4: true, 6: true, 7: false} {
		if chain, ok := r.committedChain(i); ok != want || (ok && chain != i*10+1) {
			t.Errorf("committedChain(%d) = %d, %v (commit base %d, max %d)", i, chain, ok, r.commitBase, r.commitMax())
		}
	}
}
