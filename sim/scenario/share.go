package scenario

import (
	"encoding/binary"
	"errors"
	"raftsandbox/sim/internal/textf"
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
var fAll = max(fTitle, bugBit(len(raft.BugList)-1))<<1 - 1

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
		return "", textf.Errorf("share: this run cannot be shared: %s", strings.TrimPrefix(err.Error(), "share: "))
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
		return "", textf.Errorf("share: this run cannot be written as a script: %s", strings.TrimPrefix(err.Error(), "share: "))
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
	c, d := s.Config, Defaults()
	b := []byte{ShareVersion}
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
	for _, v := range []int64{c.TickMs, c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs, c.LatencyMinMs, c.LatencyMaxMs, int64(c.SnapshotEvery), int64(c.Nodes)} {
		if v < 0 {
			return nil, errors.New("share: negative number in the configuration")
		}
	}
	b = binary.AppendUvarint(b, mask|boolBit(s.Title != "", fTitle))
	for _, v := range vals {
		b = binary.AppendUvarint(b, v)
	}
	if s.Title != "" {
		b = appendText(b, s.Title)
	}

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
		if st.Expect != nil {
			b = append(b, byte(len(shareKinds)-1))
			var err error
			if b, err = appendExpect(b, st.Expect); err != nil {
				return nil, textf.Errorf("share: %s: %v", st.Expect.String(), err)
			}
			end = max(end, st.At+st.Expect.Within)
			continue
		}
		a := st.Action
		k := kindIndex(a.Kind)
		if k < 0 {
			return nil, textf.Errorf("share: unknown action kind %q", a.Kind)
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
			if len(a.Args) < 1 || len(a.Args) > 2 {
				return nil, errors.New("share: a request has a command and at most one node")
			}
			if b, err = appendCommand(b, a.Args[0]); err != nil {
				break
			}
			if len(a.Args) == 2 {
				i, ok := NodeIndex(a.Args[1])
				if !ok {
					return nil, textf.Errorf("share: %q is not a node name", a.Args[1])
				}
				b = binary.AppendUvarint(b, uint64(i)+1)
			} else {
				b = append(b, 0)
			}
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
			return nil, textf.Errorf("share: %s: %v", a.String(), err)
		}
	}
	if s.End < end {
		return nil, errors.New("share: the script ends before its last step")
	}
	b = binary.AppendUvarint(b, uint64(s.End-last))
	return b, nil
}

func boolBit(b bool, bit uint64) uint64 {
	if b {
		return bit
	}
	return 0
}

func kindIndex(kind string) int {
	for i, k := range shareKinds[:len(shareKinds)-1] {
		if k == kind {
			return i
		}
	}
	return -1
}

