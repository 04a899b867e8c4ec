package chaos

import (
	"errors"
	"fmt"
	"io"
	"slices"
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
	At     int64  // virtual ms
	Detail string
	Replay string // the one command that replays the run
	Share  string // the run as a share string (open it in the page, or export it as a Go test)
}

func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "chaos seed %d: %s failed at %d ms: %s\nreplay: %s", f.Seed, f.Check, f.At, f.Detail, f.Replay)
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
var bugFlags = []struct {
	name string
	set  func(*raft.Bugs) *bool
}{
	{"vote-without-log-check", func(b *raft.Bugs) *bool { return &b.VoteWithoutLogCheck }},
	{"commit-old-term-by-count", func(b *raft.Bugs) *bool { return &b.CommitOldTermByCount }},
	{"forget-vote-on-restart", func(b *raft.Bugs) *bool { return &b.ForgetVoteOnRestart }},
	{"ack-before-durable", func(b *raft.Bugs) *bool { return &b.AckBeforeDurable }},
}

// AllBugNames lists every bug switch by name.
func AllBugNames() []string {
	out := make([]string, len(bugFlags))
	for i, f := range bugFlags {
		out[i] = f.name
	}
	return out
}

// BugNames lists the switches that are on in b.
func BugNames(b raft.Bugs) []string {
	var out []string
	for _, f := range bugFlags {
		if *f.set(&b) {
			out = append(out, f.name)
		}
	}
	return out
}

// SetBug turns on the switch called name.
func SetBug(b *raft.Bugs, name string) error {
	for _, f := range bugFlags {
		if f.name == name {
			*f.set(b) = true
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
	plan := NewPlan(seed, opt.Bugs, opt.Profile)
	r := &runner{plan: plan, opt: opt, res: Result{Seed: seed}, pending: map[int]bool{}}
	if opt.CheckTimeout <= 0 {
		r.opt.CheckTimeout = 10 * time.Second
	}
	if opt.Log != nil {
		fmt.Fprint(opt.Log, plan.String())
	}
	err := r.run()
	r.res.VirtualMs = r.now()
	if err != nil {
		var f *Failure
		if !errors.As(err, &f) {
			f = &Failure{Check: "simulator", At: r.now(), Detail: err.Error()}
		}
		f.Seed = seed
		f.Replay = ReplayCommand(seed, opt)
		if r.s != nil {
			f.Share = r.s.Share()
		}
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "FAIL %v\n", f)
		}
		return r.res, f
	}
	return r.res, nil
}

type runner struct {
	plan    Plan
	opt     Options
	s       *sim.Sim
	st      sim.State // refreshed by poll
	hist    History
	pending map[int]bool // issued, not yet resolved
	res     Result
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
	return &Failure{Check: check, At: r.now(), Detail: fmt.Sprintf(format, args...)}
}

func (r *runner) run() error {
	s, err := sim.New(r.plan.Config)
	if err != nil {
		return err
	}
	r.s = s
	if err := r.poll(); err != nil {
		return err
	}
	for _, e := range r.plan.Events {
		if err := r.advanceTo(e.At); err != nil {
			return err
		}
		if err := r.apply(e); err != nil {
			return err
		}
	}
	if err := r.advanceTo(r.plan.FaultUntil); err != nil {
		return err
	}
	return r.quiet()
}

// advanceTo moves virtual time to t one tick at a time, polling after each.
func (r *runner) advanceTo(t int64) error {
	tick := r.plan.Config.TickMs
	for r.s.Now() < t {
		before := r.s.Now()
		if err := r.s.Advance(min(tick, t-before)); err != nil {
			if perr := r.poll(); perr != nil {
				return perr // the checker's report says more than the error
			}
			return err
		}
		if err := r.poll(); err != nil {
			return err
		}
		if r.s.Now() <= before {
			return fmt.Errorf("the simulator's clock is stuck at %d ms", before)
		}
	}
	return nil
}

