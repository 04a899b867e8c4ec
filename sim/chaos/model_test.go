package chaos

import (
	"testing"

	"github.com/anishathalye/porcupine"

	"raftsandbox/sim"
)

// op is a hand-written operation: call and return in ms, ret < 0 for "never".
type op struct {
	cmd       string
	call, ret int64
	out       int64
	known     bool
}

func history(t *testing.T, ops []op) *History {
	t.Helper()
	var h History
	for i, o := range ops {
		in, err := sim.ParseCommand(o.cmd)
		if err != nil {
			t.Fatal(err)
		}
		h.Invoke(i+1, i, in, o.call)
	}
	for i, o := range ops {
		if o.ret >= 0 {
			if err := h.Return(i+1, o.out, o.known, o.ret); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &h
}

func TestKVModelHandMadeHistories(t *testing.T) {
	cases := []struct {
		name string
		ops  []op
		want bool
	}{
		{"sequential set add get", []op{
			{"SET k 5", 0, 10, 5, true},
			{"ADD k 2", 20, 30, 7, true},
			{"GET k", 40, 50, 7, true},
		}, true},
		{"stale read after a completed write", []op{
			{"SET k 5", 0, 10, 5, true},
			{"GET k", 20, 30, 0, true},
		}, false},
		{"concurrent read may see either value", []op{
			{"SET k 5", 0, 100, 5, true},
			{"GET k", 10, 20, 0, true},
			{"GET k", 30, 40, 5, true},
		}, true},
		{"reads go back in time", []op{
			{"SET k 5", 0, 100, 5, true},
			{"GET k", 10, 20, 5, true},
			{"GET k", 30, 40, 0, true},
		}, false},
		{"add applied twice", []op{
			{"ADD k 2", 0, 10, 2, true},
			{"GET k", 20, 30, 4, true},
		}, false},
		{"failed add may have been applied", []op{
			{"ADD k 2", 0, -1, 0, false},
			{"GET k", 20, 30, 2, true},
			{"GET k", 40, 50, 2, true},
		}, true},
		{"failed add may not have been applied", []op{
			{"ADD k 2", 0, -1, 0, false},
			{"GET k", 20, 30, 0, true},
		}, true},
		{"failed add applies at most once", []op{
			{"ADD k 2", 0, -1, 0, false},
			{"GET k", 20, 30, 4, true},
		}, false},
		{"an effect cannot be undone", []op{
			{"ADD k 2", 0, -1, 0, false},
			{"GET k", 20, 30, 2, true},
			{"GET k", 40, 50, 0, true},
		}, false},
		{"an effect cannot precede its call", []op{
			{"GET k", 0, 10, 3, true},
			{"SET k 3", 20, 30, 3, true},
		}, false},
		{"keys are independent", []op{
			{"SET a 1", 0, 10, 1, true},
			{"SET b 2", 0, 10, 2, true},
			{"GET a", 20, 30, 1, true},
			{"GET b", 20, 30, 2, true},
		}, true},
		{"one bad key fails the whole history", []op{
			{"SET a 1", 0, 10, 1, true},
			{"SET b 2", 0, 10, 2, true},
			{"GET a", 20, 30, 1, true},
			{"GET b", 20, 30, 1, true},
		}, false},
		{"add answers the new value", []op{
			{"SET k 5", 0, 10, 5, true},
			{"ADD k 2", 20, 30, 2, true},
		}, false},
		{"answer unknown but returned", []op{
			{"SET k 5", 0, 10, 0, false},
			{"GET k", 20, 30, 5, true},
		}, true},
		{"returned without a value still bounds the interval", []op{
			{"SET k 5", 0, 10, 0, false},
			{"GET k", 20, 30, 0, true},
		}, false},
		{"default key", []op{
			{"SET 5", 0, 10, 5, true},
			{"ADD 2", 20, 30, 7, true},
			{"GET x", 40, 50, 7, true},
		}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := history(t, c.ops)
			got := porcupine.CheckOperations(KVModel, h.Operations())
			if got != c.want {
				t.Fatalf("linearizable = %v, want %v for\n%s", got, c.want, h.Describe())
			}
		})
	}
}

func TestHistoryRejectsMisuse(t *testing.T) {
	var h History
	in, _ := sim.ParseCommand("SET k 1")
	h.Invoke(1, 0, in, 50)
	if err := h.Return(2, 0, true, 60); err == nil {
		t.Error("return of an unknown request accepted")
	}
	if err := h.Return(1, 1, true, 40); err == nil {
		t.Error("return before the call accepted")
	}
	if err := h.Return(1, 1, true, 60); err != nil {
		t.Fatal(err)
	}
	if err := h.Return(1, 1, true, 70); err == nil {
		t.Error("second return accepted")
	}
	if !h.Returned(1) || h.Returned(2) {
		t.Error("Returned is wrong")
	}
}
