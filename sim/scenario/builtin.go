package scenario

import (
	_ "embed" // the built-in scripts are embedded as strings
	"strings"
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
	// Raft in depth: the advanced chapters.
	//go:embed builtin/8-figure8.scn
	builtinFigure8 string
	//go:embed builtin/9-prevote.scn
	builtinPreVote string
	//go:embed builtin/10-checkquorum.scn
	builtinCheckQuorum string
	//go:embed builtin/11-snapshot.scn
	builtinSnapshot string
	//go:embed builtin/12-membership.scn
	builtinMembership string
	//go:embed builtin/13-reads.scn
	builtinReads string
	//go:embed builtin/14-transfer.scn
	builtinTransfer string
)

// BuiltinScenario is one built-in scenario.
type BuiltinScenario struct {
	Name    string // "partition"; what Builtin(name) and <raft-sandbox scenario="..."> take
	Chapter int    // its tutorial chapter, 1-based
	Text    string // the script; every built-in parses and states expectations
}

// builtins is in tutorial order: Chapter is the position plus one. The
// first seven tell the seed's story; the rest are "Raft in depth"
// (FirstDeepChapter on).
var builtins = []BuiltinScenario{
	{Name: "single-node", Chapter: 1, Text: builtinSingleNode},
	{Name: "states", Chapter: 2, Text: builtinStates},
	{Name: "election", Chapter: 3, Text: builtinElection},
	{Name: "leader-crash", Chapter: 4, Text: builtinLeaderCrash},
	{Name: "split-vote", Chapter: 5, Text: builtinSplitVote},
	{Name: "replication", Chapter: 6, Text: builtinReplication},
	{Name: "partition", Chapter: 7, Text: builtinPartition},
	// Raft in depth (chapters 8 to 14): what the seed's story leaves out.
	{Name: "figure8", Chapter: 8, Text: builtinFigure8},
	{Name: "prevote", Chapter: 9, Text: builtinPreVote},
	{Name: "checkquorum", Chapter: 10, Text: builtinCheckQuorum},
	{Name: "snapshot", Chapter: 11, Text: builtinSnapshot},
	{Name: "membership", Chapter: 12, Text: builtinMembership},
	{Name: "reads", Chapter: 13, Text: builtinReads},
	{Name: "transfer", Chapter: 14, Text: builtinTransfer},
}

// FirstDeepChapter is the first chapter of the tutorial's second group,
// "Raft in depth".
const FirstDeepChapter = 8

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

// Builtin returns the text of the built-in scenario called name. The name
// may ask for a variant: "NAME with LINE; LINE", where each LINE is a
// header line prevote, checkquorum or bug ("reads with bug
// read-without-read-index", "prevote with prevote on"); a prevote or
// checkquorum line replaces the script's own. The tutorial's "Try it"
// replays a chapter so. A variant has no beats (their facts were about the
// run without the change): its beat, show and holds lines are dropped and
// its until lines become expectations, at the same times.
func Builtin(name string) (string, bool) {
	base, with, variant := strings.Cut(name, " with ")
	for _, b := range builtins {
		if b.Name == base {
			if !variant {
				return b.Text, true
			}
			return withHeader(b.Text, with)
		}
	}
	return "", false
}

// withHeader puts the header lines of with (separated by ";") at the top
// of text, dropping text's own prevote and checkquorum lines when with
// sets them.
func withHeader(text, with string) (string, bool) {
	var out []string
	drop := map[string]bool{}
	for _, l := range strings.Split(with, ";") {
		l = strings.TrimSpace(l)
		key, _, _ := strings.Cut(l, " ")
		switch key {
		case "prevote", "checkquorum":
			drop[key] = true
		case "bug":
		default:
			return "", false
		}
		if _, err := Parse(l); err != nil {
			return "", false
		}
		out = append(out, l)
	}
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || drop[f[0]] || f[0] == "beat" || f[0] == "show" || f[0] == "holds" {
			continue
		}
		if f[0] == "until" || len(f) > 2 && (f[0] == "at" || f[0] == "after") && f[2] == "until" {
			l = strings.Replace(l, "until", "expect", 1)
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n"), true
}
