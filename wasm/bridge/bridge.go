// Package bridge is everything between the JS API and the simulator that does
// not need syscall/js: a registry of sandboxes addressed by integer handles,
// one entry point per call with its arguments checked again (the JS side
// checks them first), errors meant for people, and a small JSON writer for
// the results. wasm/main.go converts JS values to Arg and back; keeping this
// part free of syscall/js lets it be tested (and fuzzed) natively.
package bridge

import (
	"runtime"
	"strconv"
	"strings"

	"raftsandbox/sim"
	"raftsandbox/sim/scenario"
)

// Op numbers the calls that cross the boundary: web/raft-sandbox.js passes the
// number, not the name, so that a call costs no string conversion. Append
// only; the JS side's table is written from this one by the build
// (facts.go).
type Op int

// The operations of Registry.Call. Arguments and results are listed in docs/api.md.
const (
	OpTick Op = iota + 1
	OpAdvance
	OpStep
	OpPartition
	OpHeal
	OpCrash
	OpRestart
	OpTimeout
	OpRequest
	OpAddNode
	OpRemoveNode
	OpTransferLeadership
	OpDropMessage
	OpHoldMessage
	OpCut
	OpConfigure
	OpState
	OpEvents
	OpActions
	OpShare
	OpReset
	OpRewindTo
	OpNow
	OpConfig
	OpExportGoTest
	OpBeats
	OpCheckBeat
	OpMessage
	opCount
)

// signatures name each op the way JS calls it, for error messages.
var signatures = [opCount]string{
	OpTick:               "tick(n)",
	OpAdvance:            "advance(ms)",
	OpStep:               "step()",
	OpPartition:          "partition(groups)",
	OpHeal:               "heal()",
	OpCrash:              "crash(id)",
	OpRestart:            "restart(id)",
	OpTimeout:            "timeout(id)",
	OpRequest:            "request(command, { to })",
	OpAddNode:            "addNode()",
	OpRemoveNode:         "removeNode(id)",
	OpTransferLeadership: "transferLeadership(id)",
	OpDropMessage:        "dropMessage(id)",
	OpHoldMessage:        "holdMessage(id, hold)",
	OpCut:                "cut(from, to)",
	OpConfigure:          "configure(options)",
	OpState:              "state({ logTail })",
	OpEvents:             "events(sinceSeq)",
	OpActions:            "actions()",
	OpShare:              "share()",
	OpReset:              "reset()",
	OpRewindTo:           "rewindTo(ms)",
	OpNow:                "now",
	OpConfig:             "config()",
	OpExportGoTest:       "exportGoTest({ name, comment, package, simImport, share })", // answered by the lab's wasm
	OpBeats:              "beats()",
	OpCheckBeat:          "checkBeat(i)",
	OpMessage:            "message(id)",
}

// Limits the JS side checks too: the build writes them into
// web/raft-sandbox.js (facts.go), a test fails when they differ.
const (
	MaxTicks       = 100000
	MaxAdvanceMs   = 3600000 // one hour of virtual time per call
	MaxCommandLen  = 200
	MaxIDLen       = 16
	MaxMessageID   = 1<<31 - 1
	MaxSeq         = 1<<53 - 1
	MaxShareLen    = MaxStringArg
	MaxScenarioLen = MaxStringArg
	MaxExportName  = 200  // exportGoTest's name (a label turned into the test's name)
	MaxExportNote  = 2000 // exportGoTest's comment
	MaxImportPath  = 200  // exportGoTest's simImport
)

// JSON marks a result that is JSON text: the JS side parses it. It aliases
// the sandbox's buffer, valid until the next call: the glue copies it into a
// JS string at once.
type JSON []byte

// Registry holds every sandbox of one wasm instance.
type Registry struct {
	next      int
	sandboxes map[int]*sandbox
}

type sandbox struct {
	sim *sim.Sim
	w   jsonWriter // reused: state() allocates nothing here after the first frame
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{sandboxes: map[int]*sandbox{}} }

// Len is the number of live sandboxes.
func (r *Registry) Len() int { return len(r.sandboxes) }

