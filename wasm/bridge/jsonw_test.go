package bridge

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"raftsandbox/sim"
)

// The writer must always produce valid JSON that decodes back to the input
// (encoding/json is fine in tests: it is not in the wasm binary).

func TestJSONStringEscaping(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"SET 5", "SET 5"},
		{`a"b\c`, `a"b\c`},
		{"line\nbreak\ttab\r\x00\x1f", "line\nbreak\ttab\r\x00\x1f"},
		{"中文 é ✓ 🚀", "中文 é ✓ 🚀"},
		{"bad \xff utf8 \xc3", "bad \ufffd utf8 \ufffd"},
		{"\u2028\u2029", "\u2028\u2029"},
	}
	for _, c := range cases {
		var w jsonWriter
		w.string(c.in)
		var got string
		if err := json.Unmarshal(w.b, &got); err != nil {
			t.Fatalf("string(%q) wrote %s: not JSON: %v", c.in, w.b, err)
		}
		if got != c.want {
			t.Errorf("string(%q) decodes to %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "SET x 5", "\x00\"\\\n", "\xff\xfe", "中文"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var w jsonWriter
		w.beginArray()
		w.string(s)
		w.string(s)
		w.endArray()
		var got []string
		if err := json.Unmarshal(w.b, &got); err != nil {
			t.Fatalf("string(%q) wrote invalid JSON %s: %v", s, w.b, err)
		}
		if utf8.ValidString(s) && got[0] != s {
			t.Fatalf("string(%q) decodes to %q", s, got[0])
		}
	})
}

func TestJSONNumbersAndNesting(t *testing.T) {
	var w jsonWriter
	w.beginObject()
	w.key("neg")
	w.int(-42)
	w.key("big")
	w.uint(math.MaxUint32)
	w.key("nan")
	w.float(math.NaN())
	w.key("half")
	w.float(0.5)
	w.key("none")
	w.idOrNull("")
	w.key("some")
	w.idOrNull("A")
	w.key("list")
	w.beginArray()
	w.beginObject()
	w.endObject()
	w.beginArray()
	w.endArray()
	w.null()
	w.bool(true)
	w.endArray()
	w.key("kv")
	w.beginObject()
	w.rawString("x")
	w.raw(":")
	w.rawInt(5)
	w.raw(",")
	w.rawString("we\"ird")
	w.raw(":")
	w.rawInt(-1)
	w.endObject()
	w.endObject()
	var got map[string]any
	if err := json.Unmarshal(w.b, &got); err != nil {
		t.Fatalf("invalid JSON %s: %v", w.b, err)
	}
	want := `{"neg":-42,"big":4294967295,"nan":null,"half":0.5,"none":null,"some":"A","list":[{},[],null,true],"kv":{"x":5,"we\"ird":-1}}`
	if string(w.b) != want {
		t.Errorf("got  %s\nwant %s", w.b, want)
	}
}

