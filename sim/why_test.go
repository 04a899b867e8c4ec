package sim

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"raftsandbox/raft"
)

// Refusals are told when the refusing node decides, with the core's reason
// and both sides' numbers (docs/sim.md, "Why: reasons as codes").
func TestRefusalsSayWhy(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3; c.Seed = 3 })
	// Two candidates at once: each voter grants the first request it gets
	// and refuses the second because it already voted.
	if err := s.Timeout("A"); err != nil {
		t.Fatal(err)
	}
	if err := s.Timeout("B"); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 2000)
	leader := waitLeader(t, s, 2000)
	seen := map[string]bool{}
	check := func(e Event) {
		t.Helper()
		seen[e.Why.Code] = true
		if e.Reason != e.Why.Code {
			t.Errorf("%s: reason %q, why %q", e.Key, e.Reason, e.Why.Code)
		}
		switch e.Why.Code {
		case "voted":
			if o := e.Why.Arg("other"); o == "" || o == e.Node {
				t.Errorf("%+v: refused for having voted for %q, the asker itself", e, o)
			}
		case "log-shorter":
			a, _ := strconv.Atoi(e.Why.Arg("nodeLastIndex"))
			b, _ := strconv.Atoi(e.Why.Arg("peerLastIndex"))
			if a >= b {
				t.Errorf("%+v: a log-shorter refusal of a log that is not shorter", e)
			}
		case "log-older":
			a, _ := strconv.Atoi(e.Why.Arg("nodeLastTerm"))
			b, _ := strconv.Atoi(e.Why.Arg("peerLastTerm"))
			if a >= b {
				t.Errorf("%+v: a log-older refusal of a log that is not older", e)
			}
		case "no-entry":
			p, _ := strconv.Atoi(e.Why.Arg("prevIndex"))
			l, _ := strconv.Atoi(e.Why.Arg("peerLastIndex"))
			if uint64(p)+1 != e.Index || l >= p {
				t.Errorf("%+v: no entry %d, but its log ends at %d (append at %d)", e, p, l, e.Index)
			}
		case "":
			t.Errorf("%+v: a refusal without a reason", e)
		}
	}
	for _, e := range s.Events(0) {
		if e.Key == KeyVoteRejected || e.Key == KeyPreVoteRejected || e.Key == KeyAppendRejected {
			check(e)
		}
	}
	if !seen["voted"] {
		t.Fatalf("two candidates at once: no refusal for an earlier vote; reasons %v", seen)
	}
	// A follower that missed entries is behind: its own election is
	// refused for its log, and the leader's appends past its end for a
	// missing entry.
	var lagger string
	for _, id := range []string{"A", "B", "C"} {
		if id != leader {
			lagger = id
			break
		}
	}
	since := s.ev.next
	if err := s.Crash(lagger); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"SET 5", "ADD 2"} {
		if _, err := s.Request(c, ""); err != nil {
			t.Fatal(err)
		}
		advance(t, s, 300)
	}
	if err := s.Restart(lagger); err != nil {
		t.Fatal(err)
	}
	if err := s.Timeout(lagger); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 3000)
	seen = map[string]bool{}
	for _, e := range s.Events(since) {
		if e.Key == KeyVoteRejected || e.Key == KeyPreVoteRejected || e.Key == KeyAppendRejected {
			check(e)
		}
	}
	t.Logf("reasons after the lagging node returned: %v", seen)
	if !seen["log-shorter"] && !seen["log-older"] {
		t.Fatalf("a lagging candidate was not refused for its log; reasons %v", seen)
	}
	if !seen["no-entry"] {
		t.Fatalf("the leader's appends past a lagging follower's log were not refused for a missing entry; reasons %v", seen)
	}
}

