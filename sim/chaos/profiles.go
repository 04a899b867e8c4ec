package chaos

import (
	"fmt"
	"strings"
)

// profiles are the named fault schedules. "default" is what TestChaos and the
// soak run; the others lean on the faults a particular bug needs.
var profiles = []struct {
	name string
	make func() Profile
}{
	{"default", DefaultProfile},
	{"crashy", CrashyProfile},
	{"figure8", Figure8Profile},
	{"membership", MembershipProfile},
}

// CrashyProfile crashes and restarts nodes (leaders above all) every few
// tens of milliseconds, forces elections with two candidates at once, and
// crashes and restarts half of the nodes that move to a new term right
// there (when they may just have voted): what a vote that is not durable
// needs to show.
func CrashyProfile() Profile {
	p := DefaultProfile()
	p.FaultMs = 2000
	p.MeanGapMs = 40
	p.RestartOnNewTermPct = 50
	p.Weights = map[FaultKind]int{KindCrash: 6, KindCrashLeader: 6, KindRestart: 12, KindTimeout: 4,
		KindDualTimeout: 8, KindPartition: 2, KindHeal: 2}
	return p
}

// Figure8Profile aims at Figure 8 of the paper: bursts of requests to
// leaders cut off with one follower (long logs of an old term on a
// minority), new leaders cut off before their no-op spreads, leaders cut off
// right after they commit an entry of an earlier term, quick restarts and
// elections, and no compaction (a snapshot would hide the log shapes Figure
// 8 needs).
func Figure8Profile() Profile {
	p := DefaultProfile()
	p.FaultMs = 4000
	p.MeanGapMs = 60
	p.SnapshotMin = 100000
	p.IsolateNewLeaderPct = 30
	p.IsolateOldCommitPct = 60
	p.Weights = map[FaultKind]int{KindIsolateLeader: 6, KindBurst: 6, KindHeal: 8, KindTimeout: 6,
		KindPartition: 2, KindCrashLeader: 2, KindRestart: 4}
	return p
}

// MembershipProfile adds and removes nodes often, between partitions, cut
// links and crashes, so that nodes are removed while cut off or down: a
// removed node that never learns of its removal runs on (thesis §4.2.3),
// timing out and asking for votes, and the others must still elect, commit
// and answer (with neither pre-vote nor check-quorum it deposes leaders
// whenever it times out after the faults stop: the liveness checks give the
// members their time between).
func MembershipProfile() Profile {
	p := DefaultProfile()
	p.MinSize, p.MaxSize = 3, 7
	p.Weights = map[FaultKind]int{KindAddNode: 8, KindRemoveNode: 8, KindPartition: 8, KindHeal: 6,
		KindCutLink: 4, KindCrash: 5, KindRestart: 6, KindCrashLeader: 2, KindIsolateLeader: 4, KindTransfer: 2, KindTimeout: 3}
	return p
}

// BugProfile names the profile that hunts a bug best.
func BugProfile(bug string) string {
	switch bug {
	case "forget-vote-on-restart":
		return "crashy"
	case "commit-old-term-by-count":
		return "figure8"
	}
	return "default"
}

// ProfileNames lists the named profiles.
func ProfileNames() []string {
	out := make([]string, len(profiles))
	for i, p := range profiles {
		out[i] = p.name
	}
	return out
}

// ProfileByName returns a named profile.
func ProfileByName(name string) (Profile, error) {
	for _, p := range profiles {
		if p.name == name {
			return p.make(), nil
		}
	}
	return Profile{}, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(ProfileNames(), ", "))
}