// A full State with every field set encodes to the documented shape.
func TestStateShape(t *testing.T) {
	st := sim.State{
		Now: 1230, TickMs: 10, Leader: "C",
		Nodes: []sim.NodeView{{
			ID: "C", Role: "leader", Up: true, Term: 2, VotedFor: "C", CommitIndex: 3, LastApplied: 3,
			ElectionElapsed: 40, ElectionTimeout: 210,
			Log:      []sim.EntryView{{Index: 3, Term: 2, Command: "SET 5"}},
			LogStart: 3, SnapshotIndex: 2, KV: []sim.KV{{Key: "x", Value: 5}, {Key: "y", Value: -3}},
			Votes: []string{"A", "C"}, Progress: []sim.ProgressView{{ID: "A", Next: 4, Match: 3, Inflight: 1}},
			Voters: []string{"A", "B", "C"},
		}},
		Messages:  []sim.MessageView{{ID: 7, From: "C", To: "A", Type: "AppendEntries", Kind: "append", Term: 2, Entries: 1, SentAt: 1200, DeliverAt: 1225}},
		Partition: [][]string{{"A", "B"}, {"C"}},
		Requests:  []sim.RequestView{{ID: 1, Command: "SET 5", Status: "committed", Result: "5"}, {ID: 2, Command: "GET y", To: "B", Status: "failed", Error: "B is down", Why: sim.Why{Code: "node-down", Args: []sim.WhyArg{{Name: "node", Value: "B"}}}}},
		Invariants: sim.InvariantView{OK: false, Violations: []sim.Violation{{Invariant: "Election Safety", Detail: "two leaders in term 2", Nodes: []string{"A", "C"}, Term: 2,
			Why: sim.Why{Code: "two-leaders", Args: []sim.WhyArg{{Name: "node", Value: "A"}, {Name: "other", Value: "C"}}}}}},
	}
	var w jsonWriter
	w.state(&st, -1, 0)
	// The wire form: the log as runs into the entries table, the id lists
	// as indexes into the lists table.
	wantWire := `[{"now":1230,"tickMs":10,"leader":"C","halted":false,"nodes":[{"id":"C","role":"leader","up":true,"removed":false,"term":2,"votedFor":"C","lead":null,` +
		`"commitIndex":3,"lastApplied":3,"electionElapsed":40,"electionTimeout":210,"log":[0,1],` +
		`"logStart":3,"lastIndex":0,"snapshotIndex":2,"kv":{"x":5,"y":-3},"votes":["A","C"],"votesRejected":[],` +
		`"progress":[{"id":"A","next":4,"match":3,"inflight":1,"state":"","learner":false}],` +
		`"voters":0,"learners":1}],`
	if !strings.HasPrefix(string(w.b), wantWire) ||
		!strings.HasSuffix(string(w.b), `}},[{"index":3,"term":2,"command":"SET 5"}],[["A","B","C"],[]],0,1,-1,0]`) {
		t.Errorf("state wire\n got %s\nwant it to start with %s", w.b, wantWire)
	}
	// Expanded as web/raft-sandbox.js does, it is the documented picture.
	want := `{"now":1230,"tickMs":10,"leader":"C","halted":false,"nodes":[{"id":"C","role":"leader","up":true,"removed":false,"term":2,"votedFor":"C","lead":null,` +
		`"commitIndex":3,"lastApplied":3,"electionElapsed":40,"electionTimeout":210,"log":[{"index":3,"term":2,"command":"SET 5"}],` +
		`"logStart":3,"lastIndex":0,"snapshotIndex":2,"kv":{"x":5,"y":-3},"votes":["A","C"],"votesRejected":[],` +
		`"progress":[{"id":"A","next":4,"match":3,"inflight":1,"state":"","learner":false}],` +
		`"voters":["A","B","C"],"learners":[]}],` +
		`"messages":[{"id":7,"from":"C","to":"A","type":"AppendEntries","kind":"append","term":2,"entries":1,"index":0,"reject":false,"sentAt":1200,"deliverAt":1225,"held":false}],` +
		`"partition":[["A","B"],["C"]],` +
		`"requests":[{"id":1,"command":"SET 5","to":null,"target":null,"status":"committed","result":"5","error":null,"why":null,"index":0},` +
		`{"id":2,"command":"GET y","to":"B","target":null,"status":"failed","result":null,"error":"B is down","why":{"code":"node-down","args":{"node":"B"}},"index":0}],` +
		`"invariants":{"ok":false,"violations":[{"invariant":"Election Safety","detail":"two leaders in term 2",` +
		`"why":{"code":"two-leaders","args":{"node":"A","other":"C"}},"nodes":["A","C"],"index":0,"term":2}]}}`
	var wantValue any
	if err := json.Unmarshal([]byte(want), &wantValue); err != nil {
		t.Fatal(err)
	}
	if got := expandWire(t, w.b); !reflect.DeepEqual(got, wantValue) {
		t.Errorf("state expanded\n got %v\nwant %v", got, wantValue)
	}
}

// expandWire decodes state's wire form and expands it the way
// web/raft-sandbox.js does (expandState), into generic JSON values.
func expandWire(t testing.TB, wire []byte) map[string]any {
	t.Helper()
	return expandWireHeld(t, wire, &heldWire{})
}

// heldWire is what a caller of state() keeps from its last call.
type heldWire struct{ entries, requests []any }

