package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Parse reads a scenario script (see docs/scenarios.md for the grammar).
// Errors are *Error values naming the line and column and saying what was
// expected. Parse never panics, whatever the input.
func Parse(text string) (*Script, error) {
	if len(text) > MaxTextBytes {
		return nil, &Error{Line: 1, Col: 1, Msg: fmt.Sprintf("the script is larger than %d bytes", MaxTextBytes)}
	}
	p := &parser{s: &Script{Config: Defaults()}, headers: map[string]headerPos{}}
	for i, line := range splitLines(text) {
		if err := p.run(line, i+1, p.lineBody); err != nil {
			return nil, err
		}
	}
	if !p.inBody {
		if err := p.endHeader(); err != nil {
			return nil, err
		}
	}
	if n := len(p.s.Beats); n > 0 && !p.hasUntil {
		return nil, &Error{Line: p.beatLine, Col: 1, Msg: p.s.Beats[n-1].Name() + " has no until line: say when it ends (until leader within 1s)"}
	}
	p.s.End = max(p.s.End, p.now)
	return p.s, nil
}

// headerPos remembers where a header line set a field, for later errors.
type headerPos struct{ line, col int }

type parser struct {
	s       *Script
	lineNo  int
	toks    []token
	pos     int
	now     int64 // the current time: the previous line's, or later after wait
	inBody  bool  // an action, expectation or wait has been seen
	members int   // nodes created so far: Config.Nodes plus `add node` actions
	headers map[string]headerPos
	// beats: the line of the last beat line and whether it has its until yet
	beatLine int
	hasUntil bool
}

// bailout carries an *Error out of deep parsing code; only line recovers it.
type bailout struct{ err *Error }

func (p *parser) fail(t token, format string, args ...any) {
	e := &Error{Line: p.lineNo, Col: t.col, Msg: fmt.Sprintf(format, args...)}
	if t.kind == tokEOL {
		e.EndOfLine = true
	} else {
		e.Near = t.text
	}
	panic(bailout{e})
}

// expected fails with "expected WHAT, found TOKEN".
func (p *parser) expected(t token, what string) {
	p.fail(t, "expected %s, found %s", what, t.describe())
}

// valueFail reports a value error: "expected ..." errors get ", found X".
func (p *parser) valueFail(t token, err error) {
	if strings.HasPrefix(err.Error(), "expected") {
		p.fail(t, "%s, found %s", err, t.describe())
	}
	p.fail(t, "%s: %s", t.describe(), err)
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOL {
		p.pos++
	}
	return t
}

// word consumes a word token or fails expecting what.
func (p *parser) word(what string) token {
	t := p.next()
	if t.kind != tokWord {
		p.expected(t, what)
	}
	return t
}

// keyword consumes the word kw or fails.
func (p *parser) keyword(kw string) {
	t := p.next()
	if t.kind != tokWord || t.text != kw {
		p.expected(t, strconv.Quote(kw))
	}
}

func (p *parser) isWord(kw string) bool {
	t := p.peek()
	return t.kind == tokWord && t.text == kw
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *parser) eol() {
	if t := p.next(); t.kind != tokEOL {
		p.expected(t, "the end of the line")
	}
}

// count reads a word that is a whole number in [min, max] (what names it).
func (p *parser) count(what string, min, max int64) int64 {
	t := p.word(what)
	n, err := parseCount(t.text, min, max)
	if err != nil {
		p.valueFail(t, err)
	}
	return n
}

func (p *parser) duration() int64 {
	t := p.word("a duration like 200ms or 1.5s")
	d, err := parseDuration(t.text)
	if err != nil {
		p.valueFail(t, err)
	}
	return d
}

// lineBody parses a line's tokens, by its first word.
func (p *parser) lineBody() {
	first := p.peek()
	if first.kind == tokEOL {
		return
	}
	if first.kind != tokWord {
		p.expected(first, "a header line (nodes 5), an action (at 1s crash B) or an expectation (expect leader)")
	}
	switch first.text {
	case "at", "after", "wait":
		p.timed()
	case "title", "nodes", "seed", "tick", "election", "heartbeat", "latency", "duplicate", "reorder",
		"prevote", "checkquorum", "snapshot", "bug", "clientview":
		p.header()
	case "beat", "show", "holds":
		p.enterBody(first)
		p.storyLine(first)
	case "drop":
		if p.toks[1].kind == tokWord && p.toks[1].text == "message" { // toks end with tokEOL: [1] exists
			p.enterBody(first)
			p.statement()
		} else {
			p.header()
		}
	default:
		p.enterBody(first)
		p.statement()
	}
}