// poll refreshes the state, checks the invariants and records the requests
// that resolved since the last poll (at the current time: at most one tick
// late, which only widens their intervals and so never makes a correct
// history look wrong).
func (r *runner) poll() error {
	r.st = r.s.State()
	if !r.st.Invariants.OK {
		var b strings.Builder
		for _, v := range r.st.Invariants.Violations {
			fmt.Fprintf(&b, "\n  %s: %s (nodes %v, index %d, term %d)", v.Invariant, v.Detail, v.Nodes, v.Index, v.Term)
		}
		return r.fail("invariants", "the safety checker reported:%s", b.String())
	}
	if len(r.pending) == 0 {
		return nil
	}
	for _, q := range r.st.Requests {
		if !r.pending[q.ID] {
			continue
		}
		switch q.Status {
		case "committed":
			v, known := ParseResult(q.Result)
			if q.Error != "" {
				known = false
			}
			if err := r.hist.Return(q.ID, v, known, r.st.Now); err != nil {
				return r.fail("simulator", "%v", err)
			}
			delete(r.pending, q.ID)
			r.res.Committed++
		case "failed":
			// Outcome unknown: it may still take effect (or may have), so its
			// return time stays Never.
			delete(r.pending, q.ID)
			r.res.Failed++
		}
	}
	return nil
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

// pick chooses one of ids with the event's random number; "" when none.
func pick(ids []string, p uint64) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[p%uint64(len(ids))]
}

func (r *runner) apply(e Event) error {
	if e.Kind == KindRequest {
		id, err := r.s.Request(e.Input.Command(), "")
		if err != nil {
			r.logf("client %d: %s refused: %v", e.Client, e.Input.Command(), err)
			return nil
		}
		r.hist.Invoke(id, e.Client, e.Input, r.s.Now())
		r.pending[id] = true
		r.res.Requests++
		r.logf("client %d: request %d %s", e.Client, id, e.Input.Command())
		return nil
	}
	voters, learners := r.members()
	members := append(slices.Clone(voters), learners...)
	var up, down []string
	crashed := 0
	for _, n := range r.st.Nodes {
		if n.Up {
			if slices.Contains(members, n.ID) {
				up = append(up, n.ID)
			}
		} else {
			down = append(down, n.ID)
			if slices.Contains(members, n.ID) {
				crashed++
			}
		}
	}
	var what string
	var err error
	switch e.Kind {
	case KindPartition:
		all := make([]string, len(r.st.Nodes))
		for i, n := range r.st.Nodes {
			all[i] = n.ID
		}
		groups := make([][]string, e.Groups)
		p := e.Pick
		for _, id := range all {
			g := int(p % uint64(e.Groups))
			p = p/uint64(e.Groups) ^ (p << 7) // keep mixing the pick
			groups[g] = append(groups[g], id)
		}
		groups = slices.DeleteFunc(groups, func(g []string) bool { return len(g) == 0 })
		what = fmt.Sprintf("partition %v", groups)
		err = r.s.Partition(groups)
	case KindHeal:
		what, err = "heal", r.s.Heal()
	case KindCutLink:
		if len(r.st.Nodes) < 2 {
			return nil
		}
		from := int(e.Pick % uint64(len(r.st.Nodes)))
		to := (from + 1 + int((e.Pick>>32)%uint64(len(r.st.Nodes)-1))) % len(r.st.Nodes)
		what = fmt.Sprintf("cut %s->%s", r.st.Nodes[from].ID, r.st.Nodes[to].ID)
		err = r.s.CutLink(r.st.Nodes[from].ID, r.st.Nodes[to].ID)
	case KindCrash:
		if crashed >= r.plan.Profile.MaxCrashed || len(up) == 0 {
			return nil
		}
		id := pick(up, e.Pick)
		what, err = "crash "+id, r.s.Crash(id)
	case KindRestart:
		if len(down) == 0 {
			return nil
		}
		id := pick(down, e.Pick)
		what, err = "restart "+id, r.s.Restart(id)
	case KindRates:
		drop, dup, reorder := float64(e.DropPct)/100, float64(e.DupPct)/100, float64(e.ReorderPct)/100
		what = fmt.Sprintf("drop %d%% duplicate %d%% reorder %d%%", e.DropPct, e.DupPct, e.ReorderPct)
		err = r.s.Configure(sim.Settings{DropRate: &drop, DupRate: &dup, ReorderRate: &reorder})
	case KindLatency:
		lo, hi := e.LatencyMinMs, e.LatencyMaxMs
		what = fmt.Sprintf("latency %d-%dms", lo, hi)
		err = r.s.Configure(sim.Settings{LatencyMinMs: &lo, LatencyMaxMs: &hi})
	case KindAddNode:
		if len(members) >= r.plan.Profile.MaxSize {
			return nil
		}
		var id string
		id, err = r.s.AddNode()
		what = "add node " + id
	case KindRemoveNode:
		if len(voters) <= r.plan.Profile.MinSize {
			return nil
		}
		id := pick(members, e.Pick)
		what, err = "remove "+id, r.s.RemoveNode(id)
	case KindTransfer:
		if r.st.Leader == "" {
			return nil
		}
		others := slices.DeleteFunc(slices.Clone(voters), func(id string) bool { return id == r.st.Leader })
		id := pick(others, e.Pick)
		if id == "" {
			return nil
		}
		what, err = "transfer to "+id, r.s.TransferLeadership(id)
	case KindTimeout:
		id := pick(up, e.Pick)
		if id == "" {
			return nil
		}
		what, err = "timeout "+id, r.s.Timeout(id)
	default:
		return fmt.Errorf("unknown event kind %d", e.Kind)
	}
	if err != nil {
		r.res.Refused++
		r.logf("%s: refused: %v", what, err)
		return nil
	}
	r.res.Faults++
	r.logf("%s", what)
	return r.poll()
}

