package bridge

import (
	"encoding/binary"
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
		w.rawString(c.in)
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
		w.rawStrings([]string{s, s})
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
	w.raw(`{"neg":`)
	w.rawInt(-42)
	w.raw(`,"big":`)
	w.rawUint(math.MaxUint32)
	w.raw(`,"nan":`)
	w.rawFloat(math.NaN())
	w.raw(`,"inf":`)
	w.rawFloat(math.Inf(-1))
	w.raw(`,"half":`)
	w.rawFloat(0.5)
	w.raw(`,"big float":`)
	w.rawFloat(1e21)
	w.raw(`,"some":`)
	w.rawID("A")
	w.raw(`,"none":`)
	w.rawID("")
	w.raw(`,"lists":[`)
	w.rawStrings(nil)
	w.raw(`,`)
	w.rawStrings([]string{"x", ""})
	w.raw(`],"yes":`)
	w.rawBool(true)
	w.raw(`,"kv":`)
	w.kv([]sim.KV{{Key: "x", Value: 5}, {Key: "we\"ird", Value: -1}})
	w.raw(`,"partition":`)
	w.partition([][]string{{"A", "B"}, {"C"}})
	w.raw(`,"whole":`)
	w.partition(nil)
	w.raw(`}`)
	var got map[string]any
	if err := json.Unmarshal(w.b, &got); err != nil {
		t.Fatalf("invalid JSON %s: %v", w.b, err)
	}
	want := `{"neg":-42,"big":4294967295,"nan":null,"inf":null,"half":0.5,"big float":1e+21,"some":"A","none":null,"lists":[[],["x",""]],"yes":true,` +
		`"kv":{"x":5,"we\"ird":-1},"partition":[["A","B"],["C"]],"whole":null}`
	if string(w.b) != want {
		t.Errorf("got  %s\nwant %s", w.b, want)
	}
}

// A full State with every field set crosses in the frame form (frame.go)
// and reads, as web/sandbox/wire.js reads it, into the documented shape.
func TestStateShape(t *testing.T) {
	st := sim.State{
		Now: 1230, TickMs: 10, Leader: "C",
		Nodes: []sim.NodeView{{
			ID: "C", Role: "leader", Up: true, Term: 2, VotedFor: "C", CommitIndex: 3, LastApplied: 3,
			ElectionElapsed: 40, ElectionTimeout: 210,
			Log:      []sim.EntryView{{Index: 3, Term: 2, Command: "SET 5"}},
			LogStart: 3, SnapshotIndex: 2, KV: []sim.KV{{Key: "x", Value: 5}, {Key: "y", Value: -3}},
			Votes: []string{"A", "C"}, Progress: []sim.ProgressView{{ID: "A", Next: 4, Match: 3, Inflight: 1, State: "replicate"}},
			Voters: []string{"A", "B", "C"},
		}},
		Messages:  []sim.MessageView{{ID: 7, From: "C", To: "A", Type: "AppendEntries", Kind: "append", Term: 2, Entries: 1, SentAt: 1200, DeliverAt: 1225}},
		Partition: [][]string{{"A", "B"}, {"C"}},
		Requests:  []sim.RequestView{{ID: 1, Command: "SET 5", Status: "committed", Result: "5"}, {ID: 2, Command: "GET y", To: "B", Status: "failed", Error: "B is down", Why: sim.Why{Code: "node-down", Args: []sim.WhyArg{{Name: "node", Value: "B"}}}}},
		Invariants: sim.InvariantView{OK: false, Violations: []sim.Violation{{Invariant: "Election Safety", Detail: "two leaders in term 2", Nodes: []string{"A", "C"}, Term: 2,
			Why: sim.Why{Code: "two-leaders", Args: []sim.WhyArg{{Name: "node", Value: "A"}, {Name: "other", Value: "C"}}}}}},
	}
	var w jsonWriter
	out := w.frame(&st, -1, 0, 0)
	// The tail: the strings, each node's kv, the entries, requests, id lists,
	// partition and invariants, as JSON.
	wantTail := `{"0":{"x":5,"y":-3},"lists":[["A","B","C"],[]],"partition":[["A","B"],["C"]],` +
		`"invariants":{"ok":false,"violations":[{"invariant":"Election Safety","detail":"two leaders in term 2",` +
		`"why":{"code":"two-leaders","args":{"node":"A","other":"C"}},"nodes":["A","C"],"index":0,"term":2}]},` +
		`"requests":[{"id":1,"command":"SET 5","to":null,"target":null,"status":"committed","result":"5","error":null,"why":null,"index":0},` +
		`{"id":2,"command":"GET y","to":"B","target":null,"status":"failed","result":null,"error":"B is down","why":{"code":"node-down","args":{"node":"B"}},"index":0}],` +
		`"entries":[{"index":3,"term":2,"command":"SET 5"}],"strs":["C","leader","A","replicate","AppendEntries","append"]}`
	if tail := out[len(out)-int(frameWord(out, hTail)):]; string(tail) != wantTail {
		t.Errorf("frame tail\n got %s\nwant %s", tail, wantTail)
	}
	// Read as web/sandbox/wire.js reads it, it is the documented picture.
	want := `{"now":1230,"tickMs":10,"leader":"C","halted":false,"nodes":[{"id":"C","role":"leader","up":true,"removed":false,"term":2,"votedFor":"C","lead":null,` +
		`"commitIndex":3,"lastApplied":3,"electionElapsed":40,"electionTimeout":210,"log":[{"index":3,"term":2,"command":"SET 5"}],` +
		`"logStart":3,"lastIndex":0,"snapshotIndex":2,"kv":{"x":5,"y":-3},"votes":["A","C"],"votesRejected":[],` +
		`"progress":[{"id":"A","next":4,"match":3,"inflight":1,"state":"replicate","learner":false}],` +
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
	if got := readState(t, out); !reflect.DeepEqual(got, wantValue) {
		t.Errorf("state read\n got %v\nwant %v", got, wantValue)
	}
}

