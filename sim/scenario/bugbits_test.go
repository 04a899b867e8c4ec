package scenario

import (
	"testing"

	"raftsandbox/raft"
)

// The bits of the bugs in a share link: the first four keep the places they
// always had (links made before stay valid), a later bug takes a bit after
// the title's, and no two fields share a bit.
func TestBugBits(t *testing.T) {
	for i, want := range []uint64{1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 17, 1 << 18} {
		if got := bugBit(i); got != want {
			t.Errorf("bugBit(%d) = %#x, want %#x", i, got, want)
		}
	}
	used := uint64(fNodes | fSeed | fTick | fElection | fHeartbeat | fLatency | fDrop | fDup | fReorder | fPreVote | fCheckQuorum | fSnapshot | fTitle | fClientView)
	for i := range raft.BugList {
		if used&bugBit(i) != 0 {
			t.Errorf("bug %d's bit %#x is taken", i, bugBit(i))
		}
		used |= bugBit(i)
	}
	if fAll != used {
		t.Errorf("fAll = %#x, want every used bit %#x", fAll, used)
	}
}
