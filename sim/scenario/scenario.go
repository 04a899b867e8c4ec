// Package scenario is the scenario script format of Raft Sandbox: a small,
// line-based text that configures a cluster, schedules actions at virtual
// times and states expectations, so that a scenario file is a test. It also
// holds the share-link codec (a run as a compact URL-safe string) and the
// built-in scenarios of the tutorial.
//
// The package only describes runs; package sim executes them. It imports
// nothing but the standard library. The format is documented, with its
// grammar and examples, in docs/scenarios.md.
//
// # Executing a Script
//
// A Script is executed on a virtual clock that starts at 0 ms:
//
//  1. Build the cluster from Script.Config (Nodes nodes named NodeName(0),
//     NodeName(1), ...; Seed; timings; rates; Bugs).
//  2. Walk Script.Steps() in order. For each step, first advance virtual time
//     to step.At, processing every event scheduled at or before step.At and
//     re-checking the pending expectations (below) after each event. Then:
//     - an action step is applied (Action.Kind says which simulator call);
//     - an expectation step is evaluated at once. If it holds, it passed. If
//     it does not and Within is 0, it failed. Otherwise it becomes pending.
//  3. A pending expectation passes at the first event (or step) after which
//     it holds, and fails once the clock has passed At+Within without that
//     happening (events at exactly At+Within still count).
//  4. Finally advance to Script.End, which is never earlier than the last
//     step nor than any At+Within; every expectation has then passed or
//     failed. The script passes when every expectation passed.
//
// Request ids: requests are numbered 1, 2, 3, ... in the order their
// "request" actions are applied, which is what "expect request N ..." names.
//
// Node names are "A".."Z", "AA".."AZ", "BA", ... in creation order (see
// NodeName); a node added with "add node" takes the next unused name, and a
// removed node's name is never reused.
package scenario

import (
	"strconv"

	"raftsandbox/raft"
)

// Limits on what Parse and DecodeShare accept, so that no input can make them
// use unbounded time or memory.
const (
	MaxNodes         = 64               // cluster size, including added nodes
	MaxTime          = 24 * 3600 * 1000 // the latest virtual time a script may name (24h, in ms)
	MaxTextBytes     = 1 << 20          // the largest script text Parse accepts
	MaxItems         = 100000           // actions plus expectations in one script
	MaxTitleBytes    = 200              // title length
	MaxBeatTextBytes = 1000             // a beat's literal text
	MaxKeyBytes      = 16               // a state machine key (the simulator's commands use the same bound)
)

// Script is one parsed scenario: how to build the cluster, what to do when,
// and what must then be true. Actions and Expects are each in execution
// order; Steps interleaves them.
type Script struct {
	// Title is the optional `title "..."` line.
	Title string
	// Config is the cluster, from the header lines (defaults for the rest).
	Config Config
	// Actions in the order they are applied; their At never decreases.
	Actions []Action
	// Expects in the order they are first evaluated; their At never decreases.
	Expects []Expect
	// End is the virtual time (ms) the run lasts until: the time of the last
	// line (including trailing `wait` lines) or the latest At+Within, whichever
	// is later (beats' until lines included).
	End int64
	// Beats narrate the run step by step (`beat`, `show`, `until`, `holds`
	// lines): nil for a script that tells no story. They do not change the
	// run, and a share link does not carry them (see WithoutBeats).
	Beats []Beat
}

// Beat is one step of a story told over a script: one to three sentences
// (by translation key or literal text), the nodes and log entries they talk
// about, and the moment the beat ends, stated as a condition on the run.
//
// A beat starts where the one before it ended (the first at 0 ms) and ends
// at the first moment, from its start or from Until.At if that is later,
// after which the Until condition holds (checked after every event); it must
// come within Until.Within of that first moment. At the end every Fact must
// hold as well. Package sim computes the moments (Sim.Beats) and checks
// them.
type Beat struct {
	Key  string // `beat 5.3`: a translation key (letters, digits, '.', '-', '_'), or ""
	Text string // `beat "Some words."`: literal text, when Key is ""
	// AfterSteps is the number of actions and expectations written before
	// the beat line (its place among Steps, for Format).
	AfterSteps int
	Show       Show   // `show A,B`, `show entry 2 on A,B`: what the beat points at
	Until      Expect // `until CONDITION [within D]`: when the beat ends
	// UntilAfterSteps is the number of actions and expectations written
	// before the until line.
	UntilAfterSteps int
	Facts           []Expect // `holds CONDITION` lines: true when the beat ends
}

