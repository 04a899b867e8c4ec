//go:build js && wasm

// Command wasm is the WebAssembly side of web/raft-sandbox.js: it puts one
// object on the JS global, globalThis.__raftSandbox, with four functions
//
//	create(options, share, scenario) -> handle
//	call(handle, op, a, b)           -> result
//	destroy(handle)
//	collect()                        (one garbage collection now)
//	callView(handle, op, a, b)       -> call, but JSON text stays in Go's memory
//	memStats()                       -> [heap in use, next collection's goal, collections, pause ms]
//
// and then blocks forever, so that one Go runtime serves every sandbox on a
// page. Failures are returned, not thrown: a function returns a JS Error
// object and the JS side throws it. Every entry point recovers panics, so
// nothing a caller passes can stop the runtime (a dead runtime is a dead page).
//
// The arguments are plain numbers, strings and booleans (see wasm/bridge for
// their meaning); results are numbers, strings or JSON text. This file only
// converts values: the logic lives in wasm/bridge, which is tested natively.
package main

import (
	"runtime"
	"unsafe"

	"github.com/hack-pad/safejs"

	"raftsandbox/sim"
	"raftsandbox/wasm/bridge"
)

var (
	registry = bridge.NewRegistry()
	jsError  safejs.Value // the Error constructor, looked up once
	jsObject safejs.Value // the Object function: Object(s).length measures a string
)

func main() {
	// GOGC=400 comes from raft-sandbox.js (go.env): each frame's state()
	// allocates a little garbage, and collecting less often saves time in
	// the single-threaded wasm runtime (the heap stays small). Not
	// debug.SetGCPercent: runtime/debug brings os and fmt into the wasm.
	if err := register(); err != nil {
		println("raft-sandbox: cannot register the JS API:", err.Error())
		return
	}
	select {} // serve calls from JS forever
}

func register() error {
	global := safejs.Global()
	var err error
	if jsError, err = global.Get("Error"); err != nil {
		return err
	}
	if jsObject, err = global.Get("Object"); err != nil {
		return err
	}
	api, err := safejs.ValueOf(map[string]any{})
	if err != nil {
		return err
	}
	funcs := []struct {
		name string
		fn   func(args []safejs.Value) (any, error)
	}{
		{"create", create},
		{"call", call},
		{"destroy", destroy},
		{"collect", collect},
		{"callView", callView},
		{"memStats", memStats},
	}
	for _, f := range funcs {
		fn, err := safejs.FuncOf(entry(f.name, f.fn))
		if err != nil {
			return err
		}
		if err := api.Set(f.name, fn); err != nil {
			return err
		}
	}
	if err := api.Set("version", 1); err != nil {
		return err
	}
	return global.Set("__raftSandbox", api)
}

// entry wraps an entry point: results become JS values, errors and panics
// become JS Error objects returned to the caller.
func entry(name string, fn func(args []safejs.Value) (any, error)) func(safejs.Value, []safejs.Value) any {
	return func(_ safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if p := recover(); p != nil {
				msg := "unexpected panic"
				switch v := p.(type) {
				case error:
					msg = v.Error()
				case string:
					msg = v
				}
				result = newError("internal error in " + name + ": " + msg)
			}
		}()
		res, err := fn(args)
		if err != nil {
			return newWhyError(err.Error(), bridge.WhyOf(err))
		}
		switch v := res.(type) {
		case nil:
			return nil
		case int64:
			return float64(v)
		case int:
			return float64(v)
		case jsonView:
			return float64(v)
		case bridge.JSON:
			// No copy into a Go string: js.ValueOf decodes the bytes into a
			// JS string right away, before the buffer can change.
			if len(v) == 0 {
				return ""
			}
			return unsafe.String(&v[0], len(v))
		default:
			return v // string, bool, float64
		}
	}
}

// newWhyError builds a JS Error that also carries the reason as code and
// args ({name: value}), for the page to word in the reader's language.
func newWhyError(msg string, w sim.Why) any {
	e := newError(msg)
	v, ok := e.(safejs.Value)
	if !ok || w.Code == "" {
		return e
	}
	args := make(map[string]any, len(w.Args))
	for _, a := range w.Args {
		args[a.Name] = a.Value
	}
	if av, err := safejs.ValueOf(args); err == nil {
		_ = v.Set("args", av)
	}
	_ = v.Set("code", w.Code)
	return v
}

// newError builds a JS Error; if even that fails, the message itself is
// returned as a string prefixed with "Error: " (the JS side checks for it).
func newError(msg string) any {
	e, err := jsError.New(msg)
	if err != nil {
		return "\x00Error: " + msg
	}
	return e
}