// quiet stops every fault, then checks liveness and linearizability.
func (r *runner) quiet() error {
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
	voters, learners := r.members()
	members := append(slices.Clone(voters), learners...)
	for _, n := range r.st.Nodes {
		if !n.Up && slices.Contains(members, n.ID) {
			if err := r.s.Restart(n.ID); err != nil {
				return fmt.Errorf("restart %s after the faults: %w", n.ID, err)
			}
		}
	}
	r.logf("faults stop: heal, restart every member, rates 0, latency %d-%dms", lo, hi)
	if err := r.poll(); err != nil {
		return err
	}
	start := r.s.Now()

	// Liveness 1: a leader within 10 election timeouts.
	leaderBy := start + LeaderWithinTimeouts*cfg.ElectionMaxMs
	for r.st.Leader == "" {
		if r.s.Now() >= leaderBy {
			return r.fail("liveness", "no leader %d ms (%d election timeouts) after the faults stopped",
				r.s.Now()-start, LeaderWithinTimeouts)
		}
		if err := r.advanceTo(r.s.Now() + cfg.TickMs); err != nil {
			return err
		}
	}
	r.res.LeaderInMs = r.s.Now() - start
	r.logf("leader %s", r.st.Leader)

	// Final reads: one GET per key, so that the history ends with reads that
	// must observe every write that took effect.
	for i := 0; i < r.plan.Profile.Keys; i++ {
		in := Input{Op: OpGet, Key: string(rune('a' + i))}
		if err := r.apply(Event{Kind: KindRequest, Client: r.plan.Profile.Clients, Input: in}); err != nil {
			return err
		}
	}

	// Liveness 2: every request resolved within the bound.
	resolveBy := start + ResolvedWithinTimeouts*cfg.ElectionMaxMs
	for len(r.pending) > 0 {
		if r.s.Now() >= resolveBy {
			ids := make([]int, 0, len(r.pending))
			for id := range r.pending {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			return r.fail("liveness", "requests %v still pending %d ms (%d election timeouts) after the faults stopped",
				ids, r.s.Now()-start, ResolvedWithinTimeouts)
		}
		if err := r.advanceTo(r.s.Now() + cfg.TickMs); err != nil {
			return err
		}
	}
	r.res.ResolvedMs = r.s.Now() - start

	// Linearizability of everything the clients saw.
	res, info := porcupine.CheckOperationsVerbose(KVModel, r.hist.Operations(), r.opt.CheckTimeout)
	_ = info
	switch res {
	case porcupine.Illegal:
		return r.fail("linearizability", "the client history is not linearizable:\n%s", r.hist.Describe())
	case porcupine.Unknown:
		r.res.CheckTimed = true
	}
	return nil
}
