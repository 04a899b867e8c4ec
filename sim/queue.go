package sim

// eventKind is what a queued event does.
type eventKind uint8

const (
	evDeliver     eventKind = iota + 1 // deliver in-flight message a
	evRequestWake                      // request a: its retry timer fired (b is the timer generation)
	evPlan                             // scheduled scenario action a
	evMembership                       // re-check automatic membership work (learner promotion)
)

// event is one entry of the queue. Per-node ticks are not queued: they happen
// at every multiple of TickMs for every live node (see Sim.nextEvent).
type event struct {
	at   int64
	seq  uint64 // insertion order: ties at the same time keep it
	kind eventKind
	a    int // evDeliver: the message's slot; evRequestWake: the request id
	b    int // evDeliver: the message id; evRequestWake: the timer generation
	c    int // evDeliver: the hold generation
}

func (e *event) before(o *event) bool {
	if e.at != o.at {
		return e.at < o.at
	}
	return e.seq < o.seq
}

// eventQueue is a binary min-heap ordered by (at, seq): deterministic, no
// allocation per operation once grown.
type eventQueue struct {
	h   []event
	seq uint64
}

func (q *eventQueue) len() int { return len(q.h) }

func (q *eventQueue) push(at int64, kind eventKind, a, b, c int) {
	q.pushEvent(event{at: at, kind: kind, a: a, b: b, c: c})
}

func (q *eventQueue) pushEvent(e event) {
	q.seq++
	e.seq = q.seq
	q.h = append(q.h, e)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.h[i].before(&q.h[p]) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

func (q *eventQueue) peek() *event { return &q.h[0] }

func (q *eventQueue) pop() event {
	top := q.h[0]
	last := len(q.h) - 1
	q.h[0] = q.h[last]
	q.h[last] = event{}
	q.h = q.h[:last]
	i := 0
	for {
		l, r := 2*i+1, 2*i+2
		m := i
		if l < last && q.h[l].before(&q.h[m]) {
			m = l
		}
		if r < last && q.h[r].before(&q.h[m]) {
			m = r
		}
		if m == i {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return top
}
