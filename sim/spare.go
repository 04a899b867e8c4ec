package sim

import "sync"

// spare keeps the largest buffers of simulators that are done (Release) for
// the next ones: the narration ring's chunks and the action log's blocks.
// A search that runs simulator after simulator (the chaos search: hundreds
// of runs a second, each a fresh simulator) then reuses them instead of
// allocating and zeroing them again; that matters most in wasm, where the
// collector runs on the one thread the search has (docs/benchmarks.md,
// "Lab"). It is bounded: at most one full ring and a few blocks.
var spare struct {
	sync.Mutex
	events  [][]Event     // chunks of eventRingChunk events
	actions [][]actionRec // empty blocks of capacity actionBlock
}

const spareActionBlocks = 4

// newEventChunk is a chunk of the narration ring, spare or new. A spare
// chunk holds old events: the ring writes every position before it reads it.
func newEventChunk() []Event {
	if c, ok := takeSpare(&spare.events); ok {
		return c
	}
	return make([]Event, eventRingChunk)
}

// newActionBlock is an empty block of the action log, spare or new.
func newActionBlock() []actionRec {
	if b, ok := takeSpare(&spare.actions); ok {
		return b
	}
	return make([]actionRec, 0, actionBlock)
}

// takeSpare takes the last buffer of a spare list, if it has one.
func takeSpare[T any](list *[][]T) ([]T, bool) {
	spare.Lock()
	defer spare.Unlock()
	n := len(*list)
	if n == 0 {
		return nil, false
	}
	b := (*list)[n-1]
	*list = (*list)[:n-1]
	return b, true
}

// Release hands the simulator's largest buffers (its narration and its
// action log) to the simulators made after it. The simulator must not be
// used afterwards: its narration and actions are gone (Share, Events and
// the rest would say nothing). Releasing is optional; a simulator not
// released is collected as usual.
func (s *Sim) Release() {
	spare.Lock()
	defer spare.Unlock()
	for _, c := range s.ev.chunks {
		if len(spare.events) < maxEvents/eventRingChunk {
			spare.events = append(spare.events, c)
		}
	}
	for _, b := range s.actions.blocks {
		if len(spare.actions) < spareActionBlocks {
			spare.actions = append(spare.actions, b[:0])
		}
	}
	s.ev = eventRing{next: s.ev.next}
	s.actions = actionLog{}
}