// expandWireHeld is expandWire for a caller that holds held, the entries
// and requests of its last state(), which it updates.
func expandWireHeld(t testing.TB, wire []byte, held *heldWire) map[string]any {
	t.Helper()
	var parts []any
	if err := json.Unmarshal(wire, &parts); err != nil || len(parts) != 7 {
		t.Fatalf("state wire is not [state, entries, lists, reused, gen, reqFrom, reqCount]: %v\n%s", err, wire)
	}
	state, _ := parts[0].(map[string]any)
	fresh, _ := parts[1].([]any)
	lists, _ := parts[2].([]any)
	reused := int(parts[3].(float64))
	if reused > len(held.entries) {
		t.Fatalf("the wire reuses %d entries, the caller holds %d", reused, len(held.entries))
	}
	entries := append(append([]any{}, held.entries[:reused]...), fresh...)
	held.entries = entries
	heldReqs := held.requests
	if reqCount := int(parts[6].(float64)); reqCount > 0 {
		from, reqs := int(parts[5].(float64)), state["requests"].([]any)
		if from < 0 || from+reqCount > len(heldReqs) {
			t.Fatalf("the wire reuses requests %d+%d, the caller holds %d", from, reqCount, len(heldReqs))
		}
		state["requests"] = append(append([]any{}, heldReqs[from:from+reqCount]...), reqs...)
	}
	held.requests = state["requests"].([]any)
	nodes, _ := state["nodes"].([]any)
	for _, v := range nodes {
		n := v.(map[string]any)
		runs := n["log"].([]any)
		if len(runs)%2 != 0 {
			t.Fatalf("log runs %v: odd length", runs)
		}
		log := []any{}
		for r := 0; r < len(runs); r += 2 {
			off, count := int(runs[r].(float64)), int(runs[r+1].(float64))
			if off < 0 || count <= 0 || off+count > len(entries) {
				t.Fatalf("log run [%d, %d] outside the %d entries", off, count, len(entries))
			}
			log = append(log, entries[off:off+count]...)
		}
		n["log"] = log
		for _, k := range []string{"voters", "learners"} {
			i := int(n[k].(float64))
			if i < 0 || i >= len(lists) {
				t.Fatalf("%s index %d outside the %d lists", k, i, len(lists))
			}
			n[k] = lists[i]
		}
	}
	return state
}

