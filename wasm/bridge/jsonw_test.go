package bridge

import (
	"encoding/json"
	"math"
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
		Messages:   []sim.MessageView{{ID: 7, From: "C", To: "A", Type: "MsgApp", Term: 2, Entries: 1, SentAt: 1200, DeliverAt: 1225}},
		Partition:  [][]string{{"A", "B"}, {"C"}},
		Requests:   []sim.RequestView{{ID: 1, Command: "SET 5", Status: "committed", Result: "5"}, {ID: 2, Command: "GET y", To: "B", Status: "pending"}},
		Invariants: sim.InvariantView{OK: false, Violations: []sim.Violation{{Invariant: "Election Safety", Detail: "two leaders in term 2", Nodes: []string{"A", "C"}, Term: 2}}},
	}
	var w jsonWriter
	w.state(&st, -1)
	want := `{"now":1230,"tickMs":10,"leader":"C","halted":false,"nodes":[{"id":"C","role":"leader","up":true,"removed":false,"term":2,"votedFor":"C","lead":null,` +
		`"commitIndex":3,"lastApplied":3,"electionElapsed":40,"electionTimeout":210,"log":[{"index":3,"term":2,"command":"SET 5"}],` +
		`"logStart":3,"lastIndex":0,"snapshotIndex":2,"kv":{"x":5,"y":-3},"votes":["A","C"],"votesRejected":[],` +
		`"progress":[{"id":"A","next":4,"match":3,"inflight":1,"state":"","learner":false}],` +
		`"voters":["A","B","C"],"learners":[]}],` +
		`"messages":[{"id":7,"from":"C","to":"A","type":"MsgApp","term":2,"entries":1,"index":0,"reject":false,"sentAt":1200,"deliverAt":1225,"held":false}],` +
		`"partition":[["A","B"],["C"]],` +
		`"requests":[{"id":1,"command":"SET 5","to":null,"target":null,"status":"committed","result":"5","error":null,"index":0},` +
		`{"id":2,"command":"GET y","to":"B","target":null,"status":"pending","result":null,"error":null,"index":0}],` +
		`"invariants":{"ok":false,"violations":[{"invariant":"Election Safety","detail":"two leaders in term 2","nodes":["A","C"],"index":0,"term":2}]}}`
	if string(w.b) != want {
		t.Errorf("state JSON\n got %s\nwant %s", w.b, want)
	}
	if !json.Valid(w.b) {
		t.Fatal("state JSON is not valid")
	}
}

func TestEventsActionsStep(t *testing.T) {
	var w jsonWriter
	w.events([]sim.Event{{Seq: 1, At: 150, Key: "became-candidate", Node: "B", Term: 1}})
	if want := `[{"seq":1,"at":150,"key":"became-candidate","node":"B","peer":null,"term":1,"index":0,"value":0,"detail":"","reason":""}]`; string(w.b) != want {
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
		{-1, `"log":[{"index":5,"term":1,"command":""},{"index":6,"term":1,"command":""},{"index":7,"term":2,"command":""}],"logStart":5,`},
		{2, `"log":[{"index":6,"term":1,"command":""},{"index":7,"term":2,"command":""}],"logStart":6,`},
		{0, `"log":[],"logStart":8,`},
		{10, `"log":[{"index":5,"term":1,"command":""},{"index":6,"term":1,"command":""},{"index":7,"term":2,"command":""}],"logStart":5,`},
	} {
		var w jsonWriter
		w.state(&st, c.tail)
		if !json.Valid(w.b) || !strings.Contains(string(w.b), c.want) {
			t.Errorf("logTail %d: %s\nwant it to contain %s", c.tail, w.b, c.want)
		}
	}
}
