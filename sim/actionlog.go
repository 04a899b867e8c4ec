package sim

import "slices"

// actionBlock is how many actions one block of the log holds: a log in
// fixed blocks never reallocates (a doubling slice would waste up to half
// its memory on a long run with many requests).
const actionBlock = 4096

// actionLog is the append-only log of user actions. It grows with the run,
// so it holds no pointers, which the garbage collector would otherwise
// scan on every cycle: an action is its time plus the index of its kind and
// arguments in a table of the distinct ones (the same request sent again
// and again is one entry).
type actionLog struct {
	blocks [][]actionRec
	n      int
	shapes []actionShape
	index  map[uint64]uint32 // shapeHash of kind and arguments -> index in shapes
	last   uint32            // the shape added last, plus one (0: none)
}

type actionRec struct {
	at    int64
	shape uint32
}

type actionShape struct {
	kind string
	args []string
}

// Not inlined: replay and sharing only (docs/benchmarks.md).
//
//go:noinline
func (l *actionLog) len() int { return l.n }

// at returns action i. Its Args are shared: callers must not modify them.
//
// Not inlined: read back when a run is replayed or shared, not per event (docs/benchmarks.md).
//
//go:noinline
func (l *actionLog) at(i int) Action {
	r := l.blocks[i/actionBlock][i%actionBlock]
	sh := &l.shapes[r.shape]
	return Action{At: r.at, Kind: sh.kind, Args: sh.args}
}

func (l *actionLog) add(a Action) {
	if l.n%actionBlock == 0 {
		l.blocks = append(l.blocks, newActionBlock())
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, actionRec{at: a.At, shape: l.shapeOf(a.Kind, a.Args)})
	l.n++
}

// shapeOf interns a kind and its arguments.
func (l *actionLog) shapeOf(kind string, args []string) uint32 {
	if l.last > 0 {
		if sh := &l.shapes[l.last-1]; sh.kind == kind && slices.Equal(sh.args, args) {
			return l.last - 1
		}
	}
	h := shapeHash(kind, args)
	if k, ok := l.index[h]; ok {
		if sh := &l.shapes[k]; sh.kind == kind && slices.Equal(sh.args, args) {
			l.last = k + 1
			return k
		}
		// A collision: the new shape takes the hash over (the table keeps both).
	}
	if l.index == nil || len(l.index) >= 4096 {
		l.index = map[uint64]uint32{} // bounded: start over (the table keeps what it has)
	}
	k := uint32(len(l.shapes))
	l.shapes = append(l.shapes, actionShape{kind: kind, args: slices.Clone(args)})
	l.index[h] = k
	l.last = k + 1
	return k
}

// shapeHash is FNV-1a over the kind and each argument, each followed by a
// byte no text holds alone (0xff), without joining them into a new string:
// a run with many distinct requests (the chaos search's bursts) interns one
// shape per request.
func shapeHash(kind string, args []string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i := -1; i < len(args); i++ {
		s := kind
		if i >= 0 {
			s = args[i]
		}
		for j := 0; j < len(s); j++ {
			h = (h ^ uint64(s[j])) * prime
		}
		h = (h ^ 0xff) * prime
	}
	return h
}
