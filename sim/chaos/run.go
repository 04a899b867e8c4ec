package chaos

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

// Options configure a chaos run.
type Options struct {
	Bugs raft.Bugs
	// Profile shapes the schedule; the zero value is DefaultProfile.
	Profile Profile
	// ProfileName is how the replay command names Profile ("" = default).
	ProfileName string
	// Log, when set, receives the plan and every action as it is applied.
	Log io.Writer
	// Visualize, when set, is the path of an HTML file where porcupine draws
	// the client history and its linearization (or how far it got).
	Visualize string
	// OnEnd, when set, is called with the simulator once the run is over
	// (passed or failed), e.g. to export it as a Go test.
	OnEnd func(*sim.Sim)
	// AfterFaults, when set, is called once the faults have stopped (the
	// network healed, crashed members restarted), before the liveness
	// checks: e.g. to switch pre-vote on and see whether that alone brings
	// a leader.
	AfterFaults func(*sim.Sim) error
	// LeaderTimeouts, when positive, replaces LeaderWithinTimeouts (how many
	// election timeouts after the faults a leader must come within), and
	// ResolvedWithinTimeouts grows by as much.
	LeaderTimeouts int
	// CheckTimeout bounds porcupine's search (default 10 s of wall time).
	// A search that times out counts as passed and is reported in Result.
	CheckTimeout time.Duration
}

// Result summarizes a run that passed.
type Result struct {
	Seed       uint64
	VirtualMs  int64
	Faults     int // fault events applied (refused ones not counted)
	Refused    int // fault events the simulator refused (e.g. no leader to transfer from)
	Requests   int
	Committed  int
	Failed     int
	LeaderInMs int64 // from the end of the faults to a leader
	ResolvedMs int64 // from the end of the faults to every request resolved
	CheckTimed bool  // porcupine hit CheckTimeout (counted as passed)
}

// Failure is a run that broke a check. Its message names the seed and the
// command that replays the run.
type Failure struct {
	Seed   uint64
	Check  string // "invariants", "linearizability", "liveness" or "simulator"
	Class  string // what kind of alarm: Class... (a liveness alarm says why)
	At     int64  // virtual ms
	Detail string
	Replay string // the one command that replays the run
	Share  string // the run as a share string (open it in the page, or export it as a Go test)
}

func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "chaos seed %d: %s failed at %d ms: %s\nreplay: %s", f.Seed, f.Check, f.At, f.Detail, f.Replay)
	if f.Class != "" && f.Class != ClassInvariants && f.Class != ClassLinearizability && f.Class != ClassHarness {
		fmt.Fprintf(&b, "\nclass: %s", f.Class)
	}
	if f.Share != "" {
		fmt.Fprintf(&b, "\nshare: %s", f.Share)
	}
	return b.String()
}

// ReplayCommand is the command that replays seed with these options.
func ReplayCommand(seed uint64, opt Options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "go run ./cmd/chaos -seed %d -v", seed)
	for _, name := range BugNames(opt.Bugs) {
		fmt.Fprintf(&b, " -bug %s", name)
	}
	if opt.ProfileName != "" && opt.ProfileName != "default" {
		fmt.Fprintf(&b, " -profile %s", opt.ProfileName)
	}
	return b.String()
}

// bugFlags names the raft.Bugs switches (the scenario format's names).
var bugFlags = raft.BugList

// AllBugNames lists every bug switch by name.
func AllBugNames() []string {
	out := make([]string, len(bugFlags))
	for i, f := range bugFlags {
		out[i] = f.Name
	}
	return out
}

// BugNames lists the switches that are on in b.
func BugNames(b raft.Bugs) []string {
	var out []string
	for _, f := range bugFlags {
		if *f.Flag(&b) {
			out = append(out, f.Name)
		}
	}
	return out
}

// SetBug turns on the switch called name.
func SetBug(b *raft.Bugs, name string) error {
	for _, f := range bugFlags {
		if f.Name == name {
			*f.Flag(b) = true
			return nil
		}
	}
	return fmt.Errorf("unknown bug %q (known: %s)", name, strings.Join(AllBugNames(), ", "))
}

// Liveness bounds, in election timeouts (ElectionMaxMs) after the faults stop.
const (
	LeaderWithinTimeouts   = 10 // a leader within 10 election timeouts
	ResolvedWithinTimeouts = 20 // every request committed or failed within 20
)

// Run executes the chaos run of one seed and checks it.
func Run(seed uint64, opt Options) (Result, error) {
	return runPlan(NewPlan(seed, opt.Bugs, opt.Profile), opt)
}

