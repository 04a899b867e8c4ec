// Package harness is the workload shared by every core under benchmark: three
// nodes in one process, messages handed over directly through a queue (no
// goroutines, no network), each node's log "persisted" to an in-memory slice,
// and every committed entry applied on all three nodes.
//
// A core plugs in by implementing Cluster. The package imports nothing but the
// standard library, so the wasm build of our core's runner does not drag in
// etcd.
package harness

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"time"
)

// PayloadSize is the size of every proposal, in bytes.
const PayloadSize = 16

// Cluster is three nodes of one core, wired to one another by a message queue.
//
// The harness only ever proposes to the leader elected by Elect and never
// ticks during the measured part, so no election, heartbeat or retry muddies
// the figures.
type Cluster interface {
	// Elect makes node 1 the leader and settles the cluster: the leader's
	// first entry is committed and applied everywhere and no message is in
	// flight. It is not timed.
	Elect() error
	// Propose hands one command to the leader.
	Propose(data []byte) error
	// WaitApplied delivers messages and handles each node's output until all
	// three nodes have applied at least n proposals. Messages that are still
	// queued when that happens stay queued for the next call.
	WaitApplied(n int) error
	// Applied returns how many proposals node i (0, 1 or 2) has applied and
	// the running hash of their payloads, in the order applied.
	Applied(i int) (count int, hash uint64)
}

// Mode is how proposals are fed to the leader.
type Mode struct {
	Name  string
	Batch int // proposals handed to the leader before waiting for them all to apply
}

// The two modes the budget is about.
var (
	OneAtATime = Mode{Name: "one-at-a-time", Batch: 1}
	Batched    = Mode{Name: "batch-100", Batch: 100}
)

// Payloads returns n distinct 16-byte commands. Command i starts with i
// (little endian) so that a reordering or a loss changes the applied hash.
// They share one backing array, allocated before the clock starts, so the
// measured allocations are the core's and its storage's only.
func Payloads(n int) [][]byte {
	buf := make([]byte, n*PayloadSize)
	out := make([][]byte, n)
	for i := range out {
		p := buf[i*PayloadSize : (i+1)*PayloadSize : (i+1)*PayloadSize]
		binary.LittleEndian.PutUint64(p[0:8], uint64(i))
		binary.LittleEndian.PutUint64(p[8:16], uint64(i)*0x9e3779b97f4a7c15)
		out[i] = p
	}
	return out
}

// Hash is the running hash every node keeps over the payloads it applies
// (64-bit FNV-1a, continued across entries).
type Hash uint64

// NewHash is the hash of nothing applied yet.
func NewHash() Hash { return 14695981039346656037 }

// Add folds one applied payload into the hash.
func (h Hash) Add(data []byte) Hash {
	for _, b := range data {
		h ^= Hash(b)
		h *= 1099511628211
	}
	return h
}

// Expected is the hash a node must reach after applying payloads in order.
func Expected(payloads [][]byte) uint64 {
	h := NewHash()
	for _, p := range payloads {
		h = h.Add(p)
	}
	return uint64(h)
}

// Result is one measured run of one core in one mode.
type Result struct {
	Core      string
	Mode      string
	Proposals int
	Elapsed   time.Duration
	CPU       time.Duration // process CPU time during the run (0 where unknown, as in wasm)
	Mallocs   uint64        // heap allocations during the run
	Bytes     uint64        // heap bytes allocated during the run
}

// PerSecond is the throughput: proposals committed and applied on all three
// nodes per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Proposals) / r.Elapsed.Seconds()
}

// PerCPUSecond is proposals per second of process CPU time (0 where CPU
// time is unknown). On a machine shared with other work it moves much less
// than PerSecond, which also counts the time spent waiting for a CPU.
func (r Result) PerCPUSecond() float64 {
	if r.CPU <= 0 {
		return 0
	}
	return float64(r.Proposals) / r.CPU.Seconds()
}

// AllocsPerProposal is heap allocations per proposal.
func (r Result) AllocsPerProposal() float64 {
	return float64(r.Mallocs) / float64(r.Proposals)
}

// BytesPerProposal is heap bytes allocated per proposal.
func (r Result) BytesPerProposal() float64 {
	return float64(r.Bytes) / float64(r.Proposals)
}

// Run elects a leader (not timed), then feeds every payload to the leader in
// the given mode and waits until all three nodes applied it (timed), then
// checks that every node applied exactly the payloads, in order.
func Run(core string, c Cluster, payloads [][]byte, mode Mode) (Result, error) {
	res := Result{Core: core, Mode: mode.Name, Proposals: len(payloads)}
	if err := c.Elect(); err != nil {
		return res, fmt.Errorf("%s: electing a leader: %w", core, err)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuStart, cpuOK := processCPU()
	start := time.Now()
	if err := Drive(c, payloads, mode.Batch); err != nil {
		return res, fmt.Errorf("%s %s: %w", core, mode.Name, err)
	}
	res.Elapsed = time.Since(start)
	if cpuEnd, ok := processCPU(); ok && cpuOK {
		res.CPU = cpuEnd - cpuStart
	}
	runtime.ReadMemStats(&after)
	res.Mallocs = after.Mallocs - before.Mallocs
	res.Bytes = after.TotalAlloc - before.TotalAlloc
	if err := Verify(c, payloads); err != nil {
		return res, fmt.Errorf("%s %s: %w", core, mode.Name, err)
	}
	return res, nil
}

// Drive is the measured loop: proposals go to the leader batch at a time, and
// each batch is committed and applied on all three nodes before the next.
func Drive(c Cluster, payloads [][]byte, batch int) error {
	if batch < 1 {
		return fmt.Errorf("batch size %d: must be at least 1", batch)
	}
	for i := 0; i < len(payloads); i += batch {
		end := min(i+batch, len(payloads))
		for _, p := range payloads[i:end] {
			if err := c.Propose(p); err != nil {
				return fmt.Errorf("proposal %d: %w", i, err)
			}
		}
		if err := c.WaitApplied(end); err != nil {
			return fmt.Errorf("waiting for proposal %d: %w", end-1, err)
		}
	}
	return nil
}

// ErrDiverged reports that the nodes did not all apply exactly the proposals.
var ErrDiverged = errors.New("nodes did not apply exactly the proposals, in order")

// Verify checks that each of the three nodes applied exactly the payloads,
// in order (same count, same running hash as the payloads themselves).
func Verify(c Cluster, payloads [][]byte) error {
	want := Expected(payloads)
	for i := range 3 {
		count, hash := c.Applied(i)
		if count != len(payloads) || hash != want {
			return fmt.Errorf("%w: node %d applied %d proposals (hash %#x), want %d (hash %#x)",
				ErrDiverged, i+1, count, hash, len(payloads), want)
		}
	}
	return nil
}

// ErrStalled is returned by a Cluster whose nodes have nothing left to do
// although the proposals are not applied everywhere.
var ErrStalled = errors.New("cluster stalled: no output and no message in flight, but proposals are not applied everywhere")
