package raft

import "strconv"

// readyMarks remembers what the last Ready handed out, so that Advance
// acknowledges exactly that (and not what calls made in between added).
type readyMarks struct {
	taken       bool
	msgs        int
	readStates  int
	entriesTo   uint64 // last index handed out to persist, 0 for none
	truncatedAt uint64 // lowest truncation since the Ready, 0 for none
	applied     uint64
	hard        HardState
	snapshot    *Snapshot
	roleChanged bool
}

func (r *readyMarks) noteTruncation(i uint64) {
	if !r.taken {
		return
	}
	if r.truncatedAt == 0 {
		r.truncatedAt = i
	} else {
		r.truncatedAt = min(r.truncatedAt, i)
	}
}

// HasReady reports whether Ready has anything to return.
func (n *Node) HasReady() bool {
	n.flush()
	return len(n.msgs) > 0 || len(n.readStates) > 0 || n.pendingSnapshot != nil ||
		n.roleChanged || n.hardState() != n.prevHard ||
		(!n.holdEntries && n.log.unstable <= n.log.lastIndex()) ||
		n.log.committed > n.log.applied
}

// Ready returns the output accumulated since the last Advance (see the Ready
// type for what the caller must do with it). Calling Ready twice without
// Advance returns the same output again (plus anything new).
func (n *Node) Ready() Ready {
	n.flush()
	rd := Ready{
		HardState:   n.hardState(),
		Snapshot:    n.pendingSnapshot,
		Messages:    n.msgs,
		ReadStates:  n.readStates,
		RoleChanged: n.roleChanged,
	}
	rd.HardStateChanged = rd.HardState != n.prevHard
	last := n.log.lastIndex()
	m := readyMarks{taken: true, msgs: len(n.msgs), readStates: len(n.readStates),
		hard: rd.HardState, snapshot: n.pendingSnapshot, roleChanged: n.roleChanged}
	if !n.holdEntries && n.log.unstable <= last {
		rd.EntriesFrom = max(n.log.unstable, n.log.firstIndex())
		rd.Entries = n.log.slice(rd.EntriesFrom, last+1)
		m.entriesTo = last
	}
	// Nothing (nil) when everything committed was applied.
	rd.CommittedEntries = n.log.slice(n.log.applied+1, n.log.committed+1)
	m.applied = n.log.committed
	n.ready = m
	return rd
}

// Advance acknowledges that the last Ready was fully handled: its state is
// durable, its messages sent, its committed entries applied.
func (n *Node) Advance() {
	m := n.ready
	if !m.taken {
		return
	}
	n.ready = readyMarks{}
	if m.entriesTo > 0 {
		to := m.entriesTo + 1
		if m.truncatedAt != 0 {
			to = min(to, m.truncatedAt)
		}
		n.log.unstable = max(to, n.log.firstIndex())
	}
	// A snapshot installed since the Ready may have moved applied further.
	n.log.applied = max(n.log.applied, m.applied)
	n.msgs = dropMessages(n.msgs, m.msgs)
	n.readStates = dropFront(n.readStates, m.readStates)
	n.prevHard = m.hard
	if n.pendingSnapshot == m.snapshot {
		n.pendingSnapshot = nil
	}
	if m.roleChanged {
		n.roleChanged = false
	}
}

// dropMessages removes the first k messages, reusing the storage. Only the
// pointer fields of the removed messages are cleared (so that they keep no
// log or snapshot alive), and only where set: most messages (answers,
// heartbeats) carry none, and clearing what holds pointers costs a write
// barrier while the garbage collector marks.
func dropMessages(s []Message, k int) []Message {
	if k < len(s) {
		return dropFront(s, k)
	}
	for i := range s {
		if s[i].Entries != nil || s[i].Snapshot != nil {
			s[i].Entries, s[i].Snapshot = nil, nil
		}
	}
	return s[:0]
}

// dropFront removes the first k elements (k <= len(s)), reusing the storage.
func dropFront[T any](s []T, k int) []T {
	rest := copy(s, s[k:])
	clear(s[rest:])
	return s[:rest]
}

// wrapConfig, wrapErr and u64 build errors, on cold paths: never inlined,
// they cost the wasm less (docs/benchmarks.md, "Where the size is").
//
//go:noinline
func wrapConfig(detail string) error { return wrapErr(ErrInvalidConfig, detail) }

// wrapErr is fmt.Errorf("%w: detail", base), with also wrapped too: the
// core formats its few errors without fmt, which would cost the wasm its
// printer and reflect (docs/benchmarks.md, "Where the size is").
//
//go:noinline
func wrapErr(base error, detail string, also ...error) error {
	return &wrappedError{msg: base.Error() + ": " + detail, errs: append([]error{base}, also...)}
}

type wrappedError struct {
	msg  string
	errs []error
}

func (e *wrappedError) Error() string   { return e.msg }
func (e *wrappedError) Unwrap() []error { return e.errs }

//go:noinline
func u64(v uint64) string { return strconv.FormatUint(v, 10) }