// recoverInto turns a panic into an error for the caller: a panic must never
// cross the boundary (it would kill the Go runtime and with it the page).
func recoverInto(err *error, what string) {
	p := recover()
	if p == nil {
		return
	}
	var msg string
	switch v := p.(type) {
	case error:
		msg = v.Error()
	case string:
		msg = v
	default:
		msg = "unexpected panic"
	}
	if _, ok := p.(runtime.Error); ok {
		msg = "runtime error: " + strings.TrimPrefix(msg, "runtime error: ")
	}
	*err = errorf("internal error in " + what + ": " + msg + " (please report it with sb.share())")
}

// Create makes a sandbox from (options string, share, scenario) and returns
// its handle. A share string or a scenario fixes the whole cluster: with one
// of them the options string is ignored (the page passes its defaults along).
func (r *Registry) Create(args []Arg) (handle int, err error) {
	defer recoverInto(&err, "loadSandbox")
	const sig = "loadSandbox(options)"
	var opts string
	if a := arg(args, 0); a.Kind == String {
		opts = a.Str
	} else if a.Kind != Undefined && a.Kind != Null {
		return 0, errorf(sig + ": options must be a string, got " + describe(a))
	}
	shareArg, scenarioArg := arg(args, 1), arg(args, 2)
	hasShare := shareArg.Kind != Undefined && shareArg.Kind != Null
	hasScenario := scenarioArg.Kind != Undefined && scenarioArg.Kind != Null
	var s *sim.Sim
	switch {
	case hasShare && hasScenario:
		return 0, errorf(sig + ": give either share or scenario, not both")
	case hasShare:
		text, err := stringArg(sig, args, 1, "share", "a share string from sb.share()", MaxShareLen)
		if err != nil {
			return 0, err
		}
		if s, err = sim.FromShare(text); err != nil {
			return 0, errorWhy("loadSandbox: malformed share string: "+err.Error(), sim.Why{Code: "share-malformed"})
		}
	case hasScenario:
		text, err := stringArg(sig, args, 2, "scenario", "the text of a scenario script or a built-in's name", MaxScenarioLen)
		if err != nil {
			return 0, err
		}
		if builtin, ok := scenario.Builtin(text); ok {
			text = builtin // a built-in's name, as <raft-sandbox scenario="partition"> uses
		}
		if s, err = sim.FromScenario(text); err != nil {
			return 0, errorWhy("loadSandbox: "+err.Error(), scenarioWhy(err))
		}
	default:
		cfg := sim.DefaultConfig()
		if _, err := parseOptions(sig, opts, false, &cfg, &sim.Settings{}); err != nil {
			return 0, err
		}
		if err := checkConfig(sig, &cfg); err != nil {
			return 0, err
		}
		if s, err = sim.New(cfg); err != nil {
			return 0, errorf("loadSandbox: " + err.Error())
		}
	}
	if s == nil {
		return 0, errorf("loadSandbox: the simulator returned no cluster")
	}
	r.next++
	r.sandboxes[r.next] = &sandbox{sim: s}
	return r.next, nil
}

// Destroy frees a handle. Destroying an unknown handle is an error.
func (r *Registry) Destroy(handle int) error {
	if _, ok := r.sandboxes[handle]; !ok {
		return errorf("this sandbox was destroyed")
	}
	delete(r.sandboxes, handle)
	return nil
}

// Call runs one operation on one sandbox. The result is nil (nothing), an
// int64, a bool, a string or JSON.
func (r *Registry) Call(handle int, op Op, args []Arg) (result any, err error) {
	sb, ok := r.sandboxes[handle]
	if !ok {
		return nil, errorf("this sandbox was destroyed")
	}
	if op <= 0 || op >= opCount {
		return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
	}
	defer recoverInto(&err, signatures[op])
	return sb.call(op, args)
}

// An op's arguments are checked by one walk of its row of opArgs (readArgs)
// before it runs: whole numbers in a range, strings of a bounded length,
// node ids of the cluster, each optional or not.
type argKind uint8

const (
	argNone     argKind = iota
	argWhole            // a whole number from min to max (rewindTo: to now)
	argOptWhole         // the same, or undefined or null (absent)
	argString           // a string of 1 to max bytes, what it must be for the message
	argNode             // the id of a node of the cluster
	argOptNode          // the same, or undefined or null (absent)
	argOptBool          // true or false, undefined for true
)