// timed parses a line that starts with a time: `at T` and `after D` then a
// statement, or `wait D` alone.
func (p *parser) timed() {
	first := p.next()
	t := p.peek()
	d := p.duration()
	switch first.text {
	case "at":
		if d < p.now {
			p.fail(t, "time goes backwards: %s is before %s, the time of the line before", formatDuration(d), formatDuration(p.now))
		}
		p.enterBody(t)
		p.now = d
		p.statement()
	case "after":
		p.enterBody(t)
		p.advance(t, d)
		p.statement()
	default: // wait
		p.enterBody(t)
		p.advance(t, d)
		p.eol()
	}
}

// advance moves the current time forward by d.
func (p *parser) advance(t token, d int64) {
	if p.now+d > MaxTime {
		p.fail(t, "this goes past 24h, the latest time a script may reach")
	}
	p.now += d
}

func (p *parser) enterBody(t token) {
	if p.inBody {
		return
	}
	if err := p.endHeader(); err != nil {
		panic(bailout{err})
	}
	p.inBody = true
}

// header parses a header line into p.s.Config (or the title).
func (p *parser) header() {
	name := p.next()
	if p.inBody {
		p.fail(name, "the header line %q must come before the first action, expectation or wait (during a run, use configure)", name.text)
	}
	key := name.text
	if key == "bug" {
		key = "bug " + p.peek().text
	}
	if prev, dup := p.headers[key]; dup {
		p.fail(name, "%q is already set on line %d", key, prev.line)
	}
	pos := headerPos{p.lineNo, p.peek().col}
	p.headers[key] = pos
	c := &p.s.Config
	switch name.text {
	case "title":
		p.s.Title = p.title()
	case "nodes":
		n := p.count("a number of nodes", 1, MaxNodes)
		c.Nodes = int(n)
	case "seed":
		c.Seed = p.seed()
	case "tick":
		c.TickMs = p.duration()
	case "heartbeat":
		c.HeartbeatMs = p.duration()
	case "election":
		t := p.word("a range like 150-300ms")
		lo, hi, err := parseRange(t.text)
		if err != nil {
			p.valueFail(t, err)
		}
		c.ElectionMinMs, c.ElectionMaxMs = lo, hi
	case "bug":
		*p.bug(c) = true
	case "clientview":
		t := p.word("on or off")
		b, err := parseOnOff(t.text)
		if err != nil {
			p.valueFail(t, err)
		}
		c.ClientView = b
	default: // the settings configure can also change
		p.pos--
		_, st := p.setting()
		st.apply(c)
		return
	}
	p.eol()
}

// title reads a header's quoted title.
func (p *parser) title() string {
	t := p.next()
	if t.kind != tokStr {
		p.expected(t, "a quoted title like \"Leader election\"")
	}
	if len(t.text) > MaxTitleBytes {
		p.fail(t, "the title is longer than %d bytes", MaxTitleBytes)
	}
	return t.text
}

// seed reads a header's seed: a whole number, all 64 bits.
func (p *parser) seed() uint64 {
	t := p.word("a seed (a whole number)")
	v, err := strconv.ParseUint(t.text, 10, 64)
	if err != nil || !allDigits(t.text) {
		p.fail(t, "expected a seed (a whole number from 0 to 18446744073709551615), found %s", t.describe())
	}
	return v
}

// bug reads a bug's name and returns its switch in c.Bugs.
func (p *parser) bug(c *Config) *bool {
	t := p.word("a bug name (" + strings.Join(BugNames, ", ") + ")")
	f := bugFlag(&c.Bugs, t.text)
	if f == nil {
		p.expected(t, "a bug name ("+strings.Join(BugNames, ", ")+")")
	}
	return f
}

// headerChecks are the rules the header lines must keep together (in
// endHeader's order), and the header lines an error points at (the last
// of them in the script).
var headerChecks = []struct {
	msg   string
	names []string
}{
	{"the tick must be at least 1ms", []string{"tick"}},
	{"the heartbeat must be at least one tick", []string{"heartbeat", "tick"}},
	{"the election timeout must be longer than the heartbeat", []string{"election", "heartbeat"}},
	{"the election range must not be empty (150-300ms: the first number is smaller)", []string{"election"}},
	{"the latency range is backwards (20-40ms: the first number is not larger)", []string{"latency"}},
}

