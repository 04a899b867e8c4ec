package sim

import (
	"reflect"
	"testing"
)

// TestGlanceIsStateWithoutTheCostlyParts: Glance's nodes are State's with
// the logs, key-values, progress and vote tallies left out, and it has no
// messages or requests.
func TestGlanceIsStateWithoutTheCostlyParts(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		s := randomWorkload(t, seed, 1500)
		st, gl := s.State(), s.Glance()
		if gl.Now != st.Now || gl.Leader != st.Leader || gl.Halted != st.Halted || gl.Invariants.OK != st.Invariants.OK {
			t.Fatalf("seed %d: glance %+v, state %+v", seed, gl, st)
		}
		if gl.Messages != nil || gl.Requests != nil || gl.Partition != nil || len(gl.Nodes) != len(st.Nodes) {
			t.Fatalf("seed %d: the glance has %d messages, %d requests, %d nodes (state: %d)", seed,
				len(gl.Messages), len(gl.Requests), len(gl.Nodes), len(st.Nodes))
		}
		for i, n := range st.Nodes {
			n.Log, n.LogStart, n.KV, n.Progress, n.Votes, n.VotesRejected = nil, 0, nil, nil, nil, nil
			if !reflect.DeepEqual(gl.Nodes[i], n) {
				t.Fatalf("seed %d: node %s\nglance %+v\nstate  %+v", seed, n.ID, gl.Nodes[i], n)
			}
		}
	}
}