// runPlan executes a plan (a seed's, perhaps changed by a test) and checks it.
func runPlan(plan Plan, opt Options) (Result, error) {
	seed := plan.Seed
	r := &runner{plan: plan, opt: opt, res: Result{Seed: seed}}
	if opt.CheckTimeout <= 0 {
		r.opt.CheckTimeout = 10 * time.Second
	}
	if opt.Log != nil {
		fmt.Fprint(opt.Log, plan.String())
	}
	err := r.run()
	r.res.VirtualMs = r.now()
	if opt.OnEnd != nil && r.s != nil {
		opt.OnEnd(r.s)
	}
	if err != nil {
		var f *Failure
		if !errors.As(err, &f) {
			f = &Failure{Check: "simulator", Class: ClassHarness, At: r.now(), Detail: err.Error()}
		}
		f.Seed = seed
		f.Replay = ReplayCommand(seed, opt)
		if r.s != nil {
			f.Share = r.s.Share()
		}
		r.release()
		return r.res, f
	}
	r.release()
	return r.res, nil
}

// release hands the simulator's big buffers to the next run's (sim.Release)
// once nothing needs it any more: not when OnEnd was given it, which may
// keep it.
func (r *runner) release() {
	if r.s != nil && r.opt.OnEnd == nil {
		r.s.Release()
		r.s = nil
	}
}

type runner struct {
	plan    Plan
	opt     Options
	s       *sim.Sim
	st      sim.State   // a glance, refreshed by refresh before decisions that need it
	clients map[int]int // request id -> client
	open    []int       // ids of the requests issued, in id order, less some resolved (see pendingIDs)
	busy    []int       // per client: the request it waits for, or 0
	readyAt []int64     // per idle client: when it issues its next request
	nextOp  []int       // per client: index of its next request in the plan
	res     Result

	// what the narration events said
	evSeq      uint64
	evBuf      []sim.Event   // readEvents' buffer, reused
	resolvedAt map[int]int64 // request id -> when it resolved, until its client notices
	leaderTerm map[string]uint64
	reactRng   *rand.Rand
	burstKeys  int
	heldAny    bool           // a message was ever held (stopFaults then releases those still held)
	elig       eligible       // the last fault's lists, whose memory the next one reuses
	elections  electionCounts // since the faults stopped
}

func (r *runner) now() int64 {
	if r.s == nil {
		return 0
	}
	return r.s.Now()
}

func (r *runner) logf(format string, args ...any) {
	if r.opt.Log != nil {
		fmt.Fprintf(r.opt.Log, "%6dms ", r.now())
		fmt.Fprintf(r.opt.Log, format, args...)
		r.opt.Log.Write([]byte{'\n'})
	}
}

func (r *runner) fail(check, format string, args ...any) error {
	class := map[string]string{"invariants": ClassInvariants, "linearizability": ClassLinearizability,
		"liveness": ClassPending}[check]
	return &Failure{Check: check, Class: class, At: r.now(), Detail: fmt.Sprintf(format, args...)}
}

func (r *runner) run() error {
	s, err := sim.New(r.plan.Config)
	if err != nil {
		return err
	}
	r.s = s
	s.RecordHistory(true)
	r.clients = map[int]int{}
	r.leaderTerm = map[string]uint64{}
	r.resolvedAt = map[int]int64{}
	r.busy = make([]int, len(r.plan.Clients))
	r.readyAt = make([]int64, len(r.plan.Clients))
	r.nextOp = make([]int, len(r.plan.Clients))
	for c := range r.plan.Clients {
		r.readyAt[c] = r.plan.Clients[c][0].ThinkMs
	}
	faults := r.plan.Faults
	for {
		// The next moment something happens: a fault, an idle client's next
		// request, or (while a client waits) the next tick, to see whether
		// its request resolved.
		t := r.plan.FaultUntil
		if len(faults) > 0 {
			t = min(t, faults[0].At)
		}
		for c := range r.busy {
			if r.busy[c] != 0 {
				t = min(t, r.s.Now()+r.plan.Config.TickMs)
			} else if r.nextOp[c] < len(r.plan.Clients[c]) {
				t = min(t, r.readyAt[c])
			}
		}
		if err := r.advanceTo(t); err != nil {
			return err
		}
		if r.s.Now() >= r.plan.FaultUntil {
			break
		}
		for len(faults) > 0 && faults[0].At <= r.s.Now() {
			if err := r.apply(faults[0]); err != nil {
				return err
			}
			faults = faults[1:]
		}
		if err := r.serveClients(); err != nil {
			return err
		}
	}
	return r.quiet()
}

