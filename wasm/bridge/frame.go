package bridge

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"

	"raftsandbox/sim"
)

// The frame form: how state() crosses, both for the page's own frames and
// for the JS API's state() (web/sandbox/wire.js, readFrame; the API's
// state() reads a whole frame into new objects, so what it returns is what
// it always did). A running page at 5 nodes asks for the picture 60 times a
// second; parsed from JSON, every node, message and list is a new JS object
// each time (2.7 KB of garbage a frame, docs/benchmarks.md). In this form
// the numbers are float64 words that JS reads straight from the wasm's
// memory into the objects of its last frame, and only what changed since
// that frame comes as JSON text after them: new strings, a node's changed
// key-value pairs, new log entries and requests, changed id lists,
// partition or invariants. A frame in which none of those changed parses
// nothing.
//
// Layout: the header's frameWords words, then the body's words, then the
// JSON tail (an object with the members strs, kv, entries, requests, lists,
// partition, invariants, each present only when sent). Strings (node ids,
// roles, message types and kinds, progress states) are numbers into a
// table JS keeps: tail.strs holds the strings from header[hStrFrom] on.
//
// The log entries and the requests are numbered across calls, whatever
// the caller's last frame: tail.entries holds each distinct log entry once
// ({index, term, command}), and a node's log is runs [offset, count, ...]
// into the entries (the nodes of a cluster mostly hold the same entries, so
// 51 nodes with 200-entry logs cost ~200 entries, not ~10,000); the first
// header[hReused] entries are not sent, being those of the last call
// (numbered header[hEntriesGen]-1), which the caller says it holds by
// passing that number as held (0: it holds nothing). From frame to frame
// the entries mostly only grow. Likewise tail.requests lists only the
// requests after the first header[hReqCount], which are the last call's
// requests from header[hReqFrom] on (finished requests do not change).
// The distinct id lists (voters, learners) are in tail.lists, which a
// node's voters and learners index.
//
// Per node: id, role, up, removed, term, votedFor, lead, commitIndex,
// lastApplied, electionElapsed, electionTimeout, logStart, lastIndex,
// snapshotIndex, voters, learners (indexes into lists), then the votes
// (count, ids), the rejections (count, ids), the progress (count, then id,
// next, match, inflight, state, learner each), kv (1: in tail.kv[node's
// index], 0: as in the last frame) and the log (count of numbers, then the
// runs [offset, count, ...] into the entries). Per message: -(k+1) when it
// is message k of the last frame, unchanged; else id, from, to, type,
// kind, term, entries, index, reject, sentAt, deliverAt, held.
//
// What "the last frame" is, JS says by passing that frame's number (0:
// none, as the API's state() does); when it is not the last one sent,
// everything is sent again.

// frameMagic starts every frame (JS checks it: a wasm from before this form
// answers with JSON text).
const frameMagic = 0x52534631

// header words
const (
	hMagic = iota
	hWords // words before the tail
	hTail  // bytes of the tail
	hGen   // this frame's number
	hStrFrom
	hNow
	hTickMs
	hLeader
	hHalted
	hReused
	hEntriesGen
	hReqFrom
	hReqCount
	frameWords
)

// maxFrameStrings bounds the string table: beyond it the table starts anew.
const maxFrameStrings = 4096

// frameCache is what the JS side holds after the last frame sent, and the
// frame's buffers, reused.
type frameCache struct {
	gen     float64 // the number of the last frame sent
	words   []float64
	out     []byte
	strs    []string
	strIdx  map[string]int
	strSent int      // strings JS holds (after the last frame)
	kv      [][]byte // each node's kv as last sent, by its index
	lists   []byte
	part    []byte
	inv     []byte
	msgs    []sim.MessageView
	used    []bool // this frame: the last frame's message k was sent as -(k+1)
}

