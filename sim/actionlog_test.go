package sim

import (
	"slices"
	"strconv"
	"testing"
)

// The action log gives back every action as it was added, while it keeps
// one shape per distinct kind and arguments: repeats (the same request sent
// again, a tick after a tick) cost no new shape, and arguments that join to
// the same text ("a b" + "c" and "a" + "b c") stay apart.
func TestActionLogInternsShapes(t *testing.T) {
	var l actionLog
	var want []Action
	add := func(kind string, args ...string) {
		a := Action{At: int64(len(want)), Kind: kind, Args: args}
		want = append(want, a)
		l.add(a)
	}
	for i := 0; i < 3*actionBlock; i++ {
		switch i % 4 {
		case 0:
			add("request", "SET z"+strconv.Itoa(i)+" 1", "B") // distinct
		case 1:
			add("tick") // the same every time
		case 2:
			add("request", "GET a", "") // the same every time
		case 3:
			add("request", "SET z"+strconv.Itoa(i-3)+" 1", "B") // a repeat of case 0, not the last shape
		}
	}
	add("x", "a b", "c")
	add("x", "a", "b c")
	add("x", "a b c")
	add("x")
	add("x", "")
	if l.len() != len(want) {
		t.Fatalf("%d actions, want %d", l.len(), len(want))
	}
	for i, w := range want {
		if got := l.at(i); got.At != w.At || got.Kind != w.Kind || !slices.Equal(got.Args, w.Args) {
			t.Fatalf("action %d = %+v, want %+v", i, got, w)
		}
	}
	// distinct: 3*actionBlock/4 requests, the tick, GET a, five x's
	if want := 3*actionBlock/4 + 2 + 5; len(l.shapes) != want {
		t.Fatalf("%d shapes, want %d (one per distinct action)", len(l.shapes), want)
	}
}
