package sim

import (
	"math/rand/v2"

	"raftsandbox/raft"
)

// flight is one message in the network.
type flight struct {
	id        int
	msg       raft.Message
	from, to  int // node indexes
	sentAt    int64
	deliverAt int64
	held      bool
	skipped   bool // its delivery time passed while held: release re-queues it
	slot      int  // index in network.table while in flight
	lost      bool // chosen at send time by DropRate: vanishes at delivery
}

// network holds the messages in flight and the faults between nodes.
// Randomness comes from its own PCG stream, drawn in send order.
type network struct {
	rng    *rand.Rand
	nextID int
	live   int
	free   []*flight // recycled messages
	// table maps a slot (what queued events hold, so the queue has no
	// pointers for the garbage collector to chase) to the message in
	// flight, or nil.
	table     []*flight
	freeSlots []int

	// group[i] is node i's partition group; all zero when whole.
	group       []int
	partitioned bool
	// cut[from][to] is a one-way link cut; nil rows mean no cut from that node.
	cut [][]bool
}

func newNetwork(seed uint64) *network {
	return &network{rng: rand.New(rand.NewPCG(seed, 0x6e6574776f726b))}
}

func (n *network) addNode() {
	g := 0
	if n.partitioned {
		g = n.restGroup()
	}
	n.group = append(n.group, g)
	for i := range n.cut {
		if n.cut[i] != nil {
			n.cut[i] = append(n.cut[i], false)
		}
	}
	n.cut = append(n.cut, nil)
}

// restGroup is the group of nodes not named in the partition (the highest number).
//
// Not inlined: partition actions only (docs/benchmarks.md).
//
//go:noinline
func (n *network) restGroup() int {
	m := 0
	for _, g := range n.group {
		m = max(m, g)
	}
	return m
}

// blocked reports whether a message from -> to cannot cross now.
func (n *network) blocked(from, to int) (bool, string) {
	if n.partitioned && n.group[from] != n.group[to] {
		return true, "partition"
	}
	if n.cut[from] != nil && n.cut[from][to] {
		return true, "cut"
	}
	return false, ""
}

func (n *network) setCut(from, to int, on bool) {
	if n.cut[from] == nil {
		if !on {
			return
		}
		n.cut[from] = make([]bool, len(n.group))
	}
	n.cut[from][to] = on
}

func (n *network) heal() {
	for i := range n.group {
		n.group[i] = 0
	}
	n.partitioned = false
	for i := range n.cut {
		n.cut[i] = nil
	}
}

// latency draws one message's delay from the current settings.
func (n *network) latency(cfg *Config) int64 {
	d := cfg.LatencyMinMs
	if span := cfg.LatencyMaxMs - cfg.LatencyMinMs; span > 0 {
		d += n.rng.Int64N(span + 1)
	}
	if cfg.ReorderRate > 0 && n.rng.Float64() < cfg.ReorderRate {
		// Reordering: an extra delay of up to twice the maximum latency lets
		// later messages overtake this one.
		d += 1 + n.rng.Int64N(2*max(cfg.LatencyMaxMs, 1))
	}
	return d
}

// send puts a message (and maybe a duplicate) in flight and returns them.
// The random draws happen in a fixed order per message, so the stream stays
// aligned across replays.
func (n *network) send(cfg *Config, now int64, from, to int, m *raft.Message, out []*flight) []*flight {
	copies := 1
	if cfg.DupRate > 0 && n.rng.Float64() < cfg.DupRate {
		copies = 2
	}
	for c := 0; c < copies; c++ {
		lost := cfg.DropRate > 0 && n.rng.Float64() < cfg.DropRate
		n.nextID++
		var f *flight
		if k := len(n.free); k > 0 {
			f = n.free[k-1]
			n.free = n.free[:k-1]
		} else {
			f = new(flight)
		}
		*f = flight{id: n.nextID, msg: *m, from: from, to: to, sentAt: now,
			deliverAt: now + n.latency(cfg), lost: lost}
		if k := len(n.freeSlots); k > 0 {
			f.slot = n.freeSlots[k-1]
			n.freeSlots = n.freeSlots[:k-1]
			n.table[f.slot] = f
		} else {
			f.slot = len(n.table)
			n.table = append(n.table, f)
		}
		n.live++
		out = append(out, f)
	}
	return out
}

// remove takes a message out of flight. The flight may be reused by the
// next send: callers read what they need first.
func (n *network) remove(f *flight) {
	if n.table[f.slot] != f {
		return
	}
	n.table[f.slot] = nil
	n.freeSlots = append(n.freeSlots, f.slot)
	n.live--
	n.free = append(n.free, f)
}

// inFlight counts the messages in the network.
func (n *network) inFlight() int { return n.live }

// at returns the message in a slot if it is still the one with that id.
func (n *network) at(slot, id int) *flight {
	if slot < 0 || slot >= len(n.table) {
		return nil
	}
	if f := n.table[slot]; f != nil && f.id == id {
		return f
	}
	return nil
}

// find returns the in-flight message with the given id, or nil.
//
// Not inlined: actions on one message only (docs/benchmarks.md).
//
//go:noinline
func (n *network) find(id int) *flight {
	for _, f := range n.table {
		if f != nil && f.id == id {
			return f
		}
	}
	return nil
}

// inOrder returns the messages in flight by id.
func (n *network) inOrder() []*flight {
	out := make([]*flight, 0, n.live)
	for _, f := range n.table {
		if f != nil {
			out = append(out, f)
		}
	}
	sortFlights(out)
	return out
}

// sortFlights sorts by id with a heap sort (a generic sort would add its
// code to the wasm for this one call).
func sortFlights(a []*flight) {
	for i := len(a)/2 - 1; i >= 0; i-- {
		siftFlight(a, i, len(a))
	}
	for end := len(a) - 1; end > 0; end-- {
		a[0], a[end] = a[end], a[0]
		siftFlight(a, 0, end)
	}
}

func siftFlight(a []*flight, i, n int) {
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && a[c+1].id > a[c].id {
			c++
		}
		if a[i].id >= a[c].id {
			return
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
}
