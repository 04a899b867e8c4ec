package sim

// eventKind is what a queued event does.
type eventKind uint8

const (
	_             eventKind = iota // 0: none (a blank, not iota + 1: see docs/testing.md)
	evDeliver                      // deliver in-flight message a
	evRequestWake                  // request a: its retry timer fired
	evPlan                         // scheduled scenario action a
	evMembership                   // re-check automatic membership work (learner promotion)
)

// event is one entry of the queue. Per-node ticks are not queued: they happen
// at every multiple of TickMs for every live node (see Sim.nextEvent).
type event struct {
	at   int64
	seq  uint64 // insertion order: ties at the same time keep it
	b    int    // evDeliver: the message id
	a    int32  // evDeliver: the message's slot; evRequestWake: the request id
	kind eventKind
}

func (e *event) before(o *event) bool {
	if e.at != o.at {
		return e.at < o.at
	}
	return e.seq < o.seq
}

// eventQueue is a binary min-heap ordered by (at, seq): deterministic, no
// allocation per operation once grown.
//
// Timers that are pushed in time order (request retry timers all have the
// same delay) go to a FIFO instead, which keeps the heap small: most of them
// are stale by the time they fire. Popping takes the smaller head, so the
// order is exactly that of a single heap.
type eventQueue struct {
	// h[:n] is the heap. Keeping its length apart means pushing and
	// popping never store the slice itself (a pointer: a write barrier
	// while the garbage collector marks), except to grow it.
	h    []event
	n    int
	seq  uint64
	fifo []event
	head int // fifo[head:] is pending
}

func (q *eventQueue) len() int { return q.n + len(q.fifo) - q.head }

// push queues an event; a must fit in 32 bits (slots and request ids do).
func (q *eventQueue) push(at int64, kind eventKind, a, b int) {
	q.pushEvent(event{at: at, kind: kind, a: int32(a), b: b})
}

func (q *eventQueue) pushEvent(e event) {
	q.seq++
	e.seq = q.seq
	if e.kind == evRequestWake && (q.head == len(q.fifo) || q.fifo[len(q.fifo)-1].at <= e.at) {
		if q.head == len(q.fifo) {
			q.fifo, q.head = q.fifo[:0], 0
		} else if q.head > 256 && q.head*2 > len(q.fifo) {
			n := copy(q.fifo, q.fifo[q.head:])
			q.fifo, q.head = q.fifo[:n], 0
		}
		q.fifo = append(q.fifo, e)
		return
	}
	// Sift up with a hole: move parents down, write e once. e is the newest
	// event (the largest seq), so a parent at the same time comes first.
	if q.n == len(q.h) {
		q.h = append(q.h, e)
	}
	h := q.h
	i := q.n
	q.n++
	for i > 0 {
		p := (i - 1) / 2
		if h[p].at <= e.at {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

// fifoFirst reports whether the FIFO's head comes before the heap's top.
func (q *eventQueue) fifoFirst() bool {
	if q.head == len(q.fifo) {
		return false
	}
	return q.n == 0 || q.fifo[q.head].before(&q.h[0])
}

func (q *eventQueue) peek() *event {
	if q.fifoFirst() {
		return &q.fifo[q.head]
	}
	return &q.h[0]
}

func (q *eventQueue) pop() event {
	if q.fifoFirst() {
		q.head++
		return q.fifo[q.head-1]
	}
	h := q.h
	top := h[0]
	n := q.n - 1
	last := h[n]
	q.n = n // events hold no pointers: nothing to clear
	if n == 0 {
		return top
	}
	// Sift down with a hole: move the smaller child up, write last once.
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && (h[r].at < h[c].at || (h[r].at == h[c].at && h[r].seq < h[c].seq)) {
			c = r
		}
		if last.at < h[c].at || (last.at == h[c].at && last.seq < h[c].seq) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = last
	return top
}