type argSpec struct {
	kind     argKind
	name     string
	what     string // argString: what it must be, for the message
	min, max int64
	_        [0]func() // (not comparable: no equality function in the wasm)
}

// opArgs are the arguments of each op (configure reads its own).
var opArgs = [opCount][2]argSpec{
	OpTick:               {{kind: argWhole, name: "n", min: 1, max: MaxTicks}},
	OpAdvance:            {{kind: argWhole, name: "ms", max: MaxAdvanceMs}},
	OpPartition:          {{kind: argString, name: "groups", what: `groups of node ids such as [["A","B"],["C","D","E"]]`, max: 4096}},
	OpCrash:              {{kind: argNode, name: "id"}},
	OpRestart:            {{kind: argNode, name: "id"}},
	OpTimeout:            {{kind: argNode, name: "id"}},
	OpRequest:            {{kind: argString, name: "command", what: `a command such as "SET 5", "ADD x 2" or "GET x"`, max: MaxCommandLen}, {kind: argOptNode, name: "to"}},
	OpRemoveNode:         {{kind: argNode, name: "id"}},
	OpTransferLeadership: {{kind: argNode, name: "id"}},
	OpDropMessage:        {{kind: argWhole, name: "id", max: MaxMessageID}},
	OpHoldMessage:        {{kind: argWhole, name: "id", max: MaxMessageID}, {kind: argOptBool, name: "hold"}},
	OpCut:                {{kind: argNode, name: "from"}, {kind: argNode, name: "to"}},
	OpState:              {{kind: argOptWhole, name: "logTail", max: 1 << 30}},
	OpEvents:             {{kind: argOptWhole, name: "sinceSeq", max: MaxSeq}},
	OpRewindTo:           {{kind: argWhole, name: "ms"}},
	OpCheckBeat:          {{kind: argWhole, name: "i", max: 1 << 30}},
	OpMessage:            {{kind: argWhole, name: "id", max: MaxMessageID}},
}

// callArgs are an op's arguments once checked: numbers in n, strings in s
// (for argOptBool, n is 1 for true), set for those given.
type callArgs struct {
	n   [2]int64
	s   [2]string
	set [2]bool
}

// readArgs checks an op's arguments against its row of opArgs, in order.
func (sb *sandbox) readArgs(op Op, args []Arg) (c callArgs, err error) {
	sig := signatures[op]
	for i, spec := range opArgs[op] {
		a := arg(args, i)
		absent := a.Kind == Undefined || a.Kind == Null
		switch {
		case spec.kind == argNone, absent && (spec.kind == argOptWhole || spec.kind == argOptNode):
			continue
		case spec.kind == argOptBool:
			c.n[i] = 1
			if a.Kind == Bool && !a.Bool {
				c.n[i] = 0
			} else if a.Kind != Bool && a.Kind != Undefined {
				return c, errorf(sig + ": " + spec.name + " must be true or false, got " + describe(a))
			}
			continue
		case spec.kind == argWhole || spec.kind == argOptWhole:
			max := spec.max
			if op == OpRewindTo {
				max = sb.sim.Now()
			}
			if c.n[i], err = intArg(sig, args, i, spec.name, spec.min, max); err != nil && op == OpRewindTo {
				err = errorf(err.Error() + " (the current time is " + strconv.FormatInt(max, 10) + " ms)")
			}
		case spec.kind == argString:
			c.s[i], err = stringArg(sig, args, i, spec.name, spec.what, int(spec.max))
		default: // a node id
			if c.s[i], err = stringArg(sig, args, i, spec.name, `a node id such as "A"`, MaxIDLen); err == nil {
				c.s[i], err = sb.checkNode(sig, c.s[i])
			}
		}
		if err != nil {
			return c, err
		}
		c.set[i] = true
	}
	return c, nil
}

