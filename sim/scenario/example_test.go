package scenario_test

import (
	"fmt"

	"raftsandbox/sim/scenario"
)

func ExampleParse() {
	s, err := scenario.Parse(`
nodes 3
seed 7
at 1s crash A          # the leader, say
after 500ms request SET 5
expect x = 5 on majority within 2s
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range s.Steps() {
		if st.Action != nil {
			fmt.Println(st.At, st.Action.Kind, st.Action.Args)
		} else {
			fmt.Println(st.At, st.Expect.Kind, st.Expect.Key, st.Expect.Value, st.Expect.Scope, st.Expect.Within)
		}
	}
	fmt.Println("end", s.End)
	// Output:
	// 1000 crash [A]
	// 1500 request [SET 5]
	// 1500 kv x 5 majority 2000
	// end 3500
}

func ExampleParse_error() {
	_, err := scenario.Parse("nodes 3\nat 2s crash D")
	fmt.Println(err)
	// Output: line 2, column 13: there is no node D: the cluster has 3 nodes, A to C
}

func ExampleFormat() {
	s, _ := scenario.Parse("nodes 3\nat 1500ms partition A | B,C\nafter 1s heal\nexpect leader within 2s")
	fmt.Print(scenario.Format(s))
	// Output:
	// nodes 3
	// seed 1
	// at 1.5s partition A | B,C
	// at 2.5s heal
	// at 2.5s expect leader within 2s
}

func ExampleEncodeShare() {
	s, _ := scenario.Parse("nodes 3\nat 1s crash A\nat 2s restart A")
	share, _ := scenario.EncodeShare(s)
	fmt.Println(share)
	back, err := scenario.DecodeShare(share)
	fmt.Println(err, back.Actions)
	_, err = scenario.DecodeShare("AgMF")
	fmt.Println(err)
	// Output:
	// AQMDAQLoBwAA6AcBAAA
	// <nil> [crash A restart A]
	// share: unknown version 2 (this build reads version 1); the link may come from a newer Raft Sandbox
}
