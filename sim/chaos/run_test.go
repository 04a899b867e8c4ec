package chaos

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

func TestRunIsDeterministic(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		a, errA := Run(seed, Options{})
		b, errB := Run(seed, Options{})
		if a != b || (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
			t.Fatalf("seed %d: two runs differ:\n%+v %v\n%+v %v", seed, a, errA, b, errB)
		}
		if a.Requests == 0 || a.Faults == 0 {
			t.Fatalf("seed %d: a run without requests or faults: %+v", seed, a)
		}
	}
}

func TestReplayCommandAndBugNames(t *testing.T) {
	var b raft.Bugs
	if err := SetBug(&b, "ack-before-durable"); err != nil || !b.AckBeforeDurable {
		t.Fatalf("SetBug: %v %+v", err, b)
	}
	if err := SetBug(&b, "no-such-bug"); err == nil {
		t.Fatal("SetBug accepted an unknown bug")
	}
	for _, name := range AllBugNames() {
		var one raft.Bugs
		if err := SetBug(&one, name); err != nil {
			t.Fatal(err)
		}
		if got := BugNames(one); len(got) != 1 || got[0] != name {
			t.Fatalf("BugNames after SetBug(%q) = %v", name, got)
		}
	}
	got := ReplayCommand(42, Options{Bugs: b, ProfileName: "crashy"})
	want := "go run ./cmd/chaos -seed 42 -v -bug ack-before-durable -profile crashy"
	if got != want {
		t.Fatalf("ReplayCommand = %q, want %q", got, want)
	}
	f := &Failure{Seed: 42, Check: "liveness", At: 10, Detail: "d", Replay: got}
	if s := f.Error(); !strings.Contains(s, "seed 42") || !strings.Contains(s, want) {
		t.Fatalf("failure message lacks the seed or the replay command: %q", s)
	}
}

// TestShareReplaysTheRun checks that a chaos run's share string (what a
// failure prints, and what export turns into a Go test) rebuilds exactly the
// same run: same trace hash, same final state.
func TestShareReplaysTheRun(t *testing.T) {
	for _, c := range []struct {
		seed uint64
		bugs raft.Bugs
	}{{3, raft.Bugs{}}, {7, raft.Bugs{}}, {2, raft.Bugs{AckBeforeDurable: true}}} {
		var share string
		var hash uint64
		var st sim.State
		_, runErr := Run(c.seed, Options{Bugs: c.bugs, OnEnd: func(s *sim.Sim) {
			share, hash, st = s.Share(), s.TraceHash(), s.State()
		}})
		if share == "" {
			t.Fatalf("seed %d: no share string", c.seed)
		}
		s, err := sim.FromShare(share)
		if err != nil {
			t.Fatalf("seed %d: %v", c.seed, err)
		}
		if s.TraceHash() != hash || s.Now() != st.Now {
			t.Fatalf("seed %d: the share string replays to hash %x at %d ms, the run ended with %x at %d ms",
				c.seed, s.TraceHash(), s.Now(), hash, st.Now)
		}
		got := s.State()
		if got.Leader != st.Leader || got.Invariants.OK != st.Invariants.OK {
			t.Fatalf("seed %d: replayed state differs: leader %q/%q, invariants %v/%v", c.seed, got.Leader, st.Leader,
				got.Invariants.OK, st.Invariants.OK)
		}
		// The bug run fails its invariants, and the share string carries that.
		if wantOK := c.bugs == (raft.Bugs{}); (runErr == nil) != wantOK || got.Invariants.OK != wantOK {
			t.Fatalf("seed %d: run error %v, replayed invariants ok %v", c.seed, runErr, got.Invariants.OK)
		}
	}
}

