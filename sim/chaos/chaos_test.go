package chaos

import (
	"errors"
	"flag"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	flagSeed  = flag.Uint64("seed", 0, "run only this chaos seed, verbosely (TestChaos)")
	flagSeeds = flag.Int("seeds", 0, "how many chaos seeds TestChaos runs (default 2000, or $CHAOS_SEEDS)")
)

// ciSeeds is how many seeds TestChaos runs by default (the issue asks for at
// least 2,000 in CI).
const ciSeeds = 2000

func seedCount(t *testing.T) int {
	if *flagSeeds > 0 {
		return *flagSeeds
	}
	if s := os.Getenv("CHAOS_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("CHAOS_SEEDS=%q: want a positive number", s)
		}
		return n
	}
	return ciSeeds
}

// searchSeeds runs seeds first..first+n-1 on all cores and returns how many
// seeds ran and the lowest failing seed's error (nil if all passed).
func searchSeeds(first uint64, n int, opt Options) (int, error) {
	var (
		next    atomic.Uint64
		ran     atomic.Int64
		mu      sync.Mutex
		lowest  uint64
		failure error
		wg      sync.WaitGroup
	)
	next.Store(first)
	end := first + uint64(n)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seed := next.Add(1) - 1
				if seed >= end {
					return
				}
				mu.Lock()
				stop := failure != nil && seed > lowest
				mu.Unlock()
				if stop {
					return
				}
				_, err := Run(seed, opt)
				ran.Add(1)
				if err != nil {
					mu.Lock()
					if failure == nil || seed < lowest {
						failure, lowest = err, seed
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return int(ran.Load()), failure
}

// TestChaos runs thousands of random fault schedules against the correct
// core: every invariant, linearizability and liveness must hold. A failure
// prints the seed and the command that replays it.
func TestChaos(t *testing.T) {
	if *flagSeed != 0 {
		res, err := Run(*flagSeed, Options{Log: testWriter{t}})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("seed %d passed: %+v", *flagSeed, res)
		return
	}
	n := seedCount(t)
	start := time.Now()
	ran, err := searchSeeds(1, n, Options{})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("%v\n(or: go test ./sim/chaos -run 'TestChaos$' -seed=%d -v)", err, seedOf(err))
	}
	t.Logf("%d seeds passed in %v: %.0f seeds/s on %d cores", ran, elapsed.Round(time.Millisecond),
		float64(ran)/elapsed.Seconds(), runtime.GOMAXPROCS(0))
}

// TestChaosProfiles runs the bug-hunting profiles against the correct core:
// their faults are harsher (and the figure8 one reacts to events), and the
// core must survive them too.
func TestChaosProfiles(t *testing.T) {
	if *flagSeed != 0 {
		t.Skip("-seed replays TestChaos's default profile")
	}
	for _, c := range []struct {
		name  string
		seeds int
	}{{"crashy", 300}, {"figure8", 60}, {"membership", 300}} {
		t.Run(c.name, func(t *testing.T) {
			p, err := ProfileByName(c.name)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			ran, err := searchSeeds(1, c.seeds, Options{Profile: p, ProfileName: c.name})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d seeds passed in %v", ran, time.Since(start).Round(time.Millisecond))
		})
	}
}

func seedOf(err error) uint64 {
	var f *Failure
	if errors.As(err, &f) {
		return f.Seed
	}
	return 0
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func BenchmarkChaosSeed(b *testing.B) {
	seed := uint64(1)
	for b.Loop() {
		if _, err := Run(seed, Options{}); err != nil {
			b.Fatal(err)
		}
		seed++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seeds/s")
}

// BenchmarkChaosSeedFigure8 runs the figure8 profile's seeds 1 to 50 over and
// over (a fixed set, so that runs before and after a change compare).
func BenchmarkChaosSeedFigure8(b *testing.B) {
	opt := Options{Profile: Figure8Profile(), ProfileName: "figure8"}
	i := 0
	for b.Loop() {
		if _, err := Run(uint64(1+i%50), opt); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seeds/s")
}
