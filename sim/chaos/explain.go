package chaos

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anishathalye/porcupine"

	"raftsandbox/sim"
)

// HistoryOf converts the simulator's request recorder (sim.RecordHistory)
// to a porcupine history. A committed request returned at its exact virtual
// time with its value; a failed or pending one has an unknown outcome: it
// may take effect at any time after its call, so its return time is Never.
// clientOf names each request's client (nil: client 0).
func HistoryOf(ops []sim.ClientOp, clientOf func(id int) int) (*History, error) {
	var h History
	for _, op := range ops {
		in := op.Command
		switch in.Op {
		case sim.OpSet, sim.OpAdd:
		case sim.OpGet:
			in.Value = 0
		default:
			return nil, fmt.Errorf("request %d: unknown operation %v", op.ID, in.Op)
		}
		client := 0
		if clientOf != nil {
			client = clientOf(op.ID)
		}
		h.Invoke(op.ID, client, in, op.Invoke)
		if op.Status != sim.StatusCommitted {
			continue
		}
		if op.Error != "" {
			// e.g. an overflowing ADD: committed without effect; its outcome
			// is known to be no change, which the model cannot say: unknown.
			return nil, fmt.Errorf("request %d %s committed with an error: %s", op.ID, in.String(), op.Error)
		}
		if err := h.Return(op.ID, op.Value, true, op.Return); err != nil {
			return nil, err
		}
	}
	return &h, nil
}

// Lanes assigns each request to a client lane for drawing: requests in one
// lane never overlap in time (a lane is one sequential client), and each
// request takes the lowest free lane when it is invoked. A request still
// pending (Return < 0) keeps its lane to the end. It returns the lane of
// each op, in the order of ops, and the number of lanes.
func Lanes(ops []sim.ClientOp) (lanes []int, n int) {
	lanes = make([]int, len(ops))
	var busyUntil []int64 // per lane: when its last request returned (-1: never)
	for i, op := range ops {
		lane := -1
		for l, until := range busyUntil {
			if until >= 0 && until < op.Invoke {
				lane = l
				break
			}
		}
		if lane < 0 {
			lane = len(busyUntil)
			busyUntil = append(busyUntil, 0)
		}
		busyUntil[lane] = op.Return
		lanes[i] = lane
	}
	return lanes, len(busyUntil)
}

// Verdict is the result of checking a client history for
// linearizability, with an explanation when it is not.
type Verdict struct {
	OK       bool `json:"ok"`
	TimedOut bool `json:"timedOut"` // the search gave up: neither proved nor refuted
	Ops      int  `json:"ops"`      // operations checked
	Keys     int  `json:"keys"`     // keys (porcupine checks each key on its own)
	// CheckMs is the wall time of the check, in milliseconds.
	CheckMs float64 `json:"checkMs"`
	Method  string  `json:"method"` // MethodLogOrder or MethodPorcupine
	// Bad explains the first key whose operations cannot be ordered.
	Bad *Unordered `json:"bad,omitempty"`
}

// Unordered explains a key whose operations no order explains: Ordered is
// the longest order porcupine found (request ids, in order, each
// consistent with real time and the values answered), Value the key's
// value after it, and Blocked the requests that must come next in real
// time (each was invoked before any remaining request returned) but answer
// something other than what the key holds there.
type Unordered struct {
	Key     string  `json:"key"`
	Ordered []int   `json:"ordered"`
	Value   int64   `json:"value"`
	Blocked []int   `json:"blocked"`
	Answers []int64 `json:"answers"` // what each blocked request answered
	Expect  []int64 `json:"expect"`  // what it would have answered there
}

