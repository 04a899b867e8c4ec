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
	f := &formatter{s: s}
	f.header()
	for i, st := range s.Steps() {
		f.storyLines(i)
		f.cursor = st.At
		f.implied = max(f.implied, st.At)
		if st.Action != nil {
			f.line("at", formatDuration(st.At), st.Action.String())
		} else {
			f.line("at", formatDuration(st.At), st.Expect.String())
			f.implied = max(f.implied, st.At+st.Expect.Within)
		}
	}
	f.storyLines(1 << 62)
	if s.End > f.implied {
		f.line("wait", formatDuration(s.End-f.cursor))
	}
	return f.b.String()
}

// formatter prints a script (Format).
type formatter struct {
	s *Script
	b strings.Builder
	// The wait runs from the last line's time (cursor); it is needed only
	// when the script lasts longer than both that time and every
	// At+Within (implied).
	cursor, implied int64
	// mark counts the beats and untils printed: beat k is mark 2k, its
	// until 2k+1.
	mark int
}

// line prints one line: the parts, separated by spaces.
func (f *formatter) line(parts ...string) {
	f.b.WriteString(strings.Join(parts, " "))
	f.b.WriteByte('\n')
}

// header prints the title and the header lines that differ from the
// defaults (nodes and seed always).
func (f *formatter) header() {
	c, d := f.s.Config, Defaults()
	if f.s.Title != "" {
		f.line("title", `"`+f.s.Title+`"`)
	}
	f.line("nodes", strconv.Itoa(c.Nodes))
	f.line("seed", strconv.FormatUint(c.Seed, 10))
	if c.TickMs != d.TickMs {
		f.line("tick", formatDuration(c.TickMs))
	}
	if c.ElectionMinMs != d.ElectionMinMs || c.ElectionMaxMs != d.ElectionMaxMs {
		f.line("election", formatRange(c.ElectionMinMs, c.ElectionMaxMs))
	}
	if c.HeartbeatMs != d.HeartbeatMs {
		f.line("heartbeat", formatDuration(c.HeartbeatMs))
	}
	if c.LatencyMinMs != d.LatencyMinMs || c.LatencyMaxMs != d.LatencyMaxMs {
		f.line("latency", formatRange(c.LatencyMinMs, c.LatencyMaxMs))
	}
	for _, r := range []struct {
		name string
		v    Rate
	}{{"drop", c.DropRate}, {"duplicate", c.DupRate}, {"reorder", c.ReorderRate}} {
		if r.v != 0 {
			f.line(r.name, r.v.String())
		}
	}
	if c.PreVote {
		f.line("prevote on")
	}
	if c.CheckQuorum {
		f.line("checkquorum on")
	}
	if c.SnapshotEvery != d.SnapshotEvery {
		if c.SnapshotEvery == 0 {
			f.line("snapshot off")
		} else {
			f.line("snapshot every", strconv.Itoa(c.SnapshotEvery))
		}
	}
	for _, name := range BugNames {
		if *bugFlag(&c.Bugs, name) {
			f.line("bug", name)
		}
	}
	if c.ClientView {
		f.line("clientview on")
	}
}

// storyLines prints the beat lines due before step i: they go where they
// were written among the steps, before step number AfterSteps (a beat with
// its show lines) and UntilAfterSteps (its until with its holds lines).
func (f *formatter) storyLines(i int) {
	for ; f.mark < 2*len(f.s.Beats); f.mark++ {
		b := &f.s.Beats[f.mark/2]
		if f.mark%2 == 0 {
			if b.AfterSteps > i {
				return
			}
			f.beat(b)
			continue
		}
		if b.UntilAfterSteps > i {
			return
		}
		f.cursor = b.Until.At
		f.line("at", formatDuration(b.Until.At), "until", strings.TrimPrefix(b.Until.String(), "expect "))
		f.implied = max(f.implied, b.Until.At+b.Until.Within)
		for _, e := range b.Facts {
			f.line("holds", strings.TrimPrefix(e.String(), "expect "))
		}
	}
}

// beat prints a beat line and its show lines.
func (f *formatter) beat(b *Beat) {
	if b.Key != "" {
		f.line("beat", b.Key)
	} else {
		f.line("beat", `"`+b.Text+`"`)
	}
	if len(b.Show.Nodes) > 0 {
		f.line("show", strings.Join(b.Show.Nodes, ","))
	}
	for _, e := range b.Show.Entries {
		f.line("show entry", strconv.FormatInt(e.Index, 10), "on", strings.Join(e.Nodes, ","))
	}
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
	b := []byte("expect")
	scoped := false // the kinds with "on all", "on majority" or "on A,B"
	switch e.Kind {
	case ExpectLeader:
		b = append(b, " leader"...)
		if len(e.Nodes) > 1 {
			b = append(b, " in"...)
		}
		if len(e.Nodes) > 0 {
			b = addWord(b, strings.Join(e.Nodes, ","))
		}
	case ExpectNoLeader:
		b = append(b, " no leader"...)
	case ExpectKV:
		b = addWord(addWord(addWord(b, e.Key), "="), strconv.FormatInt(e.Value, 10))
		scoped = true
	case ExpectTerm, ExpectCommit, ExpectVotes:
		b = addWord(addWord(addWord(b, e.Kind), e.Op), strconv.FormatInt(e.Value, 10))
		scoped = true
	case ExpectRole:
		b = addWord(append(b, " role"...), e.Status)
		scoped = true
	case ExpectDown:
		b = addWord(append(b, " down"...), strings.Join(e.Nodes, ","))
	case ExpectRequest:
		b = addWord(addWord(append(b, " request"...), strconv.Itoa(e.Request)), e.Status)
		if e.HasResult {
			b = addWord(append(b, " ="...), strconv.FormatInt(e.Value, 10))
		}
	case ExpectConverged:
		b = append(b, " logs converged"...)
	case ExpectInvariants:
		b = addWord(append(b, " invariants"...), e.Status)
	default:
		b = addWord(b, e.Kind)
	}
	if scoped {
		scope := e.Scope
		if scope != ScopeAll && scope != ScopeMajority {
			scope = strings.Join(e.Nodes, ",")
		}
		b = addWord(append(b, " on"...), scope)
	}
	if e.Within > 0 {
		b = addWord(append(b, " within"...), formatDuration(e.Within))
	}
	return string(b)
}

// addWord appends a space and w.
func addWord(b []byte, w string) []byte {
	b = append(b, ' ')
	return append(b, w...)
}