// convert turns JS values into bridge arguments without trusting their type.
// A value that cannot be read is an Other named "<its type> that cannot be
// read".
func convert(args []safejs.Value) []bridge.Arg {
	out := make([]bridge.Arg, len(args))
	for i, v := range args {
		a := &out[i]
		t, known := typeOf(v)
		var err error
		switch {
		case !known:
			a.Kind, a.TypeName = bridge.Other, "bigint"
		case t == safejs.TypeUndefined:
			// the zero Arg
		case t == safejs.TypeNull:
			a.Kind = bridge.Null
		case t == safejs.TypeNumber:
			a.Kind = bridge.Number
			a.Num, err = v.Float()
		case t == safejs.TypeBoolean:
			a.Kind = bridge.Bool
			a.Bool, err = v.Bool()
		case t == safejs.TypeString:
			// Check the length before copying: a huge string is refused
			// without being loaded into Go memory.
			a.Kind = bridge.String
			var n int
			if n, err = stringLength(v); err == nil && n > bridge.MaxStringArg {
				a.Len = n
			} else if err == nil {
				a.Str, err = v.String()
			}
		default:
			a.Kind, a.TypeName = bridge.Other, t.String()
		}
		if err != nil {
			*a = bridge.OtherArg(t.String() + " that cannot be read")
		}
	}
	return out
}

func create(args []safejs.Value) (any, error) {
	h, err := registry.Create(convert(args))
	if err != nil {
		return nil, err
	}
	return h, nil
}

// typeOf is v.Type() without its panic: syscall/js has no type for BigInt
// values and panics ("bad type flag") on them.
func typeOf(v safejs.Value) (t safejs.Type, known bool) {
	defer func() {
		if recover() != nil {
			known = false
		}
	}()
	return v.Type(), true
}

func isNumber(v safejs.Value) bool {
	t, known := typeOf(v)
	return known && t == safejs.TypeNumber
}

func handleArg(args []safejs.Value) (int, bool) {
	if len(args) == 0 || !isNumber(args[0]) {
		return 0, false
	}
	f, err := args[0].Float()
	if err != nil || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

func call(args []safejs.Value) (any, error) {
	h, ok := handleArg(args)
	if !ok || len(args) < 2 || !isNumber(args[1]) {
		return nil, bridge.ErrBadCall
	}
	op, err := args[1].Float()
	if err != nil || op != float64(int(op)) {
		return nil, bridge.ErrBadCall
	}
	return registry.Call(h, bridge.Op(op), convert(args[2:]))
}

// jsonView is a JSON result left where the bridge wrote it, in the wasm's
// linear memory: callView returns one number, its address / 8 times 2^24
// plus its length (exact in a float64: the wasm's addresses are below 2^32
// and the bridge's buffers 8-byte aligned), and JS decodes those bytes itself, with TextDecoder, at
// once (the buffer is reused by the sandbox's next call). Handing Go's
// string to JS instead makes wasm_exec.js build it with
// String.fromCharCode.apply, which costs about 9 bytes of garbage per byte
// (75 KB per 5-node frame; docs/benchmarks.md, "JS garbage per frame").
type jsonView float64

// callView is call for the per-frame state(): its JSON result is a jsonView.
func callView(args []safejs.Value) (any, error) {
	res, err := call(args)
	if j, ok := res.(bridge.JSON); ok && err == nil && len(j) > 0 && len(j) < 1<<24 {
		if addr := uintptr(unsafe.Pointer(&j[0])); addr%8 == 0 && addr < 1<<32 {
			return jsonView(float64(addr/8)*(1<<24) + float64(len(j))), nil
		}
	}
	return res, err
}

func destroy(args []safejs.Value) (any, error) {
	h, ok := handleArg(args)
	if !ok {
		return nil, bridge.ErrBadCall
	}
	return nil, registry.Destroy(h)
}

// collect runs one garbage collection. V8 compiles each wasm function on its
// first call, on the main thread: the first collection of a page compiles
// the collector's own code, and when that happened inside a frame at 51
// nodes the frame took 80-90 ms (docs/page.md, "Long tasks").
// raft-sandbox.js calls collect once, when the page is first idle after the
// runtime starts, while the heap is small: the collector is then compiled
// before any frame needs it, and not in the page's start either (collecting
// before the first frame cost it 20-30 ms: Go start median 85 vs 60 ms).
// A goroutine on a timer would not do: it runs inside whichever call from
// JS is under way when the timer fires, a frame's.
func collect([]safejs.Value) (any, error) {
	runtime.GC()
	return nil, nil
}

// memStats is Go's heap for the benchmarks (e2e TestBrowserBudgets): the
// bytes of heap objects now (HeapAlloc), the heap size at which the next
// collection starts (NextGC: the live heap after the last one times
// 1 + GOGC/100), the collections so far and their total pause in ms.
func memStats([]safejs.Value) (any, error) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return safejs.ValueOf([]any{float64(m.HeapAlloc), float64(m.NextGC), float64(m.NumGC), float64(m.PauseTotalNs) / 1e6})
}

// stringLength is the length of a JS string in UTF-16 units, measured in JS
// (js.Value.Length accepts only objects, so ask Object(s).length).
func stringLength(s safejs.Value) (int, error) {
	boxed, err := jsObject.Invoke(s)
	if err != nil {
		return 0, err
	}
	length, err := boxed.Get("length")
	if err != nil {
		return 0, err
	}
	return length.Int()
}
