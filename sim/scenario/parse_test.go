package scenario

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseFull(t *testing.T) {
	src := `# a comment line
title "Partition and heal"
nodes 5
seed 42
tick 5ms
election 200-400ms
heartbeat 40ms
latency 10ms-30ms
drop 0.5%
duplicate 1%
reorder 12.25%
prevote on
checkquorum on
snapshot every 50
bug vote-without-log-check
bug ack-before-durable

at 1200ms crash B   # a trailing comment
after 300ms restart B
at 1.5s partition A,B | C,D,E
request SET 5 to A
request add x -2
expect leader in C,D,E within 2s
wait 500ms
cut A->B
transfer to C
add node
remove F
timeout C
configure drop 10%
configure snapshot off
hold message 7
release message 7
drop message 8
at 3s heal
expect x = 7 on majority
expect term >= 2 on C,D
expect commit != 0
expect request 1 committed = 5 within 1.5s
expect request 2 failed
expect role follower on B
expect down F
expect no leader
expect leader A
expect logs converged within 3s
expect invariants violated
wait 1m
`
	s, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	wantCfg := Config{Nodes: 5, Seed: 42, TickMs: 5, ElectionMinMs: 200, ElectionMaxMs: 400, HeartbeatMs: 40,
		LatencyMinMs: 10, LatencyMaxMs: 30, DropRate: 5000, DupRate: 10000, ReorderRate: 122500,
		PreVote: true, CheckQuorum: true, SnapshotEvery: 50,
		Bugs: Bugs{VoteWithoutLogCheck: true, AckBeforeDurable: true}}
	if s.Config != wantCfg {
		t.Errorf("config:\n got %+v\nwant %+v", s.Config, wantCfg)
	}
	if s.Title != "Partition and heal" {
		t.Errorf("title %q", s.Title)
	}
	wantActions := []Action{
		{1200, Crash, []string{"B"}},
		{1500, Restart, []string{"B"}},
		{1500, Partition, []string{"A,B", "C,D,E"}},
		{1500, Request, []string{"SET 5", "A"}},
		{1500, Request, []string{"ADD x -2"}},
		{2000, Cut, []string{"A", "B"}},
		{2000, Transfer, []string{"C"}},
		{2000, Add, nil},
		{2000, Remove, []string{"F"}},
		{2000, Timeout, []string{"C"}},
		{2000, Configure, []string{"drop", "10%"}},
		{2000, Configure, []string{"snapshot", "off"}},
		{2000, Hold, []string{"7"}},
		{2000, Release, []string{"7"}},
		{2000, Drop, []string{"8"}},
		{3000, Heal, nil},
	}
	if !reflect.DeepEqual(s.Actions, wantActions) {
		t.Errorf("actions:\n got %v\nwant %v", s.Actions, wantActions)
	}
	wantExpects := []Expect{
		{At: 1500, Within: 2000, AfterActions: 5, Kind: ExpectLeader, Nodes: []string{"C", "D", "E"}},
		{At: 3000, AfterActions: 16, Kind: ExpectKV, Key: "x", Value: 7, Scope: ScopeMajority},
		{At: 3000, AfterActions: 16, Kind: ExpectTerm, Op: ">=", Value: 2, Nodes: []string{"C", "D"}},
		{At: 3000, AfterActions: 16, Kind: ExpectCommit, Op: "!=", Value: 0, Scope: ScopeAll},
		{At: 3000, Within: 1500, AfterActions: 16, Kind: ExpectRequest, Request: 1, Status: "committed", Value: 5, HasResult: true},
		{At: 3000, AfterActions: 16, Kind: ExpectRequest, Request: 2, Status: "failed"},
		{At: 3000, AfterActions: 16, Kind: ExpectRole, Status: "follower", Nodes: []string{"B"}},
		{At: 3000, AfterActions: 16, Kind: ExpectDown, Nodes: []string{"F"}},
		{At: 3000, AfterActions: 16, Kind: ExpectNoLeader},
		{At: 3000, AfterActions: 16, Kind: ExpectLeader, Nodes: []string{"A"}},
		{At: 3000, Within: 3000, AfterActions: 16, Kind: ExpectConverged},
		{At: 3000, AfterActions: 16, Kind: ExpectInvariants, Status: "violated"},
	}
	if !reflect.DeepEqual(s.Expects, wantExpects) {
		t.Errorf("expects:\n got %+v\nwant %+v", s.Expects, wantExpects)
	}
	if s.End != 63000 {
		t.Errorf("end = %d, want 63000 (3s + wait 1m)", s.End)
	}
	roundTrip(t, s)
}

