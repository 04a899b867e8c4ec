package chaos

import (
	"testing"

	"raftsandbox/raft"
)

// maxSeedsPerBug is the bound: the checker must catch each bug
// within 2,000 seeds.
const maxSeedsPerBug = 2000

// TestBugsAreCaught turns on each of the core's deliberate bugs in turn and
// runs chaos seeds until a check fails. A seed counts as catching the bug
// only if the same seed passes with the bug off, so the failure is the bug's
// doing and not the schedule's. The checker must be able to fail.
func TestBugsAreCaught(t *testing.T) {
	for _, name := range AllBugNames() {
		t.Run(name, func(t *testing.T) {
			var bugs raft.Bugs
			if err := SetBug(&bugs, name); err != nil {
				t.Fatal(err)
			}
			opt := Options{Bugs: bugs, ProfileName: BugProfile(name)}
			var err error
			if opt.Profile, err = ProfileByName(opt.ProfileName); err != nil {
				t.Fatal(err)
			}
			clean := opt
			clean.Bugs = raft.Bugs{}
			for seed := uint64(1); seed <= maxSeedsPerBug; seed++ {
				_, bugErr := Run(seed, opt)
				if bugErr == nil {
					continue
				}
				if _, cleanErr := Run(seed, clean); cleanErr != nil {
					continue // this schedule fails without the bug too: not the bug's doing
				}
				f := bugErr.(*Failure)
				t.Logf("caught after %d seeds by the %s check (profile %s):\n%s", seed, f.Check, opt.ProfileName, firstLines(f.Error(), 3))
				return
			}
			t.Fatalf("bug %s was not caught within %d seeds (profile %s): the checks cannot see it",
				name, maxSeedsPerBug, opt.ProfileName)
		})
	}
}

func firstLines(s string, n int) string {
	for i, c := range s {
		if c == '\n' {
			n--
			if n == 0 {
				return s[:i]
			}
		}
	}
	return s
}

// The fifth bug, read-without-read-index, breaks no invariant of the logs:
// only what the clients saw shows it. The linearizability check (porcupine
// over the client history) must catch it within maxStaleReadSeeds seeds,
// and a seed that catches it must pass with the bug off, on every check.
const maxStaleReadSeeds = 200

func TestStaleReadCaughtByLinearizability(t *testing.T) {
	opt := Options{Bugs: raft.Bugs{ReadWithoutReadIndex: true}, ProfileName: "default", Profile: DefaultProfile()}
	clean := opt
	clean.Bugs = raft.Bugs{}
	for seed := uint64(1); seed <= maxStaleReadSeeds; seed++ {
		_, err := Run(seed, opt)
		if err == nil {
			continue
		}
		f := err.(*Failure)
		if f.Check != "linearizability" {
			t.Fatalf("seed %d: caught by the %s check, want linearizability (a stale read breaks no log invariant):\n%s\nreplay: %s",
				seed, f.Check, firstLines(f.Error(), 4), ReplayCommand(seed, opt))
		}
		if _, cleanErr := Run(seed, clean); cleanErr != nil {
			t.Fatalf("seed %d fails with ReadIndex too: %v", seed, cleanErr)
		}
		t.Logf("caught at seed %d:\n%s", seed, firstLines(f.Error(), 4))
		return
	}
	t.Fatalf("a stale read was not caught within %d seeds", maxStaleReadSeeds)
}
