package scenario

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"raftsandbox/raft"
)

// ShareVersion is the version byte EncodeShare writes; DecodeShare reads
// only this version.
const ShareVersion = 1

// MaxShareLen is the longest share string DecodeShare accepts (the base64 of
// MaxTextBytes): longer strings are rejected before decoding.
const MaxShareLen = (MaxTextBytes*4 + 2) / 3

// The share format, version 1 (docs/scenarios.md, "Share links"):
//
//	share   = base64url-without-padding( version fields steps end )
//	version = byte 1
//	fields  = uvarint bitmask, then the value of each set bit in bit order
//	steps   = uvarint count, then per step: uvarint delta-time, byte kind, payload
//	end     = uvarint (Script.End - time of the last step)
//
// Only the fields that differ from Defaults() are present (nodes and seed
// always are). A step's kind is its index in shareKinds; node arguments are
// uvarint node indexes; texts are a uvarint length and UTF-8 bytes.
// The bitmask bits:
const (
	fNodes = 1 << iota
	fSeed
	fTick
	fElection  // two values: min, max
	fHeartbeat //
	fLatency   // two values: min, max
	fDrop
	fDup
	fReorder
	fPreVote     // no value
	fCheckQuorum // no value
	fSnapshot
	fBug // four bits, no value: the first four bugs of raft.BugList (bugBit)
	_
	_
	_
	fTitle
	// fClientView (no value) is far above fTitle: the bits between are the
	// fifth and later bugs' (bugBit).
	fClientView = fTitle << 20
)

// bugBit is the bit of the i-th bug of raft.BugList: the four bits from fBug,
// then, for a fifth bug and later ones, the bits after fTitle.
func bugBit(i int) uint64 {
	if i < 4 {
		return fBug << i
	}
	return fTitle << (i - 3)
}

// fAll has every bit a share may set.
var fAll = max(fTitle, bugBit(len(raft.BugList)-1))<<1 - 1 | fClientView

// shareKinds numbers the step kinds; the order is part of the format.
var shareKinds = []string{Crash, Restart, Partition, Heal, Cut, Request, Timeout, Transfer,
	Add, Remove, Configure, Drop, Hold, Release, "expect"}

// Caps on a share's pieces (all far above real use).
const (
	maxShareText = 4096 // one text: a title, command, setting or expectation
)

// EncodeShare encodes a script (config, actions with their times,
// expectations, end) as a compact URL-safe string. It fails for a script
// that Parse would not return (an unknown node name, a time past 24h, a
// command not in canonical form, ...): every string it returns decodes.
func EncodeShare(s *Script) (string, error) {
	b, err := encodeShare(s)
	if err != nil {
		return "", err
	}
	share := encodeBase64URL(b)
	// Check the link by decoding it: DecodeShare holds a link to exactly the
	// rules of a typed script, and a link that does not open is worse than
	// an error now.
	if _, err := DecodeShare(share); err != nil {
		return "", fmt.Errorf("share: this run cannot be shared: %s", strings.TrimPrefix(err.Error(), "share: "))
	}
	return share, nil
}

// ShareText prints a script as script text by way of the share codec: the
// text a share string of s decodes to, which Parse turns back into s. It
// says the same as Format (in a different but equally valid layout: the
// title follows the settings), without the beats (a link carries the run,
// not the story told over it), and fails where EncodeShare fails. The wasm bindings use it instead of Format because the share codec
// is in the binary anyway, and a second printer costs ~20 KB of code.
func ShareText(s *Script) (string, error) {
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("share: this run cannot be written as a script: %s", strings.TrimPrefix(err.Error(), "share: "))
	}
	b, err := encodeShare(s)
	if err != nil {
		return fail(err)
	}
	text, err := shareToText(b[1:])
	if err != nil {
		return fail(err)
	}
	// As in EncodeShare: hand out only a text that parses back to s.
	back, err := Parse(text)
	if err != nil {
		return fail(err)
	}
	if again, err := encodeShare(back); err != nil || string(again) != string(b) {
		return fail(errors.New("it is not in canonical form"))
	}
	return text, nil
}

func encodeShare(s *Script) ([]byte, error) {
	b, err := appendConfig([]byte{ShareVersion}, s)
	if err != nil {
		return nil, err
	}
	return appendSteps(b, s)
}

