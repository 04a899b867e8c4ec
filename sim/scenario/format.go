package scenario

import (
	"strconv"
	"strings"
)

// Format prints a script in canonical form: the non-default header lines in
// a fixed order (nodes and seed always), then every action and expectation
// on its own line with its absolute time (`at 1.5s crash B`), then a `wait`
// line if the script lasts longer than its last line. Comments and blank
// lines are not kept. For every script Parse returns, Parse(Format(s))
// equals s.
func Format(s *Script) string {
	var b strings.Builder
	c, d := s.Config, Defaults()
	line := func(parts ...string) {
		b.WriteString(strings.Join(parts, " "))
		b.WriteByte('\n')
	}
	if s.Title != "" {
		line("title", `"`+s.Title+`"`)
	}
	line("nodes", strconv.Itoa(c.Nodes))
	line("seed", strconv.FormatUint(c.Seed, 10))
	if c.TickMs != d.TickMs {
		line("tick", formatDuration(c.TickMs))
	}
	if c.ElectionMinMs != d.ElectionMinMs || c.ElectionMaxMs != d.ElectionMaxMs {
		line("election", formatRange(c.ElectionMinMs, c.ElectionMaxMs))
	}
	if c.HeartbeatMs != d.HeartbeatMs {
		line("heartbeat", formatDuration(c.HeartbeatMs))
	}
	if c.LatencyMinMs != d.LatencyMinMs || c.LatencyMaxMs != d.LatencyMaxMs {
		line("latency", formatRange(c.LatencyMinMs, c.LatencyMaxMs))
	}
	for _, r := range []struct {
		name string
		v    Rate
	}{{"drop", c.DropRate}, {"duplicate", c.DupRate}, {"reorder", c.ReorderRate}} {
		if r.v != 0 {
			line(r.name, r.v.String())
		}
	}
	if c.PreVote {
		line("prevote on")
	}
	if c.CheckQuorum {
		line("checkquorum on")
	}
	if c.SnapshotEvery != d.SnapshotEvery {
		if c.SnapshotEvery == 0 {
			line("snapshot off")
		} else {
			line("snapshot every", strconv.Itoa(c.SnapshotEvery))
		}
	}
	for _, name := range BugNames {
		if *bugFlag(&c.Bugs, name) {
			line("bug", name)
		}
	}
	// The wait runs from the last line's time; it is needed only when the
	// script lasts longer than both that time and every At+Within.
	cursor, implied := int64(0), int64(0)
	// Beat lines go where they were written among the steps: before step
	// number AfterSteps (a beat with its show lines), and UntilAfterSteps
	// (its until with its holds lines).
	mark := 0 // beats and untils printed: beat k is mark 2k, its until 2k+1
	marks := func(i int) {
		for ; mark < 2*len(s.Beats); mark++ {
			b := &s.Beats[mark/2]
			if mark%2 == 0 {
				if b.AfterSteps > i {
					return
				}
				if b.Key != "" {
					line("beat", b.Key)
				} else {
					line("beat", `"`+b.Text+`"`)
				}
				if len(b.Show.Nodes) > 0 {
					line("show", strings.Join(b.Show.Nodes, ","))
				}
				for _, e := range b.Show.Entries {
					line("show entry", strconv.FormatInt(e.Index, 10), "on", strings.Join(e.Nodes, ","))
				}
				continue
			}
			if b.UntilAfterSteps > i {
				return
			}
			cursor = b.Until.At
			line("at", formatDuration(b.Until.At), "until", strings.TrimPrefix(b.Until.String(), "expect "))
			implied = max(implied, b.Until.At+b.Until.Within)
			for _, f := range b.Facts {
				line("holds", strings.TrimPrefix(f.String(), "expect "))
			}
		}
	}
	for i, st := range s.Steps() {
		marks(i)
		cursor = st.At
		implied = max(implied, st.At)
		if st.Action != nil {
			line("at", formatDuration(st.At), st.Action.String())
		} else {
			line("at", formatDuration(st.At), st.Expect.String())
			implied = max(implied, st.At+st.Expect.Within)
		}
	}
	marks(1 << 62)
	if s.End > implied {
		line("wait", formatDuration(s.End-cursor))
	}
	return b.String()
}

// String prints the action as in a script, without its time: "crash B",
// "partition A,B | C,D,E", "request SET 5 to B".
func (a Action) String() string {
	switch a.Kind {
	case Partition:
		return "partition " + strings.Join(a.Args, " | ")
	case Cut:
		return "cut " + strings.Join(a.Args, "->")
	case Request:
		if len(a.Args) == 2 {
			return "request " + a.Args[0] + " to " + a.Args[1]
		}
	case Transfer:
		return "transfer to " + strings.Join(a.Args, " ")
	case Add:
		return "add node"
	case Drop, Hold, Release:
		return a.Kind + " message " + strings.Join(a.Args, " ")
	}
	return strings.TrimSpace(a.Kind + " " + strings.Join(a.Args, " "))
}

// String prints the expectation as in a script, without its time:
// "expect leader in C,D,E within 2s".
func (e Expect) String() string {
	parts := []string{"expect"}
	scope := func() {
		switch {
		case e.Scope == ScopeAll || e.Scope == ScopeMajority:
			parts = append(parts, "on", e.Scope)
		default:
			parts = append(parts, "on", strings.Join(e.Nodes, ","))
		}
	}
	switch e.Kind {
	case ExpectLeader:
		parts = append(parts, "leader")
		switch len(e.Nodes) {
		case 0:
		case 1:
			parts = append(parts, e.Nodes[0])
		default:
			parts = append(parts, "in", strings.Join(e.Nodes, ","))
		}
	case ExpectNoLeader:
		parts = append(parts, "no leader")
	case ExpectKV:
		parts = append(parts, e.Key, "=", strconv.FormatInt(e.Value, 10))
		scope()
	case ExpectTerm, ExpectCommit, ExpectVotes:
		parts = append(parts, e.Kind, e.Op, strconv.FormatInt(e.Value, 10))
		scope()
	case ExpectRole:
		parts = append(parts, "role", e.Status)
		scope()
	case ExpectDown:
		parts = append(parts, "down", strings.Join(e.Nodes, ","))
	case ExpectRequest:
		parts = append(parts, "request", strconv.Itoa(e.Request), e.Status)
		if e.HasResult {
			parts = append(parts, "=", strconv.FormatInt(e.Value, 10))
		}
	case ExpectConverged:
		parts = append(parts, "logs converged")
	case ExpectInvariants:
		parts = append(parts, "invariants", e.Status)
	default:
		parts = append(parts, e.Kind)
	}
	if e.Within > 0 {
		parts = append(parts, "within", formatDuration(e.Within))
	}
	return strings.Join(parts, " ")
}