// A pinned request that fails, a bad command and an action on a crashed node
// say why as a code, not only in English.
func TestFailuresSayWhy(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3 })
	leader := waitLeader(t, s, 2000)
	advance(t, s, 200) // every follower knows the leader
	other := "A"
	if leader == "A" {
		other = "B"
	}
	id, err := s.Request("SET 5", other)
	if err != nil {
		t.Fatal(err)
	}
	if r := requestView(t, s, id); r.Status != StatusFailed || r.Why.Code != "not-leader" || r.Why.Arg("node") != other {
		t.Fatalf("request pinned to follower %s: %+v, want failed with not-leader", other, r)
	}
	_, err = s.Request("FLY 5", "")
	if w := WhyOf(err); w.Code != "unknown-command" || w.Arg("command") != "FLY" {
		t.Fatalf("bad command: %v, why %+v", err, w)
	}
	if err := s.Crash(other); err != nil {
		t.Fatal(err)
	}
	err = s.Crash(other)
	if w := WhyOf(err); w.Code != "already-down" || w.Arg("node") != other {
		t.Fatalf("crashing a crashed node: %v, why %+v", err, w)
	}
	if err := s.Timeout("Q"); WhyOf(err).Code != "unknown-node" {
		t.Fatalf("unknown node: %v, why %+v", err, WhyOf(err))
	}
	// Wrapping keeps the core's error visible to errors.Is.
	if err := s.TransferLeadership(leader); WhyOf(err).Code != "already-leader" {
		t.Fatalf("transfer to the leader: %v, why %+v", err, WhyOf(err))
	}
	werr := whyErrorf(why("x"), "wrapped: %w", raft.ErrNotLeader)
	if !errors.Is(werr, raft.ErrNotLeader) || werr.Error() != "wrapped: "+raft.ErrNotLeader.Error() {
		t.Fatalf("WhyError hides what it wraps: %v", werr)
	}
}

// A vote request the core ignores without an answer (check-quorum lease)
// is told as a refusal too, with the leader the voter still hears.
func TestIgnoredRequestsSayWhy(t *testing.T) {
	s := newTestSim(t, func(c *Config) { c.Nodes = 3; c.CheckQuorum = true })
	leader := waitLeader(t, s, 2000)
	advance(t, s, 200)
	var candidate string
	for _, id := range []string{"A", "B", "C"} {
		if id != leader {
			candidate = id
			break
		}
	}
	since := s.ev.next
	if err := s.Timeout(candidate); err != nil {
		t.Fatal(err)
	}
	advance(t, s, 100)
	found := false
	for _, e := range s.Events(since) {
		if e.Key == KeyVoteRejected && e.Node == candidate && e.Why.Code == "in-lease" {
			found = true
			if e.Why.Arg("other") != leader {
				t.Errorf("%+v: the voter hears leader %q, want %s", e, e.Why.Arg("other"), leader)
			}
		}
	}
	if !found {
		t.Fatalf("a candidate's vote request ignored in the lease was not told: %+v", s.Events(since))
	}
}

// WhyOf finds the outermost WhyError through every kind of wrapping, as
// errors.As would: one %w, several %w (Unwrap() []error, depth first), and
// none at all.
func TestWhyOfThroughWrapping(t *testing.T) {
	inner := whyErrorf(why("inner"), "inner")
	outer := whyErrorf(why("outer"), "outer: %w", inner)
	plain := errors.New("plain")
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{plain, ""},
		{inner, "inner"},
		{outer, "outer"},
		{fmt.Errorf("ctx: %w", inner), "inner"},
		{fmt.Errorf("ctx: %w", fmt.Errorf("more: %w", outer)), "outer"},
		{fmt.Errorf("%w and %w", plain, inner), "inner"},
		{fmt.Errorf("%w and %w", fmt.Errorf("x: %w", outer), inner), "outer"},
		{fmt.Errorf("%w and %w", plain, plain), ""},
	} {
		if got := WhyOf(c.err).Code; got != c.want {
			t.Errorf("WhyOf(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
