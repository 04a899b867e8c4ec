package bench_test

import (
	"fmt"
	"testing"

	"raftsandbox/bench/etcdcore"
	"raftsandbox/bench/harness"
	"raftsandbox/bench/ours"
)

var cores = []harness.Core{
	{Name: ours.Name, New: func() (harness.Cluster, error) { return ours.New() }},
	{Name: etcdcore.Name, New: func() (harness.Cluster, error) { return etcdcore.New() }},
}

// TestHarnessAppliesEverything runs the benchmark's workload at a small size
// on both cores and both modes: every node must apply every proposal, in order.
func TestHarnessAppliesEverything(t *testing.T) {
	payloads := harness.Payloads(1000)
	for _, c := range cores {
		for _, mode := range []harness.Mode{harness.OneAtATime, harness.Batched, {Name: "batch-7", Batch: 7}} {
			t.Run(c.Name+"/"+mode.Name, func(t *testing.T) {
				cl, err := c.New()
				if err != nil {
					t.Fatal(err)
				}
				res, err := harness.Run(c.Name, cl, payloads, mode)
				if err != nil {
					t.Fatal(err)
				}
				if res.Proposals != len(payloads) || res.Elapsed <= 0 {
					t.Fatalf("result %+v: want %d proposals and a positive elapsed time", res, len(payloads))
				}
				for i := range 3 {
					n, _ := cl.Applied(i)
					if n != len(payloads) {
						t.Errorf("node %d applied %d proposals, want %d", i+1, n, len(payloads))
					}
					// The log holds the leader's first entry plus every proposal.
					if got := cl.(interface{ PersistedEntries(int) int }).PersistedEntries(i); got < len(payloads)+1 {
						t.Errorf("node %d persisted %d entries, want at least %d", i+1, got, len(payloads)+1)
					}
				}
			})
		}
	}
}

// TestVerifyCatchesDivergence makes sure the correctness check is not vacuous:
// a node that applied one payload out of order, or one too few, fails it.
func TestVerifyCatchesDivergence(t *testing.T) {
	payloads := harness.Payloads(10)
	swapped := append([][]byte{payloads[1], payloads[0]}, payloads[2:]...)
	for name, applied := range map[string][][]byte{
		"in order": payloads, "swapped": swapped, "one short": payloads[:9],
	} {
		err := harness.Verify(fakeCluster(applied), payloads)
		if (err == nil) != (name == "in order") {
			t.Errorf("%s: Verify returned %v", name, err)
		}
	}
}

type fakeCluster [][]byte

func (f fakeCluster) Elect() error          { return nil }
func (f fakeCluster) Propose([]byte) error  { return nil }
func (f fakeCluster) WaitApplied(int) error { return nil }
func (f fakeCluster) Applied(int) (int, uint64) {
	return len(f), harness.Expected(f)
}

func benchmark(b *testing.B, c harness.Core, batch int) {
	payloads := harness.Payloads(b.N)
	cl, err := c.New()
	if err != nil {
		b.Fatal(err)
	}
	if err := cl.Elect(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := harness.Drive(cl, payloads, batch); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if err := harness.Verify(cl, payloads); err != nil {
		b.Fatal(err)
	}
}

// One op is one 16-byte proposal committed and applied on all three nodes.
func BenchmarkOursOneAtATime(b *testing.B) { benchmark(b, cores[0], 1) }
func BenchmarkEtcdOneAtATime(b *testing.B) { benchmark(b, cores[1], 1) }
func BenchmarkOursBatch100(b *testing.B)   { benchmark(b, cores[0], 100) }
func BenchmarkEtcdBatch100(b *testing.B)   { benchmark(b, cores[1], 100) }

func Example() {
	cl, err := etcdcore.New()
	if err != nil {
		panic(err)
	}
	res, err := harness.Run(etcdcore.Name, cl, harness.Payloads(500), harness.Batched)
	fmt.Println(res.Proposals, err)
	// Output: 500 <nil>
}
