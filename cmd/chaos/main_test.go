package main

import (
	"strings"
	"testing"

	"raftsandbox/raft"
	"raftsandbox/sim/chaos"
)

// TestSoakGoesPastALivenessAlarm: seed 13244086 has no leader 10 election
// timeouts after the faults stop (docs/chaos.md); the soak reports it with
// its class and runs the seeds after it.
func TestSoakGoesPastALivenessAlarm(t *testing.T) {
	var out strings.Builder
	ran, alarms := soak(&out, 13244086, 3, 1, chaos.Options{ProfileName: "default"}, nil)
	if ran != 3 || len(alarms) != 1 || alarms[0].seed != 13244086 || alarms[0].f.Class != chaos.ClassDisruptive {
		t.Fatalf("ran %d seeds, alarms %+v; want 3 seeds and one disruptive-node alarm at 13244086\n%s", ran, alarms, out.String())
	}
	for _, want := range []string{"ALARM seed 13244086: liveness: disruptive node", "replay: go run ./cmd/chaos -seed 13244086 -v",
		"1 alarms:", "liveness: disruptive node", "seeds [13244086]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestSoakStopsAtASafetyFailure: with a deliberate bug that seed 1 already
// catches, the soak stops there.
func TestSoakStopsAtASafetyFailure(t *testing.T) {
	var out strings.Builder
	opt := chaos.Options{ProfileName: "default", Bugs: raft.Bugs{AckBeforeDurable: true}}
	ran, alarms := soak(&out, 1, 50, 1, opt, nil)
	if ran != 1 || len(alarms) != 1 || !chaos.IsSafety(alarms[0].f.Class) {
		t.Fatalf("ran %d seeds, alarms %+v; want a stop at seed 1 on a safety failure\n%s", ran, alarms, out.String())
	}
	if !strings.Contains(out.String(), "SAFETY FAILURE (the soak stopped here)") {
		t.Errorf("the summary does not say the soak stopped:\n%s", out.String())
	}
}

// TestSoakStopsWhenAsked: a closed stop channel (Ctrl-C) ends the soak
// before any seed starts; the summary still comes.
func TestSoakStopsWhenAsked(t *testing.T) {
	var out strings.Builder
	stop := make(chan struct{})
	close(stop)
	ran, alarms := soak(&out, 1, 1000, 2, chaos.Options{ProfileName: "default"}, stop)
	if ran != 0 || len(alarms) != 0 || !strings.Contains(out.String(), "interrupted") || !strings.Contains(out.String(), "no alarms") {
		t.Fatalf("ran %d seeds, %d alarms:\n%s", ran, len(alarms), out.String())
	}
}
