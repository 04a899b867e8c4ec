// Package chaos searches for bugs with random fault schedules: from one seed
// it derives a cluster configuration, a schedule of faults (partitions,
// crashes and restarts, loss, duplication, reordering, latency spikes,
// membership changes, leadership transfers, forced timeouts) and concurrent
// clients, runs them on the simulator, then stops the faults and checks that
//
//   - every invariant of the simulator's safety checker held after every event,
//   - the clients' history is linearizable (porcupine, with the integer
//     key-value model of model.go),
//   - the cluster is live once the faults stop: a leader within 10 election
//     timeouts, and every request resolved within a bound.
//
// A failure names the seed and the one command that replays it. The package
// is native-only tooling (porcupine, thousands of seeds): the wasm bindings
// never import it. docs/chaos.md explains the fault model and how to soak.
package chaos

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

// FaultKind is the kind of a planned fault.
type FaultKind uint8

const (
	KindPartition      FaultKind = iota + 1 // split the members into Groups random groups
	KindHeal                                // remove partitions and link cuts
	KindCutLink                             // cut one direction of one link
	KindCrash                               // crash an up node
	KindRestart                             // restart a crashed node
	KindRates                               // set loss, duplication and reordering rates
	KindLatency                             // set the latency range (a spike, or back to normal)
	KindAddNode                             // add a node (while the cluster is below MaxSize)
	KindRemoveNode                          // remove a member (while the cluster is above MinSize)
	KindTransfer                            // ask the leader to hand over to another voter
	KindTimeout                             // force a node's election timeout
	KindCrashLeader                         // crash the current leader (if any)
	KindIsolateLeader                       // partition the current leader away, alone or with one follower
	KindBurst                               // BurstSize requests at once, pinned to a node that believes it leads
	KindDropMessage                         // drop one message in flight
	KindHoldMessage                         // hold one message in flight (delivered only once released)
	KindReleaseMessage                      // release one held message: it arrives late, stale
	KindDualTimeout                         // force two nodes' election timeouts at once: two candidates in one term
)

var kindNames = [...]string{"", "partition", "heal", "cut", "crash", "restart",
	"rates", "latency", "add", "remove", "transfer", "timeout", "crash-leader", "isolate-leader", "burst", "drop-message", "hold-message", "release-message", "dual-timeout"}

func (k FaultKind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return "?"
}

// Fault is one planned fault. Its target (which node to crash, which groups
// to form) is not fixed in the plan: Pick is a random number that chooses
// among the nodes eligible when the fault happens (runner.target), so a plan
// stays valid whatever membership the run has reached.
type Fault struct {
	At     int64 // virtual ms
	Kind   FaultKind
	Pick   uint64
	Groups int // KindPartition: 2 or 3
	// KindRates: probabilities in whole percent (exact in share links).
	DropPct, DupPct, ReorderPct int
	// KindLatency: the new range.
	LatencyMinMs, LatencyMaxMs int64
}

func (e Fault) String() string {
	switch e.Kind {
	case KindPartition:
		return fmt.Sprintf("%6dms partition into %d groups", e.At, e.Groups)
	case KindRates:
		return fmt.Sprintf("%6dms rates drop %d%% duplicate %d%% reorder %d%%", e.At, e.DropPct, e.DupPct, e.ReorderPct)
	case KindLatency:
		return fmt.Sprintf("%6dms latency %d-%dms", e.At, e.LatencyMinMs, e.LatencyMaxMs)
	}
	return fmt.Sprintf("%6dms %s", e.At, e.Kind)
}

// Profile shapes the fault schedule. The zero Weights fall back to
// DefaultProfile's.
type Profile struct {
	FaultMs     int64 // how long faults are injected (virtual ms)
	MeanGapMs   int64 // mean time between two faults
	ThinkMs     int64 // mean time a client waits between a request's end and its next request
	Clients     int
	Keys        int
	MinSize     int // membership changes keep the cluster at least this big...
	MaxSize     int // ...and at most this big
	MaxCrashed  int // never more nodes down at once than this
	SnapshotMin int // compaction every N applied entries, N drawn from [SnapshotMin, 4*SnapshotMin]
	Weights     map[FaultKind]int

	// BurstSize is how many requests a burst fault sends, at once, to a node
	// that believes it leads (each on a key of its own, so that porcupine's
	// search stays small). 0 means 70: more than one append message holds.
	BurstSize int
	// Reactive faults, in percent: the chance of cutting off a node right
	// after it becomes leader (before its no-op spreads), and right after it
	// commits an entry of an earlier term. They make Figure 8's windows
	// common; they need the run to advance a tick at a time.
	IsolateNewLeaderPct, IsolateOldCommitPct int
	// RestartOnNewTermPct is the chance of crashing and at once restarting a
	// node right after it moves to a newer term (when it may just have
	// voted): what a vote that is not durable needs to show.
	RestartOnNewTermPct int
}