func (sb *sandbox) call(op Op, args []Arg) (any, error) {
	if op == OpConfigure {
		return sb.configure(signatures[op], args)
	}
	a, err := sb.readArgs(op, args)
	if err != nil {
		return nil, err
	}
	if op > OpConfigure {
		return sb.read(op, args, &a)
	}
	s, id := sb.sim, a.s[0]
	switch op {
	case OpTick:
		err = s.Tick(int(a.n[0]))
	case OpAdvance:
		err = s.Advance(a.n[0])
	case OpStep:
		res, ok := s.Step()
		if !ok {
			return nil, nil
		}
		sb.w.reset()
		sb.w.stepResult(&res)
		return JSON(sb.w.b), nil
	case OpPartition:
		var groups [][]string
		if groups, err = sb.groups(signatures[op], id); err != nil {
			return nil, err
		}
		err = s.Partition(groups)
	case OpHeal:
		err = s.Heal()
	case OpCrash:
		err = s.Crash(id)
	case OpRestart:
		err = s.Restart(id)
	case OpTimeout:
		err = s.Timeout(id)
	case OpRemoveNode:
		err = s.RemoveNode(id)
	case OpTransferLeadership:
		err = s.TransferLeadership(id)
	case OpCut:
		if id == a.s[1] {
			return nil, errorf(signatures[op] + ": from and to are the same node " + quoteID(id))
		}
		err = s.CutLink(id, a.s[1])
	case OpDropMessage:
		err = s.DropMessage(int(a.n[0]))
	case OpHoldMessage:
		err = s.HoldMessage(int(a.n[0]), a.n[1] != 0)
	default:
		return sb.client(op, &a)
	}
	return nil, wrap(err)
}

// client: a request, a new node.
func (sb *sandbox) client(op Op, a *callArgs) (any, error) {
	var id any
	var err error
	if op == OpRequest {
		var n int
		n, err = sb.sim.Request(a.s[0], a.s[1])
		id = int64(n)
	} else {
		id, err = sb.sim.AddNode()
	}
	if err != nil {
		return nil, wrap(err)
	}
	return id, nil
}

// configure changes the running cluster's settings.
func (sb *sandbox) configure(sig string, args []Arg) (any, error) {
	s := sb.sim
	text := ""
	if a := arg(args, 0); a.Kind == String {
		text = a.Str
	} else {
		return nil, errorf(sig + ": options must be a string, got " + describe(a))
	}
	cfg := s.Config()
	var st sim.Settings
	if _, err := parseOptions(sig, text, true, &cfg, &st); err != nil {
		return nil, err
	}
	if cfg.LatencyMinMs > cfg.LatencyMaxMs {
		return nil, errorf(sig + ": latencyMs must be [min, max] with min <= max, got [" +
			strconv.FormatInt(cfg.LatencyMinMs, 10) + ", " + strconv.FormatInt(cfg.LatencyMaxMs, 10) + "]")
	}
	return nil, wrap(s.Configure(st))
}

// read: reading the run (state, events, actions, share, config, now, the
// story's beats, a message's detail) and moving it (reset, rewind).
func (sb *sandbox) read(op Op, args []Arg, a *callArgs) (any, error) {
	s, w := sb.sim, &sb.w
	w.reset()
	switch op {
	case OpState:
		logTail := int64(-1)
		if a.set[0] {
			logTail = a.n[0]
		}
		var held, last float64 // the entries the JS side holds, and the page's last frame (frame.go; 0: none)
		if h := arg(args, 1); h.Kind == Number {
			held = h.Num
		}
		if l := arg(args, 2); l.Kind == Number {
			last = l.Num
		}
		st := s.State()
		return JSON(w.frame(&st, int(logTail), held, last)), nil
	case OpEvents:
		w.events(s.Events(uint64(a.n[0])))
	case OpActions:
		w.actions(s.Actions())
	case OpShare:
		return s.Share(), nil
	case OpReset:
		s.Reset()
		return nil, nil
	case OpRewindTo:
		return nil, wrap(s.RewindTo(a.n[0]))
	case OpNow:
		return s.Now(), nil
	case OpConfig:
		cfg := s.Config()
		w.config(&cfg)
	case OpExportGoTest:
		// The Go-test exporter is in the lab's wasm (wasm/labkit,
		// ExportGoTest), which raft-sandbox.js loads for sb.exportGoTest():
		// the main wasm leaves it out for its size budget.
		return nil, errorf(signatures[op] + ": the Go test export runs in the lab's wasm (raft-lab.wasm): call sb.exportGoTest() of raft-sandbox.js")
	default:
		return sb.story(op, a)
	}
	return JSON(w.b), nil
}