// CheckOps checks recorded client operations for linearizability. It
// first tries the order of the log as a witness (LogOrderIsLinearization:
// linear time, and enough for every history of a correct run whose
// requests all committed or are still pending); when that order does not
// explain the history, porcupine searches every order (Check). Method
// says which answered.
func CheckOps(ops []sim.ClientOp, clientOf func(id int) int, timeout time.Duration) (Verdict, error) {
	began := time.Now()
	if ok, n, keys := logOrder(ops); ok {
		return Verdict{OK: true, Ops: n, Keys: keys, Method: MethodLogOrder,
			CheckMs: float64(time.Since(began).Microseconds()) / 1000}, nil
	}
	h, err := HistoryOf(ops, clientOf)
	if err != nil {
		return Verdict{}, err
	}
	return Check(h, timeout), nil
}

// How a Verdict was reached.
const (
	MethodLogOrder  = "log order" // the log's order is a linearization
	MethodPorcupine = "porcupine" // porcupine's search
)

// LogOrderIsLinearization reports whether the order the cluster's log gives
// the operations is a linearization of them, key by key (linearizability
// is local: a history is linearizable when each key's is): each committed
// write at its log index, each committed read at its read index (after
// the write there; reads at one index by their invocation), then every
// operation whose outcome is unknown (failed, or a write still pending:
// whether it took effect, no answer shows). The order is one when every
// answer is what the key holds at that point and it respects real time
// (an operation that returned before another began comes first). A false
// answer proves nothing: a porcupine search decides.
func LogOrderIsLinearization(ops []sim.ClientOp) bool {
	ok, _, _ := logOrder(ops)
	return ok
}

// logOrder is LogOrderIsLinearization; it also counts the operations that
// matter (reads that never returned do not) and the keys. A request that
// committed with an error (an ADD that would overflow) is not its case.
func logOrder(ops []sim.ClientOp) (ok bool, n, keys int) {
	// One slice sorted by key, then each key's operations in log order (a
	// stable sort: the order of ops where compareLogOrder ties), rather
	// than a map of slices: the chaos search checks every run this way.
	var sorted []sim.ClientOp
	for i := range ops {
		op := &ops[i]
		if op.Command.Op == sim.OpGet && op.Status == sim.StatusPending {
			continue // a read that never returned cannot matter
		}
		if op.Status == sim.StatusCommitted && op.Error != "" {
			return false, 0, 0
		}
		if sorted == nil {
			sorted = make([]sim.ClientOp, 0, len(ops))
		}
		sorted = append(sorted, *op)
	}
	n = len(sorted)
	slices.SortStableFunc(sorted, func(a, b sim.ClientOp) int {
		if c := strings.Compare(a.Command.Key, b.Command.Key); c != 0 {
			return c
		}
		return compareLogOrder(a, b)
	})
	ok = true
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].Command.Key == sorted[i].Command.Key {
			j++
		}
		keys++
		if ok && !keyInLogOrder(sorted[i:j]) {
			ok = false
		}
		i = j
	}
	return ok, n, keys
}

// compareLogOrder orders one key's operations as the log does: the
// committed ones by index (a write before the reads served at its index,
// reads at one index by invocation), then the unknown ones by invocation.
func compareLogOrder(a, b sim.ClientOp) int {
	known := func(op sim.ClientOp) bool { return op.Status == sim.StatusCommitted }
	if ka, kb := known(a), known(b); ka != kb {
		if ka {
			return -1
		}
		return 1
	} else if !ka {
		return cmp.Compare(a.Invoke, b.Invoke)
	}
	if c := cmp.Compare(a.Index, b.Index); c != 0 {
		return c
	}
	if ra, rb := a.Command.Op == sim.OpGet, b.Command.Op == sim.OpGet; ra != rb {
		if rb {
			return -1 // the write at an index before the reads served there
		}
		return 1
	}
	return cmp.Compare(a.Invoke, b.Invoke)
}

