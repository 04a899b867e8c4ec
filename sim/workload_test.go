package sim

import (
	"math/rand/v2"
	"raftsandbox/raft"
	"testing"
)

// randomWorkload runs a fixed random workload derived from seed: requests,
// crashes and restarts, partitions and heals, message loss, duplication and
// reordering, for the given virtual time. It fails the test on any error.
func randomWorkload(t testing.TB, seed uint64, ms int64) *Sim {
	t.Helper()
	return workload(t, seed, ms, raft.Bugs{}, true)
}

// bugWorkload is randomWorkload with deliberate bugs switched on; a
// violation ends it early instead of failing the test.
func bugWorkload(t testing.TB, seed uint64, ms int64, bugs raft.Bugs) *Sim {
	t.Helper()
	return workload(t, seed, ms, bugs, false)
}

func workload(t testing.TB, seed uint64, ms int64, bugs raft.Bugs, strict bool) *Sim {
	cfg := DefaultConfig()
	cfg.Bugs = bugs
	cfg.Seed = seed
	cfg.DropRate, cfg.DupRate, cfg.ReorderRate = 0.02, 0.02, 0.05
	cfg.SnapshotEvery = 20
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 0x776f726b))
	names := []string{"A", "B", "C", "D", "E"}
	for s.Now() < ms {
		if err := s.Advance(20 + rng.Int64N(80)); err != nil {
			if !strict {
				return s
			}
			t.Fatalf("seed %d: %v (replay: SIM_SEEDS=%d go test ./sim/ -run TestNoFalseAlarms)", seed, err, seed)
		}
		switch k := rng.IntN(100); {
		case k < 60:
			cmds := []string{"SET 5", "ADD 2", "GET", "SET y 3", "ADD y -1", "GET y"}
			to := ""
			if rng.IntN(10) == 0 {
				to = names[rng.IntN(len(names))]
			}
			_, _ = s.Request(cmds[rng.IntN(len(cmds))], to)
		case k < 66:
			_ = s.Crash(names[rng.IntN(len(names))])
		case k < 76:
			_ = s.Restart(names[rng.IntN(len(names))])
		case k < 79:
			p := rng.Perm(len(names))
			_ = s.Partition([][]string{{names[p[0]], names[p[1]]}})
		case k < 84:
			_ = s.Heal()
		case k < 86:
			_ = s.Timeout(names[rng.IntN(len(names))])
		case k < 88:
			_ = s.TransferLeadership(names[rng.IntN(len(names))])
		case k < 89:
			if len(names) < 7 {
				if id, err := s.AddNode(); err == nil {
					names = append(names, id)
				}
			}
		case k < 90:
			_ = s.RemoveNode(names[rng.IntN(len(names))])
		}
	}
	return s
}

func TestWorkloadRuns(t *testing.T) {
	s := randomWorkload(t, 7, 3000)
	if !s.State().Invariants.OK {
		t.Fatal(s.Violations())
	}
}
