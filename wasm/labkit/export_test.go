package labkit

import (
	"strings"
	"testing"
	"time"

	"raftsandbox/sim"
	"raftsandbox/sim/export"
	"raftsandbox/sim/scenario"
	"raftsandbox/wasm/bridge"
)

// liveExport is what the main wasm's bindings exported before the exporter
// moved to the lab's wasm: the live sandbox's script (or share) and state.
func liveExport(t *testing.T, s *sim.Sim, o ExportOptions) string {
	t.Helper()
	script := s.Script()
	name := o.Name
	if name == "" {
		name = script.Title
	}
	var run export.Run
	var err error
	if o.Share {
		if run.Share, err = s.ShareErr(); err != nil {
			t.Fatal(err)
		}
	} else if run.Scenario, err = scenario.ShareText(script); err != nil {
		t.Fatal(err)
	}
	src, err := goTestOf(s, name, run, o)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// exportRuns are runs worth exporting: user actions of every kind on a
// fresh cluster, a built-in scenario stopped before its end (its share ends
// later than now), a rewound run, and a run the safety checker halted.
func exportRuns(t *testing.T) map[string]*sim.Sim {
	runs := map[string]*sim.Sim{}

	s, err := sim.New(sim.Config{Nodes: 5, Seed: 9})
	must(t, err)
	must(t, s.Advance(1000))
	_, err = s.Request("SET x 5", "")
	must(t, err)
	must(t, s.Advance(300))
	must(t, s.Crash("A"))
	must(t, s.Partition([][]string{{"B"}, {"C", "D", "E"}}))
	_, err = s.Request("ADD x 2", "B")
	must(t, err)
	must(t, s.Advance(1200))
	must(t, s.Heal())
	must(t, s.Restart("A"))
	must(t, s.Timeout("E"))
	must(t, s.Advance(1500))
	_, err = s.AddNode()
	must(t, err)
	must(t, s.Advance(600))
	_, err = s.Request("GET x", "")
	must(t, err)
	must(t, s.Advance(500))
	runs["actions"] = s

	text, ok := scenario.Builtin("partition")
	if !ok {
		t.Fatal("no built-in partition")
	}
	s, err = sim.FromScenario(text)
	must(t, err)
	must(t, s.Advance(1700))
	runs["scenario"] = s

	s, err = sim.New(sim.Config{Nodes: 3, Seed: 4})
	must(t, err)
	must(t, s.Advance(2000))
	_, err = s.Request("SET y 1", "")
	must(t, err)
	must(t, s.Advance(800))
	must(t, s.RewindTo(1500))
	must(t, s.Crash("B"))
	must(t, s.Advance(400))
	runs["rewound"] = s

	// A run the safety checker halted: the first a bug hunt finds.
	rep, err := Hunt("vote-without-log-check", 1, 2000, time.Hour)
	must(t, err)
	if rep.Found == nil {
		t.Fatal("the hunt found no safety failure in 2000 seeds")
	}
	s, err = sim.FromShare(rep.Found.Share)
	must(t, err)
	if !s.Halted() {
		t.Fatal("the hunt's run did not halt")
	}
	runs["halted"] = s
	return runs
}

// The lab's export, from the share string and now alone, writes exactly the
// source the live sandbox would: the share replays to the same state.
func TestExportGoTestMatchesTheLiveRun(t *testing.T) {
	runs := exportRuns(t)
	for name, s := range runs {
		for _, o := range []ExportOptions{{}, {Share: true}, {Name: "crash, then partition", Comment: "Found by hand.", Package: "regress", SimImport: "example.com/fork/sim"}} {
			share, err := s.ShareErr()
			must(t, err)
			got, err := ExportGoTest(share, s.Now(), o)
			if err != nil {
				t.Fatalf("%s %+v: %v", name, o, err)
			}
			if want := liveExport(t, s, o); got != want {
				t.Errorf("%s %+v: the lab's export differs from the live run's:\n got %s\nwant %s", name, o, got, want)
			}
		}
	}
	if src, _ := ExportGoTest(runs["scenario"].Share(), runs["scenario"].Now(), ExportOptions{}); !strings.Contains(src, "func TestPartitionAndHeal(t *testing.T) {") {
		t.Errorf("the test is not named after the scenario's title:\n%s", src)
	}
	if src, _ := ExportGoTest(runs["actions"].Share(), runs["actions"].Now(), ExportOptions{}); !strings.Contains(src, "const end = 5100 // virtual ms") {
		t.Errorf("the test does not end at 5100 ms:\n%s", src)
	}
}

func TestExportGoTestRefuses(t *testing.T) {
	s, err := sim.New(sim.Config{Nodes: 3, Seed: 1})
	must(t, err)
	must(t, s.Advance(500))
	share := s.Share()
	cases := []struct {
		share string
		now   int64
		o     ExportOptions
		want  string
	}{
		{share, 500, ExportOptions{Name: strings.Repeat("n", MaxExportName+1)}, "name is too long"},
		{share, 500, ExportOptions{Comment: strings.Repeat("c", MaxExportNote+1)}, "comment is too long"},
		{share, 500, ExportOptions{Package: "1abc"}, `package must be a Go package name such as "sim_test", got "1abc" (not an identifier)`},
		{share, 500, ExportOptions{Package: "_"}, `got "_" (the blank identifier)`},
		{share, 500, ExportOptions{Package: "func"}, `got "func" (a Go keyword)`},
		{share, 500, ExportOptions{SimImport: "a//b"}, `simImport must be an import path such as "raftsandbox/sim", got "a//b"`},
		{share, 500, ExportOptions{SimImport: "/abs"}, `got "/abs"`},
		{share, 500, ExportOptions{SimImport: "a b"}, `got "a b"`},
		{share, 500, ExportOptions{SimImport: "a/"}, `got "a/"`},
		{share, -1, ExportOptions{}, "now must not be negative"},
		{"not a share!", 500, ExportOptions{}, "share"},
	}
	for _, c := range cases {
		_, err := ExportGoTest(c.share, c.now, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v at %d: got %v, want %q", c.o, c.now, err, c.want)
		}
	}
	if _, err := ExportGoTest(share, 500, ExportOptions{Package: "测试", SimImport: "example.com/a-b/c_d.e~f"}); err != nil {
		t.Errorf("a package name in any script and a plain import path: %v", err)
	}
}

// The JS API checks the export's options against the main wasm's facts
// (wasm/bridge, written into web/sandbox/facts.js): the lab's are the same.
func TestExportLimitsAreTheJSAPIs(t *testing.T) {
	if MaxExportName != bridge.MaxExportName || MaxExportNote != bridge.MaxExportNote || MaxImportPath != bridge.MaxImportPath {
		t.Errorf("labkit's limits %d/%d/%d differ from wasm/bridge's %d/%d/%d", MaxExportName, MaxExportNote, MaxImportPath,
			bridge.MaxExportName, bridge.MaxExportNote, bridge.MaxImportPath)
	}
}