// appendConfig appends the fields: the bitmask, then the values of the
// configuration that differ from Defaults() (nodes and seed always), and
// the title.
func appendConfig(b []byte, s *Script) ([]byte, error) {
	c, d := s.Config, Defaults()
	mask := uint64(fNodes | fSeed)
	var vals []uint64
	vals = append(vals, uint64(c.Nodes), c.Seed)
	opt := func(bit uint64, differs bool, v ...uint64) {
		if differs {
			mask |= bit
			vals = append(vals, v...)
		}
	}
	opt(fTick, c.TickMs != d.TickMs, uint64(c.TickMs))
	opt(fElection, c.ElectionMinMs != d.ElectionMinMs || c.ElectionMaxMs != d.ElectionMaxMs,
		uint64(c.ElectionMinMs), uint64(c.ElectionMaxMs))
	opt(fHeartbeat, c.HeartbeatMs != d.HeartbeatMs, uint64(c.HeartbeatMs))
	opt(fLatency, c.LatencyMinMs != d.LatencyMinMs || c.LatencyMaxMs != d.LatencyMaxMs,
		uint64(c.LatencyMinMs), uint64(c.LatencyMaxMs))
	opt(fDrop, c.DropRate != 0, uint64(c.DropRate))
	opt(fDup, c.DupRate != 0, uint64(c.DupRate))
	opt(fReorder, c.ReorderRate != 0, uint64(c.ReorderRate))
	opt(fPreVote, c.PreVote)
	opt(fCheckQuorum, c.CheckQuorum)
	opt(fSnapshot, c.SnapshotEvery != d.SnapshotEvery, uint64(c.SnapshotEvery))
	for i, g := range raft.BugList {
		opt(bugBit(i), *g.Flag(&c.Bugs))
	}
	opt(fClientView, c.ClientView)
	for _, v := range []int64{c.TickMs, c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs, c.LatencyMinMs, c.LatencyMaxMs, int64(c.SnapshotEvery), int64(c.Nodes)} {
		if v < 0 {
			return nil, errors.New("share: negative number in the configuration")
		}
	}
	if s.Title != "" {
		mask |= fTitle
	}
	b = binary.AppendUvarint(b, mask)
	for _, v := range vals {
		b = binary.AppendUvarint(b, v)
	}
	if s.Title != "" {
		b = appendText(b, s.Title)
	}
	return b, nil
}

// appendSteps appends the steps (actions and expectations, each after the
// time since the one before) and the end.
func appendSteps(b []byte, s *Script) ([]byte, error) {
	steps := s.Steps()
	b = binary.AppendUvarint(b, uint64(len(steps)))
	last := int64(0)
	end := int64(0)
	for _, st := range steps {
		if st.At < last {
			return nil, errors.New("share: the script's times go backwards")
		}
		b = binary.AppendUvarint(b, uint64(st.At-last))
		last = st.At
		end = max(end, st.At)
		var err error
		if st.Expect != nil {
			b = append(b, byte(len(shareKinds)-1))
			if b, err = appendExpect(b, st.Expect); err != nil {
				return nil, fmt.Errorf("share: %s: %v", st.Expect.String(), err)
			}
			end = max(end, st.At+st.Expect.Within)
			continue
		}
		if b, err = appendAction(b, st.Action); err != nil {
			return nil, err
		}
	}
	if s.End < end {
		return nil, errors.New("share: the script ends before its last step")
	}
	b = binary.AppendUvarint(b, uint64(s.End-last))
	return b, nil
}

// appendAction appends an action's kind and its arguments.
func appendAction(b []byte, a *Action) ([]byte, error) {
	k := indexOf(shareKinds[:len(shareKinds)-1], a.Kind)
	if k < 0 {
		return nil, fmt.Errorf("share: unknown action kind %q", a.Kind)
	}
	b = append(b, byte(k))
	var err error
	switch a.Kind {
	case Crash, Restart, Timeout, Remove, Transfer:
		b, err = appendNodes(b, a.Args, 1)
	case Cut:
		b, err = appendNodes(b, a.Args, 2)
	case Partition:
		b = binary.AppendUvarint(b, uint64(len(a.Args)))
		for _, g := range a.Args {
			names := strings.Split(g, ",")
			b = binary.AppendUvarint(b, uint64(len(names)))
			if b, err = appendNodes(b, names, len(names)); err != nil {
				break
			}
		}
	case Request:
		return appendRequest(b, a)
	case Configure:
		b = appendText(b, strings.Join(a.Args, " "))
	case Drop, Hold, Release:
		var id int64
		if len(a.Args) == 1 {
			id, err = parseCount(a.Args[0], 0, 1<<31-1)
		} else {
			err = errors.New("one message id")
		}
		b = binary.AppendUvarint(b, uint64(id))
	}
	if err != nil {
		return nil, fmt.Errorf("share: %s: %v", a.String(), err)
	}
	return b, nil
}