// Name is how messages name the beat: "beat 5.3" or `beat "Some words."`.
func (b *Beat) Name() string {
	if b.Key != "" {
		return "beat " + b.Key
	}
	return "beat \"" + b.Text + "\""
}

// Show is what a beat points at: nodes, and log entries on nodes.
type Show struct {
	Nodes   []string
	Entries []ShowEntry
}

// ShowEntry is the log entry at Index on each of Nodes.
type ShowEntry struct {
	Index int64
	Nodes []string
}

// WithoutBeats returns a copy of the script without its beats: the run a
// share link carries (the narration belongs to the tutorial, not the run).
func (s *Script) WithoutBeats() *Script {
	c := *s
	c.Beats = nil
	return &c
}

// Config is the cluster a script runs on. Its fields mirror sim.Config; the
// zero value is not useful, start from Defaults().
type Config struct {
	Nodes         int    // `nodes 5`: 1..MaxNodes
	Seed          uint64 // `seed 42`
	TickMs        int64  // `tick 10ms`
	ElectionMinMs int64  // `election 150-300ms`: timeouts uniform in [min, max)
	ElectionMaxMs int64
	HeartbeatMs   int64 // `heartbeat 50ms`
	LatencyMinMs  int64 // `latency 20-40ms`
	LatencyMaxMs  int64
	DropRate      Rate // `drop 10%`
	DupRate       Rate // `duplicate 1%`
	ReorderRate   Rate // `reorder 5%`
	PreVote       bool // `prevote on`
	CheckQuorum   bool // `checkquorum on`
	SnapshotEvery int  // `snapshot every 1000`; `snapshot off` is 0
	Bugs          Bugs // `bug vote-without-log-check`, one line per bug
	// ClientView: `clientview on` asks the page to open the client's view
	// (the client history as a timeline, checked for linearizability) when
	// it opens the run. It describes how to show the run, not the cluster:
	// the simulation ignores it.
	ClientView bool
}

// Defaults returns the configuration a script starts from, and the one
// source of the cluster defaults (sim.DefaultConfig is built from it): 5 nodes, seed 1, 10 ms ticks,
// 150-300 ms election timeout, 50 ms heartbeat, 20-40 ms latency, no loss,
// pre-vote and check-quorum off, a snapshot every 1000 applied entries.
func Defaults() Config {
	return Config{Nodes: 5, Seed: 1, TickMs: 10, ElectionMinMs: 150, ElectionMaxMs: 300,
		HeartbeatMs: 50, LatencyMinMs: 20, LatencyMaxMs: 40, SnapshotEvery: 1000}
}

// Bugs are the core's deliberate bugs (raft.Bugs): a script switches one on
// with `bug <name>`, a name from BugNames.
type Bugs = raft.Bugs

// BugNames lists the names the `bug` header line accepts, in canonical order
// (raft.BugList).
var BugNames = bugNames()

func bugNames() []string {
	names := make([]string, len(raft.BugList))
	for i, g := range raft.BugList {
		names[i] = g.Name
	}
	return names
}

// bugFlag returns the switch of the bug called name in b, or nil.
func bugFlag(b *Bugs, name string) *bool {
	for _, g := range raft.BugList {
		if g.Name == name {
			return g.Flag(b)
		}
	}
	return nil
}

// Rate is a probability in parts per million (0..1_000_000), written in
// scripts as a percentage with up to four decimals ("12.5%", "0.0001%").
// An integer keeps parsing, printing and share links exact.
type Rate uint32

// RateOne is a probability of 1 (100%).
const RateOne Rate = 1000000

// Float returns the rate as a probability in [0, 1].
func (r Rate) Float() float64 { return float64(r) / float64(RateOne) }

