package sim

import (
	"os"
	"strconv"
	"testing"
)

// TestNoFalseAlarms: the checker stays quiet on a correct core under a
// hostile random workload (crashes, partitions, loss, duplication,
// reordering, compaction). SIM_SEEDS=n runs more seeds.
func TestNoFalseAlarms(t *testing.T) {
	seeds := 30
	if v, err := strconv.Atoi(os.Getenv("SIM_SEEDS")); err == nil {
		seeds = v
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		s := randomWorkload(t, seed, 4000)
		if s.emptyDeliveries != 0 {
			t.Fatalf("seed %d: %d empty messages delivered (a recycled message was read after reuse)", seed, s.emptyDeliveries)
		}
		if v := s.Violations(); len(v) > 0 {
			t.Fatalf("seed %d: %+v\nreplay: SIM_SEEDS=%d go test ./sim/ -run TestNoFalseAlarms", seed, v[0], seed)
		}
	}
}
