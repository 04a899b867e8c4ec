//go:build js && wasm

// Command floor is the smallest Go program that can serve a page the way
// the sandbox's wasm does: it registers one function on the JS global
// through github.com/hack-pad/safejs and waits for calls. It does nothing
// else. The page budgets (e2e/budgets_test.go, BENCH=1) load it in the same
// browser, from the same server, in turns with the real page, to measure
// the floor of the first interactive frame that the Go toolchain and
// safejs set (download, compile, instantiate, Go start) before any of the
// sandbox's own code. Its size is the floor of docs/benchmarks.md, "Size".
package main

import "github.com/hack-pad/safejs"

func main() {
	fn, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any { return 1 })
	if err != nil {
		println("floor:", err.Error())
		return
	}
	if err := safejs.Global().Set("__floor", fn); err != nil {
		println("floor:", err.Error())
		return
	}
	select {}
}