// appendRequest appends a request's command and its node (0 for none, else
// the node's index + 1).
func appendRequest(b []byte, a *Action) ([]byte, error) {
	args := a.Args
	if len(args) < 1 || len(args) > 2 {
		return nil, errors.New("share: a request has a command and at most one node")
	}
	b, err := appendCommand(b, args[0])
	if err != nil {
		return nil, fmt.Errorf("share: %s: %v", a.String(), err)
	}
	if len(args) == 2 {
		i, ok := NodeIndex(args[1])
		if !ok {
			return nil, fmt.Errorf("share: %q is not a node name", args[1])
		}
		return binary.AppendUvarint(b, uint64(i)+1), nil
	}
	return append(b, 0), nil
}

func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendNodes(b []byte, names []string, want int) ([]byte, error) {
	if len(names) != want {
		return b, fmt.Errorf("expected %d node(s)", want)
	}
	for _, n := range names {
		i, ok := NodeIndex(n)
		if !ok {
			return b, fmt.Errorf("%q is not a node name", n)
		}
		b = binary.AppendUvarint(b, uint64(i))
	}
	return b, nil
}

// DecodeShare decodes a share string back into the script it encodes. It
// rejects, with an error saying why, anything that EncodeShare would not
// have written: characters outside base64url, padding, an unknown version,
// truncated or trailing data, oversized input, and encodings of scripts that
// Parse would reject (unknown nodes, times past 24h, ...). It never panics.
func DecodeShare(share string) (*Script, error) {
	if share == "" {
		return nil, errors.New("share: the link is empty")
	}
	if len(share) > MaxShareLen {
		return nil, fmt.Errorf("share: the link is too long (%d characters, at most %d)", len(share), MaxShareLen)
	}
	for i := 0; i < len(share); i++ {
		c := share[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("share: unexpected character %q at position %d (a share link uses A-Z, a-z, 0-9, - and _)", c, i+1)
		}
	}
	raw, ok := decodeBase64URL(share)
	if !ok || len(raw) == 0 {
		return nil, errors.New("share: the link is cut short or damaged (not valid base64url)")
	}
	if raw[0] != ShareVersion {
		return nil, fmt.Errorf("share: unknown version %d (this build reads version %d); the link may come from a newer Raft Sandbox", raw[0], ShareVersion)
	}
	text, err := shareToText(raw[1:])
	if err != nil {
		return nil, err
	}
	s, err := Parse(text)
	if err != nil {
		return nil, fmt.Errorf("share: the link describes an invalid scenario: %v", err)
	}
	// Exactly one encoding per script: anything else (overlong varints,
	// non-canonical texts) is malformed.
	again, err := encodeShare(s)
	if err != nil || string(again) != string(raw) {
		return nil, errors.New("share: the link is malformed (not in canonical form)")
	}
	return s, nil
}

// shareReader reads the pieces of a share; the first error sticks.
type shareReader struct {
	b   []byte
	err error
}

func (r *shareReader) fail(msg string) {
	if r.err == nil {
		r.err = errors.New("share: " + msg)
	}
}

func (r *shareReader) uvarint(max uint64, what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("the link is cut short or damaged (reading " + what + ")")
		return 0
	}
	r.b = r.b[n:]
	if v > max {
		r.fail(fmt.Sprintf("%s is out of range (%d, at most %d)", what, v, max))
		return 0
	}
	return v
}

