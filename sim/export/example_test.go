package export_test

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"raftsandbox/sim/export"
)

// A page (or the wasm bindings) exports the run on screen: its scenario
// script (or share string) and the state it ended in, read from sim.State.
func ExampleGoTest() {
	final := export.Final{Now: 6000, Leader: "C", Nodes: []export.Node{
		{ID: "A", Up: true, Role: "follower", Term: 2, CommitIndex: 4, KV: []export.KV{{Key: "x", Value: 3}}},
		{ID: "B", Up: true, Role: "follower", Term: 2, CommitIndex: 4, KV: []export.KV{{Key: "x", Value: 3}}},
		{ID: "C", Up: true, Role: "leader", Term: 2, CommitIndex: 4, KV: []export.KV{{Key: "x", Value: 3}}},
	}}
	script := "nodes 3\nat 0ms timeout C\nat 1s request SET 3\n"
	src, err := export.GoTest("write after election", export.Run{Scenario: script}, final, export.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Print the lines that matter.
	lines := bufio.NewScanner(bytes.NewReader(src))
	for lines.Scan() {
		l := strings.TrimSpace(lines.Text())
		if strings.HasPrefix(l, "package") || strings.HasPrefix(l, "func ") || strings.HasPrefix(l, "{ID: \"C\"") {
			fmt.Println(l)
		}
	}
	// Output:
	// package sim_test
	// func TestWriteAfterElection(t *testing.T) {
	// {ID: "C", Up: true, Role: "leader", Term: 2, Commit: 4, KV: []sim.KV{{Key: "x", Value: 3}}},
}
