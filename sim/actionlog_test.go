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

// Each shape is found again by its hash, whatever the action before it:
// every argument and the kind count in the hash (two actions differing in
// one of them only do not take each other's place), and the last shape is
// reused only when both kind and arguments match.
func TestActionLogFindsEachShape(t *testing.T) {
	var l actionLog
	acts := []Action{
		{Kind: "x", Args: []string{"a"}}, {Kind: "x", Args: []string{"b"}},
		{Kind: "y", Args: []string{"a"}}, {Kind: "crash", Args: []string{"B"}},
		{Kind: "restart", Args: []string{"B"}}, {Kind: "x", Args: []string{"a", "c"}},
		{Kind: "x", Args: []string{"b", "c"}},
		// two kinds whose hashes would agree if a string's end divided the
		// hash instead of multiplying it (it would keep only 24 bits)
		{Kind: "k2937", Args: []string{"a"}}, {Kind: "k4210", Args: []string{"a"}},
	}
	for round := 0; round < 3; round++ {
		for i, a := range acts {
			a.At = int64(round*len(acts) + i)
			l.add(a)
		}
	}
	if len(l.shapes) != len(acts) {
		t.Fatalf("%d shapes for %d distinct actions repeated: %+v", len(l.shapes), len(acts), l.shapes)
	}
	for i := 0; i < l.len(); i++ {
		if got, want := l.at(i), acts[i%len(acts)]; got.Kind != want.Kind || !slices.Equal(got.Args, want.Args) {
			t.Fatalf("action %d = %+v, want %+v", i, got, want)
		}
	}
}

// The hash index is bounded: it starts over once it holds 4096 shapes (the
// shapes themselves stay), so a long run with many distinct requests does
// not keep a map the size of its history. An action seen before the index
// started over then costs a new shape, and reads back the same.
func TestActionLogIndexBound(t *testing.T) {
	var l actionLog
	req := func(i int) Action {
		return Action{At: int64(l.len()), Kind: "request", Args: []string{"SET k" + strconv.Itoa(i) + " 1"}}
	}
	for i := 0; i < 4096; i++ {
		l.add(req(i))
	}
	l.add(req(0)) // still indexed: the same shape
	if len(l.shapes) != 4096 || len(l.index) != 4096 {
		t.Fatalf("%d shapes, %d indexed; want 4096 of each", len(l.shapes), len(l.index))
	}
	l.add(req(4096)) // the index is full: it starts over with this one
	if len(l.shapes) != 4097 || len(l.index) != 1 {
		t.Fatalf("%d shapes, %d indexed; want 4097 and the index started over (1)", len(l.shapes), len(l.index))
	}
	l.add(req(1)) // forgotten by the index: a new shape
	if len(l.shapes) != 4098 {
		t.Fatalf("%d shapes, want 4098", len(l.shapes))
	}
	if a := l.at(l.len() - 1); a.Args[0] != "SET k1 1" {
		t.Fatalf("last action %+v, want SET k1 1", a)
	}
}
