package sim

import (
	"slices"
	"testing"
)

// Leader and AppendMessageIDs say what State says, at every moment of a run
// with messages held and on their way.
func TestCheapAccessorsAgreeWithState(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Seed = 3
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sawLeader, sawHeld := false, false
	for step := range 120 {
		if err := s.Advance(7); err != nil {
			t.Fatal(err)
		}
		st := s.State()
		if got := s.Leader(); got != st.Leader {
			t.Fatalf("at %d ms: Leader %q, State's %q", s.Now(), got, st.Leader)
		}
		var held, moving []int
		for _, m := range st.Messages {
			if m.Held {
				held = append(held, m.ID)
			} else {
				moving = append(moving, m.ID)
			}
		}
		if got := s.AppendMessageIDs(nil, true); !slices.Equal(got, held) {
			t.Fatalf("at %d ms: held %v, State's %v", s.Now(), got, held)
		}
		if got := s.AppendMessageIDs([]int{-1}, false); !slices.Equal(got, append([]int{-1}, moving...)) {
			t.Fatalf("at %d ms: on their way %v, State's %v (after -1)", s.Now(), got, moving)
		}
		sawLeader = sawLeader || st.Leader != ""
		sawHeld = sawHeld || len(held) > 0
		if step%3 == 0 && len(moving) > 0 {
			if err := s.HoldMessage(moving[len(moving)-1], true); err != nil {
				t.Fatal(err)
			}
		}
		if step%10 == 9 && len(held) > 0 {
			s.HoldMessage(held[0], false)
		}
	}
	if !sawLeader || !sawHeld {
		t.Fatalf("the run never had a leader (%v) or a held message (%v)", sawLeader, sawHeld)
	}
}
