package sim

import (
	"fmt"
	"strings"
	"testing"
)

// errorTexts provokes the simulator's refusals and returns each as its
// English text and its Why (code and arguments), one line each.
func errorTexts(t *testing.T) []string {
	var out []string
	note := func(err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("refusal %d: no error", len(out)+1)
		}
		w := WhyOf(err)
		out = append(out, fmt.Sprintf("%s | %s %v", err, w.Code, w.Args))
	}
	for _, cmd := range []string{"", "FOO 1", "GET a b", "SET", "ADD a b c", "SET 99999999999999999999",
		"SET abc", "SET 1a 5", "SET a-b 5", "SET abcdefghijklmnopqrstuvwxyz 5"} {
		_, err := ParseCommand(cmd)
		note(err)
	}
	s := newTestSim(t, nil)
	note(s.TransferLeadership("A"))
	_, err := s.AddNode()
	note(err)
	note(s.RemoveNode("B"))
	l := waitLeader(t, s, 5000)
	note(s.Crash("Z"))
	note(s.Restart("A"))
	note(s.TransferLeadership(l))
	note(s.DropMessage(99999))
	note(s.HoldMessage(99999, true))
	for _, f := range s.State().Messages {
		note(s.HoldMessage(f.ID, false))
		if err := s.HoldMessage(f.ID, true); err != nil {
			t.Fatal(err)
		}
		note(s.HoldMessage(f.ID, true))
		break
	}
	if err := s.Crash("A"); err != nil {
		t.Fatal(err)
	}
	note(s.Crash("A"))
	note(s.Timeout("A"))
	note(s.RewindTo(-1))
	note(s.RewindTo(s.Now() + 1))
	note(s.CutLink("B", "B"))
	note(s.Partition(nil))
	note(s.Partition([][]string{{"A"}, {}}))
	note(s.Partition([][]string{{"A", "B"}, {"B"}}))
	_, err = s.Request("SET 1", "Q")
	note(err)
	_, err = s.Request("PUT 1", "")
	note(err)
	note(s.Tick(-1))
	note(s.Tick(1 << 40))
	note(s.Advance(-1))
	note(s.Advance(1 << 40))
	lo, hi, rate, bad, snap := int64(5), int64(2), 2.0, -0.5, -1
	note(s.Configure(Settings{LatencyMinMs: &lo, LatencyMaxMs: &hi}))
	note(s.Configure(Settings{DropRate: &rate}))
	note(s.Configure(Settings{DupRate: &bad}))
	note(s.Configure(Settings{ReorderRate: &rate}))
	note(s.Configure(Settings{SnapshotEvery: &snap}))
	for _, mod := range []func(*Config){
		func(c *Config) { c.Nodes = 0 },
		func(c *Config) { c.Nodes = MaxNodes + 1 },
		func(c *Config) { c.TickMs = 2000 },
		func(c *Config) { c.ElectionMinMs, c.ElectionMaxMs = 300, 200 },
		func(c *Config) { c.ElectionMinMs, c.ElectionMaxMs = 300, 305 },
		func(c *Config) { c.HeartbeatMs = 5000 },
		func(c *Config) { c.LatencyMinMs, c.LatencyMaxMs = 9, 3 },
		func(c *Config) { c.DropRate = 1.5 },
		func(c *Config) { c.SnapshotEvery = -2 },
		func(c *Config) { c.RequestRetryMs, c.RequestGiveUpMs = 500, 100 },
	} {
		cfg := DefaultConfig()
		mod(&cfg)
		_, err := New(cfg)
		note(err)
	}
	full := newTestSim(t, func(c *Config) { c.Nodes = MaxNodes })
	_, err = full.AddNode()
	note(err)
	return out
}