func (r *shareReader) byte(what string) byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.fail("the link is cut short (reading " + what + ")")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *shareReader) text(what string) string {
	n := r.uvarint(maxShareText, "the length of "+what)
	if r.err != nil {
		return ""
	}
	if uint64(len(r.b)) < n {
		r.fail("the link is cut short (reading " + what + ")")
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	for _, c := range []byte(s) {
		if (c < 0x20 && c != '\t') || c == 0x7f || c == '"' || c == '\\' || (c == '#' && what != "the title") {
			r.fail(what + " contains a character a script line cannot hold")
			return ""
		}
	}
	return s
}

func (r *shareReader) node() string {
	return NodeName(int(r.uvarint(MaxNodes-1, "a node")))
}

// shareToText turns the binary share (after the version byte) into script
// text; Parse then validates it exactly like a script typed by hand.
func shareToText(raw []byte) (string, error) {
	r := &shareReader{b: raw}
	t := &shareText{r: r}
	t.config()
	now := t.steps()
	if tail := r.uvarint(MaxTime, "the end time"); tail > 0 {
		if now+tail > MaxTime {
			r.fail("the end time is past 24h")
		}
		t.line("wait", formatDuration(int64(tail)))
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail(fmt.Sprintf("%d bytes of trailing data after the end", len(r.b)))
	}
	if r.err != nil {
		return "", r.err
	}
	return t.out.String(), nil
}

// shareText writes the script text of a share as its reader reads it.
type shareText struct {
	r   *shareReader
	out strings.Builder
}

// line writes one line of script: the parts, separated by spaces.
func (t *shareText) line(parts ...string) {
	t.out.WriteString(strings.Join(parts, " "))
	t.out.WriteByte('\n')
}

// shareHeaders are the header lines of the fields with a value or an "on",
// in the order a share's text writes them: the field's bit, the line's
// name, what the value is called in errors, and its form (duration,
// range, rate, on, snapshot).
var shareHeaders = []struct {
	bit        uint64
	name, what string
	form       byte
}{
	{fTick, "tick", "the tick", 'd'},
	{fElection, "election", "the election timeout", 'r'},
	{fHeartbeat, "heartbeat", "the heartbeat", 'd'},
	{fLatency, "latency", "the latency", 'r'},
	{fDrop, "drop", "the drop rate", '%'},
	{fDup, "duplicate", "the duplicate rate", '%'},
	{fReorder, "reorder", "the reorder rate", '%'},
	{fPreVote, "prevote", "", 'o'},
	{fCheckQuorum, "checkquorum", "", 'o'},
	{fSnapshot, "snapshot", "the snapshot interval", 's'},
}

// config writes the header lines: the fields the bitmask says are present.
func (t *shareText) config() {
	r := t.r
	mask := r.uvarint(fAll, "the configuration fields")
	if r.err == nil && mask&^fAll != 0 {
		r.fail("the configuration fields are out of range (bits 0x" + strconv.FormatUint(mask&^fAll, 16) + " are unknown)")
	}
	if r.err == nil && mask&(fNodes|fSeed) != fNodes|fSeed {
		r.fail("the configuration has no nodes or seed")
	}
	t.line("nodes", strconv.FormatUint(r.uvarint(MaxTime, "nodes"), 10))
	t.line("seed", strconv.FormatUint(r.uvarint(^uint64(0), "the seed"), 10))
	for _, f := range shareHeaders {
		if mask&f.bit == 0 {
			continue
		}
		v := "on"
		switch f.form {
		case 'd':
			v = formatDuration(int64(r.uvarint(MaxTime, f.what)))
		case 'r':
			lo := r.uvarint(MaxTime, f.what)
			v = formatRange(int64(lo), int64(r.uvarint(MaxTime, f.what)))
		case '%':
			v = Rate(r.uvarint(uint64(RateOne), f.what)).String()
		case 's':
			v = "off"
			if n := r.uvarint(1000000000, f.what); n != 0 {
				v = "every " + strconv.FormatUint(n, 10)
			}
		}
		t.line(f.name, v)
	}
	for i, name := range BugNames {
		if mask&bugBit(i) != 0 {
			t.line("bug", name)
		}
	}
	if mask&fClientView != 0 {
		t.line("clientview", "on")
	}
	if mask&fTitle != 0 {
		t.line("title", `"`+r.text("the title")+`"`)
	}
}

// steps writes the steps, each at its time, and returns the time of the
// last one.
func (t *shareText) steps() uint64 {
	r := t.r
	count := r.uvarint(MaxItems, "the number of steps")
	now := uint64(0)
	for i := uint64(0); i < count && r.err == nil; i++ {
		now += r.uvarint(MaxTime, "a time")
		if now > MaxTime {
			r.fail("a time is past 24h")
			break
		}
		k := int(r.byte("a step kind"))
		if r.err != nil {
			break
		}
		if k >= len(shareKinds) {
			r.fail(fmt.Sprintf("unknown step kind %d", k))
			break
		}
		t.step("at "+formatDuration(int64(now)), shareKinds[k])
		if t.out.Len() > MaxTextBytes {
			r.fail("the link decodes to more than 1 MiB")
		}
	}
	return now
}

// step writes one step of the given kind at time at: an action as
// Action.String prints it.
func (t *shareText) step(at, kind string) {
	r := t.r
	a := Action{Kind: kind}
	switch kind {
	case "expect":
		t.line(at, r.expect())
		return
	case Configure:
		t.line(at, "configure", r.text("a setting"))
		return
	case Crash, Restart, Timeout, Remove, Transfer:
		a.Args = r.nodes(1)
	case Cut:
		a.Args = r.nodes(2)
	case Partition:
		a.Args = make([]string, r.uvarint(MaxNodes, "the number of groups"))
		for g := range a.Args {
			a.Args[g] = strings.Join(r.nodes(r.uvarint(MaxNodes, "the size of a group")), ",")
		}
	case Request:
		a.Args = []string{r.command()}
		if to := r.uvarint(MaxNodes, "a node"); to > 0 {
			a.Args = append(a.Args, NodeName(int(to-1)))
		}
	case Drop, Hold, Release:
		a.Args = []string{strconv.FormatUint(r.uvarint(1<<31-1, "a message id"), 10)}
	}
	t.line(at, a.String())
}

// The enumerations of an expectation's fields; their order is part of the
// format.
var (
	shareExpectKinds = []string{ExpectLeader, ExpectNoLeader, ExpectKV, ExpectTerm, ExpectCommit,
		ExpectRole, ExpectDown, ExpectRequest, ExpectConverged, ExpectInvariants, ExpectVotes}
	shareOps      = []string{"=", "!=", "<", "<=", ">", ">="}
	shareRoles    = []string{"follower", "precandidate", "candidate", "leader"}
	shareStatuses = []string{"pending", "committed", "failed"}
	shareVerdicts = []string{"ok", "violated"}
)

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// appendExpect encodes an expectation: byte kind, uvarint within, then
// kind-specific fields. Node lists are a uvarint count and node indexes; a
// scope is uvarint 0 (all), 1 (majority) or 2+n followed by n nodes.
func appendExpect(b []byte, e *Expect) ([]byte, error) {
	k := indexOf(shareExpectKinds, e.Kind)
	if k < 0 {
		return b, errors.New("unknown expectation kind")
	}
	if e.Within < 0 {
		return b, errors.New("negative within")
	}
	b = append(b, byte(k))
	w := &expectWriter{b: binary.AppendUvarint(b, uint64(e.Within)), e: e}
	switch e.Kind {
	case ExpectLeader, ExpectDown:
		w.nodes()
	case ExpectKV:
		w.b = appendText(w.b, e.Key)
		w.b = binary.AppendVarint(w.b, e.Value)
		w.scope()
	case ExpectTerm, ExpectCommit, ExpectVotes:
		w.enum(shareOps, e.Op)
		if e.Value < 0 {
			w.err = errors.New("negative value")
		}
		w.b = binary.AppendUvarint(w.b, uint64(e.Value))
		w.scope()
	case ExpectRole:
		w.enum(shareRoles, e.Status)
		w.scope()
	case ExpectRequest:
		w.b = binary.AppendUvarint(w.b, uint64(e.Request))
		w.enum(shareStatuses, e.Status)
		if e.Status == "committed" {
			if e.HasResult {
				w.b = append(w.b, 1)
				w.b = binary.AppendVarint(w.b, e.Value)
			} else {
				w.b = append(w.b, 0)
			}
		}
	case ExpectInvariants:
		w.enum(shareVerdicts, e.Status)
	}
	return w.b, w.err
}

// expectWriter appends the fields of an expectation; a later field's
// error replaces an earlier one's.
type expectWriter struct {
	b   []byte
	err error
	e   *Expect
}

// nodes appends the node list: its length, then each node.
func (w *expectWriter) nodes() {
	w.b = binary.AppendUvarint(w.b, uint64(len(w.e.Nodes)))
	w.b, w.err = appendNodes(w.b, w.e.Nodes, len(w.e.Nodes))
}

// scope appends 0 for all, 1 for majority, else the node list's length + 2
// and the nodes.
func (w *expectWriter) scope() {
	e := w.e
	if e.Scope == ScopeAll {
		w.b = append(w.b, 0)
	} else if e.Scope == ScopeMajority {
		w.b = append(w.b, 1)
	} else if e.Scope == "" && len(e.Nodes) > 0 {
		w.b = binary.AppendUvarint(w.b, uint64(len(e.Nodes))+2)
		w.b, w.err = appendNodes(w.b, e.Nodes, len(e.Nodes))
	} else {
		w.err = errors.New("bad scope")
	}
}

// enum appends v's index in list.
func (w *expectWriter) enum(list []string, v string) {
	i := indexOf(list, v)
	if i < 0 {
		w.err = fmt.Errorf("unknown value %q", v)
	}
	w.b = append(w.b, byte(i))
}

func (r *shareReader) varint(what string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("the link is cut short or damaged (reading " + what + ")")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *shareReader) enum(list []string, what string) string {
	i := int(r.byte(what))
	if r.err != nil {
		return ""
	}
	if i >= len(list) {
		r.fail(fmt.Sprintf("%s is out of range (%d)", what, i))
		return ""
	}
	return list[i]
}

// nodes reads n nodes.
func (r *shareReader) nodes(n uint64) []string {
	names := make([]string, 0, n)
	for range n {
		names = append(names, r.node())
	}
	return names
}

// expect decodes an expectation into its script text (Expect.String's, but
// a leader's one node is "in A").
func (r *shareReader) expect() string {
	e := Expect{Kind: r.enum(shareExpectKinds, "an expectation kind")}
	e.Within = int64(r.uvarint(MaxTime, "a within"))
	switch e.Kind {
	case ExpectLeader, ExpectDown:
		e.Nodes = r.nodes(r.uvarint(MaxNodes, "a number of nodes"))
	case ExpectKV:
		e.Key = r.text("a key")
		e.Value = r.varint("a value")
		r.scope(&e)
	case ExpectTerm, ExpectCommit, ExpectVotes:
		e.Op = r.enum(shareOps, "a comparison")
		e.Value = int64(r.uvarint(1<<62, "a value"))
		r.scope(&e)
	case ExpectRole:
		e.Status = r.enum(shareRoles, "a role")
		r.scope(&e)
	case ExpectRequest:
		e.Request = int(r.uvarint(MaxItems, "a request number"))
		e.Status = r.enum(shareStatuses, "a request status")
		if e.Status == "committed" {
			switch r.byte("a result flag") {
			case 0:
			case 1:
				e.Value, e.HasResult = r.varint("a result"), true
			default:
				r.fail("a result flag is out of range")
			}
		}
	case ExpectInvariants:
		e.Status = r.enum(shareVerdicts, "a verdict")
	}
	if e.Kind == ExpectLeader && len(e.Nodes) == 1 {
		return strings.Replace(e.String(), "leader", "leader in", 1)
	}
	return e.String()
}

// scope reads an expectation's scope: all, majority or its nodes.
func (r *shareReader) scope(e *Expect) {
	switch n := r.uvarint(MaxNodes+2, "a scope"); n {
	case 0:
		e.Scope = ScopeAll
	case 1:
		e.Scope = ScopeMajority
	case 2:
		r.fail("an empty list of nodes")
	default:
		e.Nodes = r.nodes(n - 2)
	}
}

var shareVerbs = []string{"SET", "ADD", "GET"}

// appendCommand encodes a client command: a byte (verb index, plus 4 when
// a key follows), the key as a text, and the number (SET, ADD) as a zigzag
// varint. "SET 5" takes two bytes.
func appendCommand(b []byte, cmd string) ([]byte, error) {
	words := strings.Fields(cmd)
	canon, _, err := parseCommand(words)
	if err != nil || canon != cmd {
		return b, fmt.Errorf("%q is not a canonical command", cmd)
	}
	verb := indexOf(shareVerbs, words[0])
	rest := words[1:]
	if len(rest) == 2 || (verb == 2 && len(rest) == 1) { // a key
		b = append(b, byte(verb|4))
		b = appendText(b, rest[0])
		rest = rest[1:]
	} else {
		b = append(b, byte(verb))
	}
	if len(rest) == 1 {
		v, _ := parseInt(rest[0])
		b = binary.AppendVarint(b, v)
	}
	return b, nil
}

func (r *shareReader) command() string {
	op := r.byte("a command")
	verb := int(op &^ 4)
	if r.err != nil {
		return ""
	}
	if op > 6 || verb >= len(shareVerbs) {
		r.fail(fmt.Sprintf("a command is out of range (%d)", op))
		return ""
	}
	parts := []string{shareVerbs[verb]}
	if op&4 != 0 {
		parts = append(parts, r.text("a key"))
	}
	if verb != 2 {
		parts = append(parts, strconv.FormatInt(r.varint("a number"), 10))
	}
	return strings.Join(parts, " ")
}
