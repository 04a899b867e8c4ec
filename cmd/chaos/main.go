// Command chaos soaks the Raft core in the simulator with random fault
// schedules, one per seed, and prints seeds per second. Each alarm is printed
// with its class and the one command that replays it; the soak goes on past
// liveness alarms and harness failures, and stops at a safety failure (no
// seed above it starts). At the end it prints the alarms by class, and exits
// 1 if there was any.
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
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
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
	// A seed allocates a few megabytes and keeps little once it is over: the
	// collector at its default pace (GOGC=100) took a third of the soak's
	// CPU. Four times the heap (tens of megabytes) roughly halves that.
	// GOGC in the environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

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
		runOne(*seed, opt, *exportTo)
		return
	}
	if *viz != "" || *exportTo != "" || *verbose {
		fatal(errors.New("-v, -viz and -export need -seed: they describe one run"))
	}
	if *seeds <= 0 || *workers <= 0 {
		fatal(errors.New("-seeds and -workers must be positive"))
	}
	// Ctrl-C (SIGINT) ends a soak early: the seeds under way finish, and the
	// summary covers every seed run (one range, from -start).
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	stop := make(chan struct{})
	go func() { <-interrupt; close(stop) }()
	_, alarms := soak(os.Stdout, *start, *seeds, *workers, opt, stop)
	if len(alarms) > 0 {
		os.Exit(1)
	}
}

// runOne runs one seed, writing it as a Go test to exportTo if that is
// set, and exits 1 when it fails.
func runOne(seed uint64, opt chaos.Options, exportTo string) {
	var exportErr error
	if exportTo != "" {
		label := fmt.Sprintf("chaos seed %d %s", seed, strings.Join(chaos.BugNames(opt.Bugs), " "))
		opt.OnEnd = func(s *sim.Sim) { exportErr = writeTest(exportTo, label, s) }
	}
	res, err := chaos.Run(seed, opt)
	if exportErr != nil {
		fatal(exportErr)
	} else if exportTo != "" {
		fmt.Printf("wrote %s\n", exportTo)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("seed %d passed: %+v\n", seed, res)
}

// alarm is one failing seed of a soak.
type alarm struct {
	seed uint64
	f    *chaos.Failure
}

// soak runs seeds first..first+n-1 on workers goroutines. It goes on past
// liveness alarms and harness failures (printing each as it is found) and
// stops at a safety failure: no seed above the lowest failing one starts.
// At the end it prints the rate and the alarms by class; it returns the
// alarms, lowest seed first. Closing stop (nil: never) ends it early: no
// new seed starts, so the seeds run are still one range from first.
func soak(out io.Writer, first uint64, n, workers int, opt chaos.Options, stop <-chan struct{}) (ran uint64, alarms []alarm) {
	sr := &soakRun{out: out, opt: opt, end: first + uint64(n), stopAt: ^uint64(0)}
	sr.next.Store(first)
	began := time.Now()
	endProgress := sr.progress(n, began)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sr.work(stop)
		}()
	}
	wg.Wait()
	endProgress()
	elapsed := time.Since(began)
	ran = sr.done.Load()
	slices.SortFunc(sr.alarms, func(a, b alarm) int { return cmp.Compare(a.seed, b.seed) })
	select {
	case <-stop:
		fmt.Fprintln(out, "interrupted")
	default:
	}
	fmt.Fprintf(out, "%d seeds (%d..%d) in %v: %.0f seeds/s (%d workers, %s)\n", ran, first, first+ran-1,
		elapsed.Round(time.Millisecond), float64(ran)/elapsed.Seconds(), workers, describe(opt))
	if t := sr.timedOut.Load(); t > 0 {
		fmt.Fprintf(out, "%d linearizability checks timed out (counted as passed)\n", t)
	}
	printSummary(out, sr.alarms)
	return ran, sr.alarms
}

// soakRun is the state a soak's workers share.
type soakRun struct {
	out        io.Writer
	opt        chaos.Options
	end        uint64 // one past the last seed
	next, done atomic.Uint64
	timedOut   atomic.Int64
	mu         sync.Mutex
	stopAt     uint64 // the lowest seed with a safety failure (under mu)
	alarms     []alarm
}

// work runs seeds, one after another, until there are none left, a safety
// failure stops the soak, or stop is closed.
func (sr *soakRun) work(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		seed := sr.next.Add(1) - 1
		sr.mu.Lock()
		over := seed >= sr.end || seed > sr.stopAt
		sr.mu.Unlock()
		if over {
			return
		}
		res, err := chaos.Run(seed, sr.opt)
		sr.done.Add(1)
		if res.CheckTimed {
			sr.timedOut.Add(1)
		}
		if err != nil {
			sr.alarm(seed, err)
		}
	}
}

// alarm records and prints a failing seed.
func (sr *soakRun) alarm(seed uint64, err error) {
	var f *chaos.Failure
	if !errors.As(err, &f) {
		f = &chaos.Failure{Seed: seed, Check: "simulator", Class: chaos.ClassHarness, Detail: err.Error(),
			Replay: chaos.ReplayCommand(seed, sr.opt)}
	}
	sr.mu.Lock()
	defer sr.mu.Unlock()
	sr.alarms = append(sr.alarms, alarm{seed, f})
	if chaos.IsSafety(f.Class) && seed < sr.stopAt {
		sr.stopAt = seed
	}
	fmt.Fprintf(sr.out, "ALARM seed %d: %s: %s\n  replay: %s\n", seed, f.Class, firstLine(f.Detail), f.Replay)
}

// progress prints the count every 5 s until the returned function is
// called (it returns once the printing has stopped).
func (sr *soakRun) progress(n int, began time.Time) (end func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				d := sr.done.Load()
				sr.mu.Lock()
				fmt.Fprintf(sr.out, "%d/%d seeds, %.0f seeds/s, %d alarms\n", d, n, float64(d)/time.Since(began).Seconds(), len(sr.alarms))
				sr.mu.Unlock()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); <-exited }
}

// printSummary prints the alarms by class, with their seeds.
func printSummary(out io.Writer, alarms []alarm) {
	if len(alarms) == 0 {
		fmt.Fprintln(out, "no alarms")
		return
	}
	byClass := map[string][]uint64{}
	var classes []string
	for _, a := range alarms {
		if _, ok := byClass[a.f.Class]; !ok {
			classes = append(classes, a.f.Class)
		}
		byClass[a.f.Class] = append(byClass[a.f.Class], a.seed)
	}
	slices.Sort(classes)
	fmt.Fprintf(out, "%d alarms:\n", len(alarms))
	for _, c := range classes {
		seeds := byClass[c]
		list := fmt.Sprint(seeds)
		if len(seeds) > 20 {
			list = fmt.Sprint(seeds[:20]) + " ..."
		}
		fmt.Fprintf(out, "  %-36s %6d  seeds %s\n", c, len(seeds), list)
	}
	for _, a := range alarms {
		if chaos.IsSafety(a.f.Class) {
			fmt.Fprintf(out, "SAFETY FAILURE (the soak stopped here):\n%v\n", a.f)
			break
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// writeTest exports the run as a Go test (see package export).
func writeTest(path, label string, s *sim.Sim) error {
	share, err := s.ShareErr()
	if err != nil {
		return err
	}
	st := s.State()
	comment := "Exported by go run ./cmd/chaos."
	if !st.Invariants.OK {
		comment += " The run broke an invariant, so this test fails until the bug is fixed."
	}
	src, err := export.GoTest(label, export.Run{Share: share}, export.FinalOf(st), export.Options{Comment: comment})
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