// TestStateSendsOnlyNewEntries: a caller that passes the number of its
// last state() gets only the entries it does not hold, and expands the
// same picture as one that holds nothing; a wrong number gets them all.
func TestStateSendsOnlyNewEntries(t *testing.T) {
	r := NewRegistry()
	h, err := r.Create([]Arg{Str("nodes=5;seed=3")})
	if err != nil {
		t.Fatal(err)
	}
	sb := r.sandboxes[h]
	state := func(held float64) []byte {
		res, err := r.Call(h, OpState, []Arg{{Kind: Undefined}, Num(held)})
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte(nil), res.(JSON)...)
	}
	held := &heldWire{}
	gen := 0.0
	var fresh, total, reqs, freshReqs int
	for i := 0; i < 40; i++ {
		if i%4 == 0 {
			if _, err := r.Call(h, OpRequest, []Arg{Str("SET " + strconv.Itoa(i))}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Call(h, OpAdvance, []Arg{Num(97)}); err != nil {
			t.Fatal(err)
		}
		wire := state(gen)
		var parts []any
		if err := json.Unmarshal(wire, &parts); err != nil {
			t.Fatal(err)
		}
		fresh += len(parts[1].([]any))
		gen = parts[4].(float64)
		got := expandWireHeld(t, wire, held)
		total += len(held.entries)
		reqs += len(got["requests"].([]any))
		freshReqs += len(parts[0].(map[string]any)["requests"].([]any))
		st := sb.sim.State()
		var full jsonWriter
		full.state(&st, -1, 0)
		if want := expandWire(t, full.b); !reflect.DeepEqual(got, want) {
			t.Fatalf("frame %d: the picture from the held entries differs from the full one", i)
		}
	}
	if fresh*4 > total {
		t.Errorf("%d entries crossed for %d held over 40 states: the held ones are sent again", fresh, total)
	}
	if freshReqs*2 > reqs {
		t.Errorf("%d requests crossed for %d in the pictures over 40 states: the finished ones are sent again", freshReqs, reqs)
	}
	if wire := state(gen + 7); !bytes.Contains(wire, []byte(`,0,`+strconv.Itoa(int(gen)+1)+`,-1,0]`)) {
		t.Errorf("a wrong number reuses entries: %.80s…", wire[len(wire)-40:])
	}
}

func TestEventsActionsStep(t *testing.T) {
	var w jsonWriter
	w.events([]sim.Event{{Seq: 1, At: 150, Key: "became-candidate", Node: "B", Term: 1},
		{Seq: 2, At: 160, Key: "vote-rejected", Node: "B", Peer: "E", Term: 2, Reason: "voted",
			Why: sim.Why{Code: "voted", Args: []sim.WhyArg{{Name: "other", Value: "C"}, {Name: "n", Value: "3"}}}}})
	if want := `[{"seq":1,"at":150,"key":"became-candidate","node":"B","peer":null,"term":1,"index":0,"value":0,"detail":"","reason":"","why":null},` +
		`{"seq":2,"at":160,"key":"vote-rejected","node":"B","peer":"E","term":2,"index":0,"value":0,"detail":"","reason":"voted","why":{"code":"voted","args":{"other":"C","n":"3"}}}]`; string(w.b) != want {
		t.Errorf("events\n got %s\nwant %s", w.b, want)
	}
	w.reset()
	w.actions([]sim.Action{{At: 0, Kind: "heal"}, {At: 10, Kind: "crash", Args: []string{"A"}}})
	if want := `[{"at":0,"kind":"heal","args":[]},{"at":10,"kind":"crash","args":["A"]}]`; string(w.b) != want {
		t.Errorf("actions\n got %s\nwant %s", w.b, want)
	}
	w.reset()
	w.stepResult(&sim.StepResult{At: 20, Kind: "deliver", Node: "A", Message: &sim.MessageView{ID: 3, From: "B", To: "A", Type: "MsgVote"}})
	if !json.Valid(w.b) {
		t.Fatalf("step JSON invalid: %s", w.b)
	}
	w.reset()
	w.stepResult(&sim.StepResult{At: 20, Kind: "timeout", Node: "A"})
	if want := `{"at":20,"kind":"timeout","node":"A","message":null}`; string(w.b) != want {
		t.Errorf("step\n got %s\nwant %s", w.b, want)
	}
}

func TestStateLogTail(t *testing.T) {
	st := sim.State{TickMs: 10, Nodes: []sim.NodeView{{ID: "A", Role: "follower", LogStart: 5,
		Log: []sim.EntryView{{Index: 5, Term: 1}, {Index: 6, Term: 1}, {Index: 7, Term: 2}}}}}
	for _, c := range []struct {
		tail int
		want string
	}{
		{-1, `"log":[{"command":"","index":5,"term":1},{"command":"","index":6,"term":1},{"command":"","index":7,"term":2}],"logStart":5,`},
		{2, `"log":[{"command":"","index":6,"term":1},{"command":"","index":7,"term":2}],"logStart":6,`},
		{0, `"log":[],"logStart":8,`},
		{10, `"log":[{"command":"","index":5,"term":1},{"command":"","index":6,"term":1},{"command":"","index":7,"term":2}],"logStart":5,`},
	} {
		var w jsonWriter
		w.state(&st, c.tail, 0)
		node := expandWire(t, w.b)["nodes"].([]any)[0].(map[string]any)
		got, _ := json.Marshal(map[string]any{"log": node["log"], "logStart": node["logStart"]})
		if want := "{" + strings.TrimSuffix(c.want, ",") + "}"; string(got) != want {
			t.Errorf("logTail %d: %s\nwant %s", c.tail, got, want)
		}
	}
}

// TestStateWireExpands drives clusters through elections, crashes,
// partitions, membership changes and (with a safety bug on) diverging logs,
// and checks at many points that the wire form, expanded, gives every node
// exactly the log (with and without logTail), voters and learners of
// sim.State. Replay a failure with go test ./wasm/bridge/ -run
// TestStateWireExpands -v (the seeds are fixed).
func TestStateWireExpands(t *testing.T) {
	diverged := 0 // pictures whose logs needed more than one block
	for seed := 1; seed <= 6; seed++ {
		opts := "nodes=" + strconv.Itoa(3+seed%4) + ";seed=" + strconv.Itoa(seed)
		if seed%2 == 0 {
			opts += ";bugForgetVoteOnRestart=1;bugVoteWithoutLogCheck=1"
		}
		r := NewRegistry()
		h := mustCreate(t, r, opts)
		s := r.sandboxes[h].sim
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		var w jsonWriter
		for step := 0; step < 120; step++ {
			ids := r.sandboxes[h].nodeIDs()
			id := ids[rng.IntN(len(ids))]
			switch rng.IntN(9) {
			case 0:
				_ = s.Crash(id)
			case 1:
				_ = s.Restart(id)
			case 2:
				_ = s.Timeout(id)
			case 3:
				_ = s.Partition([][]string{{id}})
			case 4:
				_ = s.Heal()
			case 5:
				if len(ids) < 8 && rng.IntN(4) == 0 {
					_, _ = s.AddNode()
				}
			default:
				_, _ = s.Request("ADD "+strconv.Itoa(rng.IntN(9)), "")
			}
			// A safety bug stops the run at its violation (Advance fails):
			// check that last picture, the one with diverging logs, and stop.
			halted := s.Advance(int64(20+rng.IntN(200))) != nil
			st := s.State()
			for _, tail := range []int{-1, 3} {
				w.reset()
				w.state(&st, tail, 0)
				if len(w.blocks) > 1 {
					diverged++
				}
				nodes := expandWire(t, w.b)["nodes"].([]any)
				if len(nodes) != len(st.Nodes) {
					t.Fatalf("%s step %d: %d nodes, want %d", opts, step, len(nodes), len(st.Nodes))
				}
				for i, v := range nodes {
					n, want := v.(map[string]any), &st.Nodes[i]
					log := want.Log
					if tail >= 0 && len(log) > tail {
						log = log[len(log)-tail:]
					}
					got := n["log"].([]any)
					if len(got) != len(log) {
						t.Fatalf("%s step %d node %s tail %d: %d entries, want %d", opts, step, want.ID, tail, len(got), len(log))
					}
					for j, e := range got {
						m := e.(map[string]any)
						if uint64(m["index"].(float64)) != log[j].Index || uint64(m["term"].(float64)) != log[j].Term || m["command"] != log[j].Command {
							t.Fatalf("%s step %d node %s tail %d: entry %d is %v, want %+v", opts, step, want.ID, tail, j, m, log[j])
						}
					}
					for _, l := range []struct {
						key  string
						want []string
					}{{"voters", want.Voters}, {"learners", want.Learners}} {
						ids := n[l.key].([]any)
						if len(ids) != len(l.want) {
							t.Fatalf("%s step %d node %s: %s %v, want %v", opts, step, want.ID, l.key, ids, l.want)
						}
						for j := range ids {
							if ids[j] != l.want[j] {
								t.Fatalf("%s step %d node %s: %s %v, want %v", opts, step, want.ID, l.key, ids, l.want)
							}
						}
					}
				}
			}
			if halted {
				if !st.Halted {
					t.Fatalf("%s step %d: Advance failed but the run is not halted", opts, step)
				}
				break
			}
		}
	}
	if diverged == 0 {
		t.Error("no picture had logs that differ in their tails: the test does not exercise the run encoding")
	}
}

// TestStateWireIsCompact: at 51 nodes the wire holds each entry about once
// and the configuration once, not once per node.
func TestStateWireIsCompact(t *testing.T) {
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=51;seed=7")
	s := r.sandboxes[h].sim
	if err := s.Advance(2000); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		if _, err := s.Request("SET "+strconv.Itoa(i), ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Advance(50); err != nil {
			t.Fatal(err)
		}
	}
	st := s.State()
	var w jsonWriter
	w.state(&st, -1, 0)
	longest, total := 0, 0
	for _, n := range st.Nodes {
		longest = max(longest, len(n.Log))
		total += len(n.Log)
	}
	if longest < 30 || len(w.entries) > longest+10 || len(w.lists) > 3 {
		t.Errorf("%d distinct entries for logs of at most %d (%d in all), %d id lists: want about one copy of each", len(w.entries), longest, total, len(w.lists))
	}
}