// serveClients notices which requests resolved and lets idle clients whose
// think time is over issue their next request.
func (r *runner) serveClients() error {
	if err := r.readEvents(); err != nil {
		return err
	}
	for c, id := range r.busy {
		if at, ok := r.resolvedAt[id]; ok && id != 0 {
			delete(r.resolvedAt, id)
			r.busy[c] = 0
			r.readyAt[c] = at
			if r.nextOp[c] < len(r.plan.Clients[c]) {
				r.readyAt[c] += r.plan.Clients[c][r.nextOp[c]].ThinkMs
			}
		}
	}
	for c := range r.busy {
		if r.busy[c] != 0 || r.nextOp[c] >= len(r.plan.Clients[c]) || r.readyAt[c] > r.s.Now() {
			continue
		}
		op := r.plan.Clients[c][r.nextOp[c]]
		r.nextOp[c]++
		id, err := r.request(c, op.Input)
		if err != nil {
			return err
		}
		r.busy[c] = id
		if id == 0 { // refused: think, then go on
			r.readyAt[c] = r.s.Now() + r.plan.Config.TickMs
			if r.nextOp[c] < len(r.plan.Clients[c]) {
				r.readyAt[c] += r.plan.Clients[c][r.nextOp[c]].ThinkMs
			}
		}
	}
	return nil
}

// request issues one client request; id 0 means the simulator refused it.
func (r *runner) request(client int, in Input) (int, error) {
	id, err := r.s.Request(in.String(), "")
	if err != nil {
		if herr := r.checkHalted(); herr != nil {
			return 0, herr
		}
		r.logf("client %d: %s refused: %v", client, in.String(), err)
		return 0, nil
	}
	r.clients[id] = client
	r.open = append(r.open, id)
	r.res.Requests++
	r.logf("client %d: request %d %s", client, id, in.String())
	return id, nil
}

// checkHalted turns a halt of the simulator's safety checker into a Failure.
func (r *runner) checkHalted() error {
	if !r.s.Halted() {
		return nil
	}
	var b strings.Builder
	for _, v := range r.s.Violations() {
		fmt.Fprintf(&b, "\n  %s: %s (nodes %v, index %d, term %d)", v.Invariant, v.Detail, v.Nodes, v.Index, v.Term)
	}
	return r.fail("invariants", "the safety checker reported:%s", b.String())
}

// advanceTo moves virtual time to t (the simulator checks every invariant
// after every event on the way, and halts at the first violation).
func (r *runner) advanceTo(t int64) error {
	if t <= r.s.Now() {
		return nil
	}
	if r.reactive() && r.s.Now() < r.plan.FaultUntil {
		for r.s.Now() < t {
			if err := r.advanceStraight(min(t, r.s.Now()+r.plan.Config.TickMs)); err != nil {
				return err
			}
			if err := r.readEvents(); err != nil {
				return err
			}
		}
		return nil
	}
	return r.advanceStraight(t)
}

func (r *runner) reactive() bool {
	p := r.plan.Profile
	return p.IsolateNewLeaderPct > 0 || p.IsolateOldCommitPct > 0 || p.RestartOnNewTermPct > 0
}

// readEvents reads the narration since the last call: it notes when the
// clients' requests resolve, and applies the profile's reactive faults. (The
// event ring holds 10,000 events; the runner reads it at least every tick
// while it needs it, far more often than that fills.)
func (r *runner) readEvents() error {
	p := r.plan.Profile
	r.evBuf = r.s.AppendEvents(r.evBuf[:0], r.evSeq)
	events := r.evBuf
	if len(events) > 0 {
		r.evSeq = events[len(events)-1].Seq
	}
	reactive := r.reactive() && r.s.Now() < r.plan.FaultUntil
	isolated := ""
	for _, e := range events {
		if e.At >= r.plan.FaultUntil {
			r.elections.note(e)
		}
		var why string
		switch e.Key {
		case sim.KeyRequestCommitted, sim.KeyRequestFailed:
			// Only a closed-loop client waits for its request (not the
			// bursts, nor the final reads): keep the map to what it reads.
			if c, ok := r.clients[int(e.Value)]; ok && c < len(r.plan.Clients) {
				r.resolvedAt[int(e.Value)] = e.At
			}
		case sim.KeyBecameLeader:
			r.leaderTerm[e.Node] = e.Term
			if reactive && r.reactPercent() < p.IsolateNewLeaderPct {
				why = "new leader"
			}
		case sim.KeyTermChanged:
			if reactive && e.Node != "" && r.reactPercent() < p.RestartOnNewTermPct {
				if err := r.crashRestart(e); err != nil {
					return err
				}
			}
		case sim.KeyEntryCommitted:
			if t, ok := r.leaderTerm[e.Node]; reactive && ok && e.Term < t && r.reactPercent() < p.IsolateOldCommitPct {
				why = "committed an entry of an earlier term"
			}
		}
		if why == "" || e.Node == "" || e.Node == isolated {
			continue // (one commit event per entry: react once per batch)
		}
		isolated = e.Node
		// Reactive faults draw from a random stream of their own, so a plan's
		// timed faults stay the same.
		if err := r.isolate(e.Node, why); err != nil {
			return err
		}
	}
	return nil
}