// endHeader checks that the header lines fit together; an error points at
// the header line that made them disagree.
func (p *parser) endHeader() *Error {
	c := &p.s.Config
	for i, ok := range [...]bool{c.TickMs >= 1, c.HeartbeatMs >= c.TickMs, c.ElectionMinMs > c.HeartbeatMs,
		c.ElectionMaxMs > c.ElectionMinMs, c.LatencyMaxMs >= c.LatencyMinMs} {
		if ok {
			continue
		}
		best := headerPos{1, 1}
		for _, n := range headerChecks[i].names {
			if h, ok := p.headers[n]; ok && h.line >= best.line {
				best = h
			}
		}
		return &Error{Line: best.line, Col: best.col, Msg: headerChecks[i].msg}
	}
	p.members = c.Nodes
	return nil
}

// setting parses a setting (after `configure`, or as a header line):
// prevote on|off, checkquorum on|off, latency RANGE, drop/duplicate/reorder
// PERCENT, snapshot every N | off. It returns the canonical words and the
// parsed value.
func (p *parser) setting() ([]string, Settings) {
	name := p.word("a setting: prevote, checkquorum, latency, drop, duplicate, reorder or snapshot")
	var st Settings
	args := []string{name.text}
	switch name.text {
	case "prevote", "checkquorum":
		t := p.word("on or off")
		b, err := parseOnOff(t.text)
		if err != nil {
			p.valueFail(t, err)
		}
		if name.text == "prevote" {
			st.PreVote = &b
		} else {
			st.CheckQuorum = &b
		}
		args = append(args, t.text) // "on" or "off"
	case "latency":
		lo, hi := p.latency()
		st.LatencyMinMs, st.LatencyMaxMs = &lo, &hi
		args = append(args, formatRange(lo, hi))
	case "drop", "duplicate", "reorder":
		t := p.word("a percentage like 10% or 0.5%")
		r, err := parsePercent(t.text)
		if err != nil {
			p.valueFail(t, err)
		}
		switch name.text {
		case "drop":
			st.DropRate = &r
		case "duplicate":
			st.DupRate = &r
		default:
			st.ReorderRate = &r
		}
		args = append(args, r.String())
	case "snapshot":
		n := p.snapshotEvery()
		if n == 0 {
			args = append(args, "off")
		} else {
			args = append(args, "every", strconv.Itoa(n))
		}
		st.SnapshotEvery = &n
	default:
		p.expected(name, "a setting: prevote, checkquorum, latency, drop, duplicate, reorder or snapshot")
	}
	p.eol()
	return args, st
}

// latency reads a latency range: 20-40ms.
func (p *parser) latency() (lo, hi int64) {
	t := p.word("a range like 20-40ms")
	lo, hi, err := parseRange(t.text)
	if err != nil {
		p.valueFail(t, err)
	}
	if hi < lo {
		p.fail(t, "the latency range is backwards (20-40ms: the first number is not larger)")
	}
	return lo, hi
}

// snapshotEvery reads `every N` (N >= 1) or `off` (0).
func (p *parser) snapshotEvery() int {
	t := p.word("every N or off")
	switch t.text {
	case "off":
		return 0
	case "every":
		c := p.count("a number of applied entries", 1, 1000000000)
		return int(c)
	}
	p.expected(t, "every N or off")
	return 0
}

// node consumes one node name that exists at this point of the script.
func (p *parser) node() string {
	t := p.next()
	if t.kind != tokWord {
		p.expected(t, "a node name like A or C")
	}
	i, ok := NodeIndex(t.text)
	if !ok {
		p.expected(t, "a node name like A or C")
	}
	if i >= p.members {
		span := "A" // the nodes there are
		if p.members != 1 {
			span = NodeName(0) + " to " + NodeName(p.members-1)
		}
		if p.members == p.s.Config.Nodes {
			p.fail(t, "there is no node %s: the cluster has %d nodes, %s", t.text, p.members, span)
		}
		p.fail(t, "there is no node %s: the cluster has %d nodes and %d added so far, %s",
			t.text, p.s.Config.Nodes, p.members-p.s.Config.Nodes, span)
	}
	return t.text
}

