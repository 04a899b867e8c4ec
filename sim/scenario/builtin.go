package scenario

import (
	_ "embed" // the built-in scripts are embedded as strings
)

// The built-in scenarios live in builtin/ as N-name.scn, N being the chapter
// of the tutorial (docs/tutorial.md) the scenario tells. They are
// embedded as plain strings, not as an embed.FS: a file system would keep
// time's formatting and io/fs alive in the wasm (~90 KB of code); the wasm
// build (tools/build, embedOverlay) even writes these strings into the
// source as literals, since importing "embed" at all links io/fs and time. Adding a
// file means adding a line to builtins; TestBuiltinFiles checks the table
// against the directory.
var (
	//go:embed builtin/1-single-node.scn
	builtinSingleNode string
	//go:embed builtin/2-states.scn
	builtinStates string
	//go:embed builtin/3-election.scn
	builtinElection string
	//go:embed builtin/4-leader-crash.scn
	builtinLeaderCrash string
	//go:embed builtin/5-split-vote.scn
	builtinSplitVote string
	//go:embed builtin/6-replication.scn
	builtinReplication string
	//go:embed builtin/7-partition.scn
	builtinPartition string
)

// BuiltinScenario is one built-in scenario.
type BuiltinScenario struct {
	Name    string // "partition"; what Builtin(name) and <raft-sandbox scenario="..."> take
	Chapter int    // its tutorial chapter, 1-based
	Text    string // the script; every built-in parses and states expectations
}

// builtins is in tutorial order: Chapter is the position plus one.
var builtins = []BuiltinScenario{
	{Name: "single-node", Chapter: 1, Text: builtinSingleNode},
	{Name: "states", Chapter: 2, Text: builtinStates},
	{Name: "election", Chapter: 3, Text: builtinElection},
	{Name: "leader-crash", Chapter: 4, Text: builtinLeaderCrash},
	{Name: "split-vote", Chapter: 5, Text: builtinSplitVote},
	{Name: "replication", Chapter: 6, Text: builtinReplication},
	{Name: "partition", Chapter: 7, Text: builtinPartition},
}

// Builtins returns every built-in scenario in tutorial order. The sim tests
// run each one and require all its expectations to pass.
func Builtins() []BuiltinScenario { return append([]BuiltinScenario(nil), builtins...) }

// BuiltinNames returns the built-in scenarios' names in tutorial order.
func BuiltinNames() []string {
	names := make([]string, len(builtins))
	for i, b := range builtins {
		names[i] = b.Name
	}
	return names
}

// Builtin returns the text of the built-in scenario called name.
func Builtin(name string) (string, bool) {
	for _, b := range builtins {
		if b.Name == name {
			return b.Text, true
		}
	}
	return "", false
}
