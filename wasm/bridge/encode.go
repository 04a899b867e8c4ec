package bridge

import (
	"strconv"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

// The encoders below write the JSON shapes documented in docs/api.md (state()
// crosses in the frame form, frame.go, with some of them in its tail). Field
// names are the JS API's contract (camelCase, docs/api.md): change
// them only together with web/raft-sandbox.js, docs/api.md and web/test/.
//
// Objects with fixed fields are written with literal keys that carry their
// own punctuation (`,"term":`), which is the fastest way to write them in
// wasm and keeps the code small; lists put their commas themselves.

// reusedEntries is how many of this state's entries the caller holds from
// the last one: those it was sent, when held is that one's number.
func (w *jsonWriter) reusedEntries(held float64) int {
	reused := 0
	if held != 0 && held == w.sentGen {
		for reused < len(w.entries) && reused < len(w.sent) && w.entries[reused] == w.sent[reused] {
			reused++
		}
	}
	return reused
}

// partition writes the groups of a partition, or null without one.
func (w *jsonWriter) partition(groups [][]string) {
	if groups == nil {
		w.raw(`null`)
		return
	}
	w.raw(`[`)
	for i, g := range groups {
		if i > 0 {
			w.raw(`,`)
		}
		w.rawStrings(g)
	}
	w.raw(`]`)
}

// violation writes one safety violation of state().invariants.
func (w *jsonWriter) violation(v *sim.Violation) {
	w.raw(`{"invariant":`)
	w.rawString(v.Invariant)
	w.raw(`,"detail":`)
	w.rawString(v.Detail)
	w.raw(`,"why":`)
	w.why(&v.Why)
	w.raw(`,"nodes":`)
	w.rawStrings(v.Nodes)
	w.raw(`,"index":`)
	w.rawUint(v.Index)
	w.raw(`,"term":`)
	w.rawUint(v.Term)
	w.raw(`}`)
}

// sameRun finds now's first request in sent and returns where, and how
// many requests from there on are unchanged in now: (-1, 0) when none.
func sameRun(sent, now []sim.RequestView) (from, count int) {
	for from = range sent {
		if sent[from].ID == now[0].ID {
			for from+count < len(sent) && count < len(now) && sameRequest(&sent[from+count], &now[count]) {
				count++
			}
			if count > 0 {
				return from, count
			}
			break
		}
	}
	return -1, 0
}

func sameRequest(a, b *sim.RequestView) bool {
	if a.ID != b.ID || a.Command != b.Command || a.To != b.To || a.Target != b.Target || a.Status != b.Status ||
		a.Result != b.Result || a.Error != b.Error || a.Index != b.Index || a.Why.Code != b.Why.Code || len(a.Why.Args) != len(b.Why.Args) {
		return false
	}
	for i := range a.Why.Args {
		if a.Why.Args[i] != b.Why.Args[i] {
			return false
		}
	}
	return true
}

// entryBlock is a run of entries with consecutive indexes in w.entries:
// entries[off+k] has index first+k.
type entryBlock struct {
	first  uint64
	off, n int
}

// logRunsInto appends a log to w.runs as runs [offset, count, ...] into
// w.entries, adding the entries no earlier log had. The entry with index x
// is looked up in each block that covers x (a handful: logs differ only in
// their tails), and a run extends while the entries are equal (same term
// and command; after a safety bug two nodes can hold different entries at
// one index and term, so the command is compared too). An entry no block
// has starts a new block with the rest of the log.
func (w *jsonWriter) logRunsInto(log []sim.EntryView) {
	for p := 0; p < len(log); {
		x := log[p].Index
		k, off := 0, 0
		for _, b := range w.blocks {
			if x < b.first || x-b.first >= uint64(b.n) {
				continue
			}
			off = b.off + int(x-b.first)
			end := b.off + b.n
			for p+k < len(log) && off+k < end && sameEntry(&w.entries[off+k], &log[p+k]) {
				k++
			}
			if k > 0 {
				break
			}
		}
		if k == 0 {
			off, k = len(w.entries), len(log)-p
			w.blocks = append(w.blocks, entryBlock{first: x, off: off, n: k})
			w.entries = append(w.entries, log[p:]...)
		}
		w.runs = append(w.runs, off, k)
		p += k
	}
}

func sameEntry(a, b *sim.EntryView) bool {
	return a.Term == b.Term && a.Command == b.Command
}

// listIndex returns the index of ids in w.lists, adding it if it is new.
func (w *jsonWriter) listIndex(ids []string) int {
	for i := len(w.lists) - 1; i >= 0; i-- {
		if sameIDs(w.lists[i], ids) {
			return i
		}
	}
	w.lists = append(w.lists, ids)
	return len(w.lists) - 1
}

func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// kv writes a node's applied key-value pairs as an object.
func (w *jsonWriter) kv(pairs []sim.KV) {
	w.raw(`{`)
	for i, kv := range pairs {
		if i > 0 {
			w.raw(`,`)
		}
		w.rawString(kv.Key) // keys come from commands: escaped like any string
		w.raw(`:`)
		w.rawInt(kv.Value)
	}
	w.raw(`}`)
}

func (w *jsonWriter) message(m *sim.MessageView) {
	w.raw(`{"id":`)
	w.rawInt(int64(m.ID))
	w.raw(`,"from":`)
	w.rawString(m.From)
	w.raw(`,"to":`)
	w.rawString(m.To)
	w.raw(`,"type":`)
	w.rawString(m.Type)
	w.raw(`,"kind":`)
	w.rawString(m.Kind)
	w.raw(`,"term":`)
	w.rawUint(m.Term)
	w.raw(`,"entries":`)
	w.rawInt(int64(m.Entries))
	w.raw(`,"index":`)
	w.rawUint(m.Index)
	w.raw(`,"reject":`)
	w.rawBool(m.Reject)
	w.raw(`,"sentAt":`)
	w.rawInt(m.SentAt)
	w.raw(`,"deliverAt":`)
	w.rawInt(m.DeliverAt)
	w.raw(`,"held":`)
	w.rawBool(m.Held)
	w.raw(`}`)
}

func (w *jsonWriter) request(r *sim.RequestView) {
	w.raw(`{"id":`)
	w.rawInt(int64(r.ID))
	w.raw(`,"command":`)
	w.rawString(r.Command)
	w.raw(`,"to":`)
	w.rawID(r.To)
	w.raw(`,"target":`)
	w.rawID(r.Target)
	w.raw(`,"status":`)
	w.rawString(r.Status)
	w.raw(`,"result":`)
	w.rawID(r.Result)
	w.raw(`,"error":`)
	w.rawID(r.Error)
	w.raw(`,"why":`)
	w.why(&r.Why)
	w.raw(`,"index":`)
	w.rawUint(r.Index)
	w.raw(`}`)
}

func (w *jsonWriter) stepResult(r *sim.StepResult) {
	w.raw(`{"at":`)
	w.rawInt(r.At)
	w.raw(`,"kind":`)
	w.rawString(r.Kind)
	w.raw(`,"node":`)
	w.rawID(r.Node)
	w.raw(`,"message":`)
	if r.Message == nil {
		w.raw(`null`)
	} else {
		w.message(r.Message)
	}
	w.raw(`}`)
}

func (w *jsonWriter) events(list []sim.Event) {
	w.raw(`[`)
	for i := range list {
		if i > 0 {
			w.raw(`,`)
		}
		e := &list[i]
		w.raw(`{"seq":`)
		w.rawUint(e.Seq)
		w.raw(`,"at":`)
		w.rawInt(e.At)
		w.raw(`,"key":`)
		w.rawString(e.Key)
		w.raw(`,"node":`)
		w.rawID(e.Node)
		w.raw(`,"peer":`)
		w.rawID(e.Peer)
		w.raw(`,"term":`)
		w.rawUint(e.Term)
		w.raw(`,"index":`)
		w.rawUint(e.Index)
		w.raw(`,"value":`)
		w.rawInt(e.Value)
		w.raw(`,"detail":`)
		w.rawString(e.Detail)
		w.raw(`,"reason":`)
		w.rawString(e.Reason)
		w.raw(`,"why":`)
		w.why(&e.Why)
		w.raw(`}`)
	}
	w.raw(`]`)
}

func (w *jsonWriter) actions(list []sim.Action) {
	w.raw(`[`)
	for i := range list {
		if i > 0 {
			w.raw(`,`)
		}
		a := &list[i]
		w.raw(`{"at":`)
		w.rawInt(a.At)
		w.raw(`,"kind":`)
		w.rawString(a.Kind)
		w.raw(`,"args":`)
		w.rawStrings(a.Args)
		w.raw(`}`)
	}
	w.raw(`]`)
}

// maxSafeInteger is the largest integer a JS number holds exactly.
const maxSafeInteger = 1<<53 - 1

// config writes the cluster's configuration with the option names of
// loadSandbox (a seed beyond 2^53-1 is written as a decimal string).
func (w *jsonWriter) config(c *sim.Config) {
	w.raw(`{"nodes":`)
	w.rawInt(int64(c.Nodes))
	w.raw(`,"seed":`)
	if c.Seed > maxSafeInteger {
		w.b = append(w.b, '"')
		w.rawUint(c.Seed)
		w.b = append(w.b, '"')
	} else {
		w.rawUint(c.Seed)
	}
	w.raw(`,"tickMs":`)
	w.rawInt(c.TickMs)
	w.raw(`,"electionTimeoutMs":[`)
	w.rawInt(c.ElectionMinMs)
	w.raw(`,`)
	w.rawInt(c.ElectionMaxMs)
	w.raw(`],"heartbeatMs":`)
	w.rawInt(c.HeartbeatMs)
	w.raw(`,"latencyMs":[`)
	w.rawInt(c.LatencyMinMs)
	w.raw(`,`)
	w.rawInt(c.LatencyMaxMs)
	w.raw(`],"dropRate":`)
	w.rawFloat(c.DropRate)
	w.raw(`,"dupRate":`)
	w.rawFloat(c.DupRate)
	w.raw(`,"reorderRate":`)
	w.rawFloat(c.ReorderRate)
	w.raw(`,"preVote":`)
	w.rawBool(c.PreVote)
	w.raw(`,"checkQuorum":`)
	w.rawBool(c.CheckQuorum)
	w.raw(`,"snapshotEvery":`)
	w.rawInt(int64(c.SnapshotEvery))
	w.raw(`,"bugs":{`)
	for i, g := range raft.BugList {
		if i > 0 {
			w.raw(`,`)
		}
		w.rawString(g.JSName())
		w.raw(`:`)
		w.rawBool(*g.Flag(&c.Bugs))
	}
	w.raw(`},"clientView":`)
	w.rawBool(c.ClientView)
	w.raw(`}`)
}

// appendLog writes log entries: the bulk of a big picture, so written with
// plain appends in one loop.
func appendLog(b []byte, log []sim.EntryView) []byte {
	for i := range log {
		e := &log[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"index":`...)
		b = strconv.AppendUint(b, e.Index, 10)
		b = append(b, `,"term":`...)
		b = strconv.AppendUint(b, e.Term, 10)
		b = append(b, `,"command":`...)
		b = appendString(b, e.Command)
		b = append(b, '}')
	}
	return b
}

// facts writes a beat's facts (checkBeat(i)): [{text, why, holds}].
func (w *jsonWriter) facts(list []sim.FactResult) {
	w.raw(`[`)
	for i := range list {
		f := &list[i]
		if i > 0 {
			w.raw(`,`)
		}
		w.raw(`{"text":`)
		w.rawString(f.Text)
		w.raw(`,"why":`)
		w.why(&f.Why)
		w.raw(`,"holds":`)
		w.rawBool(f.Holds)
		w.raw(`}`)
	}
	w.raw(`]`)
}

// beats writes a scenario's beats (sb.beats()): [{key, text, start, end,
// until, facts, nodes, entries: [{index, nodes}]}].
func (w *jsonWriter) beats(list []sim.Beat) {
	w.raw(`[`)
	for i := range list {
		b := &list[i]
		if i > 0 {
			w.raw(`,`)
		}
		w.raw(`{"key":`)
		w.rawString(b.Key)
		w.raw(`,"text":`)
		w.rawString(b.Text)
		w.raw(`,"start":`)
		w.rawInt(b.Start)
		w.raw(`,"end":`)
		w.rawInt(b.End)
		w.raw(`,"until":`)
		w.rawString(b.Until)
		w.raw(`,"facts":`)
		w.rawStrings(b.Facts)
		w.raw(`,"nodes":`)
		w.rawStrings(b.Nodes)
		w.raw(`,"entries":[`)
		for k, e := range b.Entries {
			if k > 0 {
				w.raw(`,`)
			}
			w.raw(`{"index":`)
			w.rawInt(e.Index)
			w.raw(`,"nodes":`)
			w.rawStrings(e.Nodes)
			w.raw(`}`)
		}
		w.raw(`]}`)
	}
	w.raw(`]`)
}

// why writes a reason as {"code": ..., "args": {name: value, ...}}, or null
// when there is none. Argument values are strings (node ids, numbers,
// commands): the page substitutes them into its translations.
func (w *jsonWriter) why(y *sim.Why) {
	if y.Code == "" {
		w.raw(`null`)
		return
	}
	w.raw(`{"code":`)
	w.rawString(y.Code)
	w.raw(`,"args":{`)
	for i, a := range y.Args {
		if i > 0 {
			w.raw(`,`)
		}
		w.rawString(a.Name)
		w.raw(`:`)
		w.rawString(a.Value)
	}
	w.raw(`}}`)
}

// messageDetail writes message(id): the fields of a state() message plus
// logTerm, commit, log (the entries with their commands), why, snapshotIndex
// and snapshotTerm (docs/api.md).
func (w *jsonWriter) messageDetail(d *sim.MessageDetail) {
	w.message(&d.MessageView)
	w.b = w.b[:len(w.b)-1] // reopen the object message() closed
	w.raw(`,"logTerm":`)
	w.rawUint(d.LogTerm)
	w.raw(`,"commit":`)
	w.rawUint(d.Commit)
	w.raw(`,"log":[`)
	for i := range d.Log {
		e := &d.Log[i]
		if i > 0 {
			w.raw(`,`)
		}
		w.raw(`{"index":`)
		w.rawUint(e.Index)
		w.raw(`,"term":`)
		w.rawUint(e.Term)
		w.raw(`,"command":`)
		w.rawString(e.Command)
		w.raw(`}`)
	}
	w.raw(`],"why":`)
	w.why(&d.Why)
	w.raw(`,"snapshotIndex":`)
	w.rawUint(d.SnapshotIndex)
	w.raw(`,"snapshotTerm":`)
	w.rawUint(d.SnapshotTerm)
	w.raw(`}`)
}