func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendNodes(b []byte, names []string, want int) ([]byte, error) {
	if len(names) != want {
		return b, textf.Errorf("expected %d node(s)", want)
	}
	for _, n := range names {
		i, ok := NodeIndex(n)
		if !ok {
			return b, textf.Errorf("%q is not a node name", n)
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
		return nil, textf.Errorf("share: the link is too long (%d characters, at most %d)", len(share), MaxShareLen)
	}
	for i := 0; i < len(share); i++ {
		c := share[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return nil, textf.Errorf("share: unexpected character %q at position %d (a share link uses A-Z, a-z, 0-9, - and _)", c, i+1)
		}
	}
	raw, ok := decodeBase64URL(share)
	if !ok || len(raw) == 0 {
		return nil, errors.New("share: the link is cut short or damaged (not valid base64url)")
	}
	if raw[0] != ShareVersion {
		return nil, textf.Errorf("share: unknown version %d (this build reads version %d); the link may come from a newer Raft Sandbox", raw[0], ShareVersion)
	}
	text, err := shareToText(raw[1:])
	if err != nil {
		return nil, err
	}
	s, err := Parse(text)
	if err != nil {
		return nil, textf.Errorf("share: the link describes an invalid scenario: %v", err)
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
		r.fail(textf.Sprintf("%s is out of range (%d, at most %d)", what, v, max))
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
	var out strings.Builder
	line := func(parts ...string) {
		out.WriteString(strings.Join(parts, " "))
		out.WriteByte('\n')
	}
	num := func(what string) string { return strconv.FormatUint(r.uvarint(MaxTime, what), 10) }
	dur := func(what string) string { return formatDuration(int64(r.uvarint(MaxTime, what))) }
	rangeOf := func(what string) string {
		lo := r.uvarint(MaxTime, what)
		hi := r.uvarint(MaxTime, what)
		return formatRange(int64(lo), int64(hi))
	}
	rate := func(what string) string { return Rate(r.uvarint(uint64(RateOne), what)).String() }

	mask := r.uvarint(fAll, "the configuration fields")
	if r.err == nil && mask&(fNodes|fSeed) != fNodes|fSeed {
		r.fail("the configuration has no nodes or seed")
	}
	line("nodes", num("nodes"))
	line("seed", strconv.FormatUint(r.uvarint(^uint64(0), "the seed"), 10))
	if mask&fTick != 0 {
		line("tick", dur("the tick"))
	}
	if mask&fElection != 0 {
		line("election", rangeOf("the election timeout"))
	}
	if mask&fHeartbeat != 0 {
		line("heartbeat", dur("the heartbeat"))
	}
	if mask&fLatency != 0 {
		line("latency", rangeOf("the latency"))
	}
	if mask&fDrop != 0 {
		line("drop", rate("the drop rate"))
	}
	if mask&fDup != 0 {
		line("duplicate", rate("the duplicate rate"))
	}
	if mask&fReorder != 0 {
		line("reorder", rate("the reorder rate"))
	}
	if mask&fPreVote != 0 {
		line("prevote on")
	}
	if mask&fCheckQuorum != 0 {
		line("checkquorum on")
	}
	if mask&fSnapshot != 0 {
		if n := r.uvarint(1000000000, "the snapshot interval"); n == 0 {
			line("snapshot off")
		} else {
			line("snapshot every", strconv.FormatUint(n, 10))
		}
	}
	for i, name := range BugNames {
		if mask&bugBit(i) != 0 {
			line("bug", name)
		}
	}
	if mask&fTitle != 0 {
		line("title", `"`+r.text("the title")+`"`)
	}

	count := r.uvarint(MaxItems, "the number of steps")
	now := uint64(0)
	for i := uint64(0); i < count && r.err == nil; i++ {
		now += r.uvarint(MaxTime, "a time")
		if now > MaxTime {
			r.fail("a time is past 24h")
			break
		}
		at := "at " + formatDuration(int64(now))
		k := int(r.byte("a step kind"))
		if r.err != nil {
			break
		}
		if k >= len(shareKinds) {
			r.fail(textf.Sprintf("unknown step kind %d", k))
			break
		}
		switch kind := shareKinds[k]; kind {
		case "expect":
			line(at, r.expect())
		case Crash, Restart, Timeout, Remove:
			line(at, kind, r.node())
		case Transfer:
			line(at, "transfer to", r.node())
		case Cut:
			from := r.node()
			line(at, "cut", from+"->"+r.node())
		case Partition:
			groups := make([]string, r.uvarint(MaxNodes, "the number of groups"))
			for g := range groups {
				names := make([]string, r.uvarint(MaxNodes, "the size of a group"))
				for j := range names {
					names[j] = r.node()
				}
				groups[g] = strings.Join(names, ",")
			}
			line(at, "partition", strings.Join(groups, " | "))
		case Heal:
			line(at, "heal")
		case Add:
			line(at, "add node")
		case Request:
			cmd := r.command()
			if to := r.uvarint(MaxNodes, "a node"); to > 0 {
				cmd += " to " + NodeName(int(to-1))
			}
			line(at, "request", cmd)
		case Configure:
			line(at, "configure", r.text("a setting"))
		case Drop, Hold, Release:
			line(at, kind, "message", strconv.FormatUint(r.uvarint(1<<31-1, "a message id"), 10))
		}
		if out.Len() > MaxTextBytes {
			r.fail("the link decodes to more than 1 MiB")
		}
	}
	if tail := r.uvarint(MaxTime, "the end time"); tail > 0 {
		if now+tail > MaxTime {
			r.fail("the end time is past 24h")
		}
		line("wait", formatDuration(int64(tail)))
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail(textf.Sprintf("%d bytes of trailing data after the end", len(r.b)))
	}
	if r.err != nil {
		return "", r.err
	}
	return out.String(), nil
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
	b = binary.AppendUvarint(b, uint64(e.Within))
	var err error
	nodes := func() {
		b = binary.AppendUvarint(b, uint64(len(e.Nodes)))
		b, err = appendNodes(b, e.Nodes, len(e.Nodes))
	}
	scope := func() {
		switch {
		case e.Scope == ScopeAll:
			b = append(b, 0)
		case e.Scope == ScopeMajority:
			b = append(b, 1)
		case e.Scope == "" && len(e.Nodes) > 0:
			b = binary.AppendUvarint(b, uint64(len(e.Nodes))+2)
			b, err = appendNodes(b, e.Nodes, len(e.Nodes))
		default:
			err = errors.New("bad scope")
		}
	}
	enum := func(list []string, v string) {
		i := indexOf(list, v)
		if i < 0 {
			err = textf.Errorf("unknown value %q", v)
		}
		b = append(b, byte(i))
	}
	switch e.Kind {
	case ExpectLeader, ExpectDown:
		nodes()
	case ExpectKV:
		b = appendText(b, e.Key)
		b = binary.AppendVarint(b, e.Value)
		scope()
	case ExpectTerm, ExpectCommit, ExpectVotes:
		enum(shareOps, e.Op)
		if e.Value < 0 {
			err = errors.New("negative value")
		}
		b = binary.AppendUvarint(b, uint64(e.Value))
		scope()
	case ExpectRole:
		enum(shareRoles, e.Status)
		scope()
	case ExpectRequest:
		b = binary.AppendUvarint(b, uint64(e.Request))
		enum(shareStatuses, e.Status)
		if e.Status == "committed" {
			if e.HasResult {
				b = append(b, 1)
				b = binary.AppendVarint(b, e.Value)
			} else {
				b = append(b, 0)
			}
		}
	case ExpectInvariants:
		enum(shareVerdicts, e.Status)
	}
	return b, err
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
		r.fail(textf.Sprintf("%s is out of range (%d)", what, i))
		return ""
	}
	return list[i]
}

func (r *shareReader) nodeList(n uint64) string {
	names := make([]string, 0, n)
	for range n {
		names = append(names, r.node())
	}
	return strings.Join(names, ",")
}

func (r *shareReader) scope() string {
	switch n := r.uvarint(MaxNodes+2, "a scope"); n {
	case 0:
		return "on all"
	case 1:
		return "on majority"
	default:
		if n == 2 {
			r.fail("an empty list of nodes")
		}
		return "on " + r.nodeList(n-2)
	}
}

// expect decodes an expectation into its script text.
func (r *shareReader) expect() string {
	kind := r.enum(shareExpectKinds, "an expectation kind")
	within := r.uvarint(MaxTime, "a within")
	parts := []string{"expect"}
	switch kind {
	case ExpectLeader:
		parts = append(parts, "leader")
		if n := r.uvarint(MaxNodes, "a number of nodes"); n > 0 {
			parts = append(parts, "in", r.nodeList(n))
		}
	case ExpectNoLeader:
		parts = append(parts, "no leader")
	case ExpectDown:
		parts = append(parts, "down", r.nodeList(r.uvarint(MaxNodes, "a number of nodes")))
	case ExpectKV:
		key := r.text("a key")
		v := r.varint("a value")
		parts = append(parts, key, "=", strconv.FormatInt(v, 10), r.scope())
	case ExpectTerm, ExpectCommit, ExpectVotes:
		op := r.enum(shareOps, "a comparison")
		v := r.uvarint(1<<62, "a value")
		parts = append(parts, kind, op, strconv.FormatUint(v, 10), r.scope())
	case ExpectRole:
		role := r.enum(shareRoles, "a role")
		parts = append(parts, "role", role, r.scope())
	case ExpectRequest:
		n := r.uvarint(MaxItems, "a request number")
		st := r.enum(shareStatuses, "a request status")
		parts = append(parts, "request", strconv.FormatUint(n, 10), st)
		if st == "committed" {
			switch r.byte("a result flag") {
			case 0:
			case 1:
				parts = append(parts, "=", strconv.FormatInt(r.varint("a result"), 10))
			default:
				r.fail("a result flag is out of range")
			}
		}
	case ExpectConverged:
		parts = append(parts, "logs converged")
	case ExpectInvariants:
		parts = append(parts, "invariants", r.enum(shareVerdicts, "a verdict"))
	}
	if within > 0 {
		parts = append(parts, "within", formatDuration(int64(within)))
	}
	return strings.Join(parts, " ")
}

var shareVerbs = []string{"SET", "ADD", "GET"}

// appendCommand encodes a client command: a byte (verb index, plus 4 when
// a key follows), the key as a text, and the number (SET, ADD) as a zigzag
// varint. "SET 5" takes two bytes.
func appendCommand(b []byte, cmd string) ([]byte, error) {
	words := strings.Fields(cmd)
	canon, _, err := parseCommand(words)
	if err != nil || canon != cmd {
		return b, textf.Errorf("%q is not a canonical command", cmd)
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
		r.fail(textf.Sprintf("a command is out of range (%d)", op))
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