// crashRestart is a reactive fault: the node whose term changed (e) is
// crashed and restarted at once. A refused crash is only logged.
func (r *runner) crashRestart(e sim.Event) error {
	if err := r.s.Crash(e.Node); err != nil {
		r.logf("react: crash %s (new term): refused: %v", e.Node, err)
		return nil
	}
	if err := r.s.Restart(e.Node); err != nil {
		return fmt.Errorf("react: restart %s: %w", e.Node, err)
	}
	r.res.Faults++
	r.logf("react: crash and restart %s (new term %d)", e.Node, e.Term)
	return r.checkHalted()
}

// isolate is a reactive fault: node is cut off from the others (why says
// what it did). A refused partition is only logged.
func (r *runner) isolate(node, why string) error {
	if err := r.s.Partition([][]string{{node}}); err != nil {
		r.logf("react: isolate %s (%s): refused: %v", node, why, err)
		return nil
	}
	r.res.Faults++
	r.logf("react: isolate %s (%s)", node, why)
	return r.checkHalted()
}

func (r *runner) reactPercent() int {
	if r.reactRng == nil {
		r.reactRng = rand.New(rand.NewPCG(r.plan.Seed, 0x7265616374)) // "react"
	}
	return r.reactRng.IntN(100)
}

// advanceStraight advances to t in one call.
func (r *runner) advanceStraight(t int64) error {
	if t <= r.s.Now() {
		return nil
	}
	err := r.s.Advance(t - r.s.Now())
	if herr := r.checkHalted(); herr != nil {
		return herr // the checker's report says more than the error
	}
	if err != nil {
		return err
	}
	if r.s.Now() < t {
		return fmt.Errorf("the simulator's clock is stuck at %d ms (wanted %d ms)", r.s.Now(), t)
	}
	return nil
}

// refresh reads the cluster's state for choices that depend on it: a
// glance (nodes, leader and configurations; no logs, no messages).
func (r *runner) refresh() error {
	r.s.GlanceInto(&r.st)
	return r.checkHalted()
}

// pendingIDs lists the requests not yet resolved, in id order. It asks the
// simulator about each request issued and not yet seen resolved (every
// request the recorder holds was issued by the runner), and forgets those
// resolved: a resolution is final. (Copying the whole history every tick
// instead cost a seed of the figure8 profile, with its ~800 requests, a
// tenth of its time.)
func (r *runner) pendingIDs() []int {
	var ids []int
	kept := r.open[:0]
	for _, id := range r.open {
		if op, ok := r.s.RequestOp(id); ok && op.Status == sim.StatusPending {
			ids = append(ids, id)
			kept = append(kept, id)
		}
	}
	r.open = kept
	return ids
}

// history converts the simulator's request recorder to a porcupine history
// (HistoryOf).
func (r *runner) history(ops []sim.ClientOp) (*History, error) {
	return HistoryOf(ops, func(id int) int { return r.clients[id] })
}

// countOutcomes counts the requests committed and failed.
func (r *runner) countOutcomes(ops []sim.ClientOp) {
	for _, op := range ops {
		switch op.Status {
		case sim.StatusCommitted:
			r.res.Committed++
		case sim.StatusFailed:
			r.res.Failed++
		}
	}
}

// members returns the current configuration's members (voters, learners) as
// the leader sees it, or else as the most advanced up node sees it.
func (r *runner) members() (voters, learners []string) {
	var best *sim.NodeView
	for i := range r.st.Nodes {
		n := &r.st.Nodes[i]
		if n.ID == r.st.Leader {
			best = n
			break
		}
		if n.Up && len(n.Voters) > 0 && (best == nil || n.CommitIndex > best.CommitIndex) {
			best = n
		}
	}
	if best == nil {
		for _, n := range r.st.Nodes {
			voters = append(voters, n.ID)
		}
		return voters, nil
	}
	return best.Voters, best.Learners
}

