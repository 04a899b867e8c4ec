// Package labkit is everything the lab's wasm (wasm/lab, loaded by the
// page's Web Worker web/lab/worker.js) does, without syscall/js, so that it
// is tested natively: the bug hunt (chaos seeds until the first safety
// failure) and the client's view (a run's client history, drawn per client
// and checked for linearizability with porcupine).
//
// It is a second wasm on purpose: the chaos search and porcupine never
// weigh on the main wasm that every visitor downloads; the page loads this
// one only when a Hunt starts or the client's view opens (docs/page.md).
package labkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"raftsandbox/raft"
	"raftsandbox/sim"
	"raftsandbox/sim/chaos"
	"raftsandbox/sim/scenario"
)

// MaxHuntSeeds bounds the seeds of one Hunt call.
const MaxHuntSeeds = 100000

// CheckTimeout bounds porcupine's search in the client's view.
const CheckTimeout = 5 * time.Second

// Bug is one deliberate bug as the hunt offers it.
type Bug struct {
	Name    string `json:"name"`    // the scenario format's name: read-without-read-index
	JSName  string `json:"jsName"`  // the JS API's: readWithoutReadIndex
	Profile string `json:"profile"` // the chaos profile that suits it (chaos.BugProfile)
}

// Bugs lists raft.BugList with the profile each is hunted with.
func Bugs() []Bug {
	out := make([]Bug, len(raft.BugList))
	for i, b := range raft.BugList {
		out[i] = Bug{Name: b.Name, JSName: b.JSName(), Profile: chaos.BugProfile(b.Name)}
	}
	return out
}

// NoBug hunts the correct core (in the default profile): the same runs as
// `go run ./cmd/chaos` without -bug. The page does not offer it; the
// benchmark (tools/bench-lab.sh) compares the worker's rate with the
// command line's on it, since a run that finds a bug stops the hunt.
const NoBug = "none"

// bugByName accepts either spelling of a bug's name, or NoBug.
func bugByName(name string) (Bug, error) {
	if name == NoBug {
		return Bug{Name: NoBug, JSName: NoBug, Profile: "default"}, nil
	}
	for _, b := range Bugs() {
		if b.Name == name || b.JSName == name {
			return b, nil
		}
	}
	var names []string
	for _, b := range Bugs() {
		names = append(names, b.JSName)
	}
	return Bug{}, fmt.Errorf("unknown bug %q (known: %v)", name, names)
}

// Found is the first safety failure of a hunt.
type Found struct {
	Seed    uint64 `json:"seed"`
	Check   string `json:"check"` // "invariants" or "linearizability"
	Class   string `json:"class"`
	At      int64  `json:"at"` // virtual ms of the failure
	Detail  string `json:"detail"`
	Share   string `json:"share"`
	Replay  string `json:"replay"`
	Profile string `json:"profile"`
}

// HuntReport is what one Hunt call did.
type HuntReport struct {
	Ran      int    `json:"ran"`      // seeds run
	Next     uint64 `json:"next"`     // the seed to start from next time
	Liveness int    `json:"liveness"` // liveness alarms and harness failures passed over
	Found    *Found `json:"found,omitempty"`
}

// Hunt runs chaos seeds start, start+1, ... with bug on (in the profile
// that suits it) until one fails a safety check (the invariants, or
// linearizability), n seeds have run, or budget has passed (at least one
// seed always runs). Liveness alarms are counted and passed over, as the
// command-line soak does.
func Hunt(bug string, start uint64, n int, budget time.Duration) (HuntReport, error) {
	return HuntEvery(bug, start, 1, n, budget)
}

// HuntEvery is Hunt over every step-th seed from start (start, start+step,
// ...): several workers hunt one range between them, worker i of k from
// start+i with step k. Next is the next seed of this worker's share.
func HuntEvery(bug string, start, step uint64, n int, budget time.Duration) (HuntReport, error) {
	if step < 1 || step > 64 {
		return HuntReport{}, fmt.Errorf("the step must be from 1 to 64, got %d", step)
	}
	b, err := bugByName(bug)
	if err != nil {
		return HuntReport{}, err
	}
	if n < 1 || n > MaxHuntSeeds {
		return HuntReport{}, fmt.Errorf("seeds must be from 1 to %d, got %d", MaxHuntSeeds, n)
	}
	if start == 0 {
		return HuntReport{}, errors.New("the first seed must be at least 1")
	}
	opt := chaos.Options{ProfileName: b.Profile}
	if opt.Profile, err = chaos.ProfileByName(b.Profile); err != nil {
		return HuntReport{}, err
	}
	if b.Name != NoBug {
		if err := chaos.SetBug(&opt.Bugs, b.Name); err != nil {
			return HuntReport{}, err
		}
	}
	rep := HuntReport{Next: start}
	began := time.Now()
	for rep.Ran < n && (rep.Ran == 0 || time.Since(began) < budget) {
		seed := rep.Next
		rep.Next += step
		rep.Ran++
		_, err := chaos.Run(seed, opt)
		if err == nil {
			continue
		}
		var f *chaos.Failure
		if !errors.As(err, &f) || !chaos.IsSafety(f.Class) {
			rep.Liveness++
			continue
		}
		rep.Found = &Found{Seed: seed, Check: f.Check, Class: f.Class, At: f.At, Detail: f.Detail,
			Share: f.Share, Replay: f.Replay, Profile: b.Profile}
		break
	}
	return rep, nil
}

