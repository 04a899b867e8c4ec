package bridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"raftsandbox/sim"
	"raftsandbox/sim/scenario"
)

func mustCreate(t *testing.T, r *Registry, opts string) int {
	t.Helper()
	h, err := r.Create([]Arg{Str(opts)})
	if err != nil {
		t.Fatalf("Create(%q): %v", opts, err)
	}
	return h
}

func TestArgumentErrors(t *testing.T) {
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=5;seed=42")
	cases := []struct {
		op   Op
		args []Arg
		want string
	}{
		{OpTick, []Arg{Num(math.NaN())}, "tick(n): n must be a whole number from 1 to 100000, got NaN"},
		{OpTick, []Arg{Num(0)}, "tick(n): n must be a whole number from 1 to 100000, got 0"},
		{OpTick, []Arg{Num(1.5)}, "got 1.5"},
		{OpTick, []Arg{Num(math.Inf(1))}, "got Infinity"},
		{OpTick, nil, "got undefined"},
		{OpAdvance, []Arg{Str("16")}, `advance(ms): ms must be a whole number from 0 to 3600000, got "16"`},
		{OpAdvance, []Arg{Num(1 << 53)}, "got 9007199254740992"},
		{OpCrash, []Arg{Num(1)}, `crash(id): id must be a node id such as "A", got 1`},
		{OpCrash, []Arg{OtherArg("symbol")}, "got a symbol"},
		{OpCrash, []Arg{{Kind: String, Len: 5 << 20}}, "id is too long"},
		{OpRequest, []Arg{Str("")}, "request(command, { to }): command must be a command such as"},
		{OpRequest, []Arg{Str(strings.Repeat("x", 300))}, "command is too long (300 characters; at most 200)"},
		{OpDropMessage, []Arg{Num(-1)}, "dropMessage(id): id must be a whole number from 0 to 2147483647, got -1"},
		{OpHoldMessage, []Arg{Num(1), Str("yes")}, `holdMessage(id, hold): hold must be true or false, got "yes"`},
		{OpConfigure, []Arg{Str("dropRate=2")}, `configure(options): dropRate must be a number from 0 to 1, got "2"`},
		{OpConfigure, []Arg{Str("nodes=3")}, `configure(options): unknown option "nodes"; options are latencyMinMs`},
		{OpConfigure, []Arg{Str("latencyMinMs=50;latencyMaxMs=10")}, "latencyMs must be [min, max] with min <= max, got [50, 10]"},
		{OpConfigure, []Arg{Str("preVote=maybe")}, `preVote must be true or false, got "maybe"`},
		{OpConfigure, []Arg{Num(3)}, "configure(options): options must be a string, got 3"},
		{OpEvents, []Arg{Num(-5)}, "events(sinceSeq): sinceSeq must be a whole number from 0 to"},
		{OpPartition, []Arg{Str("")}, "partition(groups): groups must be groups of node ids"},
		{OpRewindTo, []Arg{Num(-1)}, "rewindTo(ms): ms must be a whole number from 0 to"},
		{Op(0), nil, "unknown operation 0"},
		{Op(999), nil, "unknown operation 999"},
	}
	for _, c := range cases {
		_, err := r.Call(h, c.op, c.args)
		if err == nil {
			t.Errorf("op %d %v: no error, want %q", c.op, c.args, c.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("op %d: error %T is not *Error", c.op, err)
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("op %d %v:\n got %q\nwant %q", c.op, c.args, err.Error(), c.want)
		}
	}
}

func TestCreateErrors(t *testing.T) {
	r := NewRegistry()
	cases := []struct {
		args []Arg
		want string
	}{
		{[]Arg{Str("nodes=0")}, "loadSandbox(options): nodes must be a whole number from 1 to 64, got \"0\""},
		{[]Arg{Str("nodes=65")}, "from 1 to 64"},
		{[]Arg{Str("nodes=5;nodes=3")}, `option "nodes" is given twice`},
		{[]Arg{Str("colour=red")}, `unknown option "colour"; options are nodes, tickMs`},
		{[]Arg{Str("seed=-1")}, "seed must be a whole number from 0 to 18446744073709551615"},
		{[]Arg{Str("nodes")}, `option "nodes" has no value`},
		{[]Arg{Str("electionMinMs=300;electionMaxMs=300")}, "electionTimeoutMs must be [min, max] with min < max, got [300, 300]"},
		{[]Arg{Str("heartbeatMs=200")}, "heartbeatMs (200) must be shorter than the shortest election timeout (150)"},
		{[]Arg{Num(5)}, "loadSandbox(options): options must be a string, got 5"},
		{[]Arg{Str(""), Str("abc"), Str("at 1s crash A")}, "give either share or scenario, not both"},
		{[]Arg{Str("nodes=3"), Str("abc")}, "loadSandbox: malformed share string"},
		{[]Arg{{Kind: Undefined}, Num(7)}, "share must be a share string from sb.share(), got 7"},
		{[]Arg{{}, {}, Str("")}, "scenario must be the text of a scenario script or a built-in's name, got \"\""},
	}
	for _, c := range cases {
		_, err := r.Create(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Create(%v):\n got %v\nwant %q", c.args, err, c.want)
		}
	}
	if r.Len() != 0 {
		t.Errorf("failed creates left %d sandboxes", r.Len())
	}
}

func TestConfig(t *testing.T) {
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=3;seed=18446744073709551615;preVote=1;latencyMinMs=5;latencyMaxMs=9;dropRate=0.25;bugAckBeforeDurable=1")
	res, err := r.Call(h, OpConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"nodes":3,"seed":"18446744073709551615","tickMs":10,"electionTimeoutMs":[150,300],"heartbeatMs":50,` +
		`"latencyMs":[5,9],"dropRate":0.25,"dupRate":0,"reorderRate":0,"preVote":true,"checkQuorum":false,"snapshotEvery":1000,` +
		`"bugs":{"voteWithoutLogCheck":false,"commitOldTermByCount":false,"forgetVoteOnRestart":false,"ackBeforeDurable":true,"readWithoutReadIndex":false},"clientView":false}`
	if got := string(res.(JSON)); got != want {
		t.Errorf("config\n got %s\nwant %s", got, want)
	}
	// a scenario asks for the client's view (the reads chapter does), and
	// the run's share string carries the request
	for _, args := range [][]Arg{{Undefined_(), Undefined_(), Str("nodes 3\nclientview on")}, {Undefined_(), Undefined_(), Str("reads")}} {
		h, err := r.Create(args)
		if err != nil {
			t.Fatal(err)
		}
		share, err := r.Call(h, OpShare, nil)
		if err != nil {
			t.Fatal(err)
		}
		again, err := r.Create([]Arg{Undefined_(), Str(share.(string))})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []int{h, again} {
			res, err := r.Call(h, OpConfig, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(res.(JSON)); !strings.HasSuffix(got, `,"clientView":true}`) {
				t.Errorf("%v: config %s, want clientView true", args[2], got)
			}
		}
	}
}

func TestHandles(t *testing.T) {
	r := NewRegistry()
	a := mustCreate(t, r, "nodes=3")
	b := mustCreate(t, r, "")
	if a == b || r.Len() != 2 {
		t.Fatalf("handles %d %d, %d live", a, b, r.Len())
	}
	if err := r.Destroy(a); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Call(a, OpNow, nil); err == nil || err.Error() != "this sandbox was destroyed" {
		t.Errorf("call after destroy: %v", err)
	}
	if err := r.Destroy(a); err == nil {
		t.Error("second destroy: no error")
	}
	if _, err := r.Call(b, OpNow, nil); err != nil {
		t.Errorf("sibling broken by destroy: %v", err)
	}
	if r.Len() != 1 {
		t.Errorf("%d live, want 1", r.Len())
	}
}

func TestNodeList(t *testing.T) {
	cases := map[string][]string{
		"A-E":       {"A", "B", "C", "D", "E"},
		"A":         {"A"},
		"A, B":      {"A", "B"},
		"A, B, D-F": {"A", "B", "D", "E", "F"},
		"A, C, E":   {"A", "C", "E"},
	}
	var az []string
	for c := 'A'; c <= 'Z'; c++ {
		az = append(az, string(c))
	}
	cases["A-Z, AA, AB"] = append(az, "AA", "AB")
	for want, ids := range cases {
		if got := nodeList(ids); got != want {
			t.Errorf("nodeList(%v) = %q, want %q", ids, got, want)
		}
	}
}

func TestPanicsBecomeErrors(t *testing.T) {
	var err error
	func() {
		defer recoverInto(&err, "tick(n)")
		var m map[string]int
		m["x"] = 1 // nil map write: a runtime panic
	}()
	if err == nil || !strings.Contains(err.Error(), "internal error in tick(n): runtime error: assignment to entry in nil map") {
		t.Errorf("recovered: %v", err)
	}
	func() {
		defer recoverInto(&err, "crash(id)")
		panic(struct{}{})
	}()
	if err == nil || !strings.Contains(err.Error(), "internal error in crash(id): unexpected panic") {
		t.Errorf("recovered: %v", err)
	}
}

// garbageArgs draws arguments of every kind, valid ones included.
func garbageArgs(rng *rand.Rand) []Arg {
	pool := []Arg{
		{}, {Kind: Null}, Num(math.NaN()), Num(math.Inf(1)), Num(math.Inf(-1)), Num(-1), Num(0), Num(1),
		Num(1 << 53), Num(1.5), Num(float64(rng.IntN(50))), Num(math.MaxFloat64), Num(-0.0),
		Str(""), Str("A"), Str("B"), Str("Z"), Str("A,B|C"), Str("A|B|C,D,E"), Str("A,A"), Str("SET 5"),
		Str("ADD x 2"), Str("GET x"), Str("\x00\xff"), Str(strings.Repeat("Q", 5000)), Str("preVote=1;dropRate=0.5"),
		Str("latencyMinMs=1;latencyMaxMs=2"), Str("=;=;"), BoolArg(true), BoolArg(false),
		OtherArg("object"), OtherArg("function"), OtherArg("symbol"), OtherArg("bigint"), {Kind: String, Len: 1 << 30},
	}
	args := make([]Arg, rng.IntN(4))
	for i := range args {
		args[i] = pool[rng.IntN(len(pool))]
	}
	return args
}

// Garbage in, errors out: no call panics, and every error is an *Error.
func TestGarbageCalls(t *testing.T) {
	seed := uint64(rand.Int64())
	if env := os.Getenv("GARBAGE_SEED"); env != "" {
		var err error
		if seed, err = strconv.ParseUint(env, 10, 64); err != nil {
			t.Fatalf("GARBAGE_SEED=%q: %v", env, err)
		}
	}
	replay := "GARBAGE_SEED=" + strconv.FormatUint(seed, 10) + " go test ./wasm/bridge -run TestGarbageCalls"
	t.Log("replay: " + replay)
	rng := rand.New(rand.NewPCG(seed, 1))
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=5;seed=7")
	for i := 0; i < 20000; i++ {
		op := Op(rng.IntN(int(opCount) + 2))
		if op == OpReset || op == OpRewindTo {
			continue // valid calls of these are cheap but make the run long; covered in JS
		}
		args := garbageArgs(rng)
		_, err := r.Call(h, op, args)
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("call %d op %d %v: error %T %v is not *Error; replay: %s", i, op, args, err, err, replay)
		}
		if strings.Contains(err.Error(), "internal error") {
			t.Fatalf("call %d op %d %v: %v; replay: %s", i, op, args, err, replay)
		}
	}
	for i := 0; i < 2000; i++ {
		args := garbageArgs(rng)
		if h2, err := r.Create(args); err == nil {
			_ = r.Destroy(h2)
		} else if strings.Contains(err.Error(), "internal error") {
			t.Fatalf("create %v: %v; replay: %s", args, err, replay)
		}
	}
}

func FuzzOptions(f *testing.F) {
	for _, s := range []string{"", "nodes=5;seed=42", "preVote=1;latencyMinMs=10;latencyMaxMs=30", "dropRate=0.1", "a=b=c;;", "seed=18446744073709551616"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg := sim.DefaultConfig()
		var st sim.Settings
		for _, forConfigure := range []bool{false, true} {
			_, err := parseOptions("f()", text, forConfigure, &cfg, &st)
			if err == nil {
				continue
			}
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "f(): ") {
				t.Fatalf("parseOptions(%q): %v", text, err)
			}
		}
	})
}

// beats() lists a built-in's beats with their moments as JSON; checkBeat(i)
// evaluates beat i now; a cluster without a scenario has no beats.
func TestBeats(t *testing.T) {
	r := NewRegistry()
	h, err := r.Create([]Arg{{Kind: Undefined}, {Kind: Undefined}, Str("split-vote")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Call(h, OpBeats, nil)
	if err != nil {
		t.Fatal(err)
	}
	var beats []struct {
		Key        string
		Start, End int64
		Until      string
		Facts      []string
		Nodes      []string
		Entries    []struct{ Index int64 }
	}
	if err := json.Unmarshal(res.(JSON), &beats); err != nil {
		t.Fatalf("%v: %s", err, res)
	}
	if len(beats) < 3 || beats[0].Key != "5.1" || beats[1].Until != "votes = 2 on A,C within 200ms" || beats[1].End <= beats[1].Start {
		t.Fatalf("beats() = %s", res)
	}
	if _, err := r.Call(h, OpAdvance, []Arg{Num(float64(beats[1].End))}); err != nil {
		t.Fatal(err)
	}
	res, err = r.Call(h, OpCheckBeat, []Arg{Num(1)})
	if err != nil || !strings.Contains(string(res.(JSON)), `"holds":true`) || strings.Contains(string(res.(JSON)), `"holds":false`) {
		t.Fatalf("checkBeat(1) at the beat's end = %s, %v", res, err)
	}
	res, _ = r.Call(h, OpCheckBeat, []Arg{Num(4)}) // A is not the leader yet
	if !strings.Contains(string(res.(JSON)), `{"text":"leader A within 500ms","why":{"code":"fact-leader","args":{"nodes":"A","scope":""}},"holds":false}`) {
		t.Fatalf("checkBeat(4) early = %s", res)
	}
	if _, err := r.Call(h, OpCheckBeat, []Arg{Num(99)}); err == nil || !strings.Contains(err.Error(), "there is no beat 99: the scenario has 5 beats") {
		t.Fatalf("checkBeat(99): %v", err)
	}
	plain := mustCreate(t, r, "nodes=3")
	if res, err := r.Call(plain, OpBeats, nil); err != nil || string(res.(JSON)) != "[]" {
		t.Fatalf("beats() without a scenario = %s, %v", res, err)
	}
}

// message(id) describes an append in flight with its entries' commands, and
// reading it changes nothing.
func TestMessageDetail(t *testing.T) {
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=3;seed=5")
	call := func(op Op, args ...Arg) any {
		t.Helper()
		v, err := r.Call(h, op, args)
		if err != nil {
			t.Fatalf("op %d: %v", op, err)
		}
		if j, ok := v.(JSON); ok {
			return string(j)
		}
		return v
	}
	call(OpAdvance, Num(1000))
	call(OpRequest, Str("SET 5"))
	sb := r.sandboxes[h]
	var app *sim.MessageView
	for i := 0; i < 50 && app == nil; i++ {
		for _, m := range sb.sim.State().Messages {
			if m.Type == "AppendEntries" && m.Entries > 0 {
				app = &m
				break
			}
		}
		if app == nil {
			call(OpStep)
		}
	}
	if app == nil {
		t.Fatal("no append with entries in flight")
	}
	before := sb.sim.TraceHash()
	state := readState(t, []byte(call(OpState).(string)))
	got := call(OpMessage, Num(float64(app.ID))).(string)
	for _, want := range []string{`"type":"AppendEntries"`, `"logTerm":`, `"commit":`, `"command":"SET x 5"`, `"why":null`} {
		if !strings.Contains(got, want) {
			t.Errorf("message(%d) = %s\nwant it to contain %s", app.ID, got, want)
		}
	}
	if sb.sim.TraceHash() != before || !reflect.DeepEqual(readState(t, []byte(call(OpState).(string))), state) {
		t.Fatal("reading a message changed the run")
	}
	if got := call(OpMessage, Num(123456)); got != "null" {
		t.Fatalf("message of an id not in flight: %v, want null", got)
	}
}

// TestScenarioErrorWhy: a scenario that does not parse says where and what:
// the parser's English detail for an English page, and the script's own
// text there (or that the line ended) for a page in another language. (The
// detail was once lost: the page said only "a mistake at line 1, column 1".)
func TestScenarioErrorWhy(t *testing.T) {
	r := NewRegistry()
	for _, c := range []struct {
		text, code string
		args       map[string]string
	}{
		{"at 1s explode A", "scenario-invalid-near", map[string]string{"line": "1", "col": "7", "near": "explode",
			"detail": `expected an action (crash, restart, partition, heal, cut, request, timeout, transfer, add, remove, configure, drop, hold, release) or expect, found "explode"`}},
		{"nodes 3\ncrash", "scenario-incomplete", map[string]string{"line": "2", "col": "6", "detail": "expected a node name like A or C, found the end of the line"}},
		{"beat \"\"\nuntil leader", "scenario-invalid", map[string]string{"line": "1", "col": "6", "detail": "a beat's text is 1 to 1000 bytes"}},
	} {
		_, err := r.Create([]Arg{{}, {}, Str(c.text)})
		w := WhyOf(err)
		got := map[string]string{}
		for _, a := range w.Args {
			got[a.Name] = a.Value
		}
		if w.Code != c.code || !reflect.DeepEqual(got, c.args) {
			t.Errorf("loadSandbox({scenario: %q}): why %s %v,\nwant %s %v", c.text, w.Code, got, c.code, c.args)
		}
	}
}

// parseError finds a *scenario.Error through one %w, several (depth first)
// and errors.Join, as errors.As would; nothing in a plain error.
func TestParseErrorThroughWrapping(t *testing.T) {
	pe := &scenario.Error{Line: 2, Col: 3, Msg: "bad"}
	plain := errors.New("plain")
	for _, c := range []struct {
		err  error
		want *scenario.Error
	}{
		{nil, nil},
		{plain, nil},
		{pe, pe},
		{fmt.Errorf("load: %w", fmt.Errorf("scenario: %w", pe)), pe},
		{fmt.Errorf("%w and %w", plain, pe), pe},
		{errors.Join(plain, fmt.Errorf("x: %w", pe)), pe},
		{errors.Join(plain, plain), nil},
	} {
		if got := parseError(c.err); got != c.want {
			t.Errorf("parseError(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func Undefined_() Arg { return Arg{Kind: Undefined} }

// exportGoTest is answered by the lab's wasm: the main wasm's op says so.
func TestExportGoTestIsTheLabs(t *testing.T) {
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=3;seed=1")
	_, err := r.Call(h, OpExportGoTest, nil)
	if err == nil || !strings.Contains(err.Error(), "raft-lab.wasm") {
		t.Errorf("exportGoTest in the main wasm: %v, want an error that names the lab's wasm", err)
	}
}
