package render

import (
	"strings"
	"testing"
)

// A removed node is grey inside, as on the page: at 4.9 s of the membership
// chapter (beat 12.8) C, removed and told so, is shut down, and B, removed
// while cut off, still runs as a candidate; the description says both are
// removed.
func TestRemovedNodesAreGrey(t *testing.T) {
	svg := render(t, "scenario=membership&at=4900")
	b := nodeBodies(parse(t, svg))
	if c := b["C"]; c["class"] != "rs-node role-down removed" || c["fill"] != cDown {
		t.Errorf("C (removed, shut down) drawn as %v", c)
	}
	if c := b["B"]; c["class"] != "rs-node role-candidate removed" || c["fill"] != cDown || c["stroke"] != cCand {
		t.Errorf("B (removed, running, a candidate) drawn as %v", c)
	}
	if c := b["A"]; c["class"] != "rs-node role-leader" || c["fill"] != cNode {
		t.Errorf("A (a member) drawn as %v", c)
	}
	if n := strings.Count(string(svg), "(removed from the cluster)"); n != 2 {
		t.Errorf("the description says %d nodes are removed, want 2 (B, C)", n)
	}
}