// Op is one client request of the client's view.
type Op struct {
	ID      int    `json:"id"`
	Lane    int    `json:"lane"` // the client it is drawn as (chaos.Lanes)
	Command string `json:"command"`
	To      string `json:"to,omitempty"` // the node it was pinned to
	Invoke  int64  `json:"invoke"`
	Return  int64  `json:"return"` // -1 while pending
	Status  string `json:"status"`
	Value   int64  `json:"value"`           // committed: the new value, or the value read
	Node    string `json:"node,omitempty"`  // committed: the node that answered
	Index   uint64 `json:"index,omitempty"` // committed: its entry (a read: the last entry applied where it was read)
	Error   string `json:"error,omitempty"` // failed: why
}

// View is a run's client history and its check.
type View struct {
	Now     int64         `json:"now"`
	Lanes   int           `json:"lanes"`
	Ops     []Op          `json:"ops"`
	Verdict chaos.Verdict `json:"verdict"`
	// ReplayMs is the wall time of rebuilding the run to get its history.
	ReplayMs float64 `json:"replayMs"`
}

// ViewAt rebuilds the run a share string encodes up to virtual time at
// (the share's own end if at < 0 or later), recording its client history,
// and checks that history. A run the safety checker halted stops there.
func ViewAt(share string, at int64) (View, error) {
	began := time.Now()
	script, err := scenario.DecodeShare(share)
	if err != nil {
		return View{}, err
	}
	s, err := sim.FromScript(script)
	if err != nil {
		return View{}, err
	}
	s.RecordHistory(true)
	end := script.End
	if at >= 0 && at < end {
		end = at
	}
	if err := s.Advance(end); err != nil && !s.Halted() {
		return View{}, err
	}
	replay := time.Since(began)
	v, err := viewOf(s.History(), s.Now())
	v.ReplayMs = float64(replay.Microseconds()) / 1000
	return v, err
}

// viewOf draws ops in lanes and checks them.
func viewOf(hist []sim.ClientOp, now int64) (View, error) {
	lanes, n := chaos.Lanes(hist)
	laneOf := make(map[int]int, len(hist))
	v := View{Now: now, Lanes: n, Ops: make([]Op, len(hist))}
	for i, op := range hist {
		laneOf[op.ID] = lanes[i]
		v.Ops[i] = Op{ID: op.ID, Lane: lanes[i], Command: op.Command.String(), To: op.Pinned, Invoke: op.Invoke,
			Return: op.Return, Status: op.Status, Value: op.Value, Node: op.Node, Index: op.Index, Error: op.Error}
	}
	var err error
	v.Verdict, err = chaos.CheckOps(hist, func(id int) int { return laneOf[id] }, CheckTimeout)
	return v, err
}

// ClosedLoop runs a 5-node cluster for ms of virtual time with clients
// closed-loop clients (each sends its next request 0 to 30 ms after the
// last one resolved: SET, ADD or GET on keys a, b and c) and returns its
// client history: what the benchmark of the client's view checks.
func ClosedLoop(ms int64, clients int, seed uint64) ([]sim.ClientOp, error) {
	cfg := sim.DefaultConfig()
	cfg.Seed = seed
	s, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	s.RecordHistory(true)
	rng := rand.New(rand.NewPCG(seed, 1))
	waiting := make([]int, clients)
	readyAt := make([]int64, clients)
	for s.Now() < ms {
		for c := range waiting {
			if id := waiting[c]; id != 0 {
				if op, ok := s.RequestOp(id); ok && op.Status != sim.StatusPending {
					waiting[c], readyAt[c] = 0, s.Now()+rng.Int64N(31)
				}
				continue
			}
			if s.Now() < readyAt[c] {
				continue
			}
			key := string(rune('a' + rng.IntN(3)))
			var text string
			switch rng.IntN(3) {
			case 0:
				text = fmt.Sprintf("SET %s %d", key, rng.IntN(100))
			case 1:
				text = fmt.Sprintf("ADD %s %d", key, 1+rng.IntN(9))
			default:
				text = "GET " + key
			}
			id, err := s.Request(text, "")
			if err != nil {
				return nil, err
			}
			waiting[c] = id
		}
		if err := s.Tick(1); err != nil {
			return nil, err
		}
	}
	return s.History(), nil
}

// BenchCheck is the client's view's check of a ClosedLoop history.
type BenchCheck struct {
	Ops     int     `json:"ops"`
	Lanes   int     `json:"lanes"`
	OK      bool    `json:"ok"`
	CheckMs float64 `json:"checkMs"` // the check, as the client's view runs it
	Method  string  `json:"method"`  // how it was decided (chaos.MethodLogOrder, MethodPorcupine)
	ViewMs  float64 `json:"viewMs"`  // lanes, conversion and check
	// PorcupineMs is porcupine's search alone on the same history, what the
	// check costs when the log's order does not decide it.
	PorcupineMs float64 `json:"porcupineMs"`
}

// Bench builds a ClosedLoop history and times the client's view on it.
func Bench(ms int64, clients int) (BenchCheck, error) {
	hist, err := ClosedLoop(ms, clients, 1)
	if err != nil {
		return BenchCheck{}, err
	}
	began := time.Now()
	v, err := viewOf(hist, ms)
	if err != nil {
		return BenchCheck{}, err
	}
	viewMs := float64(time.Since(began).Microseconds()) / 1000
	h, err := chaos.HistoryOf(hist, nil)
	if err != nil {
		return BenchCheck{}, err
	}
	p := chaos.Check(h, CheckTimeout)
	return BenchCheck{Ops: len(v.Ops), Lanes: v.Lanes, OK: v.Verdict.OK && !v.Verdict.TimedOut && p.OK && !p.TimedOut,
		CheckMs: v.Verdict.CheckMs, Method: v.Verdict.Method, ViewMs: viewMs, PorcupineMs: p.CheckMs}, nil
}

// JSON encodes a result for the JS side.
func JSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
