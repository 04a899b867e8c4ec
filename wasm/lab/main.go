//go:build js && wasm

// Command lab is the lab's WebAssembly (dist/raft-lab.wasm), run by the
// page's Web Worker (web/lab/worker.js) only when a bug hunt starts or the
// client's view opens, so that the chaos search and porcupine never weigh
// on the main wasm. It puts globalThis.__raftLab in the worker with
//
//	bugs()                         -> JSON [{ name, jsName, profile }]
//	hunt(bug, start, n, budgetMs, step) -> JSON HuntReport (labkit.HuntEvery; step 1 if left out)
//	view(share, at)                -> JSON View (labkit.ViewAt; at < 0: the end)
//	bench(ms, clients)             -> JSON BenchCheck (labkit.Bench)
//	exportGoTest(share, now, name, comment, package, simImport, useShare)
//	                               -> the Go test's source (labkit.ExportGoTest), not JSON
//
// and blocks forever. As in ../main.go (and through github.com/hack-pad/safejs, syscall/js with errors instead of panics), failures are returned as JS Error
// objects, never thrown, and every entry point recovers panics. The logic
// is in wasm/labkit, tested natively.
package main

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"time"

	"github.com/hack-pad/safejs"

	"raftsandbox/wasm/labkit"
)

var jsError safejs.Value

func main() {
	// A chaos run allocates a lot, and in wasm the collector runs on the
	// worker's one thread: collect less often, as cmd/chaos does (GOGC=400).
	debug.SetGCPercent(400)
	if err := register(); err != nil {
		println("raft-lab: cannot register:", err.Error())
		return
	}
	select {}
}

func register() error {
	global := safejs.Global()
	var err error
	if jsError, err = global.Get("Error"); err != nil {
		return err
	}
	api, err := safejs.ValueOf(map[string]any{})
	if err != nil {
		return err
	}
	funcs := map[string]func(args []safejs.Value) (any, error){
		"bugs":  func([]safejs.Value) (any, error) { return labkit.JSON(labkit.Bugs()) },
		"hunt":  hunt,
		"view":  view,
		"bench": bench,
		// sb.exportGoTest() of the JS API (web/sandbox/lab.js) loads this
		// wasm for it: the exporter is not in the main wasm.
		"exportGoTest": exportGoTest,
	}
	for name, fn := range funcs {
		f, err := safejs.FuncOf(entry(name, fn))
		if err != nil {
			return err
		}
		if err := api.Set(name, f); err != nil {
			return err
		}
	}
	if err := api.Set("version", 1); err != nil {
		return err
	}
	return global.Set("__raftLab", api)
}

func entry(name string, fn func(args []safejs.Value) (any, error)) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if p := recover(); p != nil {
				result = newError(fmt.Sprintf("internal error in %s: %v", name, p))
			}
		}()
		res, err := fn(args)
		if err != nil {
			return newError(name + ": " + err.Error())
		}
		return res
	}
}

func newError(msg string) any {
	e, err := jsError.New(msg)
	if err != nil {
		return "\x00Error: " + msg
	}
	return e
}

var errArgs = errors.New("bad arguments")

// str reads args[i] as a string.
func str(args []safejs.Value, i int) (string, error) {
	if i >= len(args) {
		return "", errArgs
	}
	if t, err := typeOf(args[i]); err != nil || t != safejs.TypeString {
		return "", fmt.Errorf("argument %d must be a string", i+1)
	}
	return args[i].String()
}

// whole reads args[i] as a whole number from lo to hi.
func whole(args []safejs.Value, i int, lo, hi float64) (float64, error) {
	if i >= len(args) {
		return 0, errArgs
	}
	if t, err := typeOf(args[i]); err != nil || t != safejs.TypeNumber {
		return 0, fmt.Errorf("argument %d must be a number", i+1)
	}
	f, err := args[i].Float()
	if err != nil || f != math.Trunc(f) || f < lo || f > hi {
		return 0, fmt.Errorf("argument %d must be a whole number from %v to %v", i+1, lo, hi)
	}
	return f, nil
}

// typeOf is Type() without its panic on a BigInt.
func typeOf(v safejs.Value) (t safejs.Type, err error) {
	defer func() {
		if recover() != nil {
			err = errArgs
		}
	}()
	return v.Type(), nil
}

func hunt(args []safejs.Value) (any, error) {
	bug, err := str(args, 0)
	if err != nil {
		return nil, err
	}
	start, err := whole(args, 1, 1, 1<<53)
	if err != nil {
		return nil, err
	}
	n, err := whole(args, 2, 1, labkit.MaxHuntSeeds)
	if err != nil {
		return nil, err
	}
	budget, err := whole(args, 3, 0, 60000)
	if err != nil {
		return nil, err
	}
	step := 1.0
	if len(args) > 4 {
		if step, err = whole(args, 4, 1, 64); err != nil {
			return nil, err
		}
	}
	rep, err := labkit.HuntEvery(bug, uint64(start), uint64(step), int(n), time.Duration(budget)*time.Millisecond)
	if err != nil {
		return nil, err
	}
	return labkit.JSON(rep)
}

func view(args []safejs.Value) (any, error) {
	share, err := str(args, 0)
	if err != nil {
		return nil, err
	}
	at, err := whole(args, 1, -1, 1<<53)
	if err != nil {
		return nil, err
	}
	v, err := labkit.ViewAt(share, int64(at))
	if err != nil {
		return nil, err
	}
	return labkit.JSON(v)
}

func bench(args []safejs.Value) (any, error) {
	ms, err := whole(args, 0, 1, 3600000)
	if err != nil {
		return nil, err
	}
	clients, err := whole(args, 1, 1, 64)
	if err != nil {
		return nil, err
	}
	b, err := labkit.Bench(int64(ms), int(clients))
	if err != nil {
		return nil, err
	}
	return labkit.JSON(b)
}

func exportGoTest(args []safejs.Value) (any, error) {
	share, err := str(args, 0)
	if err != nil {
		return nil, err
	}
	now, err := whole(args, 1, 0, 1<<53)
	if err != nil {
		return nil, err
	}
	var o labkit.ExportOptions
	for i, p := range []*string{&o.Name, &o.Comment, &o.Package, &o.SimImport} {
		if *p, err = str(args, 2+i); err != nil {
			return nil, err
		}
	}
	if len(args) > 6 {
		if t, err := typeOf(args[6]); err != nil || t != safejs.TypeBoolean {
			return nil, errors.New("argument 7 must be true or false")
		}
		if o.Share, err = args[6].Bool(); err != nil {
			return nil, err
		}
	}
	return labkit.ExportGoTest(share, int64(now), o)
}