// DefaultProfile is the schedule TestChaos and the soak use: about 3 s of
// faults on 3-5 nodes, then quiet.
func DefaultProfile() Profile {
	return Profile{
		FaultMs: 3000, MeanGapMs: 120, ThinkMs: 40, Clients: 3, Keys: 3,
		MinSize: 3, MaxSize: 6, MaxCrashed: 2, SnapshotMin: 8,
		Weights: map[FaultKind]int{
			KindPartition: 10, KindHeal: 8, KindCutLink: 4, KindCrash: 10, KindRestart: 10,
			KindRates: 6, KindLatency: 4, KindAddNode: 3, KindRemoveNode: 3,
			KindTransfer: 4, KindTimeout: 6, KindCrashLeader: 4, KindIsolateLeader: 4,
			KindDropMessage: 3, KindHoldMessage: 4, KindReleaseMessage: 4,
		},
	}
}

// Plan is everything a seed decides before the run starts.
type Plan struct {
	Seed    uint64
	Config  sim.Config
	Profile Profile
	Faults  []Fault // sorted by At; they stop at FaultUntil
	// Clients holds each client's requests in order; a client issues them
	// one at a time until FaultUntil.
	Clients [][]PlannedRequest
	// FaultUntil is when the quiet period starts: heal, restart every node,
	// rates to zero, latency back to normal.
	FaultUntil int64
}

// PlannedRequest is one request of a closed-loop client: it is issued ThinkMs
// after the client's previous request resolved (or after 0 ms, for the first).
type PlannedRequest struct {
	ThinkMs int64
	Input   Input
}

// faultKinds fixes an order on the weighted kinds (never range over the map
// to choose: map order would leak into the plan).
var faultKinds = []FaultKind{KindPartition, KindHeal, KindCutLink, KindCrash, KindRestart, KindRates,
	KindLatency, KindAddNode, KindRemoveNode, KindTransfer, KindTimeout, KindCrashLeader, KindIsolateLeader, KindBurst, KindDropMessage, KindHoldMessage,
	KindReleaseMessage, KindDualTimeout}

// NewPlan derives a plan from a seed: same seed and options, same plan.
func NewPlan(seed uint64, bugs raft.Bugs, p Profile) Plan {
	p = p.withDefaults()
	rng := rand.New(rand.NewPCG(seed, 0x6368616f73)) // "chaos"

	cfg := sim.DefaultConfig()
	cfg.Seed = seed
	cfg.Nodes = p.MinSize + rng.IntN(min(3, p.MaxSize-p.MinSize+1))
	cfg.LatencyMinMs = 5 + rng.Int64N(10)
	cfg.LatencyMaxMs = cfg.LatencyMinMs + 5 + rng.Int64N(25)
	cfg.PreVote = rng.IntN(2) == 0
	cfg.CheckQuorum = rng.IntN(2) == 0
	cfg.SnapshotEvery = p.SnapshotMin + rng.IntN(3*p.SnapshotMin+1)
	cfg.Bugs = bugs

	plan := Plan{Seed: seed, Config: cfg, Profile: p, FaultUntil: p.FaultMs}
	plan.Faults = planFaults(rng, p, cfg)
	plan.Clients = planClients(rng, p)
	return plan
}

// withDefaults fills the zero fields of p from DefaultProfile.
func (p Profile) withDefaults() Profile {
	def := DefaultProfile()
	if p.FaultMs <= 0 {
		p.FaultMs = def.FaultMs
	}
	if p.MeanGapMs <= 0 {
		p.MeanGapMs = def.MeanGapMs
	}
	if p.ThinkMs <= 0 {
		p.ThinkMs = def.ThinkMs
	}
	if p.Clients <= 0 {
		p.Clients = def.Clients
	}
	if p.Keys <= 0 {
		p.Keys = def.Keys
	}
	if p.MinSize <= 0 {
		p.MinSize = def.MinSize
	}
	if p.MaxSize < p.MinSize {
		p.MaxSize = max(def.MaxSize, p.MinSize)
	}
	if p.MaxCrashed <= 0 {
		p.MaxCrashed = def.MaxCrashed
	}
	if p.SnapshotMin <= 0 {
		p.SnapshotMin = def.SnapshotMin
	}
	if p.Weights == nil {
		p.Weights = def.Weights
	}
	if p.BurstSize <= 0 {
		p.BurstSize = 70
	}
	return p
}

