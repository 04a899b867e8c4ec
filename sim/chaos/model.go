package chaos

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/anishathalye/porcupine"

	"raftsandbox/sim"
)

// The client-visible behaviour of the simulator's state machine, written as a
// sequential specification for porcupine: an integer key-value store where
//
//	SET k v  stores v at k and answers v,
//	ADD k d  adds d to k (missing keys are 0) and answers the new value,
//	GET k    answers the value of k (0 when missing).
//
// Keys are independent, so the model is partitioned by key and each
// partition's state is a single int64 (porcupine checks the partitions
// separately, which keeps the search small).

// Input is one client operation on one key, as porcupine sees it: the
// simulator's parsed command (sim.ParseCommand reads one, String writes it).
type Input = sim.Command

// Output is what the client saw. Known is false when the client never learnt
// the result (the request failed, or had not returned when the run ended):
// such an operation may or may not have taken effect, and may have answered
// anything.
type Output struct {
	Known bool
	Value int64
}

// KVModel is the porcupine model of the simulator's key-value store.
var KVModel = porcupine.Model{
	Partition: partitionByKey,
	Init:      func() any { return int64(0) },
	Step: func(state, input, output any) (bool, any) {
		v := state.(int64)
		in := input.(Input)
		out := output.(Output)
		switch in.Op {
		case sim.OpSet:
			return !out.Known || out.Value == in.Value, in.Value
		case sim.OpAdd:
			next := v + in.Value
			return !out.Known || out.Value == next, next
		case sim.OpGet:
			return !out.Known || out.Value == v, v
		}
		return false, v
	},
	Hash: func(state any) uint64 { return uint64(state.(int64)) },
	DescribeOperation: func(input, output any) string {
		in, out := input.(Input), output.(Output)
		if !out.Known {
			return in.String() + " -> ?"
		}
		return fmt.Sprintf("%s -> %d", in.String(), out.Value)
	},
	DescribeState: func(state any) string { return strconv.FormatInt(state.(int64), 10) },
}

func partitionByKey(history []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[string][]porcupine.Operation{}
	for _, op := range history {
		k := op.Input.(Input).Key
		byKey[k] = append(byKey[k], op)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic order, whatever the map does
	parts := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, byKey[k])
	}
	return parts
}

// Never is the return time of an operation whose outcome is unknown: it
// may take effect at any point after its call, including never.
const Never int64 = math.MaxInt64

// History records client operations as they are invoked and answered, in
// virtual milliseconds.
type History struct {
	ops   []porcupine.Operation
	index map[int]int // request id -> position in ops
}

// Invoke records that request id was issued at virtual time at.
func (h *History) Invoke(id int, client int, in Input, at int64) {
	if h.index == nil {
		h.index = map[int]int{}
	}
	h.index[id] = len(h.ops)
	h.ops = append(h.ops, porcupine.Operation{ClientId: client, Input: in, Call: at,
		Output: Output{}, Return: Never, Metadata: id})
}

// Return records that request id was answered with value at virtual time at.
// A request answered without a readable value keeps an unknown output but a
// known return time.
func (h *History) Return(id int, value int64, known bool, at int64) error {
	i, ok := h.index[id]
	if !ok {
		return fmt.Errorf("request %d returned but was never invoked", id)
	}
	if h.ops[i].Return != Never {
		return fmt.Errorf("request %d returned twice", id)
	}
	if at < h.ops[i].Call {
		return fmt.Errorf("request %d returned at %d ms, before its call at %d ms", id, at, h.ops[i].Call)
	}
	h.ops[i].Return = at
	h.ops[i].Output = Output{Known: known, Value: value}
	return nil
}

// Returned reports whether request id has returned.
func (h *History) Returned(id int) bool {
	i, ok := h.index[id]
	return ok && h.ops[i].Return != Never
}

// Len is the number of operations recorded.
func (h *History) Len() int { return len(h.ops) }

// Operations returns the history for porcupine. Reads that never returned
// are left out: they have no effect and no output, so they cannot matter.
func (h *History) Operations() []porcupine.Operation {
	out := make([]porcupine.Operation, 0, len(h.ops))
	for _, op := range h.ops {
		if op.Return == Never && op.Input.(Input).Op == sim.OpGet {
			continue
		}
		out = append(out, op)
	}
	return out
}

// Describe renders the history, one operation a line, for failure reports.
func (h *History) Describe() string {
	var b strings.Builder
	for _, op := range h.ops {
		in, out := op.Input.(Input), op.Output.(Output)
		ret, res := "never", "?"
		if op.Return != Never {
			ret = strconv.FormatInt(op.Return, 10) + "ms"
		}
		if out.Known {
			res = strconv.FormatInt(out.Value, 10)
		}
		fmt.Fprintf(&b, "  request %d (client %d): %s -> %s  [%dms, %s]\n",
			op.Metadata, op.ClientId, in.String(), res, op.Call, ret)
	}
	return b.String()
}
