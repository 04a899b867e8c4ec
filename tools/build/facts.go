package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"raftsandbox/wasm/bridge"
)

// updateFacts rewrites the block of web/sandbox/facts.js that Go owns (the op
// numbers, limits, bug names and message kinds: wasm/bridge/facts.go) when
// it differs, so that the JS side always has Go's values.
func updateFacts(web string) error {
	path := filepath.Join(web, "sandbox", "facts.js")
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "facts: no %s yet\n", path)
		return nil
	}
	if err != nil {
		return err
	}
	out, changed, err := bridge.ReplaceJSFacts(string(src))
	if err != nil || !changed {
		return err
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "facts: %s updated from Go (wasm/bridge/facts.go)\n", path)
	return nil
}