// keyInLogOrder reports whether one key's operations, in log order
// (compareLogOrder), are a linearization: every known answer is what the
// key holds at that point, and no operation later in the order returned
// before an earlier one began.
func keyInLogOrder(part []sim.ClientOp) bool {
	known := func(op sim.ClientOp) bool { return op.Status == sim.StatusCommitted }
	var state int64
	for _, op := range part {
		if !known(op) {
			break // the rest are unknown: any answer, placed last
		}
		c := op.Command
		switch c.Op {
		case sim.OpSet:
			state = c.Value
		case sim.OpAdd:
			state += c.Value
		}
		if op.Value != state {
			return false
		}
	}
	minRet := int64(Never)
	for i := len(part) - 1; i >= 0; i-- {
		if minRet < part[i].Invoke {
			return false
		}
		if known(part[i]) {
			minRet = min(minRet, part[i].Return)
		}
	}
	return true
}

// Check checks h for linearizability with porcupine (each key on its own)
// and, when it fails, explains the first key that fails.
func Check(h *History, timeout time.Duration) Verdict {
	ops := h.Operations()
	v := Verdict{Ops: len(ops), Keys: len(partitionByKey(ops)), Method: MethodPorcupine}
	began := time.Now()
	res, info := porcupine.CheckOperationsVerbose(KVModel, ops, timeout)
	v.CheckMs = float64(time.Since(began).Microseconds()) / 1000
	switch res {
	case porcupine.Ok:
		v.OK = true
	case porcupine.Unknown:
		v.OK, v.TimedOut = true, true
	default:
		v.Bad = explain(partitionByKey(ops), info.PartialLinearizationsOperations())
	}
	return v
}

// explain finds the first key whose longest partial linearization does
// not cover all its operations, and says which operations block it.
func explain(parts [][]porcupine.Operation, partials [][][]porcupine.Operation) *Unordered {
	for p, part := range parts {
		if p >= len(partials) {
			break
		}
		var longest []porcupine.Operation
		for _, l := range partials[p] {
			if len(l) > len(longest) {
				longest = l
			}
		}
		if len(longest) == len(part) {
			continue
		}
		u := &Unordered{Key: part[0].Input.(Input).Key, Ordered: []int{}, Blocked: []int{}}
		state := KVModel.Init()
		in := map[int]bool{}
		for _, op := range longest {
			id := op.Metadata.(int)
			u.Ordered = append(u.Ordered, id)
			in[id] = true
			_, state = KVModel.Step(state, op.Input, op.Output)
		}
		u.Value = state.(int64)
		var rest []porcupine.Operation
		minRet := Never
		for _, op := range part {
			if !in[op.Metadata.(int)] {
				rest = append(rest, op)
				minRet = min(minRet, op.Return)
			}
		}
		u.block(rest, minRet, state)
		return u
	}
	return nil
}

// block names the requests of rest that cannot come next after the
// longest order (state: the key's value after it), with what each
// answered and what it would have answered there; minRet is the earliest
// return among rest. When none fails from that order alone, it names the
// request that must come next (the first to return), whatever it answered.
func (u *Unordered) block(rest []porcupine.Operation, minRet int64, state any) {
	for _, op := range rest {
		out := op.Output.(Output)
		if op.Call > minRet || !out.Known {
			continue
		}
		if ok, _ := KVModel.Step(state, op.Input, op.Output); ok {
			continue
		}
		u.Blocked = append(u.Blocked, op.Metadata.(int))
		u.Answers = append(u.Answers, out.Value)
		_, next := KVModel.Step(state, op.Input, Output{})
		want := next.(int64)
		if op.Input.(Input).Op == sim.OpGet {
			want = u.Value
		}
		u.Expect = append(u.Expect, want)
	}
	if len(u.Blocked) == 0 {
		k := slices.IndexFunc(rest, func(op porcupine.Operation) bool { return op.Return == minRet })
		if k >= 0 {
			op := rest[k]
			u.Blocked = append(u.Blocked, op.Metadata.(int))
			u.Answers = append(u.Answers, op.Output.(Output).Value)
			u.Expect = append(u.Expect, u.Value)
		}
	}
}