// story: the scenario's beats, a beat's facts, a message's detail.
func (sb *sandbox) story(op Op, a *callArgs) (any, error) {
	s, w := sb.sim, &sb.w
	switch op {
	case OpBeats:
		beats, err := s.Beats()
		if err != nil {
			return nil, errorWhy("beats(): the scenario's story does not hold: "+err.Error(), sim.WhyOf(err))
		}
		w.beats(beats)
	case OpCheckBeat:
		facts, err := s.CheckBeat(int(a.n[0]))
		if err != nil {
			return nil, wrap(err)
		}
		w.facts(facts)
	default: // OpMessage
		if d, ok := s.MessageDetail(int(a.n[0])); ok {
			w.messageDetail(&d)
		} else {
			w.raw(`null`)
		}
	}
	return JSON(w.b), nil
}

// wrap turns a simulator error into an Error for a person (the simulator's
// messages already are; this only gives them the boundary's type).
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return errorWhy(err.Error(), sim.WhyOf(err))
}

// parseError is errors.As for a *scenario.Error (sim.FindError: not
// errors.As itself, docs/benchmarks.md, "Where the size is").
func parseError(err error) *scenario.Error {
	pe, _ := sim.FindError[*scenario.Error](err)
	return pe
}

// scenarioWhy says why a scenario could not be loaded: where its text is
// wrong and what is wrong there. The parser's detail is English: the page
// shows it to an English reader (why.scenario-invalid has {detail}); a page
// in another language says the place and quotes the script's own text there
// (scenario-invalid-near, with {near}), which is the author's, not English
// of ours, or that the line ended too soon (scenario-incomplete). A script that parses but cannot run says what the simulator said.
func scenarioWhy(err error) sim.Why {
	pe := parseError(err)
	if pe == nil {
		if w := sim.WhyOf(err); w.Code != "" {
			return w
		}
		return sim.Why{Code: "scenario-unusable", Args: []sim.WhyArg{{Name: "detail", Value: err.Error()}}}
	}
	args := []sim.WhyArg{{Name: "line", Value: strconv.Itoa(pe.Line)}, {Name: "col", Value: strconv.Itoa(pe.Col)}, {Name: "detail", Value: pe.Msg}}
	switch {
	case pe.Near != "":
		return sim.Why{Code: "scenario-invalid-near", Args: append(args, sim.WhyArg{Name: "near", Value: pe.Near})}
	case pe.EndOfLine:
		return sim.Why{Code: "scenario-incomplete", Args: args}
	}
	return sim.Why{Code: "scenario-invalid", Args: args}
}

// nodeIDs lists the cluster's node ids in creation order.
func (sb *sandbox) nodeIDs() []string {
	st := sb.sim.State()
	ids := make([]string, len(st.Nodes))
	for i := range st.Nodes {
		ids[i] = st.Nodes[i].ID
	}
	return ids
}

func (sb *sandbox) checkNode(sig, id string) (string, error) {
	ids := sb.nodeIDs()
	for _, known := range ids {
		if known == id {
			return id, nil
		}
	}
	return "", unknownNode(sig, id, ids)
}

// unknownNode says which node was not found and which exist:
// "crash(id): unknown node 'Z'; nodes are A-E".
func unknownNode(sig, id string, ids []string) error {
	if len(ids) == 0 {
		return errorf(sig + ": unknown node " + quoteID(id) + "; the cluster has no nodes")
	}
	return errorf(sig + ": unknown node " + quoteID(id) + "; nodes are " + nodeList(ids))
}

// groups reads partition groups, encoded by the JS side as "A,B|C,D,E".
func (sb *sandbox) groups(sig, text string) ([][]string, error) {
	ids := sb.nodeIDs()
	seen := map[string]bool{}
	var groups [][]string
	for _, g := range strings.Split(text, "|") {
		if g == "" {
			return nil, errorf(sig + ": a group is empty; every group needs at least one node")
		}
		var group []string
		for _, id := range strings.Split(g, ",") {
			known := false
			for _, k := range ids {
				known = known || k == id
			}
			if !known {
				return nil, unknownNode(sig, id, ids)
			}
			if seen[id] {
				return nil, errorf(sig + ": node " + quoteID(id) + " is in more than one group")
			}
			seen[id] = true
			group = append(group, id)
		}
		groups = append(groups, group)
	}
	return groups, nil
}
