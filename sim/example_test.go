package sim_test

import (
	"fmt"
	"strings"

	"raftsandbox/sim"
)

// The seed's replication chapter: a client writes SET 5 then ADD 2 through
// the leader; every node applies them; x is 7 everywhere.
func Example() {
	cfg := sim.DefaultConfig()
	cfg.Seed = 42
	s, err := sim.New(cfg)
	if err != nil {
		panic(err)
	}
	if err := s.Timeout("A"); err != nil { // A's election timer fires first
		panic(err)
	}
	_ = s.Advance(500)
	fmt.Println("leader:", s.State().Leader)

	set, _ := s.Request("SET 5", "")
	add, _ := s.Request("ADD 2", "")
	_ = s.Advance(500)
	st := s.State()
	for _, r := range st.Requests {
		if r.ID == set || r.ID == add {
			fmt.Println(r.Command, r.Status, r.Result)
		}
	}
	var xs []string
	for _, n := range st.Nodes {
		xs = append(xs, fmt.Sprintf("%s:x=%d", n.ID, n.KV[0].Value))
	}
	fmt.Println(strings.Join(xs, " "))
	fmt.Println("invariants hold:", st.Invariants.OK)

	if _, err := s.Request("DEL x", ""); err != nil {
		fmt.Println(err)
	}
	// Output:
	// leader: A
	// SET x 5 committed 5
	// ADD x 2 committed 7
	// A:x=7 B:x=7 C:x=7 D:x=7 E:x=7
	// invariants hold: true
	// unknown command "DEL": the commands are SET, ADD and GET
}