func (r *runner) node(id string) *sim.NodeView {
	for i := range r.st.Nodes {
		if r.st.Nodes[i].ID == id {
			return &r.st.Nodes[i]
		}
	}
	return nil
}

// pick chooses one of ids with a fault's random number; "" when none.
func pick(ids []string, p uint64) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[p%uint64(len(ids))]
}

// apply performs one planned fault: it reads the cluster, chooses the
// fault's target among the nodes eligible now (target), then acts (act). A
// fault without an eligible target is skipped; one the simulator refuses is
// counted and logged.
func (r *runner) apply(f Fault) error {
	if f.Kind == 0 || int(f.Kind) >= len(kindNames) {
		return fmt.Errorf("unknown fault kind %d", f.Kind)
	}
	if err := r.refresh(); err != nil {
		return err
	}
	tg, ok := r.target(f)
	if !ok {
		return nil
	}
	what, err := r.act(f, tg)
	if err != nil {
		r.res.Refused++
		r.logf("%s: refused: %v", what, err)
		return nil
	}
	r.res.Faults++
	r.logf("%s", what)
	return r.checkHalted()
}

// target is what a fault acts on, chosen when it happens.
type target struct {
	nodes  []string   // the node(s): crash, restart, remove, transfer, timeout, burst; cut: from, to
	groups [][]string // partition, isolate-leader
	msg    int        // drop, hold, release: the message
}

// eligible is who a fault may act on, from a glance at the cluster.
// Removed nodes are never eligible.
type eligible struct {
	voters, members []string // the configuration, as the leader (or the most advanced node) sees it
	all, up, down   []string // every node not removed; those up; those crashed
	leader          string
}

func (r *runner) eligible() eligible {
	// The lists reuse the last fault's memory (r.elig): a fault's target is
	// chosen and acted on before the next fault looks.
	e := eligible{members: r.elig.members[:0], all: r.elig.all[:0], up: r.elig.up[:0], down: r.elig.down[:0]}
	var learners []string
	e.voters, learners = r.members()
	e.members = append(append(e.members, e.voters...), learners...)
	e.leader = r.st.Leader
	for i := range r.st.Nodes {
		n := &r.st.Nodes[i]
		if n.Removed {
			continue
		}
		e.all = append(e.all, n.ID)
		if n.Up {
			e.up = append(e.up, n.ID)
		} else {
			e.down = append(e.down, n.ID)
		}
	}
	r.elig = e
	return e
}

// target chooses a fault's target from the cluster as r.st shows it, with
// the fault's random Pick. ok is false when nothing is eligible (no node
// down to restart, no leader to crash, the cluster at its size limit...).
func (r *runner) target(f Fault) (tg target, ok bool) {
	e := r.eligible()
	switch f.Kind {
	case KindHeal, KindRates, KindLatency:
		return target{}, true
	case KindAddNode:
		return target{}, len(e.members) < r.plan.Profile.MaxSize
	case KindPartition:
		groups := make([][]string, f.Groups)
		p := f.Pick
		for _, id := range e.all {
			g := int(p % uint64(f.Groups))
			p = p/uint64(f.Groups) ^ (p << 7) // keep mixing the pick
			groups[g] = append(groups[g], id)
		}
		return target{groups: slices.DeleteFunc(groups, func(g []string) bool { return len(g) == 0 })}, true
	case KindIsolateLeader:
		if e.leader == "" {
			return target{}, false
		}
		group := []string{e.leader}
		if others := without(e.up, e.leader); f.Pick%2 == 1 && len(others) > 0 {
			group = append(group, pick(others, f.Pick>>1))
		}
		return target{groups: [][]string{group}}, true
	case KindCutLink:
		if len(e.all) < 2 {
			return target{}, false
		}
		from := int(f.Pick % uint64(len(e.all)))
		to := (from + 1 + int((f.Pick>>32)%uint64(len(e.all)-1))) % len(e.all)
		return target{nodes: []string{e.all[from], e.all[to]}}, true
	case KindDualTimeout:
		a := pick(e.up, f.Pick)
		b := pick(without(e.up, a), f.Pick>>32)
		return target{nodes: []string{a, b}}, a != "" && b != ""
	case KindDropMessage, KindHoldMessage, KindReleaseMessage:
		return r.messageTarget(f)
	}
	id := r.nodeTarget(f, e)
	return target{nodes: []string{id}}, id != ""
}

