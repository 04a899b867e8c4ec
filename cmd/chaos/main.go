// Command chaos soaks the Raft core in the simulator with random fault
// schedules, one per seed, and prints seeds per second. On the first failure
// it prints the seed and the one command that replays it, and exits 1.
//
//	go run ./cmd/chaos -seeds 100000            # a soak on every core
//	go run ./cmd/chaos -seed 1234 -v            # replay one seed, printing every action
//	go run ./cmd/chaos -bug ack-before-durable  # hunt for a deliberate bug
//	go run ./cmd/chaos -seed 1234 -viz history.html  # draw the client history (porcupine)
//	go run ./cmd/chaos -seed 1234 -export sim/chaos_1234_test.go
//	                                            # write the run as a Go regression test
//
// See docs/chaos.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"raftsandbox/sim"
	"raftsandbox/sim/chaos"
	"raftsandbox/sim/export"
)

type bugList []string

func (b *bugList) String() string     { return strings.Join(*b, ",") }
func (b *bugList) Set(v string) error { *b = append(*b, v); return nil }

func main() {
	seeds := flag.Int("seeds", 10000, "how many seeds to run (from -start)")
	start := flag.Uint64("start", 1, "first seed")
	seed := flag.Uint64("seed", 0, "run only this seed")
	verbose := flag.Bool("v", false, "print the plan and every action (with -seed)")
	viz := flag.String("viz", "", "with -seed: write porcupine's picture of the client history to this HTML file")
	exportTo := flag.String("export", "", "with -seed: write the run as a Go test to this file (package sim_test: put it in sim/)")
	workers := flag.Int("workers", runtime.GOMAXPROCS(0), "parallel runs")
	profile := flag.String("profile", "default", "fault profile: "+strings.Join(chaos.ProfileNames(), ", "))
	var bugs bugList
	flag.Var(&bugs, "bug", "turn on a deliberate bug in the core (repeatable): "+strings.Join(chaos.AllBugNames(), ", "))
	flag.Parse()

	opt := chaos.Options{ProfileName: *profile}
	var err error
	if opt.Profile, err = chaos.ProfileByName(*profile); err != nil {
		fatal(err)
	}
	for _, name := range bugs {
		if err := chaos.SetBug(&opt.Bugs, name); err != nil {
			fatal(err)
		}
	}
	if *seed != 0 {
		if *verbose {
			opt.Log = os.Stdout
		}
		opt.Visualize = *viz
		var exportErr error
		if *exportTo != "" {
			label := fmt.Sprintf("chaos seed %d %s", *seed, strings.Join(chaos.BugNames(opt.Bugs), " "))
			opt.OnEnd = func(s *sim.Sim) { exportErr = writeTest(*exportTo, label, s) }
		}
		res, err := chaos.Run(*seed, opt)
		if exportErr != nil {
			fatal(exportErr)
		} else if *exportTo != "" {
			fmt.Printf("wrote %s\n", *exportTo)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("seed %d passed: %+v\n", *seed, res)
		return
	}
	if *viz != "" || *exportTo != "" || *verbose {
		fatal(errors.New("-v, -viz and -export need -seed: they describe one run"))
	}
	if *seeds <= 0 || *workers <= 0 {
		fatal(errors.New("-seeds and -workers must be positive"))
	}
	soak(*start, *seeds, *workers, opt)
}

func soak(first uint64, n, workers int, opt chaos.Options) {
	var (
		next, done atomic.Uint64
		timedOut   atomic.Int64
		mu         sync.Mutex
		failure    *chaos.Failure
		wg         sync.WaitGroup
	)
	next.Store(first)
	end := first + uint64(n)
	began := time.Now()
	stopTicker := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				d := done.Load()
				fmt.Printf("%d/%d seeds, %.0f seeds/s\n", d, n, float64(d)/time.Since(began).Seconds())
			case <-stopTicker:
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				seed := next.Add(1) - 1
				mu.Lock()
				stop := seed >= end || (failure != nil && seed > failure.Seed)
				mu.Unlock()
				if stop {
					return
				}
				res, err := chaos.Run(seed, opt)
				done.Add(1)
				if res.CheckTimed {
					timedOut.Add(1)
				}
				if err != nil {
					var f *chaos.Failure
					if !errors.As(err, &f) {
						f = &chaos.Failure{Seed: seed, Check: "simulator", Detail: err.Error(), Replay: chaos.ReplayCommand(seed, opt)}
					}
					mu.Lock()
					if failure == nil || f.Seed < failure.Seed {
						failure = f
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(stopTicker)
	elapsed := time.Since(began)
	d := done.Load()
	fmt.Printf("%d seeds in %v: %.0f seeds/s (%d workers, %s)\n", d, elapsed.Round(time.Millisecond),
		float64(d)/elapsed.Seconds(), workers, describe(opt))
	if t := timedOut.Load(); t > 0 {
		fmt.Printf("%d linearizability checks timed out (counted as passed)\n", t)
	}
	if failure != nil {
		fmt.Fprintf(os.Stderr, "FAILED %v\n", failure)
		os.Exit(1)
	}
}

// writeTest exports the run as a Go test (see package export).
func writeTest(path, label string, s *sim.Sim) error {
	share, err := s.ShareErr()
	if err != nil {
		return err
	}
	st := s.State()
	final := export.Final{Now: st.Now, Leader: st.Leader}
	for _, n := range st.Nodes {
		node := export.Node{ID: n.ID, Up: n.Up, Role: n.Role, Term: n.Term, CommitIndex: n.CommitIndex}
		for _, kv := range n.KV {
			node.KV = append(node.KV, export.KV{Key: kv.Key, Value: kv.Value})
		}
		final.Nodes = append(final.Nodes, node)
	}
	comment := "Exported by go run ./cmd/chaos."
	if !st.Invariants.OK {
		comment += " The run broke an invariant, so this test fails until the bug is fixed."
	}
	src, err := export.GoTest(label, export.Run{Share: share}, final, export.Options{Comment: comment})
	if err != nil {
		return err
	}
	return os.WriteFile(path, src, 0o644)
}

func describe(opt chaos.Options) string {
	s := "profile " + opt.ProfileName
	if names := chaos.BugNames(opt.Bugs); len(names) > 0 {
		s += ", bugs " + strings.Join(names, ",")
	} else {
		s += ", no bugs"
	}
	return s
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "chaos:", err)
	os.Exit(2)
}
