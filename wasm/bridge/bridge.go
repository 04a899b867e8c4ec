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

func (sb *sandbox) call(op Op, args []Arg) (any, error) {
	switch op {
	case OpTick, OpAdvance, OpStep:
		return sb.callTime(op, args)
	case OpPartition, OpHeal, OpCrash, OpRestart, OpTimeout, OpRemoveNode, OpTransferLeadership, OpCut:
		return sb.callAction(op, args)
	case OpRequest, OpAddNode, OpDropMessage, OpHoldMessage:
		return sb.callClient(op, args)
	case OpConfigure:
		return sb.configure(signatures[op], args)
	case OpState, OpEvents, OpActions, OpShare, OpReset, OpRewindTo, OpNow, OpConfig:
		return sb.callRun(op, args)
	case OpExportGoTest, OpBeats, OpCheckBeat, OpMessage:
		return sb.callMore(op, args)
	}
	return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
}

// callTime: tick, advance, step.
func (sb *sandbox) callTime(op Op, args []Arg) (any, error) {
	s := sb.sim
	sig := signatures[op]
	switch op {
	case OpTick:
		n, err := intArg(sig, args, 0, "n", 1, MaxTicks)
		if err != nil {
			return nil, err
		}
		return nil, wrap(s.Tick(int(n)))
	case OpAdvance:
		ms, err := intArg(sig, args, 0, "ms", 0, MaxAdvanceMs)
		if err != nil {
			return nil, err
		}
		return nil, wrap(s.Advance(ms))
	case OpStep:
		res, ok := s.Step()
		if !ok {
			return nil, nil
		}
		sb.w.reset()
		sb.w.stepResult(&res)
		return JSON(sb.w.b), nil
	}
	return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
}

// callAction: the faults and the membership.
func (sb *sandbox) callAction(op Op, args []Arg) (any, error) {
	s := sb.sim
	sig := signatures[op]
	switch op {
	case OpPartition:
		groups, err := sb.groups(sig, args)
		if err != nil {
			return nil, err
		}
		return nil, wrap(s.Partition(groups))
	case OpHeal:
		return nil, wrap(s.Heal())
	case OpCrash, OpRestart, OpTimeout, OpRemoveNode, OpTransferLeadership:
		id, err := sb.nodeArg(sig, args, 0, "id")
		if err != nil {
			return nil, err
		}
		switch op {
		case OpCrash:
			err = s.Crash(id)
		case OpRestart:
			err = s.Restart(id)
		case OpTimeout:
			err = s.Timeout(id)
		case OpRemoveNode:
			err = s.RemoveNode(id)
		default:
			err = s.TransferLeadership(id)
		}
		return nil, wrap(err)
	case OpCut:
		from, err := sb.nodeArg(sig, args, 0, "from")
		if err != nil {
			return nil, err
		}
		to, err := sb.nodeArg(sig, args, 1, "to")
		if err != nil {
			return nil, err
		}
		if from == to {
			return nil, errorf(sig + ": from and to are the same node " + quoteID(from))
		}
		return nil, wrap(s.CutLink(from, to))
	}
	return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
}