// nodeTarget chooses the one node a crash, restart, remove, transfer,
// crash-leader, burst or timeout acts on; "" when none is eligible.
func (r *runner) nodeTarget(f Fault, e eligible) string {
	p := r.plan.Profile
	switch f.Kind {
	case KindCrash:
		if len(e.down) >= p.MaxCrashed {
			return ""
		}
		return pick(e.up, f.Pick)
	case KindCrashLeader:
		if len(e.down) >= p.MaxCrashed {
			return ""
		}
		return e.leader
	case KindRestart:
		return pick(e.down, f.Pick)
	case KindRemoveNode:
		if len(e.voters) <= p.MinSize {
			return ""
		}
		return pick(e.members, f.Pick)
	case KindTransfer:
		if e.leader == "" {
			return ""
		}
		return pick(without(e.voters, e.leader), f.Pick)
	case KindBurst:
		var leaders []string
		for _, n := range r.st.Nodes {
			if n.Up && !n.Removed && n.Role == "leader" {
				leaders = append(leaders, n.ID)
			}
		}
		return pick(leaders, f.Pick)
	case KindTimeout:
		return pick(e.up, f.Pick)
	}
	return ""
}

// messageTarget chooses the message a drop, hold or release acts on: one in
// flight, or a held one for a release.
func (r *runner) messageTarget(f Fault) (target, bool) {
	ids := r.s.AppendMessageIDs(nil, f.Kind == KindReleaseMessage)
	if len(ids) == 0 {
		return target{}, false
	}
	return target{msg: ids[f.Pick%uint64(len(ids))]}, true
}

// without returns a copy of ids without id.
func without(ids []string, id string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(x string) bool { return x == id })
}

// act performs a fault on its target and says what it did.
func (r *runner) act(f Fault, tg target) (what string, err error) {
	var node string
	if len(tg.nodes) > 0 {
		node = tg.nodes[0]
	}
	switch f.Kind {
	case KindPartition:
		return r.what("partition %v", tg.groups), r.s.Partition(tg.groups)
	case KindHeal:
		return "heal", r.s.Heal()
	case KindCutLink:
		return r.what("cut %s->%s", node, tg.nodes[1]), r.s.CutLink(node, tg.nodes[1])
	case KindCrash:
		return "crash " + node, r.s.Crash(node)
	case KindRestart:
		return "restart " + node, r.s.Restart(node)
	case KindRates:
		drop, dup, reorder := float64(f.DropPct)/100, float64(f.DupPct)/100, float64(f.ReorderPct)/100
		return r.what("drop %d%% duplicate %d%% reorder %d%%", f.DropPct, f.DupPct, f.ReorderPct),
			r.s.Configure(sim.Settings{DropRate: &drop, DupRate: &dup, ReorderRate: &reorder})
	case KindLatency:
		lo, hi := f.LatencyMinMs, f.LatencyMaxMs
		return r.what("latency %d-%dms", lo, hi), r.s.Configure(sim.Settings{LatencyMinMs: &lo, LatencyMaxMs: &hi})
	case KindAddNode:
		id, err := r.s.AddNode()
		return "add node " + id, err
	case KindRemoveNode:
		return "remove " + node, r.s.RemoveNode(node)
	case KindTransfer:
		return "transfer to " + node, r.s.TransferLeadership(node)
	case KindCrashLeader:
		return "crash leader " + node, r.s.Crash(node)
	case KindIsolateLeader:
		return r.what("isolate leader: partition %v | rest", tg.groups[0]), r.s.Partition(tg.groups)
	case KindBurst:
		return r.what("burst of %d requests to %s", r.burst(node), node), nil
	case KindDropMessage:
		return r.what("drop message %d", tg.msg), r.s.DropMessage(tg.msg)
	case KindHoldMessage:
		r.heldAny = true
		return r.what("hold message %d", tg.msg), r.s.HoldMessage(tg.msg, true)
	case KindReleaseMessage:
		return r.what("release message %d", tg.msg), r.s.HoldMessage(tg.msg, false)
	case KindDualTimeout:
		what = r.what("timeout %s and %s", node, tg.nodes[1])
		if err = r.s.Timeout(node); err == nil {
			err = r.s.Timeout(tg.nodes[1])
		}
		return what, err
	case KindTimeout:
		return "timeout " + node, r.s.Timeout(node)
	}
	return "", fmt.Errorf("unknown fault kind %d", f.Kind)
}