// roundTrip checks Parse(Format(s)) == s and that Format is a fixed point.
func roundTrip(t *testing.T, s *Script) {
	t.Helper()
	text := Format(s)
	again, err := Parse(text)
	if err != nil {
		t.Fatalf("Parse(Format(s)): %v\n%s", err, text)
	}
	if !reflect.DeepEqual(s, again) {
		t.Fatalf("Parse(Format(s)) != s\nformatted:\n%s\n got %+v\nwant %+v", text, again, s)
	}
	if text2 := Format(again); text2 != text {
		t.Fatalf("Format is not stable:\n%s\n---\n%s", text, text2)
	}
}

func TestParseSmall(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(*Script) bool
	}{
		{"empty", "", func(s *Script) bool { return s.Config == Defaults() && s.End == 0 && len(s.Actions) == 0 }},
		{"comments and blank lines, CRLF", "# hi\r\n\r\n   # indented\r\nnodes 3\r\n", func(s *Script) bool { return s.Config.Nodes == 3 }},
		{"bare action at time 0", "crash A", func(s *Script) bool { return s.Actions[0].At == 0 && s.Actions[0].Kind == Crash }},
		{"after is relative to the previous line", "at 1s heal\nafter 250ms heal\nafter 1.25s heal",
			func(s *Script) bool { return s.Actions[1].At == 1250 && s.Actions[2].At == 2500 && s.End == 2500 }},
		{"wait moves time and the end", "wait 2s\nheal\nwait 1s", func(s *Script) bool { return s.Actions[0].At == 2000 && s.End == 3000 }},
		{"within extends the end", "at 1s expect leader within 2s", func(s *Script) bool { return s.End == 3000 }},
		{"same time is allowed", "at 1s heal\nat 1s heal", func(s *Script) bool { return len(s.Actions) == 2 }},
		{"units", "at 0 heal\nat 2m heal\nat 1h heal\nat 1.5h heal",
			func(s *Script) bool {
				return s.Actions[1].At == 120000 && s.Actions[2].At == 3600000 && s.Actions[3].At == 5400000
			}},
		{"24h is the limit", "at 24h heal", func(s *Script) bool { return s.Actions[0].At == MaxTime }},
		{"lower-case verbs are canonicalised", "request set k 05\nrequest Get k",
			func(s *Script) bool { return s.Actions[0].Args[0] == "SET k 5" && s.Actions[1].Args[0] == "GET k" }},
		{"keys: any case, keywords in requests, to", "request SET Leader 5\nrequest SET to 5\nrequest GET to\nrequest GET to to B\nrequest GET to B\nrequest get\nexpect Leader = 5\nexpect to = 5\nexpect on = 1 on A",
			func(s *Script) bool {
				var got []string
				for _, a := range s.Actions {
					got = append(got, a.String())
				}
				return strings.Join(got, "; ") == "request SET Leader 5; request SET to 5; request GET to; request GET to to B; request GET to B; request GET" &&
					s.Expects[0].Key == "Leader" && s.Expects[1].Key == "to" && s.Expects[2].Key == "on" && s.Expects[2].Nodes[0] == "A"
			}},
		{"expect leader in one node is leader A", "expect leader in B", func(s *Script) bool { return reflect.DeepEqual(s.Expects[0].Nodes, []string{"B"}) }},
		{"expect defaults to all", "expect x = 1", func(s *Script) bool { return s.Expects[0].Scope == ScopeAll }},
		{"added nodes become nameable", "nodes 3\nadd node\ncrash D\nadd node\nexpect down D,E",
			func(s *Script) bool { return len(s.Actions) == 3 }},
		{"partition into one group isolates it", "partition A", func(s *Script) bool { return reflect.DeepEqual(s.Actions[0].Args, []string{"A"}) }},
		{"big clusters", "nodes 64\ncrash BL", func(s *Script) bool { return s.Actions[0].Args[0] == "BL" }},
		{"title with unicode and #", "title \"分区 #7\"", func(s *Script) bool { return s.Title == "分区 #7" }},
		{"seed max", "seed 18446744073709551615", func(s *Script) bool { return s.Config.Seed == 1<<64-1 }},
		{"drop header vs drop message", "drop 1%\ndrop message 3", func(s *Script) bool {
			return s.Config.DropRate == 10000 && s.Actions[0].Kind == Drop
		}},
		{"expect then action at the same time", "at 1s expect leader\nheal", func(s *Script) bool {
			st := s.Steps()
			return st[0].Expect != nil && st[1].Action != nil && s.Expects[0].AfterActions == 0
		}},
		{"latency may be zero and fixed", "latency 0-0ms", func(s *Script) bool { return s.Config.LatencyMaxMs == 0 }},
		{"percent decimals", "drop 0.0001%\nreorder 100%", func(s *Script) bool { return s.Config.DropRate == 1 && s.Config.ReorderRate == RateOne }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(s) {
				t.Fatalf("unexpected result: %+v", s)
			}
			roundTrip(t, s)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"at 12x crash A", `line 1, column 4: expected a duration like 200ms or 1.5s, found "12x"`},
		{"until leader", `line 1, column 1: an until line ends a beat: write a beat line first (one until per beat)`},
		{"beat 1.1\nuntil leader\nuntil leader", `line 3, column 1: an until line ends a beat: write a beat line first (one until per beat)`},
		{"beat 1.1\nbeat 1.2", `line 2, column 1: beat 1.1 (line 1) has no until line: say when it ends before the next beat starts`},
		{"beat 1.1\ncrash A", `line 1, column 1: beat 1.1 has no until line: say when it ends (until leader within 1s)`},
		{"beat .x\nuntil leader", `line 1, column 6: expected a beat's translation key like 5.3 or its text in quotes, found ".x"`},
		{"beat \"\"\nuntil leader", `line 1, column 6: a beat's text is 1 to 1000 bytes`},
		{"at 1s beat 1.1", `line 1, column 7: a beat line takes no time (at or after): it belongs to the beat around it`},
		{"show A", `line 1, column 1: a show line belongs to a beat: write a beat line first`},
		{"beat 1\nshow A\nshow A", `line 3, column 6: node A is named twice`},
		{"beat 1\nshow entry 0 on A", `line 2, column 12: "0": this number is out of range (1..4611686018427387904)`},
		{"beat 1\nshow entry 2 on A\nshow entry 2 on B", `line 3, column 17: entry 2 is already shown in this beat: name all its nodes on one line`},
		{"beat 1\nholds leader\nuntil leader", `line 2, column 1: a holds line follows a beat's until line (holds states a fact true when the beat ends)`},
		{"beat 1\nuntil leader\nholds leader within 1s", `line 3, column 1: a holds line has no within: it must be true at the moment the beat ends`},
		{"expect votes > x", `line 1, column 16: expected a whole number, found "x"`},
		{"nodes 5\n\nat 1s crash  F", `line 3, column 14: there is no node F: the cluster has 5 nodes, A to E`},
		{"nodes 2\nadd node\ncrash D", `line 3, column 7: there is no node D: the cluster has 2 nodes and 1 added so far, A to C`},
		{"nodes 1\ncrash B", `line 2, column 7: there is no node B: the cluster has 1 nodes, A`},
		{"crash b", `line 1, column 7: expected a node name like A or C, found "b"`},
		{"crash", `line 1, column 6: expected a node name like A or C, found the end of the line`},
		{"crash A B", `line 1, column 9: expected the end of the line, found "B"`},
		{"at 2s heal\nat 1s heal", `line 2, column 4: time goes backwards: 1s is before 2s, the time of the line before`},
		{"wait 3s\nat 2s heal", `line 2, column 4: time goes backwards: 2s is before 3s, the time of the line before`},
		{"at -5ms heal", `line 1, column 4: expected a duration like 200ms or 1.5s, found "-5ms"`},
		{"at 24h\nafter 1ms heal", `line 1, column 7: expected an action (crash, restart, partition, heal, cut, request, timeout, transfer, add, remove, configure, drop, hold, release) or expect, found the end of the line`},
		{"at 24h heal\nafter 1ms heal", `line 2, column 7: this goes past 24h, the latest time a script may reach`},
		{"at 25h heal", `line 1, column 4: "25h": this duration is too long (at most 24h)`},
		{"at 99999999999999999999ms heal", `line 1, column 4: "99999999999999999999ms": this duration is too long (at most 24h)`},
		{"at 1.0005s heal", `line 1, column 4: "1.0005s": durations are whole milliseconds: this one has a fraction of a millisecond`},
		{"at 1.5ms heal", `line 1, column 4: "1.5ms": durations are whole milliseconds: this one has a fraction of a millisecond`},
		{"at 1.s heal", `line 1, column 4: expected a duration like 200ms or 1.5s, found "1.s"`},
		{"at 1s", `line 1, column 6: expected an action (crash, restart, partition, heal, cut, request, timeout, transfer, add, remove, configure, drop, hold, release) or expect, found the end of the line`},
		{"at 1s explode A", `line 1, column 7: expected an action (crash, restart, partition, heal, cut, request, timeout, transfer, add, remove, configure, drop, hold, release) or expect, found "explode"`},
		{"partition A,B | B,C", `line 1, column 17: node B is named twice`},
		{"partition A, | C", `line 1, column 14: expected a node name like A or C, found "|"`},
		{"cut A->A", `line 1, column 8: a link joins two different nodes`},
		{"cut A B", `line 1, column 7: expected -> (cut A->B), found "B"`},
		{"transfer B", `line 1, column 10: expected "to", found "B"`},
		{"add", `line 1, column 4: expected "node", found the end of the line`},
		{"nodes 64\nadd node", `line 2, column 1: the cluster cannot grow beyond 64 nodes`},
		{"request", `line 1, column 8: expected a command: SET 5, ADD 2, SET k 5, ADD k 2, GET or GET k, found the end of the line`},
		{"request FOO 5", `line 1, column 9: expected a command: SET, ADD or GET, found "FOO"`},
		{"request SET x", `line 1, column 13: expected a number, found "x"`},
		{"request SET 5 to", `line 1, column 15: expected the end of the command, or to and a node, found "to"`},
		{"request GET to A B", `line 1, column 16: expected the end of the command, found "A"`},
		{"request SET x_ 5 to", `line 1, column 18: expected the end of the command, found "to"`},
		{"request SET 1x 5", `line 1, column 13: expected a key (a letter, then letters, digits or _), found "1x"`},
		{"request SET " + strings.Repeat("k", 33) + " 5", `line 1, column 13: expected a key (a letter, then letters, digits or _), found "` + strings.Repeat("k", 33) + `"`},
		{"request GET to Q", `line 1, column 16: there is no node Q: the cluster has 5 nodes, A to E`},
		{"expect term = 5 on all within", `line 1, column 30: expected a duration like 200ms or 1.5s, found the end of the line`},
		{"expect Term = x", `line 1, column 15: expected a whole number, found "x"`},
		{"request SET 5 to Q", `line 1, column 18: there is no node Q: the cluster has 5 nodes, A to E`},
		{"request SET 99999999999999999999", `line 1, column 13: expected a number, found "99999999999999999999"`},
		{"request SET = 5", `line 1, column 13: expected a command word, found "="`},
		{"configure nodes 3", `line 1, column 11: expected a setting: prevote, checkquorum, latency, drop, duplicate, reorder or snapshot, found "nodes"`},
		{"configure prevote yes", `line 1, column 19: expected on or off, found "yes"`},
		{"configure latency 40-20ms", `line 1, column 19: the latency range is backwards (20-40ms: the first number is not larger)`},
		{"drop message x", `line 1, column 14: expected a whole number, found "x"`},
		{"drop 101%", `line 1, column 6: "101%": a percentage is at most 100%`},
		{"drop 10", `line 1, column 6: expected a percentage like 10% or 0.5%, found "10"`},
		{"drop 0.00001%", `line 1, column 6: "0.00001%": a percentage has at most four decimals (0.0001%)`},
		{"election 300-150ms", `line 1, column 10: the election range must not be empty (150-300ms: the first number is smaller)`},
		{"election 300ms", `line 1, column 10: expected a range like 150-300ms, found "300ms"`},
		{"heartbeat 200ms", `line 1, column 11: the election timeout must be longer than the heartbeat`},
		{"tick 0", `line 1, column 6: the tick must be at least 1ms`},
		{"tick 60ms", `line 1, column 6: the heartbeat must be at least one tick`},
		{"nodes 0", `line 1, column 7: "0": this number is out of range (1..64)`},
		{"nodes 65", `line 1, column 7: "65": this number is out of range (1..64)`},
		{"nodes 3\nnodes 4", `line 2, column 1: "nodes" is already set on line 1`},
		{"bug vote-without-log-check\nbug vote-without-log-check", `line 2, column 1: "bug vote-without-log-check" is already set on line 1`},
		{"bug fly", `line 1, column 5: expected a bug name (vote-without-log-check, commit-old-term-by-count, forget-vote-on-restart, ack-before-durable, read-without-read-index), found "fly"`},
		{"seed -1", `line 1, column 6: expected a seed (a whole number from 0 to 18446744073709551615), found "-1"`},
		{"heal\nnodes 3", `line 2, column 1: the header line "nodes" must come before the first action, expectation or wait (during a run, use configure)`},
		{"title \"abc", `line 1, column 7: this quoted text has no closing "`},
		{`title "a\"b"`, `line 1, column 9: a quoted text cannot contain a backslash`},
		{"title abc", `line 1, column 7: expected a quoted title like "Leader election", found "abc"`},
		{"title \"" + strings.Repeat("x", 201) + "\"", `line 1, column 7: the title is longer than 200 bytes`},
		{"heal\x00", `line 1, column 5: unexpected control character U+0000`},
		{"heal \xff", `line 1, column 6: the text is not valid UTF-8`},
		{"expect", `line 1, column 7: expected what to expect: leader, no leader, a key (x = 7), term, commit, votes, role, down, request, logs converged or invariants, found the end of the line`},
		{"expect leader in", `line 1, column 17: expected a node name like A or C, found the end of the line`},
		{"expect x 7", `line 1, column 10: expected = (expect x = 7), found "7"`},
		{"expect x = 7 on", `line 1, column 16: expected a node name like A or C, found the end of the line`},
		{"expect term 2", `line 1, column 13: expected a comparison (=, !=, <, <=, >, >=), found "2"`},
		{"expect term >= -1", `line 1, column 16: expected a whole number, found "-1"`},
		{"expect role boss on A", `line 1, column 13: expected a role: follower, precandidate, candidate or leader, found "boss"`},
		{"expect request 0 committed", `line 1, column 16: "0": this number is out of range (1..100000)`},
		{"expect request 1 done", `line 1, column 18: expected a status: pending, committed or failed, found "done"`},
		{"expect request 1 pending = 3", `line 1, column 26: expected the end of the line, found "="`},
		{"expect logs", `line 1, column 12: expected "converged", found the end of the line`},
		{"expect invariants fine", `line 1, column 19: expected ok or violated, found "fine"`},
		{"expect leader within 2", `line 1, column 22: expected a duration like 200ms or 1.5s, found "2"`},
		{"at 23h expect leader within 2h", `line 1, column 29: this goes past 24h, the latest time a script may reach`},
		{"expect leader ! A", `line 1, column 15: expected != , found "!"`},
		{"| A", `line 1, column 1: expected a header line (nodes 5), an action (at 1s crash B) or an expectation (expect leader), found "|"`},
		{"\"x\"", `line 1, column 1: expected a header line (nodes 5), an action (at 1s crash B) or an expectation (expect leader), found "x"`},
	}
	for _, tc := range tests {
		s, err := Parse(tc.src)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %q", tc.src, s, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tc.src, err, tc.want)
		}
		if _, ok := err.(*Error); !ok {
			t.Errorf("Parse(%q): error is %T, want *Error", tc.src, err)
		}
	}
}

