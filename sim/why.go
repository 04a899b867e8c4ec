package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"raftsandbox/raft"
)

// Why is a reason told to a person as a stable code and its arguments. Go
// keeps its English text for Go callers (Event.Reason, RequestView.Error,
// Violation.Detail, error strings); the page words the code from its
// translation files (web/i18n, key "why.<code>"), so no English sentence
// reaches a reader of another language. docs/sim.md lists every code with
// its arguments.
type Why struct {
	Code string
	Args []WhyArg // in a fixed order (never a map: deterministic output)
}

// WhyArg is one named argument of a Why: a node id, a number, a command.
type WhyArg struct{ Name, Value string }

// Arg returns the value of the named argument ("" when absent).
func (w Why) Arg(name string) string {
	for _, a := range w.Args {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// why builds a Why from a code and name, value pairs. It, u64, i64 and
// whyErrorf are never inlined: copied into their ~120 call sites (the
// reasons are told on cold paths) they cost the main wasm 7.7 KB brotli
// (docs/benchmarks.md, "Where the size is").
//
//go:noinline
func why(code string, kv ...string) Why {
	w := Why{Code: code}
	if n := len(kv) / 2; n > 0 {
		w.Args = make([]WhyArg, n)
		for i := range w.Args {
			w.Args[i] = WhyArg{kv[2*i], kv[2*i+1]}
		}
	}
	return w
}

// whyNums is why for arguments that are whole numbers, named in order by
// names (separated by spaces): one call at a site, not a u64 call and a
// pair per argument.
func whyNums(code, names string, v ...uint64) Why {
	w := Why{Code: code, Args: make([]WhyArg, len(v))}
	for i := range v {
		name, rest, _ := strings.Cut(names, " ")
		w.Args[i], names = WhyArg{name, u64(v[i])}, rest
	}
	return w
}

//go:noinline
func u64(v uint64) string { return strconv.FormatUint(v, 10) }

//go:noinline
func i64(v int64) string { return strconv.FormatInt(v, 10) }

// WhyError is an error that also says why as a code and arguments; Error()
// is the English text. WhyOf finds it through wrapping (as errors.As would).
type WhyError struct {
	Why Why
	err error // the English error, which may wrap another (errors.Is sees it)
}

func (e *WhyError) Error() string { return e.err.Error() }
func (e *WhyError) Unwrap() error { return e.err }

// whyErrorf is fmt.Errorf (with %w) that also says w.
//
//go:noinline
func whyErrorf(w Why, format string, a ...any) error {
	return &WhyError{Why: w, err: fmt.Errorf(format, a...)}
}

// whyErr is whyErrorf(why(code, kv...), format, values...) where the
// values are kv's values in order (as strings: %s where the number was
// %d; %[n]s for one used twice): one call per site instead of why's pairs
// and fmt's boxed arguments built twice (each site's arguments are code in
// the wasm). No %w: wrapping sites use whyErrorf.
func whyErr(format, code string, kv ...string) error {
	w := why(code, kv...)
	a := make([]any, len(w.Args))
	for i := range w.Args {
		a[i] = w.Args[i].Value
	}
	return &WhyError{Why: w, err: fmt.Errorf(format, a...)}
}

// numErr is fmt.Errorf for a text whose arguments are whole numbers:
// each is boxed here, once, rather than at every site (a call each).
func numErr(format string, v ...int64) error {
	a := make([]any, len(v))
	for i := range v {
		a[i] = v[i]
	}
	return fmt.Errorf(format, a...)
}

// WhyOf returns the Why an error carries (the outermost one), or a zero Why.
func WhyOf(err error) Why {
	if we := findWhyError(err); we != nil {
		return we.Why
	}
	return Why{}
}

// findWhyError is errors.As for a *WhyError (FindError).
func findWhyError(err error) *WhyError {
	we, _ := FindError[*WhyError](err)
	return we
}

// FindError is errors.As for one error type T: the first T in err's tree,
// depth first, as errors.As finds it. Not errors.As itself: it brings
// internal/reflectlite's type comparisons into the wasm (about 20 KB of
// code; docs/benchmarks.md, "Where the size is").
func FindError[T error](err error) (T, bool) {
	var zero T
	for err != nil {
		if t, ok := err.(T); ok {
			return t, true
		}
		switch e := err.(type) {
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				if t, ok := FindError[T](inner); ok {
					return t, true
				}
			}
			return zero, false
		default:
			return zero, false
		}
	}
	return zero, false
}

// raftWhy names the core's errors that reach people.
func raftWhy(err error, node string) Why {
	switch {
	case errors.Is(err, raft.ErrNotLeader):
		return why("not-leader", "node", node)
	case errors.Is(err, raft.ErrProposalDropped):
		return why("proposal-dropped", "node", node)
	case errors.Is(err, raft.ErrConfChangePending):
		return why("conf-change-pending", "node", node)
	case errors.Is(err, raft.ErrTransferToSelf):
		return why("already-leader", "node", node)
	case errors.Is(err, raft.ErrRemoved):
		return why("node-removed", "node", node)
	}
	return why("refused", "node", node)
}

// refusalWhy turns the core's reason for refusing request req (answered by
// resp) into a Why, with the numbers of both sides: the request carries the
// asker's, the answer the refuser's.
func refusalWhy(req, resp *raft.Message) Why {
	switch resp.Why {
	case raft.RejectVoted:
		return why("voted", "other", nodeNameOf(resp.Context))
	case raft.RejectHasLeader:
		return why("has-leader", "other", nodeNameOf(resp.Context))
	case raft.RejectLogBehind:
		if req.LogTerm != resp.ConflictTerm {
			return whyNums("log-older", "nodeLastTerm peerLastTerm", req.LogTerm, resp.ConflictTerm)
		}
		return whyNums("log-shorter", "nodeLastIndex peerLastIndex lastTerm", req.Index, resp.ConflictIndex, req.LogTerm)
	case raft.RejectStaleTerm:
		return whyNums("stale-term", "nodeTerm peerTerm", req.Term, resp.Term)
	case raft.RejectNoEntry:
		return whyNums("no-entry", "prevIndex peerLastIndex", req.Index, resp.ConflictIndex)
	case raft.RejectTermMismatch:
		return whyNums("term-mismatch", "prevIndex peerTerm prevTerm", req.Index, resp.ConflictTerm, req.LogTerm)
	}
	return why(resp.Why.String())
}

// replyWhy is what a reply in flight says about itself (the message
// popover): the refuser's side only, since the request is gone.
func replyWhy(m *raft.Message) Why {
	switch m.Why {
	case raft.RejectNone:
		return Why{}
	case raft.RejectVoted, raft.RejectHasLeader:
		return why(m.Why.String(), "other", nodeNameOf(m.Context))
	case raft.RejectLogBehind:
		return whyNums("log-behind", "peerLastIndex peerLastTerm", m.ConflictIndex, m.ConflictTerm)
	case raft.RejectStaleTerm:
		return whyNums("stale-term-reply", "peerTerm", m.Term)
	case raft.RejectNoEntry:
		return whyNums("no-entry", "prevIndex peerLastIndex", m.Index, m.ConflictIndex)
	case raft.RejectTermMismatch:
		return whyNums("term-mismatch", "prevIndex peerTerm prevTerm", m.Index, m.ConflictTerm, m.LogTerm)
	}
	return why(m.Why.String())
}

// MessageDetail is everything one message in flight carries, for a person
// reading it (sb.message(id), the page's message popover). Which fields
// matter depends on Type, as in raft.Message.
type MessageDetail struct {
	MessageView
	// AppendEntries: prevLogIndex (Index) and prevLogTerm (LogTerm).
	// RequestVote / PreVote: the candidate's last log index and term.
	// AppendEntriesResp: the follower's match index, or the rejected prevLogIndex.
	LogTerm uint64
	Commit  uint64      // AppendEntries, Heartbeat: the leader's commit index
	Log     []EntryView // AppendEntries: the entries, with their commands
	Why     Why         // a refusing reply: why (the refuser's side; docs/sim.md)
	// InstallSnapshot: the last index and term the snapshot covers.
	SnapshotIndex, SnapshotTerm uint64
}

// MessageDetail describes message id if it is in flight. It reads only:
// the run does not change.
func (s *Sim) MessageDetail(id int) (MessageDetail, bool) {
	f := s.net.find(id)
	if f == nil {
		return MessageDetail{}, false
	}
	m := &f.msg
	d := MessageDetail{MessageView: s.messageView(f), LogTerm: m.LogTerm, Commit: m.Commit, Why: replyWhy(m)}
	switch m.Type {
	case raft.MsgVoteResp, raft.MsgPreVoteResp, raft.MsgAppResp:
		d.LogTerm = 0 // informational fields of a refusal are in Why
	}
	d.Log = make([]EntryView, len(m.Entries))
	for i := range m.Entries {
		e := &m.Entries[i]
		d.Log[i] = EntryView{Index: e.Index, Term: e.Term, Command: s.entryText(e)}
	}
	if m.Snapshot != nil {
		d.SnapshotIndex, d.SnapshotTerm = m.Snapshot.Index, m.Snapshot.Term
	}
	return d, true
}