// frame writes st in the frame form into w.b (reset first) and returns it.
// held is the number of the entries the caller holds, last its last frame's.
func (w *jsonWriter) frame(st *sim.State, logTail int, held, last float64) []byte {
	f := &w.fc
	sync := last != 0 && last == f.gen
	if !sync || len(f.strs) > maxFrameStrings {
		f.strSent, f.kv, f.lists, f.part, f.inv, f.msgs = 0, f.kv[:0], nil, nil, nil, f.msgs[:0]
		if len(f.strs) > maxFrameStrings || f.strIdx == nil {
			f.strs, f.strIdx = f.strs[:0], map[string]int{}
		}
	}
	strFrom := f.strSent
	w.entries, w.blocks, w.lists = w.entries[:0], w.blocks[:0], w.lists[:0]
	f.words = append(f.words[:0], make([]float64, frameWords)...)
	w.reset()
	w.raw(`{`)
	f.words = append(f.words, float64(len(st.Nodes)))
	for i := range st.Nodes {
		w.frameNode(&st.Nodes[i], i, logTail)
	}
	w.frameMessages(st.Messages)
	w.frameCold(st)
	reused, reqFrom, reqCount := w.frameShared(st, held)
	leader := f.str(st.Leader) // (before the new strings are written)
	if len(f.strs) > strFrom {
		w.member("strs")
		w.raw(`[`)
		for i, s := range f.strs[strFrom:] {
			if i > 0 {
				w.raw(`,`)
			}
			w.rawString(s)
		}
		w.raw(`]`)
	}
	f.strSent = len(f.strs)
	w.b = append(w.b, '}')
	if len(w.b) == 2 {
		w.b = w.b[:0] // nothing changed: no tail to parse
	}
	f.gen++
	h := f.words[:frameWords]
	h[hMagic], h[hWords], h[hTail], h[hGen], h[hStrFrom] = frameMagic, float64(len(f.words)), float64(len(w.b)), f.gen, float64(strFrom)
	h[hNow], h[hTickMs], h[hLeader], h[hHalted] = float64(st.Now), float64(st.TickMs), leader, b2f(st.Halted)
	h[hReused], h[hEntriesGen], h[hReqFrom], h[hReqCount] = float64(reused), w.sentGen, float64(reqFrom), float64(reqCount)
	f.out = f.out[:0]
	for _, v := range f.words {
		f.out = binary.LittleEndian.AppendUint64(f.out, math.Float64bits(v))
	}
	f.out = append(f.out, w.b...)
	return f.out
}

// member starts a member of the tail object.
func (w *jsonWriter) member(name string) {
	if len(w.b) > 1 {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, `":`...)
}