// frameWord is word i of a frame.
func frameWord(out []byte, i int) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64(out[8*i:]))
}

// heldWire is what a caller of state() keeps from its last call: the
// entries and requests (frame.go numbers them across calls).
type heldWire struct{ entries, requests []any }

// frameJS reads the frame form (frame.go) as web/sandbox/wire.js readFrame
// does, into generic JSON values in the documented shape of state(). It
// keeps what a frame may leave out (the string table, the id lists, each
// node's kv, the partition, the invariants, the last frame's messages);
// held are the entries and requests of the caller's last call. The API's
// state() reads a whole frame (passing 0 as its last frame) with a new one.
type frameJS struct {
	held                  *heldWire
	strs                  []string
	lists                 []any
	kv                    map[int]any
	partition, invariants any
	msgs                  []any
	lastGen               float64 // the number of the last frame read
	reusedMsgs            int     // messages read as the last frame's
}

func newFrameJS(held *heldWire) *frameJS { return &frameJS{held: held, kv: map[int]any{}} }

// readState reads a whole frame, as state() does, holding nothing before.
func readState(t testing.TB, out []byte) map[string]any {
	t.Helper()
	return newFrameJS(&heldWire{}).read(t, out)
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// read reads one frame; a frame that does not hold together fails t.
func (r *frameJS) read(t testing.TB, out []byte) map[string]any {
	t.Helper()
	if len(out) < 8*frameWords || frameWord(out, hMagic) != frameMagic {
		t.Fatalf("not a frame: %.40q", out)
	}
	words, tailLen := int(frameWord(out, hWords)), int(frameWord(out, hTail))
	if words*8+tailLen != len(out) {
		t.Fatalf("a frame of %d words and %d bytes of tail in %d bytes", words, tailLen, len(out))
	}
	tail := map[string]any{}
	if tailLen > 0 {
		if err := json.Unmarshal(out[words*8:], &tail); err != nil {
			t.Fatalf("the frame's tail: %v\n%s", err, out[words*8:])
		}
	}
	if from := int(frameWord(out, hStrFrom)); from <= len(r.strs) {
		r.strs = r.strs[:from]
	} else {
		t.Fatalf("strings from %d, the reader holds %d", from, len(r.strs))
	}
	for _, s := range list(tail["strs"]) {
		r.strs = append(r.strs, s.(string))
	}
	if l, ok := tail["lists"]; ok {
		r.lists = list(l)
	}
	for k, v := range map[string]*any{"partition": &r.partition, "invariants": &r.invariants} {
		if x, ok := tail[k]; ok {
			*v = x
		}
	}
	r.readShared(t, out, tail)
	d := &frameDecoder{t: t, out: out, p: frameWords, words: words, r: r}
	st := map[string]any{"now": frameWord(out, hNow), "tickMs": frameWord(out, hTickMs), "leader": d.str(frameWord(out, hLeader)),
		"halted": frameWord(out, hHalted) == 1, "partition": r.partition, "requests": r.held.requests, "invariants": r.invariants}
	nodes := []any{}
	for i, n := 0, int(d.next()); i < n; i++ {
		nodes = append(nodes, d.node(i, tail))
	}
	st["nodes"] = nodes
	st["messages"] = d.messages()
	if d.p != words {
		t.Fatalf("the frame's body ends at word %d, the header says %d", d.p, words)
	}
	r.lastGen = frameWord(out, hGen)
	return st
}

// readShared reads the entries and requests, the first of each those the
// caller holds.
func (r *frameJS) readShared(t testing.TB, out []byte, tail map[string]any) {
	t.Helper()
	reused := int(frameWord(out, hReused))
	if reused > len(r.held.entries) {
		t.Fatalf("the frame reuses %d entries, the caller holds %d", reused, len(r.held.entries))
	}
	r.held.entries = append(append([]any{}, r.held.entries[:reused]...), list(tail["entries"])...)
	requests := append([]any{}, list(tail["requests"])...)
	if from, count := int(frameWord(out, hReqFrom)), int(frameWord(out, hReqCount)); count > 0 {
		if from < 0 || from+count > len(r.held.requests) {
			t.Fatalf("the frame reuses requests %d+%d, the caller holds %d", from, count, len(r.held.requests))
		}
		requests = append(append([]any{}, r.held.requests[from:from+count]...), requests...)
	}
	r.held.requests = requests
}

// frameDecoder walks a frame's body.
type frameDecoder struct {
	t        testing.TB
	out      []byte
	p, words int
	r        *frameJS
}

func (d *frameDecoder) next() float64 {
	if d.p >= d.words {
		d.t.Fatalf("the frame's body is longer than its %d words", d.words)
	}
	d.p++
	return frameWord(d.out, d.p-1)
}

// str is string i of the table (nil for -1, as JS reads null).
func (d *frameDecoder) str(i float64) any {
	if i < 0 {
		return nil
	}
	if int(i) >= len(d.r.strs) {
		d.t.Fatalf("string %v of %d", i, len(d.r.strs))
	}
	return d.r.strs[int(i)]
}

// fields reads the next words as the named fields: s a string, b a
// boolean, n a number, l an id list, i a count and that many strings.
func (d *frameDecoder) fields(m map[string]any, names string, kinds string) {
	for k, name := range strings.Split(names, " ") {
		switch kinds[k] {
		case 's':
			m[name] = d.str(d.next())
		case 'b':
			m[name] = d.next() == 1
		case 'n':
			m[name] = d.next()
		case 'l':
			i := int(d.next())
			if i < 0 || i >= len(d.r.lists) {
				d.t.Fatalf("%s: list %d of %d", name, i, len(d.r.lists))
			}
			m[name] = d.r.lists[i]
		case 'i':
			ids := []any{}
			for n := int(d.next()); n > 0; n-- {
				ids = append(ids, d.str(d.next()))
			}
			m[name] = ids
		}
	}
}

// node reads node i (its kv from the tail when it changed).
func (d *frameDecoder) node(i int, tail map[string]any) map[string]any {
	n := map[string]any{}
	d.fields(n, "id role up removed term votedFor lead commitIndex lastApplied electionElapsed electionTimeout "+
		"logStart lastIndex snapshotIndex voters learners votes votesRejected", "ssbbnssnnnnnnnllii")
	progress := []any{}
	for k := int(d.next()); k > 0; k-- {
		p := map[string]any{}
		d.fields(p, "id next match inflight state learner", "snnnsb")
		progress = append(progress, p)
	}
	n["progress"] = progress
	if d.next() == 1 {
		kv, ok := tail[strconv.Itoa(i)]
		if !ok {
			d.t.Fatalf("node %d: its kv changed but is not in the tail", i)
		}
		d.r.kv[i] = kv
	}
	n["kv"] = d.r.kv[i]
	log, entries := []any{}, d.r.held.entries
	for runs := int(d.next()); runs > 0; runs -= 2 {
		off, count := int(d.next()), int(d.next())
		if off < 0 || count <= 0 || off+count > len(entries) {
			d.t.Fatalf("log run [%d, %d] outside the %d entries", off, count, len(entries))
		}
		log = append(log, entries[off:off+count]...)
	}
	n["log"] = log
	return n
}

// messages reads the messages: -(k+1) is message k of the last frame.
func (d *frameDecoder) messages() []any {
	msgs := []any{}
	used := map[int]bool{}
	for n := int(d.next()); n > 0; n-- {
		if k := d.next(); k < 0 {
			i := int(-k - 1)
			if i >= len(d.r.msgs) || used[i] {
				d.t.Fatalf("message %d of the last frame's %d (used: %v)", i, len(d.r.msgs), used[i])
			}
			used[i] = true
			d.r.reusedMsgs++
			msgs = append(msgs, d.r.msgs[i])
			continue
		}
		d.p--
		m := map[string]any{}
		d.fields(m, "id from to type kind term entries index reject sentAt deliverAt held", "nssssnnnbnnb")
		msgs = append(msgs, m)
	}
	d.r.msgs = msgs
	return msgs
}

// TestStateSendsOnlyNewEntries: a caller that passes the number of its
// last state() gets only the entries and requests it does not hold, and
// reads the same picture as one that holds nothing; a wrong number gets
// them all. The page's frames (passing their last frame's number too)
// read the same picture as state() at every step, whether they follow
// state() calls or one another.
func TestStateSendsOnlyNewEntries(t *testing.T) {
	r := NewRegistry()
	h, err := r.Create([]Arg{Str("nodes=5;seed=3")})
	if err != nil {
		t.Fatal(err)
	}
	sb := r.sandboxes[h]
	state := func(args ...Arg) []byte {
		res, err := r.Call(h, OpState, args)
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte(nil), res.(JSON)...)
	}
	held := &heldWire{}
	frames := newFrameJS(held)
	var fresh, total, reqs, freshReqs int
	for i := 0; i < 40; i++ {
		if i%4 == 0 {
			if _, err := r.Call(h, OpRequest, []Arg{Str("SET " + strconv.Itoa(i))}); err != nil {
				t.Fatal(err)
			}
		}
		ms := 97.0
		if i >= 30 {
			ms = 16 // (frames of the page: messages stay in flight from one to the next)
		}
		if _, err := r.Call(h, OpAdvance, []Arg{Num(ms)}); err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if i%3 == 2 || i >= 30 { // a frame of the page
			got = frames.read(t, state(Undefined_(), Num(sb.w.sentGen), Num(frames.lastGen)))
		} else {
			out := state(Undefined_(), Num(sb.w.sentGen))
			var tail map[string]any
			if err := json.Unmarshal(out[8*int(frameWord(out, hWords)):], &tail); err != nil {
				t.Fatal(err)
			}
			fresh += len(list(tail["entries"]))
			freshReqs += len(list(tail["requests"]))
			got = newFrameJS(held).read(t, out)
			total += len(held.entries)
			reqs += len(held.requests)
		}
		st := sb.sim.State()
		var full jsonWriter
		if want := readState(t, full.frame(&st, -1, 0, 0)); !reflect.DeepEqual(got, want) {
			t.Fatalf("call %d: the picture from the held entries differs from the full one\n got %v\nwant %v", i, got, want)
		}
	}
	if fresh*4 > total {
		t.Errorf("%d entries crossed for %d held over the state() calls: the held ones are sent again", fresh, total)
	}
	if freshReqs*2 > reqs {
		t.Errorf("%d requests crossed for %d in the pictures over the state() calls: the finished ones are sent again", freshReqs, reqs)
	}
	if frames.reusedMsgs == 0 {
		t.Error("no frame reused a message of the last one: the frames were all sent whole")
	}
	if out := state(Undefined_(), Num(sb.w.sentGen+7)); frameWord(out, hReused) != 0 || frameWord(out, hReqCount) != 0 {
		t.Errorf("a wrong number reuses %v entries and %v requests", frameWord(out, hReused), frameWord(out, hReqCount))
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
		node := readState(t, w.frame(&st, c.tail, 0, 0))["nodes"].([]any)[0].(map[string]any)
		got, _ := json.Marshal(map[string]any{"log": node["log"], "logStart": node["logStart"]})
		if want := "{" + strings.TrimSuffix(c.want, ",") + "}"; string(got) != want {
			t.Errorf("logTail %d: %s\nwant %s", c.tail, got, want)
		}
	}
}

// TestStateWireExpands drives clusters through elections, crashes,
// partitions, membership changes and (with a safety bug on) diverging logs,
// and checks at many points that the frame form, read, gives every node
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
				out := w.frame(&st, tail, 0, 0)
				if len(w.blocks) > 1 {
					diverged++
				}
				nodes := readState(t, out)["nodes"].([]any)
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

// TestStateWireIsCompact: at 51 nodes the frame holds each entry about once
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
	w.frame(&st, -1, 0, 0)
	longest, total := 0, 0
	for _, n := range st.Nodes {
		longest = max(longest, len(n.Log))
		total += len(n.Log)
	}
	if longest < 30 || len(w.entries) > longest+10 || len(w.lists) > 3 {
		t.Errorf("%d distinct entries for logs of at most %d (%d in all), %d id lists: want about one copy of each", len(w.entries), longest, total, len(w.lists))
	}
}