// what formats what a fault did: only for the log (Options.Log), so a run
// without one formats nothing.
func (r *runner) what(format string, args ...any) string {
	if r.opt.Log == nil {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

// burst sends the profile's BurstSize requests at once to node, each on a
// key of its own, and returns how many the simulator took.
func (r *runner) burst(node string) int {
	sent := 0
	for range r.plan.Profile.BurstSize {
		r.burstKeys++
		id, err := r.s.Request("SET z"+strconv.Itoa(r.burstKeys)+" 1", node)
		if err != nil {
			break
		}
		r.clients[id] = len(r.plan.Clients) + 1 // the burst client
		r.open = append(r.open, id)
		r.res.Requests++
		sent++
	}
	return sent
}

// preVote reports whether pre-vote is on now (AfterFaults may change it).
func (r *runner) preVote() bool {
	return r.s.Config().PreVote
}

// restartCrashed restarts every crashed member. A node that was removed from
// the cluster stays down: its removal may even commit while the others
// restart (each action first runs what is due at its time), so each restart
// checks again.
func (r *runner) restartCrashed() error {
	if err := r.refresh(); err != nil {
		return err
	}
	down := slices.DeleteFunc(slices.Clone(r.st.Nodes), func(n sim.NodeView) bool { return n.Up || n.Removed })
	for _, n := range down {
		err := r.s.Restart(n.ID)
		if err == nil {
			continue
		}
		if herr := r.refresh(); herr != nil {
			return herr
		}
		if v := r.node(n.ID); v != nil && v.Removed {
			r.logf("%s was removed from the cluster meanwhile: it stays down", n.ID)
			continue
		}
		return fmt.Errorf("restart %s after the faults: %w", n.ID, err)
	}
	return nil
}

// quiet stops every fault, then checks liveness and linearizability.
func (r *runner) quiet() error {
	if err := r.stopFaults(); err != nil {
		return err
	}
	start := r.s.Now()
	if r.opt.AfterFaults != nil {
		if err := r.opt.AfterFaults(r.s); err != nil {
			return fmt.Errorf("after the faults: %w", err)
		}
	}
	leaderWithin, resolvedWithin := int64(LeaderWithinTimeouts), int64(ResolvedWithinTimeouts)
	if r.opt.LeaderTimeouts > 0 {
		resolvedWithin += int64(r.opt.LeaderTimeouts) - leaderWithin
		leaderWithin = int64(r.opt.LeaderTimeouts)
	}
	if err := r.awaitLeader(start, leaderWithin); err != nil {
		return err
	}
	// Final reads: one GET per key, so that the history ends with reads that
	// must observe every write that took effect.
	for i := 0; i < r.plan.Profile.Keys; i++ {
		in := Input{Op: sim.OpGet, Key: string(rune('a' + i))}
		if _, err := r.request(len(r.plan.Clients), in); err != nil {
			return err
		}
	}
	if err := r.awaitResolved(start, resolvedWithin); err != nil {
		return err
	}
	return r.checkLinearizable()
}

// stopFaults heals the network, sets the rates to zero and the latency back
// to normal, releases every held message and restarts every crashed member.
func (r *runner) stopFaults() error {
	cfg := r.plan.Config
	zero := 0.0
	lo, hi := cfg.LatencyMinMs, cfg.LatencyMaxMs
	if err := r.s.Heal(); err != nil {
		return err
	}
	if err := r.s.Configure(sim.Settings{DropRate: &zero, DupRate: &zero, ReorderRate: &zero,
		LatencyMinMs: &lo, LatencyMaxMs: &hi}); err != nil {
		return err
	}
	if err := r.checkHalted(); err != nil {
		return err
	}
	for _, id := range r.heldMessages() {
		if err := r.s.HoldMessage(id, false); err != nil {
			return fmt.Errorf("release message %d after the faults: %w", id, err)
		}
	}
	if err := r.restartCrashed(); err != nil {
		return err
	}
	r.logf("faults stop: heal, release held messages, restart every node, rates 0, latency %d-%dms", lo, hi)
	return nil
}

// heldMessages lists the messages held: only the runner holds messages, so
// a run that never held one skips looking.
func (r *runner) heldMessages() []int {
	if !r.heldAny {
		return nil
	}
	return r.s.AppendMessageIDs(nil, true)
}

// awaitLeader is the first liveness check: a leader within `within`
// election timeouts of start. A run without one fails with a diagnosis.
func (r *runner) awaitLeader(start, within int64) error {
	cfg := r.plan.Config
	leaderBy := start + within*cfg.ElectionMaxMs
	for {
		// (a glance at every node only when the diagnosis needs one)
		if err := r.checkHalted(); err != nil {
			return err
		}
		if r.s.Leader() != "" {
			break
		}
		if r.s.Now() >= leaderBy {
			if err := r.refresh(); err != nil {
				return err
			}
			class, why := diagnoseNoLeader(r.st, r.preVote(), r.elections)
			f := r.fail("liveness", "no leader %d ms (%d election timeouts) after the faults stopped: %s",
				r.s.Now()-start, within, why)
			f.(*Failure).Class = class
			return f
		}
		if err := r.advanceTo(r.s.Now() + cfg.TickMs); err != nil {
			return err
		}
		if err := r.readEvents(); err != nil {
			return err
		}
	}
	r.res.LeaderInMs = r.s.Now() - start
	r.logf("leader %s", r.s.Leader())
	return nil
}

// awaitResolved is the second liveness check: every request committed or
// failed within `within` election timeouts of start.
func (r *runner) awaitResolved(start, within int64) error {
	cfg := r.plan.Config
	resolveBy := start + within*cfg.ElectionMaxMs
	for {
		ids := r.pendingIDs()
		if len(ids) == 0 {
			break
		}
		if r.s.Now() >= resolveBy {
			return r.fail("liveness", "requests %v still pending %d ms (%d election timeouts) after the faults stopped",
				ids, r.s.Now()-start, within)
		}
		if err := r.advanceTo(r.s.Now() + cfg.TickMs); err != nil {
			return err
		}
	}
	r.res.ResolvedMs = r.s.Now() - start
	return nil
}

// checkLinearizable checks everything the clients saw: first whether the
// order the log gives the requests is a linearization (LogOrderIsLinearization,
// linear time: it proves the history linearizable when it is one, as almost
// every run's is), and only when it is not, with porcupine's search, which
// decides. The verdict is porcupine's either way (TestLogOrderAgreesWithPorcupine);
// the shortcut saves a run a tenth of its time.
func (r *runner) checkLinearizable() error {
	ops := r.s.History()
	r.countOutcomes(ops)
	if r.opt.Visualize == "" && historyOfAccepts(ops) && LogOrderIsLinearization(ops) {
		return nil
	}
	h, err := r.history(ops)
	if err != nil {
		return err
	}
	if r.opt.Visualize != "" {
		_, info := porcupine.CheckOperationsVerbose(KVModel, h.Operations(), r.opt.CheckTimeout)
		if err := porcupine.VisualizePath(KVModel, info, r.opt.Visualize); err != nil {
			return fmt.Errorf("visualizing the history: %w", err)
		}
	}
	switch checkHistory(h.Operations(), r.opt.CheckTimeout) {
	case porcupine.Illegal:
		return r.fail("linearizability", "the client history is not linearizable:\n%s", h.Describe())
	case porcupine.Unknown:
		r.res.CheckTimed = true
	}
	return nil
}

// historyOfAccepts reports whether HistoryOf takes ops without an error,
// so that the log-order shortcut never passes a history HistoryOf would
// refuse (the harness's own error).
func historyOfAccepts(ops []sim.ClientOp) bool {
	for _, op := range ops {
		switch op.Command.Op {
		case sim.OpSet, sim.OpAdd, sim.OpGet:
		default:
			return false
		}
		if op.Status == sim.StatusCommitted && (op.Error != "" || op.Return < op.Invoke) {
			return false
		}
	}
	return true
}

// checkHistory is porcupine.CheckOperationsTimeout(KVModel, ops, timeout)
// with the same verdict, faster on histories with many keys of one
// operation each (the figure8 profile's bursts write ~800 keys once each):
// porcupine starts a goroutine and builds a search per partition, while one
// operation alone is linearizable exactly when the model takes it from the
// initial state, which is checked here directly. The keys with two
// operations or more go to porcupine together.
func checkHistory(ops []porcupine.Operation, timeout time.Duration) porcupine.CheckResult {
	var rest []porcupine.Operation
	for _, part := range partitionByKey(ops) {
		if len(part) > 1 {
			rest = append(rest, part...)
			continue
		}
		if ok, _ := KVModel.Step(KVModel.Init(), part[0].Input, part[0].Output); !ok {
			return porcupine.Illegal
		}
	}
	if len(rest) == 0 {
		return porcupine.Ok
	}
	return porcupine.CheckOperationsTimeout(KVModel, rest, timeout)
}