// TestErrorTexts pins the refusals' English texts and their reasons word
// for word (the page shows them; the size work rewrote how they are built).
func TestErrorTexts(t *testing.T) {
	got := errorTexts(t)
	want := strings.Split(strings.TrimSpace(wantErrorTexts), "\n")
	for i := range max(len(got), len(want)) {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("refusal %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
}

const wantErrorTexts = `
empty command: try SET 5, ADD 2, SET k 5, ADD k 2 or GET k | empty-command []
unknown command "FOO": the commands are SET, ADD and GET | unknown-command [{command FOO}]
GET takes at most one key, got 2 arguments | get-args [{count 2}]
SET takes a value or a key and a value (e.g. SET 5 or SET k 5), got 0 arguments | command-args [{command SET} {count 0}]
ADD takes a value or a key and a value (e.g. ADD 5 or ADD k 5), got 3 arguments | command-args [{command ADD} {count 3}]
value 99999999999999999999 is out of range: values are 64-bit integers (-9223372036854775808 to 9223372036854775807) | value-range [{value 99999999999999999999}]
value "abc" is not an integer | not-integer [{value abc}]
key "1a" must start with a letter | key-start [{key 1a}]
key "a-b" may hold only letters, digits and _ | key-chars [{key a-b}]
key "abcdefghijklmnopqrstuvwxyz" is too long: at most 16 characters | key-too-long [{key abcdefghijklmnopqrstuvwxyz} {max 16}]
there is no leader right now: wait for an election | no-leader []
cannot add a node: there is no leader right now: wait for an election | no-leader []
cannot remove B: there is no leader right now: wait for an election | cannot-remove [{node B}]
unknown node 'Z'; nodes are A-E | unknown-node [{node Z} {nodes A-E}]
node A is already up | already-up [{node A}]
C is already the leader | already-leader [{node C}]
no message 99999 is in flight | no-message [{id 99999}]
no message 99999 is in flight | no-message [{id 99999}]
message 12 is not held |  []
message 12 is already held |  []
node A is already down | already-down [{node A}]
node A is down | node-down [{node A}]
cannot rewind to -1 ms: the run is between 0 and 260 ms | rewind-range [{at -1} {now 260}]
cannot rewind to 261 ms: the run is between 0 and 260 ms | rewind-range [{at 261} {now 260}]
cannot cut a link from B to itself |  []
partition needs at least one group of nodes |  []
unknown node ''; nodes are A-E | unknown-node [{node } {nodes A-E}]
node B is in more than one partition group |  []
unknown node 'Q'; nodes are A-E | unknown-node [{node Q} {nodes A-E}]
unknown command "PUT": the commands are SET, ADD and GET | unknown-command [{command PUT}]
tick count must not be negative, got -1 |  []
tick count 1099511627776 is too large: at most 8640000 (24 h of virtual time) per call |  []
cannot advance by a negative time (-1 ms): use RewindTo to go back |  []
advance of 1099511627776 ms is too large: at most 86400000 ms (24 h) per call |  []
latency range 5-2 ms is invalid: need 0 <= min <= max <= 60000 |  []
drop rate 2 is invalid: it must be between 0 and 1 |  []
duplicate rate -0.5 is invalid: it must be between 0 and 1 |  []
reorder rate 2 is invalid: it must be between 0 and 1 |  []
snapshot interval -1 is invalid: 0 (off) to 1000000000 applied entries |  []
a cluster has 1 to 64 nodes, not 0 |  []
a cluster has 1 to 64 nodes, not 65 |  []
tick must be 1 to 1000 ms, not 2000 |  []
election timeout range 300-200 ms is invalid: need tick (10) <= min < max <= 600000 |  []
election timeout range 300-305 ms is narrower than one tick (10 ms) |  []
heartbeat 5000 ms is invalid: need tick (10) <= heartbeat < election minimum (150) |  []
latency range 9-3 ms is invalid: need 0 <= min <= max <= 60000 |  []
drop, duplicate and reorder rates must be between 0 and 1 (got 1.5, 0, 0) |  []
snapshot interval -2 is invalid: 0 (off) to 1000000000 applied entries |  []
request timers are invalid: need 1 <= retry (500 ms) <= give-up (100 ms) <= 24 h |  []
the cluster cannot grow beyond 64 nodes | too-many-nodes [{max 64}]
`

// TestSettingsActionTexts pins the configure actions that Settings become,
// in their canonical text and order.
func TestSettingsActionTexts(t *testing.T) {
	s := newTestSim(t, nil)
	on, off, lo, hi, drop, dup, reorder, every, never := true, false, int64(3), int64(40), 0.25, 0.0, 1.0, 7, 0
	if err := s.Configure(Settings{PreVote: &on, CheckQuorum: &off, LatencyMinMs: &lo, LatencyMaxMs: &hi,
		DropRate: &drop, DupRate: &dup, ReorderRate: &reorder, SnapshotEvery: &every}); err != nil {
		t.Fatal(err)
	}
	if err := s.Configure(Settings{LatencyMaxMs: &hi, SnapshotEvery: &never}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range s.Actions() {
		got = append(got, a.String())
	}
	want := "configure prevote on|configure checkquorum off|configure latency 3-40ms|configure drop 25%|configure duplicate 0%|configure reorder 100%|configure snapshot every 7|configure latency 3-40ms|configure snapshot off"
	if g := strings.Join(got, "|"); g != want {
		t.Errorf("actions:\n got %s\nwant %s", g, want)
	}
}

// TestViolationTexts pins the checker's violations: their English details
// and reasons, word for word.
func TestViolationTexts(t *testing.T) {
	c := newChecker(func(i int) string { return string(rune('A' + i)) })
	chains := func(mul uint64, ok bool) func(uint64) (uint64, bool) {
		return func(i uint64) (uint64, bool) { return i * mul, ok }
	}
	c.leaderElected(0, 5, chains(1, true), 0)
	c.leaderElected(1, 5, chains(1, true), 0)
	c.leaderOverwrote(0, 3, 7, 9)
	c.commitExceedsDurable(1, 10, 8, 4)
	c.entryPersisted(0, 5, 2, 111)
	c.entryPersisted(1, 5, 2, 222)
	c.applied(0, 3, 99, 2)
	c.applied(1, 3, 98, 2)
	c.commitAdvanced(0, 3, 2, chains(10, true))
	c.commitAdvanced(1, 3, 2, chains(11, true))
	c.leaderElected(2, 6, chains(10, false), 0)
	c.leaderElected(3, 7, chains(12, true), 0)
	c.quorum([]int{0, 1, 2}, func(node int, index, chain uint64) bool { return node == 2 })
	var got []string
	for _, v := range c.violations {
		got = append(got, fmt.Sprintf("%s | %s | %s %v | %v %d %d", v.Invariant, v.Detail, v.Why.Code, v.Why.Args, v.Nodes, v.Index, v.Term))
	}
	want := strings.Split(strings.TrimSpace(wantViolationTexts), "\n")
	if g := strings.Join(got, "\n"); g != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant\n%s", g, strings.Join(want, "\n"))
	}
}

const wantViolationTexts = `
election-safety | A and B were both leader in term 5 | two-leaders [{node A} {other B} {index 0} {term 5}] | [A B] 0 5
leader-append-only | A, leader of term 3, overwrote its own log from index 7 (its log ended at 9) | leader-overwrote [{node A} {last 9} {index 7} {term 3}] | [A] 7 3
commit-within-durable-log | B's commit index 10 exceeds its durable log, which ends at 8 | commit-beyond-durable [{node B} {last 8} {index 10} {term 4}] | [B] 10 4
log-matching | B holds an entry at index 5 of term 2 that differs from another node's entry with the same index and term (or in what precedes it) | logs-differ [{node B} {index 5} {term 2}] | [B] 5 2
state-machine-safety | B applied a different command at index 3 than another node did | applied-differs [{node B} {index 3} {term 2}] | [B] 3 2
state-machine-safety | B committed a different entry (or prefix) at index 3 than was committed before | committed-differs [{node B} {index 3} {term 2}] | [B] 3 2
leader-completeness | C became leader of term 6 without committed entry 3 | leader-lacks-committed [{node C} {index 3} {term 6}] | [C] 3 6
leader-completeness | D became leader of term 7 with a different entry at committed index 3 | leader-differs-committed [{node D} {index 3} {term 7}] | [D] 3 7
quorum-holds-committed-prefix | committed index 3 is durable on only 1 of 3 voters | quorum-lost-committed [{node A} {holders 1} {voters 3} {index 3} {term 2}] | [A B] 3 2
`