// nodeList consumes "A,B,C" (no repeats) and returns the names.
func (p *parser) nodeList(seen map[string]bool) []string {
	var names []string
	for {
		t := p.peek()
		n := p.node()
		if seen[n] {
			p.fail(t, "node %s is named twice", n)
		}
		seen[n] = true
		names = append(names, n)
		if !p.isPunct(",") {
			return names
		}
		p.next()
	}
}

func (p *parser) countItem(t token) {
	if len(p.s.Actions)+len(p.s.Expects) >= MaxItems {
		p.fail(t, "a script has at most %d actions and expectations", MaxItems)
	}
}

// statement parses an action or an expectation happening at p.now.
func (p *parser) statement() {
	t := p.peek()
	p.countItem(t)
	if p.isWord("expect") {
		p.next()
		e := p.condition()
		p.s.End = max(p.s.End, e.At+e.Within)
		p.s.Expects = append(p.s.Expects, e)
		return
	}
	if p.isWord("until") {
		p.next()
		p.until(t)
		return
	}
	if t.kind == tokWord && (t.text == "beat" || t.text == "show" || t.text == "holds") {
		p.fail(t, "a %s line takes no time (at or after): it belongs to the beat around it", t.text)
	}
	kind := p.word("an action (crash, restart, partition, heal, cut, request, timeout, transfer, add, remove, configure, drop, hold, release) or expect")
	a := Action{At: p.now, Kind: kind.text}
	switch kind.text {
	case Crash, Restart, Timeout, Remove:
		a.Args = []string{p.node()}
	case Partition:
		a.Args = p.partitionGroups()
	case Heal:
	case Cut:
		a.Args = p.link()
	case Request:
		a.Args = p.request()
	case Transfer:
		p.keyword("to")
		a.Args = []string{p.node()}
	case Add:
		p.keyword("node")
		if p.members >= MaxNodes {
			p.fail(kind, "the cluster cannot grow beyond %d nodes", MaxNodes)
		}
		p.members++
	case Configure:
		args, _ := p.setting()
		a.Args = args
		p.s.Actions = append(p.s.Actions, a)
		return // setting consumed the end of the line
	case Drop, Hold, Release:
		p.keyword("message")
		id := p.count("a message id", 0, 1<<31-1)
		a.Args = []string{strconv.FormatInt(id, 10)}
	default:
		p.expected(kind, "an action (crash, restart, partition, heal, cut, request, timeout, transfer, add, remove, configure, drop, hold, release) or expect")
	}
	p.eol()
	p.s.Actions = append(p.s.Actions, a)
}

// partitionGroups reads a partition's groups (A,B | C,D,E), each as its
// names joined by commas; no node is named twice.
func (p *parser) partitionGroups() []string {
	var groups []string
	seen := map[string]bool{}
	for {
		groups = append(groups, strings.Join(p.nodeList(seen), ","))
		if !p.isPunct("|") {
			return groups
		}
		p.next()
	}
}

// link reads a one-way link between two different nodes: A->B.
func (p *parser) link() []string {
	from := p.node()
	if !p.isPunct("->") {
		p.expected(p.peek(), "-> (cut A->B)")
	}
	p.next()
	to := p.peek()
	args := []string{from, p.node()}
	if args[0] == args[1] {
		p.fail(to, "a link joins two different nodes")
	}
	return args
}

// request reads a request's command in canonical form, and the node it is
// pinned to when it ends with "to NODE".
func (p *parser) request() []string {
	var words []token
	for p.peek().kind == tokWord {
		words = append(words, p.next())
	}
	if t := p.peek(); t.kind != tokEOL {
		p.expected(t, "a command word")
	}
	// "to NODE" at the end pins the request; a command never ends with
	// a node name (numbers end SET and ADD, GET takes one key), so
	// "GET to" reads the key "to" and "GET to B" is pinned to B.
	var to string
	if n := len(words); n >= 2 && words[n-2].text == "to" {
		if _, ok := NodeIndex(words[n-1].text); ok {
			p.pos-- // back to the last word, the node, to validate it
			to = p.node()
			words = words[:n-2]
		}
	}
	texts := make([]string, len(words))
	for i, w := range words {
		texts[i] = w.text
	}
	cmd, bad, err := parseCommand(texts)
	if err != nil {
		at := p.peek()
		if bad < len(words) {
			at = words[bad]
		}
		p.valueFail(at, err)
	}
	if to != "" {
		return []string{cmd, to}
	}
	return []string{cmd}
}

