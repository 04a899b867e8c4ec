package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Nothing a caller passes makes the simulator panic: random sequences of
// API calls with valid and invalid arguments, on random clusters.
func TestAPINeverPanics(t *testing.T) {
	names := []string{"A", "B", "C", "E", "G", "Z", "", "a", " A ", "AA", "A,B", "-", "\x00"}
	cmds := []string{"SET 5", "ADD -3", "GET", "GET y", "", "SET", "SET 1 2 3", "ADD x 9223372036854775807",
		"DEL x", "set Y 1", "GET toolongkeyname_xx", "SET x 1e3", "\xff\xfe"}
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		cfg := DefaultConfig()
		cfg.Seed = seed
		cfg.Nodes = 1 + rng.IntN(7)
		cfg.DropRate = rng.Float64() * 0.2
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("seed %d: panic: %v (replay: go test ./sim/ -run TestAPINeverPanics)", seed, r)
				}
			}()
			pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
			for k := 0; k < 300; k++ {
				switch rng.IntN(22) {
				case 0:
					_ = s.Advance(rng.Int64N(200) - 20)
				case 1:
					_ = s.Tick(rng.IntN(30) - 3)
				case 2:
					s.Step()
				case 3:
					_, _ = s.Request(pick(cmds), pick(append(names, "", "", "")))
				case 4:
					_ = s.Crash(pick(names))
				case 5:
					_ = s.Restart(pick(names))
				case 6:
					_ = s.Partition([][]string{{pick(names), pick(names)}, {pick(names)}})
				case 7:
					_ = s.Heal()
				case 8:
					_ = s.CutLink(pick(names), pick(names))
				case 9:
					_ = s.Timeout(pick(names))
				case 10:
					_ = s.TransferLeadership(pick(names))
				case 11:
					_, _ = s.AddNode()
				case 12:
					_ = s.RemoveNode(pick(names))
				case 13:
					_ = s.DropMessage(rng.IntN(200) - 5)
				case 14:
					_ = s.HoldMessage(rng.IntN(200)-5, rng.IntN(2) == 0)
				case 15:
					lo, hi := rng.Int64N(100)-10, rng.Int64N(100)
					nan := math.NaN()
					_ = s.Configure(Settings{LatencyMinMs: &lo, LatencyMaxMs: &hi})
					_ = s.Configure(Settings{DupRate: &nan})
				case 16:
					if s.Now() > 0 {
						_ = s.RewindTo(rng.Int64N(s.Now() + 1))
					}
				case 17:
					st := s.State()
					if len(st.Messages) > 0 {
						_ = s.DropMessage(st.Messages[rng.IntN(len(st.Messages))].ID)
					}
				case 18:
					_ = s.Events(uint64(rng.IntN(100)))
				case 19:
					_ = s.Share()
				case 20:
					if rng.IntN(20) == 0 {
						s.Reset()
					}
				case 21:
					pv := rng.IntN(2) == 0
					_ = s.Configure(Settings{PreVote: &pv})
				}
			}
		}()
		if v := s.Violations(); len(v) > 0 {
			t.Fatalf("seed %d: %+v", seed, v[0])
		}
	}
}
