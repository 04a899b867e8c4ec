package scenario

import (
	"embed"
	"sort"
	"strconv"
	"strings"
)

// The built-in scenarios live in builtin/ as N-name.scn, N being the chapter
// of the tutorial (DESIGN.md, "Tutorial") the scenario tells.
//
//go:embed builtin/*.scn
var builtinFS embed.FS

// BuiltinScenario is one built-in scenario.
type BuiltinScenario struct {
	Name    string // "partition"; what Builtin(name) and <raft-sandbox scenario="..."> take
	Chapter int    // its tutorial chapter, 1-based
	Text    string // the script; every built-in parses and states expectations
}

var builtins = loadBuiltins()

func loadBuiltins() []BuiltinScenario {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic("scenario: embedded builtins: " + err.Error()) // only if the build itself is broken
	}
	var list []BuiltinScenario
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".scn"), "-")
		ch, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("scenario: embedded builtin with a bad file name: " + e.Name())
		}
		text, err := builtinFS.ReadFile("builtin/" + e.Name())
		if err != nil {
			panic("scenario: embedded builtins: " + err.Error())
		}
		list = append(list, BuiltinScenario{Name: name, Chapter: ch, Text: string(text)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Chapter < list[j].Chapter })
	return list
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
