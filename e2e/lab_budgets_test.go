//go:build !js

package e2e

// The lab's budgets (docs/benchmarks.md, "Lab"), measured by
// tools/bench-lab.sh with BENCH=1 (a measurement, not a test: without
// BENCH=1 it is skipped; TestPageBugHunt tests the same code):
//
//   - a hunt in the Web Worker: runs per second over a range of seeds of the
//     correct core (a hunt with a bug stops at its first failure), which the
//     script then runs with `go run ./cmd/chaos -workers 1` for the
//     command line's single-core rate on the very same seeds;
//   - the page's frames at 5 nodes and 10x while the worker hunts, next to
//     the same page's frames just before (long tasks of 50 ms or more);
//   - the client's view's check of a 1-minute, 5-client history, in the
//     worker (labkit.Bench).
//
// On a shared machine the rates follow the load; so the worker's thread's
// own CPU time is read too (workerCPU), and the script compares the runs per
// CPU-second of the worker with the command line's (GOMAXPROCS=1): how the
// two compare when each has a core to itself.
//
// LAB_BENCH_OUT=file receives the figures as key=value lines.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// labBenchStart is the first seed the benchmark hunts: a range no test or
// earlier soak runs.
const labBenchStart = 70000001

func TestLabBudgets(t *testing.T) {
	if os.Getenv("BENCH") != "1" {
		t.Skip("a measurement: BENCH=1 (tools/bench-lab.sh)")
	}
	seconds := 20
	if v, err := strconv.Atoi(os.Getenv("LAB_BENCH_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	frames := seconds * 30
	h := Start(t)
	p := h.Page(t, "/index.html#nodes=5&seed=1&speed=10")
	p.WaitFor(`window.sandbox && window.__app && window.__app.lab`, 10*time.Second)
	out := map[string]string{}
	load := func() string {
		b, _ := os.ReadFile("/proc/loadavg")
		return strings.Join(strings.Fields(string(b))[:3], " ")
	}
	out["load_start"] = load()

	before := measureFrames(t, p, frames)

	var started struct{ Ms, Bytes float64 }
	p.Eval(`window.__app.lab.start()`, &started)
	out["lab_start_ms"] = fmt.Sprintf("%.0f", started.Ms)
	// one worker: its rate against one core of the command line
	p.Eval(fmt.Sprintf(`(window.__huntProg = null, window.__app.lab.huntWorkers = 1, window.__app.lab.hunt("none", { start: %d, onProgress: (p) => (window.__huntProg = p) }), 0)`, labBenchStart), nil)
	p.WaitFor(`window.__huntProg && window.__huntProg.ms > 2000`, 60*time.Second) // the worker warmed up
	var warm struct{ Ran, Ms float64 }
	p.Eval(`window.__huntProg`, &warm)
	cpu0, threads0 := workerCPU()
	during := measureFrames(t, p, frames)
	var prog struct {
		Ran, Next, Liveness, Ms float64
		Found                   any
	}
	p.Eval(`window.__huntProg`, &prog)
	cpu1, threads1 := workerCPU()
	p.Eval(`window.__app.lab.stop()`, nil)
	if prog.Ran <= warm.Ran {
		t.Fatalf("the hunt did not progress while the page ran: %+v then %+v", warm, prog)
	}
	rate := (prog.Ran - warm.Ran) * 1000 / (prog.Ms - warm.Ms)
	out["hunt_first"] = strconv.Itoa(labBenchStart)
	out["hunt_seeds"] = fmt.Sprintf("%.0f", prog.Ran)
	out["hunt_ms"] = fmt.Sprintf("%.0f", prog.Ms)
	out["hunt_rate"] = fmt.Sprintf("%.1f", prog.Ran*1000/prog.Ms)
	out["hunt_rate_warm"] = fmt.Sprintf("%.1f", rate)
	out["hunt_liveness"] = fmt.Sprintf("%.0f", prog.Liveness)
	if threads0 == 1 && threads1 == 1 && cpu1 > cpu0 {
		// (read just after the progress reports: the counts are a report
		// or so apart, a fraction of a percent of the runs)
		out["hunt_cpu_ms"] = fmt.Sprintf("%.0f", float64((cpu1 - cpu0).Milliseconds()))
		out["hunt_rate_cpu"] = fmt.Sprintf("%.1f", (prog.Ran-warm.Ran)/(cpu1-cpu0).Seconds())
		out["hunt_wall_cpu_share"] = fmt.Sprintf("%.0f%%", 100*(cpu1-cpu0).Seconds()*1000/(prog.Ms-warm.Ms))
	} else {
		out["hunt_rate_cpu"] = fmt.Sprintf("unknown (%d and %d worker threads found)", threads0, threads1)
	}
	for name, s := range map[string]frameStats{"before": before, "during": during} {
		out["frames_"+name] = fmt.Sprintf("%d frames: median %.2f ms, p95 %.2f ms, max %.1f ms; long tasks >= 50 ms: %d %s (the page's frame work inside them: %s ms)",
			s.Frames, s.P50, s.P95, s.Max, len(s.LongTasks), fmtMs(s.LongTasks), fmtMs(s.LongTaskWork))
	}

	// The client's view: the check of a 1-minute, 5-client history.
	var checks, views, porc []float64
	var ops, lanes float64
	var method string
	for range 5 {
		var b struct {
			Ops, Lanes, CheckMs, ViewMs, PorcupineMs float64
			OK                                       bool
			Method                                   string
		}
		p.Eval(`window.__app.lab.bench(60000, 5)`, &b)
		if !b.OK {
			t.Fatalf("the 1-minute history did not check: %+v", b)
		}
		checks, views, porc, ops, lanes, method = append(checks, b.CheckMs), append(views, b.ViewMs), append(porc, b.PorcupineMs), b.Ops, b.Lanes, b.Method
	}
	slices.Sort(checks)
	slices.Sort(views)
	slices.Sort(porc)
	out["check_method"] = method
	out["porcupine_ms"] = fmt.Sprintf("median %.1f ms (%s)", porc[len(porc)/2], fmtMs(porc))
	out["check_ops"] = fmt.Sprintf("%.0f requests in %.0f lanes", ops, lanes)
	out["check_ms"] = fmt.Sprintf("median %.1f ms (%s)", checks[len(checks)/2], fmtMs(checks))
	out["view_ms"] = fmt.Sprintf("median %.1f ms (%s)", views[len(views)/2], fmtMs(views))
	out["load_end"] = load()

	var lines []string
	for k, v := range out {
		lines = append(lines, k+"="+v)
	}
	slices.Sort(lines)
	for _, l := range lines {
		t.Log(l)
	}
	if f := os.Getenv("LAB_BENCH_OUT"); f != "" {
		if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func fmtMs(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// workerCPU is the CPU time (user + system) of the dedicated workers'
// threads in this test's browser (the processes descending from this one,
// so that other tests' browsers do not count), and how many such threads
// there are. Chromium names a dedicated worker's thread
// "DedicatedWorker thread" (15 characters of it in /proc).
func workerCPU() (time.Duration, int) {
	parent := map[int]int{}
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range procs {
		pid, ppid, _, _, ok := readStat(f)
		if ok {
			parent[pid] = ppid
		}
	}
	self := os.Getpid()
	descends := func(pid int) bool {
		for i := 0; i < 64 && pid > 1; i++ {
			if pid = parent[pid]; pid == self {
				return true
			}
		}
		return false
	}
	var ticks int64
	n := 0
	for pid := range parent {
		if !descends(pid) {
			continue
		}
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
		for _, f := range tasks {
			_, _, comm, t, ok := readStat(f)
			if ok && strings.HasPrefix(comm, "DedicatedWorker") {
				ticks += t
				n++
			}
		}
	}
	// USER_HZ is 100 on Linux (the clock ticks of /proc/*/stat)
	return time.Duration(ticks) * 10 * time.Millisecond, n
}

// readStat reads a /proc stat file: pid, parent pid, command name and
// utime + stime in clock ticks.
func readStat(f string) (pid, ppid int, comm string, ticks int64, ok bool) {
	b, err := os.ReadFile(f)
	if err != nil {
		return
	}
	s := string(b)
	open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || closing < open {
		return
	}
	pid, _ = strconv.Atoi(strings.TrimSpace(s[:open]))
	comm = s[open+1 : closing]
	fields := strings.Fields(s[closing+1:]) // state ppid ... (utime is field 14 of the whole line, 12 here)
	if len(fields) < 13 {
		return
	}
	ppid, _ = strconv.Atoi(fields[1])
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return pid, ppid, comm, ut + st, true
}