// RateFromFloat converts a probability in [0, 1] to the nearest Rate
// (values outside are clamped).
func RateFromFloat(p float64) Rate {
	if !(p > 0) { // also NaN
		return 0
	}
	if p >= 1 {
		return RateOne
	}
	return Rate(p*float64(RateOne) + 0.5)
}

// String prints the rate as a percentage: "12.5%".
func (r Rate) String() string {
	whole, frac := uint32(r)/10000, uint32(r)%10000
	s := strconv.FormatUint(uint64(whole), 10)
	if frac != 0 {
		f := strconv.FormatUint(uint64(frac)+10000, 10)[1:] // 4 digits, leading zeros
		for f[len(f)-1] == '0' {
			f = f[:len(f)-1]
		}
		s += "." + f
	}
	return s + "%"
}

// Action kinds and their Args (node arguments are node names):
//
//	crash      [node]             `crash B`               sim.Crash
//	restart    [node]             `restart B`             sim.Restart
//	partition  [group, group...]  `partition A,B | C,D,E` sim.Partition; each group comma-joined ("A,B")
//	heal       []                 `heal`                  sim.Heal
//	cut        [from, to]         `cut A->B`              sim.CutLink
//	request    [cmd] or [cmd, to] `request SET 5 [to B]`  sim.Request(cmd, to); cmd canonical ("SET x 5", "ADD 2", "GET", "GET x")
//	timeout    [node]             `timeout C`             sim.Timeout
//	transfer   [node]             `transfer to B`         sim.TransferLeadership
//	add        []                 `add node`              sim.AddNode (the new node is named by the next NodeName)
//	remove     [node]             `remove E`              sim.RemoveNode
//	configure  [setting, value]   `configure prevote on`  sim.Configure; see Action.Settings
//	drop       [message id]       `drop message 17`       sim.DropMessage
//	hold       [message id]       `hold message 17`       sim.HoldMessage(id, true)
//	release    [message id]       `release message 17`    sim.HoldMessage(id, false)
//
// The configure settings are: prevote on|off, checkquorum on|off, latency
// 10-30ms, drop 10%, duplicate 1%, reorder 5%, snapshot every N | off. Args
// hold them in canonical text (["latency", "10-30ms"]); Settings parses them.
const (
	Crash     = "crash"
	Restart   = "restart"
	Partition = "partition"
	Heal      = "heal"
	Cut       = "cut"
	Request   = "request"
	Timeout   = "timeout"
	Transfer  = "transfer"
	Add       = "add"
	Remove    = "remove"
	Configure = "configure"
	Drop      = "drop"
	Hold      = "hold"
	Release   = "release"
)

// Action is one user action stamped with the virtual time (ms) it is applied.
// It is the same shape as sim.Action: Kind is one of the constants above and
// Args its arguments in canonical text.
type Action struct {
	At   int64
	Kind string
	Args []string
}

// Expectation kinds. Unless stated, "the nodes" are Nodes, or with Scope
// "all" every node that is up and a member, or with Scope "majority" a
// majority of the current voters (counting only nodes that are up).
//
//	leader      `expect leader`, `expect leader A`, `expect leader in C,D,E`:
//	            some up node of Nodes (any node when Nodes is empty) is in role
//	            leader, and no up leader has a higher term.
//	no-leader   `expect no leader`: no up node is in role leader.
//	kv          `expect x = 7 on all`: on the nodes, the applied value of Key is
//	            Value (a key never written reads as 0).
//	term        `expect term >= 2 on C`: the nodes' current terms compare (Op) to Value.
//	commit      `expect commit >= 3 on all`: the nodes' commit indexes compare (Op) to Value.
//	votes       `expect votes = 2 on A,C`: the number of votes the nodes have
//	            been granted in their current term (a candidate's own
//	            included) compares (Op) to Value.
//	role        `expect role follower on B`: the nodes are in role Status
//	            ("follower", "precandidate", "candidate", "leader") and up.
//	down        `expect down B`: the nodes (Nodes) are crashed.
//	request     `expect request 2 committed`: request number Request has status
//	            Status ("pending", "committed", "failed"); with `= 7` (HasResult)
//	            it committed with result "7".
//	converged   `expect logs converged`: every up member holds the same log
//	            entries (same last index, same term at every index it still
//	            holds) and has committed all of them.
//	invariants  `expect invariants ok` / `expect invariants violated`
//	            (Status "ok" or "violated"): the safety checker's verdict.
const (
	ExpectLeader     = "leader"
	ExpectNoLeader   = "no-leader"
	ExpectKV         = "kv"
	ExpectTerm       = "term"
	ExpectCommit     = "commit"
	ExpectVotes      = "votes"
	ExpectRole       = "role"
	ExpectDown       = "down"
	ExpectRequest    = "request"
	ExpectConverged  = "converged"
	ExpectInvariants = "invariants"
)