// planFaults draws the faults: a Poisson-like process with the profile's
// mean gap, on whole ticks, each of a kind drawn by the profile's weights.
func planFaults(rng *rand.Rand, p Profile, cfg sim.Config) []Fault {
	total := 0
	for _, k := range faultKinds {
		total += max(p.Weights[k], 0)
	}
	var faults []Fault
	for t := gap(rng, p.MeanGapMs, cfg.TickMs); total > 0 && t < p.FaultMs; t += gap(rng, p.MeanGapMs, cfg.TickMs) {
		e := Fault{At: t, Pick: rng.Uint64()}
		r := rng.IntN(total)
		for _, k := range faultKinds {
			if r < max(p.Weights[k], 0) {
				e.Kind = k
				break
			}
			r -= max(p.Weights[k], 0)
		}
		switch e.Kind {
		case KindPartition:
			e.Groups = 2 + rng.IntN(2)
		case KindRates:
			e.DropPct = pct(rng, 30)
			e.DupPct = pct(rng, 20)
			e.ReorderPct = pct(rng, 30)
		case KindLatency:
			if rng.IntN(2) == 0 { // a spike
				e.LatencyMinMs = 20 + rng.Int64N(80)
				e.LatencyMaxMs = e.LatencyMinMs + 10 + rng.Int64N(200)
			} else { // back to normal
				e.LatencyMinMs, e.LatencyMaxMs = cfg.LatencyMinMs, cfg.LatencyMaxMs
			}
		}
		faults = append(faults, e)
	}
	return faults
}

// planClients draws each closed-loop client's requests.
func planClients(rng *rand.Rand, p Profile) [][]PlannedRequest {
	// Clients are closed loops, like real ones: each issues a request, waits
	// until it resolves, thinks, and issues the next. At most Clients
	// requests are outstanding at once, which keeps porcupine's search small.
	// Values are small so that histories are easy to read.
	keys := make([]string, p.Keys)
	for i := range keys {
		keys[i] = string(rune('a' + i))
	}
	perClient := int(p.FaultMs/max(p.ThinkMs, 1)) + 1 // more than a client can issue
	clients := make([][]PlannedRequest, p.Clients)
	for c := range clients {
		ops := make([]PlannedRequest, perClient)
		for i := range ops {
			in := Input{Key: keys[rng.IntN(len(keys))]}
			switch r := rng.IntN(10); {
			case r < 3:
				in.Op, in.Value = sim.OpSet, rng.Int64N(100)
			case r < 7:
				in.Op, in.Value = sim.OpAdd, 1+rng.Int64N(9)
			default:
				in.Op = sim.OpGet
			}
			ops[i] = PlannedRequest{ThinkMs: rng.Int64N(2 * p.ThinkMs), Input: in}
		}
		clients[c] = ops
	}
	return clients
}

// gap draws a time between events: uniform in [1, 2*mean), rounded up to a
// multiple of unit.
func gap(rng *rand.Rand, mean, unit int64) int64 {
	g := 1 + rng.Int64N(2*mean)
	if unit > 1 {
		g = (g + unit - 1) / unit * unit
	}
	return g
}

// pct draws a percentage: 0 half of the time, else uniform in [1, hi].
func pct(rng *rand.Rand, hi int) int {
	if rng.IntN(2) == 0 {
		return 0
	}
	return 1 + rng.IntN(hi)
}

// String renders the plan for -v output.
func (p Plan) String() string {
	var b strings.Builder
	c := p.Config
	fmt.Fprintf(&b, "seed %d: %d nodes, latency %d-%dms, prevote %v, checkquorum %v, snapshot every %d, bugs %+v\n",
		p.Seed, c.Nodes, c.LatencyMinMs, c.LatencyMaxMs, c.PreVote, c.CheckQuorum, c.SnapshotEvery, c.Bugs)
	for _, e := range p.Faults {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	for c, ops := range p.Clients {
		fmt.Fprintf(&b, "client %d:", c)
		for i, op := range ops {
			if i == 8 {
				b.WriteString(" ...")
				break
			}
			fmt.Fprintf(&b, " +%dms %s;", op.ThinkMs, op.Input.String())
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%6dms faults stop: heal, restart all, rates 0, latency %d-%dms\n", p.FaultUntil, c.LatencyMinMs, c.LatencyMaxMs)
	return b.String()
}
