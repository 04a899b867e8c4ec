package bridge

import (
	"strings"
	"testing"
)

// TestActionsOnARemovedNodeFail: through the JS API too, every action that
// names a node removed from the cluster fails with a message that says so.
func TestActionsOnARemovedNodeFail(t *testing.T) {
	r := NewRegistry()
	h := mustCreate(t, r, "nodes=4;seed=7")
	call := func(op Op, args ...Arg) error {
		_, err := r.Call(h, op, args)
		return err
	}
	if err := call(OpAdvance, Num(1500)); err != nil {
		t.Fatal(err)
	}
	if err := call(OpRemoveNode, Str("D")); err != nil {
		t.Fatal(err)
	}
	if err := call(OpAdvance, Num(2000)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"crash", call(OpCrash, Str("D"))},
		{"restart", call(OpRestart, Str("D"))},
		{"timeout", call(OpTimeout, Str("D"))},
		{"transferLeadership", call(OpTransferLeadership, Str("D"))},
		{"cut", call(OpCut, Str("A"), Str("D"))},
		{"partition", call(OpPartition, Str("D|A,B"))},
		{"request", call(OpRequest, Str("SET 1"), Str("D"))},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), "node D was removed from the cluster") {
			t.Errorf("%s naming the removed D: %v", c.name, c.err)
		}
	}
}