// str is a string's number in the table (-1 for "": null).
func (f *frameCache) str(s string) float64 {
	if s == "" {
		return -1
	}
	i, ok := f.strIdx[s]
	if !ok {
		i = len(f.strs)
		f.strs = append(f.strs, s)
		f.strIdx[s] = i
	}
	return float64(i)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (w *jsonWriter) frameNode(n *sim.NodeView, i, logTail int) {
	f := &w.fc
	f.words = append(f.words, f.str(n.ID), f.str(n.Role), b2f(n.Up), b2f(n.Removed), float64(n.Term), f.str(n.VotedFor), f.str(n.Lead),
		float64(n.CommitIndex), float64(n.LastApplied), float64(n.ElectionElapsed), float64(n.ElectionTimeout))
	log, logStart := n.Log, n.LogStart
	if logTail >= 0 && len(log) > logTail {
		logStart += uint64(len(log) - logTail)
		log = log[len(log)-logTail:]
	}
	f.words = append(f.words, float64(logStart), float64(n.LastIndex), float64(n.SnapshotIndex),
		float64(w.listIndex(n.Voters)), float64(w.listIndex(n.Learners)), float64(len(n.Votes)))
	for _, id := range n.Votes {
		f.words = append(f.words, f.str(id))
	}
	f.words = append(f.words, float64(len(n.VotesRejected)))
	for _, id := range n.VotesRejected {
		f.words = append(f.words, f.str(id))
	}
	f.words = append(f.words, float64(len(n.Progress)))
	for k := range n.Progress {
		p := &n.Progress[k]
		f.words = append(f.words, f.str(p.ID), float64(p.Next), float64(p.Match), float64(p.Inflight), f.str(p.State), b2f(p.Learner))
	}
	// kv: sent when it differs from the last frame's at this index
	at := len(w.b)
	w.member(strconv.Itoa(i)) // (no allocation: the node's index is below 100)
	mark := len(w.b)
	w.kv(n.KV)
	if i < len(f.kv) && bytes.Equal(f.kv[i], w.b[mark:]) {
		w.b = w.b[:at]
		f.words = append(f.words, 0)
	} else {
		for len(f.kv) <= i {
			f.kv = append(f.kv, nil)
		}
		f.kv[i] = append(f.kv[i][:0], w.b[mark:]...)
		f.words = append(f.words, 1)
	}
	// the log's runs: counted once they are written
	count := len(f.words)
	f.words = append(f.words, 0)
	w.runs = w.runs[:0]
	w.logRunsInto(log)
	for _, r := range w.runs {
		f.words = append(f.words, float64(r))
	}
	f.words[count] = float64(len(w.runs))
}

// frameMessages writes the messages: -(k+1) for message k of the last
// frame when it is unchanged, else its fields.
func (w *jsonWriter) frameMessages(msgs []sim.MessageView) {
	f := &w.fc
	f.words = append(f.words, float64(len(msgs)))
	// (a message with an id above the last frame's highest is new: no
	// search; the others are looked for from where the last one was found,
	// both lists being in flight order, so that a frame costs about one
	// comparison per message)
	k, top := 0, -1
	for i := range f.msgs {
		top = max(top, f.msgs[i].ID)
	}
	f.used = append(f.used[:0], make([]bool, len(f.msgs))...)
	for i := range msgs {
		m := &msgs[i]
		found := -1
		for j := 0; j < len(f.msgs) && found < 0 && m.ID <= top; j++ {
			if c := (k + j) % len(f.msgs); !f.used[c] && f.msgs[c] == *m {
				found = c
			}
		}
		if found >= 0 { // (each of the last frame's at most once: JS reuses the others' objects)
			f.used[found] = true
			f.words = append(f.words, float64(-found-1))
			k = found + 1
			continue
		}
		f.words = append(f.words, float64(m.ID), f.str(m.From), f.str(m.To), f.str(m.Type), f.str(m.Kind), float64(m.Term),
			float64(m.Entries), float64(m.Index), b2f(m.Reject), float64(m.SentAt), float64(m.DeliverAt), b2f(m.Held))
	}
	f.msgs = append(f.msgs[:0], msgs...)
}

// frameCold writes the id lists, the partition and the invariants into the
// tail when they differ from the last frame's.
func (w *jsonWriter) frameCold(st *sim.State) {
	f := &w.fc
	at := len(w.b)
	w.member("lists")
	mark := len(w.b)
	w.raw(`[`)
	for i, l := range w.lists {
		if i > 0 {
			w.raw(`,`)
		}
		w.rawStrings(l)
	}
	w.raw(`]`)
	w.keepIfChanged(&f.lists, at, mark)
	at = len(w.b)
	w.member("partition")
	mark = len(w.b)
	w.partition(st.Partition)
	w.keepIfChanged(&f.part, at, mark)
	at = len(w.b)
	w.member("invariants")
	mark = len(w.b)
	w.raw(`{"ok":`)
	w.rawBool(st.Invariants.OK)
	w.raw(`,"violations":[`)
	for i := range st.Invariants.Violations {
		if i > 0 {
			w.raw(`,`)
		}
		w.violation(&st.Invariants.Violations[i])
	}
	w.raw(`]}`)
	w.keepIfChanged(&f.inv, at, mark)
}

// keepIfChanged keeps the member written from at (its value from mark) when
// its value differs from *last, remembering it; else takes it out.
func (w *jsonWriter) keepIfChanged(last *[]byte, at, mark int) {
	if *last != nil && bytes.Equal(*last, w.b[mark:]) {
		w.b = w.b[:at]
		return
	}
	*last = append((*last)[:0], w.b[mark:]...)
	if *last == nil {
		*last = []byte{}
	}
}

// frameShared writes the new entries and requests (numbered across calls,
// see above) into the tail and returns reused, reqFrom and reqCount.
func (w *jsonWriter) frameShared(st *sim.State, held float64) (reused, reqFrom, reqCount int) {
	reqFrom = -1
	if held != 0 && held == w.sentGen && len(st.Requests) > 0 {
		reqFrom, reqCount = sameRun(w.sentReqs, st.Requests)
	}
	if reqCount < len(st.Requests) {
		w.member("requests")
		w.raw(`[`)
		for i := reqCount; i < len(st.Requests); i++ {
			if i > reqCount {
				w.raw(`,`)
			}
			w.request(&st.Requests[i])
		}
		w.raw(`]`)
	}
	w.sentReqs = append(w.sentReqs[:0], st.Requests...)
	reused = w.reusedEntries(held)
	if reused < len(w.entries) {
		w.member("entries")
		w.b = append(w.b, '[')
		w.b = appendLog(w.b, w.entries[reused:])
		w.b = append(w.b, ']')
	}
	w.sentGen++
	w.sent = append(w.sent[:0], w.entries...)
	return reused, reqFrom, reqCount
}