// Scopes of an expectation over nodes ("on all", "on majority"); "" means
// the explicit list in Nodes.
const (
	ScopeAll      = "all"
	ScopeMajority = "majority"
)

// Expect is one expectation. It is first evaluated at At, after the first
// AfterActions actions of the script have been applied (so an expectation
// written between two actions of the same time sees only the first); with
// Within > 0 it may become true up to At+Within. See the package comment for
// the exact execution rules and the constants above for each Kind.
type Expect struct {
	At           int64
	Within       int64
	AfterActions int
	Kind         string
	Nodes        []string // explicit nodes, or nil with Scope
	Scope        string   // ScopeAll, ScopeMajority, or "" for Nodes
	Key          string   // kv
	Op           string   // term, commit, votes: "=", "!=", "<", "<=", ">", ">="
	Value        int64    // kv, term, commit, votes; the result for request when HasResult
	Request      int      // request: the request number (1-based)
	Status       string   // request status, role name, or invariants "ok"/"violated"
	HasResult    bool     // request: also compare the result with Value
}

// Compare applies the expectation's Op to a measured value and Value.
func (e Expect) Compare(got int64) bool {
	switch e.Op {
	case "=":
		return got == e.Value
	case "!=":
		return got != e.Value
	case "<":
		return got < e.Value
	case "<=":
		return got <= e.Value
	case ">":
		return got > e.Value
	case ">=":
		return got >= e.Value
	}
	return false
}

// Step is one item of a script in execution order: exactly one of Action and
// Expect is set.
type Step struct {
	At     int64
	Action *Action
	Expect *Expect
}

// Steps interleaves Actions and Expects in execution order: an expectation
// comes right before action number AfterActions (0-based), or after all
// actions when AfterActions == len(Actions).
func (s *Script) Steps() []Step {
	steps := make([]Step, 0, len(s.Actions)+len(s.Expects))
	e := 0
	for i := range s.Actions {
		for e < len(s.Expects) && s.Expects[e].AfterActions <= i {
			steps = append(steps, Step{At: s.Expects[e].At, Expect: &s.Expects[e]})
			e++
		}
		steps = append(steps, Step{At: s.Actions[i].At, Action: &s.Actions[i]})
	}
	for ; e < len(s.Expects); e++ {
		steps = append(steps, Step{At: s.Expects[e].At, Expect: &s.Expects[e]})
	}
	return steps
}

// NodeName returns the name of the node created i-th (0-based): "A".."Z",
// then "AA".."AZ", "BA", ... (bijective base 26, like spreadsheet columns).
func NodeName(i int) string {
	if i < 0 {
		return ""
	}
	var buf [16]byte
	n := len(buf)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		buf[n] = byte('A' + (i-1)%26)
	}
	return string(buf[n:])
}

// NodeIndex is the inverse of NodeName: the creation index of a node name,
// or false when name is not a node name.
func NodeIndex(name string) (int, bool) {
	if name == "" || len(name) > 4 {
		return 0, false
	}
	i := 0
	for j := 0; j < len(name); j++ {
		c := name[j]
		if c < 'A' || c > 'Z' {
			return 0, false
		}
		i = i*26 + int(c-'A') + 1
	}
	return i - 1, true
}