// scope parses an optional "on all | on majority | on A,B"; without it the
// expectation is on all nodes.
func (p *parser) scope(e *Expect) {
	if !p.isWord("on") {
		e.Scope = ScopeAll
		return
	}
	p.next()
	switch {
	case p.isWord("all"):
		p.next()
		e.Scope = ScopeAll
	case p.isWord("majority"):
		p.next()
		e.Scope = ScopeMajority
	default:
		e.Nodes = p.nodeList(map[string]bool{})
	}
}

const expectWhat = "what to expect: leader, no leader, a key (x = 7), term, commit, votes, role, down, request, logs converged or invariants"

// condition parses what follows `expect`, `until` or `holds`: a condition
// and an optional within, to the end of the line.
func (p *parser) condition() Expect {
	e := Expect{At: p.now, AfterActions: len(p.s.Actions)}
	first := p.word(expectWhat)
	switch first.text {
	case "leader":
		e.Kind = ExpectLeader
		switch {
		case p.isWord("in"):
			p.next()
			e.Nodes = p.nodeList(map[string]bool{})
		case p.peek().kind == tokWord && !p.isWord("within"):
			e.Nodes = []string{p.node()}
		}
	case "no":
		p.keyword("leader")
		e.Kind = ExpectNoLeader
	case "term", "commit", "votes":
		e.Kind = first.text
		p.comparison(&e)
		p.scope(&e)
	case "role":
		e.Kind = ExpectRole
		e.Status = p.oneOf("a role: follower, precandidate, candidate or leader", "follower", "precandidate", "candidate", "leader")
		p.scope(&e)
	case "down":
		e.Kind = ExpectDown
		e.Nodes = p.nodeList(map[string]bool{})
	case "request":
		e.Kind = ExpectRequest
		p.requestStatus(&e)
	case "logs":
		p.keyword("converged")
		e.Kind = ExpectConverged
	case "invariants":
		e.Kind = ExpectInvariants
		e.Status = p.oneOf("ok or violated", "ok", "violated")
	default:
		p.keyValue(&e, first)
		p.scope(&e)
	}
	if p.isWord("within") {
		p.next()
		t := p.peek()
		e.Within = p.duration()
		if e.At+e.Within > MaxTime {
			p.fail(t, "this goes past 24h, the latest time a script may reach")
		}
	}
	p.eol()
	return e
}

// oneOf reads a word that must be one of words (what describes them).
func (p *parser) oneOf(what string, words ...string) string {
	t := p.word(what)
	if !slices.Contains(words, t.text) {
		p.expected(t, what)
	}
	return t.text
}

// comparison reads `OP N` of a term, commit or votes condition.
func (p *parser) comparison(e *Expect) {
	op := p.next()
	if op.kind != tokPunct || indexOf(shareOps, op.text) < 0 {
		p.expected(op, "a comparison (=, !=, <, <=, >, >=)")
	}
	e.Op = op.text
	n := p.count("a number", 0, 1<<62)
	e.Value = n
}

// requestStatus reads `N STATUS` of a request condition, and `= RESULT`
// after committed.
func (p *parser) requestStatus(e *Expect) {
	n := p.count("a request number (1 is the first request)", 1, MaxItems)
	e.Request = int(n)
	e.Status = p.oneOf("a status: pending, committed or failed", "pending", "committed", "failed")
	if e.Status == "committed" && p.isPunct("=") {
		p.next()
		r := p.word("a result (a number)")
		res, err := parseInt(r.text)
		if err != nil {
			p.valueFail(r, err)
		}
		e.Value, e.HasResult = res, true
	}
}

// keyValue reads `= N` of a key's condition (x = 7), first being the key.
func (p *parser) keyValue(e *Expect, first token) {
	if !validKey(first.text) || indexOf(expectKeywords, first.text) >= 0 {
		p.expected(first, expectWhat)
	}
	e.Kind = ExpectKV
	e.Key = first.text
	if !p.isPunct("=") {
		p.expected(p.peek(), "= (expect "+first.text+" = 7)")
	}
	p.next()
	v := p.word("a number")
	n, err := parseInt(v.text)
	if err != nil {
		p.valueFail(v, err)
	}
	e.Value = n
}

// storyLine parses the lines that tell a story: `beat KEY` or `beat "text"`
// starts a beat, `show ...` says what it points at, `holds CONDITION` states
// a fact true when it ends (after its until).
func (p *parser) storyLine(first token) {
	p.next()
	switch first.text {
	case "beat":
		p.beat(first)
	case "show":
		p.show(first)
	case "holds":
		p.holds(first)
	}
}