// TestLinearizabilityCheckSeesATamperedAnswer runs a chaos seed, takes the
// history the simulator recorded, and checks that porcupine accepts it as is
// and rejects it once one committed read answers a value it cannot have
// seen: the pipeline from the simulator's recorder to porcupine can fail.
func TestLinearizabilityCheckSeesATamperedAnswer(t *testing.T) {
	var h *History
	_, err := Run(4, Options{OnEnd: func(s *sim.Sim) {
		r := &runner{s: s, clients: map[int]int{}}
		var herr error
		if h, herr = r.history(s.History()); herr != nil {
			t.Fatal(herr)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	ops := h.Operations()
	if !porcupine.CheckOperations(KVModel, ops) {
		t.Fatalf("the recorded history is not linearizable:\n%s", h.Describe())
	}
	tampered := 0
	for i := range ops {
		in, out := ops[i].Input.(Input), ops[i].Output.(Output)
		if in.Op == sim.OpGet && out.Known {
			ops[i].Output = Output{Known: true, Value: out.Value + 1000} // no write ever makes this
			tampered++
			break
		}
	}
	if tampered == 0 {
		t.Fatal("the run has no committed read to tamper with")
	}
	if porcupine.CheckOperations(KVModel, ops) {
		t.Fatal("porcupine accepted a read of a value no write produced")
	}
}

// TestCheckHistoryAgreesWithPorcupine: checkHistory (which checks keys of one
// operation itself and hands the rest to porcupine) gives porcupine's
// verdict on a figure8 run's history with its bursts, as recorded and with
// one answer tampered with: a committed read (a key with many operations)
// and a burst's SET (a key of its own), each answering a value no write made.
func TestCheckHistoryAgreesWithPorcupine(t *testing.T) {
	var h *History
	opt := Options{Profile: Figure8Profile(), ProfileName: "figure8", OnEnd: func(s *sim.Sim) {
		r := &runner{s: s, clients: map[int]int{}}
		var herr error
		if h, herr = r.history(s.History()); herr != nil {
			t.Fatal(herr)
		}
	}}
	if _, err := Run(3, opt); err != nil {
		t.Fatal(err)
	}
	ops := h.Operations()
	alone := 0
	for _, part := range partitionByKey(ops) {
		if len(part) == 1 {
			alone++
		}
	}
	if alone < 50 {
		t.Fatalf("figure8 seed 3 has %d keys of one operation (bursts), want many", alone)
	}
	agree := func(what string, ops []porcupine.Operation, want porcupine.CheckResult) {
		t.Helper()
		got, por := checkHistory(ops, time.Minute), porcupine.CheckOperationsTimeout(KVModel, ops, time.Minute)
		if got != want || por != want {
			t.Fatalf("%s: checkHistory says %v, porcupine %v, want %v", what, got, por, want)
		}
	}
	agree("as recorded", ops, porcupine.Ok)
	tamper := func(what string, pick func(in Input, out Output) bool) {
		t.Helper()
		bad := slices.Clone(ops)
		for i := range bad {
			in, out := bad[i].Input.(Input), bad[i].Output.(Output)
			if out.Known && pick(in, out) {
				bad[i].Output = Output{Known: true, Value: out.Value + 1000}
				agree(what, bad, porcupine.Illegal)
				return
			}
		}
		t.Fatalf("no operation to tamper with for %q", what)
	}
	tamper("a read answering a value never written", func(in Input, _ Output) bool {
		return in.Op == sim.OpGet
	})
	tamper("a burst's SET answering another value", func(in Input, _ Output) bool {
		return in.Op == sim.OpSet && strings.HasPrefix(in.Key, "z")
	})
	// Unknown outcomes stay open: a burst SET that never returned passes.
	open := slices.Clone(ops)
	for i := range open {
		if in := open[i].Input.(Input); in.Op == sim.OpSet && strings.HasPrefix(in.Key, "z") {
			open[i].Output, open[i].Return = Output{}, Never
			break
		}
	}
	agree("a burst's SET with an unknown outcome", open, porcupine.Ok)
}

// historyOfAccepts is false exactly for the histories HistoryOf refuses, so
// that the log-order shortcut of checkLinearizable never passes one.
func TestHistoryOfAcceptsAsHistoryOf(t *testing.T) {
	ok := sim.ClientOp{ID: 1, Command: sim.Command{Op: sim.OpSet, Key: "a", Value: 1}, Invoke: 5, Return: 9, Status: sim.StatusCommitted, Value: 1}
	cases := map[string]func(op *sim.ClientOp){
		"as it is":             func(*sim.ClientOp) {},
		"a read":               func(op *sim.ClientOp) { op.Command.Op = sim.OpGet },
		"pending":              func(op *sim.ClientOp) { op.Status, op.Return = sim.StatusPending, -1 },
		"unknown operation":    func(op *sim.ClientOp) { op.Command.Op = 99 },
		"committed with error": func(op *sim.ClientOp) { op.Error = "overflow" },
		"returned before call": func(op *sim.ClientOp) { op.Return = 4 },
	}
	for name, change := range cases {
		op := ok
		change(&op)
		_, err := HistoryOf([]sim.ClientOp{op}, nil)
		if got := historyOfAccepts([]sim.ClientOp{op}); got != (err == nil) {
			t.Errorf("%s: historyOfAccepts %v, HistoryOf's error %v", name, got, err)
		}
	}
}
