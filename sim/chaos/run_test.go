package chaos

import (
	"strings"
	"testing"

	"raftsandbox/raft"
)

func TestRunIsDeterministic(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		a, errA := Run(seed, Options{})
		b, errB := Run(seed, Options{})
		if a != b || (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
			t.Fatalf("seed %d: two runs differ:\n%+v %v\n%+v %v", seed, a, errA, b, errB)
		}
		if a.Requests == 0 || a.Faults == 0 {
			t.Fatalf("seed %d: a run without requests or faults: %+v", seed, a)
		}
	}
}

func TestReplayCommandAndBugNames(t *testing.T) {
	var b raft.Bugs
	if err := SetBug(&b, "ack-before-durable"); err != nil || !b.AckBeforeDurable {
		t.Fatalf("SetBug: %v %+v", err, b)
	}
	if err := SetBug(&b, "no-such-bug"); err == nil {
		t.Fatal("SetBug accepted an unknown bug")
	}
	for _, name := range AllBugNames() {
		var one raft.Bugs
		if err := SetBug(&one, name); err != nil {
			t.Fatal(err)
		}
		if got := BugNames(one); len(got) != 1 || got[0] != name {
			t.Fatalf("BugNames after SetBug(%q) = %v", name, got)
		}
	}
	got := ReplayCommand(42, Options{Bugs: b, ProfileName: "crashy"})
	want := "go run ./cmd/chaos -seed 42 -v -bug ack-before-durable -profile crashy"
	if got != want {
		t.Fatalf("ReplayCommand = %q, want %q", got, want)
	}
	f := &Failure{Seed: 42, Check: "liveness", At: 10, Detail: "d", Replay: got}
	if s := f.Error(); !strings.Contains(s, "seed 42") || !strings.Contains(s, want) {
		t.Fatalf("failure message lacks the seed or the replay command: %q", s)
	}
}