// callClient: requests, adding a node, dropping or holding a message.
func (sb *sandbox) callClient(op Op, args []Arg) (any, error) {
	s := sb.sim
	sig := signatures[op]
	switch op {
	case OpRequest:
		cmd, err := stringArg(sig, args, 0, "command", `a command such as "SET 5", "ADD x 2" or "GET x"`, MaxCommandLen)
		if err != nil {
			return nil, err
		}
		var to string
		if a := arg(args, 1); a.Kind != Undefined && a.Kind != Null {
			if to, err = sb.nodeArg(sig, args, 1, "to"); err != nil {
				return nil, err
			}
		}
		id, err := s.Request(cmd, to)
		if err != nil {
			return nil, wrap(err)
		}
		return int64(id), nil
	case OpAddNode:
		id, err := s.AddNode()
		if err != nil {
			return nil, wrap(err)
		}
		return id, nil
	case OpDropMessage, OpHoldMessage:
		id, err := intArg(sig, args, 0, "id", 0, MaxMessageID)
		if err != nil {
			return nil, err
		}
		if op == OpDropMessage {
			return nil, wrap(s.DropMessage(int(id)))
		}
		hold := true
		if a := arg(args, 1); a.Kind == Bool {
			hold = a.Bool
		} else if a.Kind != Undefined {
			return nil, errorf(sig + ": hold must be true or false, got " + describe(a))
		}
		return nil, wrap(s.HoldMessage(int(id), hold))
	}
	return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
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

// callRun: reading the run (state, events, actions, share, config, now) and
// moving it (reset, rewind).
func (sb *sandbox) callRun(op Op, args []Arg) (any, error) {
	s := sb.sim
	sig := signatures[op]
	switch op {
	case OpState:
		logTail := int64(-1)
		if a := arg(args, 0); a.Kind != Undefined && a.Kind != Null {
			var err error
			if logTail, err = intArg("state({ logTail })", args, 0, "logTail", 0, 1<<30); err != nil {
				return nil, err
			}
		}
		var held float64 // the number of the entries the JS side holds (frame.go)
		if a := arg(args, 1); a.Kind == Number {
			held = a.Num
		}
		var last float64 // the page's frame (frame.go): its last frame's number (0, or none: the API's state(), sent whole)
		if a := arg(args, 2); a.Kind == Number {
			last = a.Num
		}
		st := s.State()
		return JSON(sb.w.frame(&st, int(logTail), held, last)), nil
	case OpEvents:
		var since int64
		if a := arg(args, 0); a.Kind != Undefined && a.Kind != Null {
			var err error
			if since, err = intArg(sig, args, 0, "sinceSeq", 0, MaxSeq); err != nil {
				return nil, err
			}
		}
		sb.w.reset()
		sb.w.events(s.Events(uint64(since)))
		return JSON(sb.w.b), nil
	case OpActions:
		sb.w.reset()
		sb.w.actions(s.Actions())
		return JSON(sb.w.b), nil
	case OpShare:
		return s.Share(), nil
	case OpReset:
		s.Reset()
		return nil, nil
	case OpRewindTo:
		now := s.Now()
		t, err := intArg(sig, args, 0, "ms", 0, now)
		if err != nil {
			return nil, errorf(err.Error() + " (the current time is " + strconv.FormatInt(now, 10) + " ms)")
		}
		return nil, wrap(s.RewindTo(t))
	case OpNow:
		return s.Now(), nil
	case OpConfig:
		cfg := s.Config()
		sb.w.reset()
		sb.w.config(&cfg)
		return JSON(sb.w.b), nil
	}
	return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
}

// callMore: the Go test export, the story's beats, a message's detail.
func (sb *sandbox) callMore(op Op, args []Arg) (any, error) {
	s := sb.sim
	sig := signatures[op]
	switch op {
	case OpExportGoTest:
		// The Go-test exporter is in the lab's wasm (wasm/labkit,
		// ExportGoTest), which raft-sandbox.js loads for sb.exportGoTest():
		// the main wasm leaves it out for its size budget.
		return nil, errorf(sig + ": the Go test export runs in the lab's wasm (raft-lab.wasm): call sb.exportGoTest() of raft-sandbox.js")
	case OpBeats:
		beats, err := s.Beats()
		if err != nil {
			return nil, errorWhy("beats(): the scenario's story does not hold: "+err.Error(), sim.WhyOf(err))
		}
		sb.w.reset()
		sb.w.beats(beats)
		return JSON(sb.w.b), nil
	case OpCheckBeat:
		i, err := intArg(sig, args, 0, "i", 0, 1<<30)
		if err != nil {
			return nil, err
		}
		facts, err := s.CheckBeat(int(i))
		if err != nil {
			return nil, wrap(err)
		}
		sb.w.reset()
		sb.w.beginArray()
		for _, f := range facts {
			w := &sb.w
			w.beginObject()
			w.key("text")
			w.string(f.Text)
			w.key("why")
			w.why(&f.Why)
			w.comma = true // why writes raw JSON
			w.key("holds")
			w.bool(f.Holds)
			w.endObject()
		}
		sb.w.endArray()
		return JSON(sb.w.b), nil
	case OpMessage:
		id, err := intArg(sig, args, 0, "id", 0, MaxMessageID)
		if err != nil {
			return nil, err
		}
		sb.w.reset()
		if d, ok := s.MessageDetail(int(id)); ok {
			sb.w.messageDetail(&d)
		} else {
			sb.w.raw(`null`)
		}
		return JSON(sb.w.b), nil
	}
	return nil, errorf("unknown operation " + strconv.Itoa(int(op)))
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

// nodeArg reads argument i as the id of an existing node.
func (sb *sandbox) nodeArg(sig string, args []Arg, i int, name string) (string, error) {
	id, err := stringArg(sig, args, i, name, `a node id such as "A"`, MaxIDLen)
	if err != nil {
		return "", err
	}
	return sb.checkNode(sig, id)
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
func (sb *sandbox) groups(sig string, args []Arg) ([][]string, error) {
	text, err := stringArg(sig, args, 0, "groups", `groups of node ids such as [["A","B"],["C","D","E"]]`, 4096)
	if err != nil {
		return nil, err
	}
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