func TestParseLimits(t *testing.T) {
	if _, err := Parse(strings.Repeat("#", MaxTextBytes+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized text: %v", err)
	}
	many := strings.Repeat("heal\n", MaxItems+1)
	_, err := Parse(many)
	want := "line 100001, column 1: a script has at most 100000 actions and expectations"
	if err == nil || err.Error() != want {
		t.Errorf("too many items: got %v, want %s", err, want)
	}
}

func TestDurations(t *testing.T) {
	good := map[string]int64{"0": 0, "0ms": 0, "7ms": 7, "1s": 1000, "1.5s": 1500, "0.001s": 1, "1.250s": 1250,
		"2m": 120000, "0.5m": 30000, "1h": 3600000, "24h": MaxTime, "86400000ms": MaxTime, "1.0000000s": 1000}
	for in, want := range good {
		got, err := parseDuration(in)
		if err != nil || got != want {
			t.Errorf("parseDuration(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ms", "s", "1", "01x", "-1s", "+1s", "1e3ms", "1.5.5s", ".5s", "1,5s", "86400001ms", "24.001h", "0.0001s", "1 s", "１s"} {
		if got, err := parseDuration(in); err == nil {
			t.Errorf("parseDuration(%q) = %d, want an error", in, got)
		}
	}
	for _, ms := range []int64{0, 1, 999, 1000, 1001, 1500, 1010, 60000, 123456, MaxTime} {
		s := formatDuration(ms)
		back, err := parseDuration(s)
		if err != nil || back != ms {
			t.Errorf("formatDuration(%d) = %q, parses back as %d, %v", ms, s, back, err)
		}
	}
	if got := formatDuration(1500); got != "1.5s" {
		t.Errorf("formatDuration(1500) = %q", got)
	}
	if got := formatDuration(1010); got != "1.01s" {
		t.Errorf("formatDuration(1010) = %q", got)
	}
}

func TestRanges(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi int64
		ok     bool
	}{
		{"150-300ms", 150, 300, true}, {"150ms-300ms", 150, 300, true}, {"1-2s", 1000, 2000, true},
		{"500ms-1s", 500, 1000, true}, {"0-40ms", 0, 40, true}, {"1.5-2s", 1500, 2000, true},
		{"150", 0, 0, false}, {"-300ms", 0, 0, false}, {"150-", 0, 0, false}, {"a-b", 0, 0, false}, {"1-2-3ms", 0, 0, false},
	}
	for _, tc := range tests {
		lo, hi, err := parseRange(tc.in)
		if (err == nil) != tc.ok || lo != tc.lo || hi != tc.hi {
			t.Errorf("parseRange(%q) = %d, %d, %v", tc.in, lo, hi, err)
		}
	}
}

func TestRates(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
	}{{"0%", 0}, {"10%", 100000}, {"0.5%", 5000}, {"12.25%", 122500}, {"0.0001%", 1}, {"100%", RateOne}, {"100.0%", RateOne}, {"007%", 70000}}
	for _, tc := range tests {
		got, err := parsePercent(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parsePercent(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
		back, err := parsePercent(got.String())
		if err != nil || back != got {
			t.Errorf("%q: String() = %q does not parse back", tc.in, got.String())
		}
	}
	for _, in := range []string{"", "%", "10", "-1%", "100.0001%", "1000%", "1e2%", "0.00001%", ".5%"} {
		if got, err := parsePercent(in); err == nil {
			t.Errorf("parsePercent(%q) = %d, want an error", in, got)
		}
	}
	if RateFromFloat(0.1) != 100000 || RateFromFloat(-1) != 0 || RateFromFloat(2) != RateOne || Rate(250000).Float() != 0.25 {
		t.Error("RateFromFloat / Float")
	}
}

func TestNodeNames(t *testing.T) {
	tests := []struct {
		i    int
		name string
	}{{0, "A"}, {1, "B"}, {25, "Z"}, {26, "AA"}, {27, "AB"}, {51, "AZ"}, {52, "BA"}, {63, "BL"}, {701, "ZZ"}, {702, "AAA"}, {18277, "ZZZ"}, {18278, "AAAA"}, {475253, "ZZZZ"}}
	for _, tc := range tests {
		if got := NodeName(tc.i); got != tc.name {
			t.Errorf("NodeName(%d) = %q, want %q", tc.i, got, tc.name)
		}
		if got, ok := NodeIndex(tc.name); !ok || got != tc.i {
			t.Errorf("NodeIndex(%q) = %d, %v", tc.name, got, ok)
		}
	}
	for i := 0; i < 2000; i++ {
		if back, ok := NodeIndex(NodeName(i)); !ok || back != i {
			t.Fatalf("NodeIndex(NodeName(%d)) = %d, %v", i, back, ok)
		}
	}
	for _, bad := range []string{"", "a", "A1", "AAAAA", "É"} {
		if _, ok := NodeIndex(bad); ok {
			t.Errorf("NodeIndex(%q) accepted", bad)
		}
	}
	if NodeName(-1) != "" {
		t.Error("NodeName(-1)")
	}
}

func TestSteps(t *testing.T) {
	s, err := Parse("expect no leader\nat 1s heal\nexpect leader\ncrash A\nexpect down A\nat 2s expect leader within 1s")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range s.Steps() {
		if st.Action != nil {
			got = append(got, formatDuration(st.At)+" "+st.Action.String())
		} else {
			got = append(got, formatDuration(st.At)+" "+st.Expect.String())
		}
	}
	want := []string{"0ms expect no leader", "1s heal", "1s expect leader", "1s crash A", "1s expect down A", "2s expect leader within 1s"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("steps:\n got %q\nwant %q", got, want)
	}
	if s.End != 3000 {
		t.Errorf("end %d", s.End)
	}
}

func TestSettings(t *testing.T) {
	s, err := Parse("configure prevote on\nconfigure checkquorum off\nconfigure latency 5-10ms\nconfigure duplicate 2%\nconfigure reorder 3%\nconfigure drop 1%\nconfigure snapshot every 10\nconfigure snapshot off")
	if err != nil {
		t.Fatal(err)
	}
	var c Config
	for _, a := range s.Actions {
		st, err := a.Settings()
		if err != nil {
			t.Fatal(err)
		}
		st.apply(&c)
		if a.Args[0] == "snapshot" && a.Args[1] == "every" && c.SnapshotEvery != 10 {
			t.Errorf("snapshot every: %d", c.SnapshotEvery)
		}
	}
	want := Config{PreVote: true, LatencyMinMs: 5, LatencyMaxMs: 10, DupRate: 20000, ReorderRate: 30000, DropRate: 10000}
	if c != want {
		t.Errorf("settings applied: %+v, want %+v", c, want)
	}
	if _, err := (Action{Kind: Crash, Args: []string{"A"}}).Settings(); err == nil {
		t.Error("Settings of a crash action")
	}
	if _, err := (Action{Kind: Configure, Args: []string{"nodes", "3"}}).Settings(); err == nil || !strings.Contains(err.Error(), "expected a setting") {
		t.Errorf("bad configure: %v", err)
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		op   string
		got  int64
		want bool
	}{{"=", 2, true}, {"=", 3, false}, {"!=", 3, true}, {"<", 1, true}, {"<", 2, false}, {"<=", 2, true},
		{">", 3, true}, {">", 2, false}, {">=", 2, true}, {">=", 1, false}, {"?", 2, false}} {
		if got := (Expect{Op: tc.op, Value: 2}).Compare(tc.got); got != tc.want {
			t.Errorf("%d %s 2 = %v", tc.got, tc.op, got)
		}
	}
}

// TestParseErrorNear: an error names the script's own text where it is
// wrong (Near), or says the line ended too soon (EndOfLine), so a page in
// another language than Msg's can still say what is wrong.
func TestParseErrorNear(t *testing.T) {
	for _, c := range []struct {
		src, near string
		eol       bool
	}{
		{"at 1s explode A", "explode", false},
		{"crash", "", true},
		{`title "a\b"`, `\`, false},
		{"<img", "<", false},
		{"beat \"\"\nuntil leader", "", false},
	} {
		_, err := Parse(c.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Parse(%q): %v, want an *Error", c.src, err)
		}
		if e.Near != c.near || e.EndOfLine != c.eol {
			t.Errorf("Parse(%q): Near %q, EndOfLine %v; want %q, %v (%v)", c.src, e.Near, e.EndOfLine, c.near, c.eol, err)
		}
	}
}