// beat starts a beat, after the one before has ended (its until line).
func (p *parser) beat(first token) {
	if n := len(p.s.Beats); n > 0 && !p.hasUntil {
		p.fail(first, "%s (line %d) has no until line: say when it ends before the next beat starts", p.s.Beats[n-1].Name(), p.beatLine)
	}
	p.countItem(first)
	b := Beat{AfterSteps: len(p.s.Actions) + len(p.s.Expects)}
	t := p.next()
	switch {
	case t.kind == tokStr:
		if t.text == "" || len(t.text) > MaxBeatTextBytes {
			p.fail(t, "a beat's text is 1 to %d bytes", MaxBeatTextBytes)
		}
		b.Text = t.text
	case t.kind == tokWord && validBeatKey(t.text):
		b.Key = t.text
	default:
		p.expected(t, "a beat's translation key like 5.3 or its text in quotes")
	}
	p.eol()
	p.s.Beats = append(p.s.Beats, b)
	p.beatLine, p.hasUntil = p.lineNo, false
}

// show adds what the current beat points at: nodes, or an entry on nodes.
func (p *parser) show(first token) {
	n := len(p.s.Beats)
	if n == 0 {
		p.fail(first, "a show line belongs to a beat: write a beat line first")
	}
	b := &p.s.Beats[n-1]
	if !p.isWord("entry") {
		seen := map[string]bool{}
		for _, n := range b.Show.Nodes {
			seen[n] = true
		}
		b.Show.Nodes = append(b.Show.Nodes, p.nodeList(seen)...)
		p.eol()
		return
	}
	p.next()
	idx := p.count("an entry index (1 is the first entry)", 1, 1<<62)
	p.keyword("on")
	at := p.peek()
	nodes := p.nodeList(map[string]bool{})
	for _, e := range b.Show.Entries {
		if e.Index == idx {
			p.fail(at, "entry %d is already shown in this beat: name all its nodes on one line", idx)
		}
	}
	b.Show.Entries = append(b.Show.Entries, ShowEntry{Index: idx, Nodes: nodes})
	p.eol()
}

// holds adds a fact to the current beat, true at its end.
func (p *parser) holds(first token) {
	n := len(p.s.Beats)
	if n == 0 || !p.hasUntil {
		p.fail(first, "a holds line follows a beat's until line (holds states a fact true when the beat ends)")
	}
	p.countItem(first)
	e := p.condition()
	if e.Within != 0 {
		p.fail(first, "a holds line has no within: it must be true at the moment the beat ends")
	}
	b := &p.s.Beats[n-1]
	e.At, e.AfterActions = b.Until.At, b.Until.AfterActions
	b.Facts = append(b.Facts, e)
}

// until parses the line that ends the current beat.
func (p *parser) until(t token) {
	n := len(p.s.Beats)
	if n == 0 || p.hasUntil {
		p.fail(t, "an until line ends a beat: write a beat line first (one until per beat)")
	}
	b := &p.s.Beats[n-1]
	b.UntilAfterSteps = len(p.s.Actions) + len(p.s.Expects)
	b.Until = p.condition()
	p.s.End = max(p.s.End, b.Until.At+b.Until.Within)
	p.hasUntil = true
}

// validBeatKey: letters, digits, '.', '-', '_', starting with a letter or
// digit, at most 64 bytes.
func validBeatKey(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := isLetter(c) || c >= '0' && c <= '9' || i > 0 && (c == '.' || c == '-' || c == '_')
		if !ok {
			return false
		}
	}
	return true
}

// run lexes line (number lineNo) and calls f on its tokens. It converts
// bailouts to errors, and also any unexpected runtime panic, so that Parse
// never panics.
func (p *parser) run(line string, lineNo int, f func()) (err *Error) {
	p.lineNo = lineNo
	if e := checkLine(line, lineNo); e != nil {
		return e
	}
	toks, e := lexLine(line, lineNo)
	if e != nil {
		return e
	}
	p.toks, p.pos = toks, 0
	defer func() {
		if r := recover(); r != nil {
			if b, ok := r.(bailout); ok {
				err = b.err
				return
			}
			err = &Error{Line: lineNo, Col: 1, Msg: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	f()
	return nil
}
