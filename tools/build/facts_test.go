package main

import (
	"os"
	"strings"
	"testing"

	"raftsandbox/wasm/bridge"
)

// The facts in web/sandbox/facts.js are Go's: the op numbers, limits, bug
// names and message kinds the JS side uses are what wasm/bridge/facts.go
// writes. (./build.sh build rewrites the block; commit the result.)
func TestJSFactsCurrent(t *testing.T) {
	src, err := os.ReadFile("../../web/sandbox/facts.js")
	if err != nil {
		t.Fatal(err)
	}
	_, changed, err := bridge.ReplaceJSFacts(string(src))
	if err != nil {
		t.Fatal(err)
	}
	if changed {
		t.Errorf("web/sandbox/facts.js's facts from Go are stale: run ./build.sh build (or go run ./tools/build) and commit web/sandbox/facts.js\nwant:\n%s", bridge.JSFacts())
	}
	for _, want := range []string{"const OP = ", "export const limits = ", "export const optionRanges = ", "export const defaults = ", "export const bugNames = ", "export const messageKinds = "} {
		if !strings.Contains(bridge.JSFacts(), want) {
			t.Errorf("the facts lack %q", want)
		}
	}
}
