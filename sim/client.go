package sim

import (
	"slices"
	"strconv"

	"raftsandbox/raft"
	"raftsandbox/sim/scenario"
)

//go:noinline
func nodeNameOf(id uint64) string { return scenario.NodeName(int(id) - 1) }

// Request statuses.
const (
	StatusPending   = "pending"
	StatusCommitted = "committed"
	StatusFailed    = "failed"
)

// request is one client request and its lifecycle.
type request struct {
	id       int
	cmd      Command
	to       int // pinned node, or -1
	status   string
	value    int64
	err      string
	why      Why    // err as a code and arguments
	index    uint64 // log index it committed at (or the read index)
	target   int    // node currently handling it, -1 when waiting for a leader
	invokeAt int64
	deadline int64
	attempts int
	histIdx  int // index in Sim.history, or -1
}

// ClientOp is one request in the history recorder (see RecordHistory): what
// a linearizability checker needs. Status "failed" means the outcome is
// unknown (the write may still have taken effect).
type ClientOp struct {
	ID      int
	Command Command
	Pinned  string
	Invoke  int64
	Return  int64 // -1 while pending
	Status  string
	Value   int64 // SET/ADD: the new value; GET: the value read
	// Index places a committed request in the log: a write's entry; for a
	// read, the last entry applied by the node that answered it (the state
	// it read, at or after its read index).
	Index    uint64
	Node     string // committed: the node that answered it
	Error    string
	Attempts int
}

// RecordHistory turns the client history recorder on or off (off by default:
// it keeps every request in memory). Rewind and Reset keep the setting.
func (s *Sim) RecordHistory(on bool) { s.recordHistory = on }

// History returns every request recorded since RecordHistory(true), with
// the final status of those resolved (in id order).
func (s *Sim) History() []ClientOp {
	out := make([]ClientOp, len(s.history))
	copy(out, s.history)
	for i := range out {
		if r := s.pending.get(out[i].ID); r != nil { // recorded, still pending
			out[i].Attempts = r.attempts
		}
	}
	return out
}

// Request submits a client command ("SET 5", "ADD x 2", "GET x"). With to == ""
// it goes to the current leader and is retried on leader changes; otherwise it
// is pinned to that node. It returns the request id (1, 2, 3, ...).
func (s *Sim) Request(cmd string, to string) (int, error) {
	if err := s.haltedErr(); err != nil {
		return 0, err
	}
	_, canon, err := s.parseCommand(cmd)
	if err != nil {
		return 0, err
	}
	var args []string
	if to != "" {
		n, err := s.memberByName(to)
		if err != nil {
			return 0, err
		}
		args = []string{canon, n.name}
	} else {
		// The action log keeps its own copy of new argument lists, so one
		// slice serves every request of the same command (parsing another
		// command clears the memo).
		if s.cmdMemo.args == nil {
			s.cmdMemo.args = []string{canon}
		}
		args = s.cmdMemo.args
	}
	if _, err := s.user(Action{Kind: scenario.Request, Args: args}); err != nil {
		return 0, err
	}
	return s.nextReq, nil
}

// cmdMemo remembers the last client command parsed, by the text it was
// given and by its canonical text: a workload sends the same command again
// and again, and a request is parsed twice (by Request, then by the action).
type cmdMemo struct {
	text, canon string
	cmd         Command
	args        []string // []string{canon}, for Request
}

// parseCommand is ParseCommand with the memo; it also returns the
// command's canonical text.
func (s *Sim) parseCommand(text string) (Command, string, error) {
	m := &s.cmdMemo
	if m.canon != "" && (text == m.text || text == m.canon) {
		return m.cmd, m.canon, nil
	}
	c, err := ParseCommand(text)
	if err != nil {
		return Command{}, "", err
	}
	canon := c.String()
	*m = cmdMemo{text: text, canon: canon, cmd: c}
	return c, canon, nil
}

func (s *Sim) submit(c Command, canon string, args []string) int {
	s.nextReq++
	if len(s.reqSlab) == 0 {
		s.reqSlab = make([]request, 64)
	}
	r := &s.reqSlab[0]
	s.reqSlab = s.reqSlab[1:]
	*r = request{id: s.nextReq, cmd: c, to: -1, target: -1, status: StatusPending, invokeAt: s.now,
		deadline: s.now + s.cfg.RequestGiveUpMs}
	pinned := ""
	if len(args) > 1 {
		n, _ := s.nodeByName(args[1])
		r.to = n.idx
		pinned = n.name
	}
	r.histIdx = -1
	s.pending.add(r)
	s.order = append(s.order, r)
	if len(s.order) > 2*s.pending.count+64 {
		// A request pending for long (pinned to a cut-off leader) must not
		// keep every later request alive: keep only the pending ones.
		kept := s.order[:0] // filtered in place
		for _, q := range s.order {
			if q.status == StatusPending {
				kept = append(kept, q)
			}
		}
		clear(s.order[len(kept):])
		s.order = kept
	}
	s.recent = append(s.recent, r)
	s.trimRecent()
	if s.recordHistory {
		r.histIdx = len(s.history)
		s.history = append(s.history, ClientOp{ID: r.id, Command: c, Pinned: pinned, Invoke: s.now, Return: -1, Status: StatusPending})
	}
	s.narrate(Event{Key: KeyRequestSubmitted, Value: int64(r.id), Detail: canon, Peer: pinned})
	s.mixTrace(0xc1, uint64(r.id))
	if r.to >= 0 {
		s.sendPinned(r)
	} else {
		s.sendToLeader(r, "")
		s.armTimer(r)
	}
	return r.id
}

// sendPinned hands a pinned request to its node; it fails at once when that
// node is down or refuses.
func (s *Sim) sendPinned(r *request) {
	n := s.nodes[r.to]
	if n.rn == nil {
		s.failRequest(r, n.name+" is down", why("node-down", "node", n.name))
		return
	}
	if err := s.propose(n, r); err != nil {
		s.failRequest(r, n.name+" refused: "+err.Error(), raftWhy(err, n.name))
	}
}

// sendToLeader hands an unpinned request to the current leader, or parks it
// until there is one.
func (s *Sim) sendToLeader(r *request, why string) {
	r.target = -1
	if s.leader < 0 {
		s.waiting = append(s.waiting, r)
		return
	}
	n := s.nodes[s.leader]
	if err := s.propose(n, r); err != nil {
		s.waiting = append(s.waiting, r)
		return
	}
	if why != "" {
		s.narrate(Event{Key: KeyRequestRetried, Value: int64(r.id), Node: n.name, Reason: why})
	}
}

func (s *Sim) propose(n *simNode, r *request) error {
	r.attempts++
	r.target = n.idx
	var err error
	var index uint64
	if r.cmd.Op == OpGet {
		err = n.rn.ReadIndex(uint64(r.id))
	} else {
		index, err = n.rn.Propose(s.encodeEntry(uint64(r.id), s.watermark(), r.cmd))
	}
	if err != nil {
		r.target = -1
		return err
	}
	s.narrate(Event{Key: KeyRequestSent, Value: int64(r.id), Node: n.name, Index: index})
	s.handleReady(n)
	return nil
}

// watermark is the lowest request id still pending: the state machine may
// forget duplicates below it. It is read when a request is proposed, so
// s.order (every pending request, by id) holds that one at least.
func (s *Sim) watermark() uint64 {
	for s.order[0].status != StatusPending {
		s.order[0] = nil
		s.order = s.order[1:]
	}
	return uint64(s.order[0].id)
}

// armTimer sets an unpinned request's timer (pinned ones have none), unless
// it already resolved (a one-node cluster commits at once). A request has
// one timer at a time: the one armed when it is submitted, then each one
// armed by the last one's wake; a resolved request's timer finds nothing.
func (s *Sim) armTimer(r *request) {
	if r.status != StatusPending {
		return
	}
	s.q.push(min(s.now+s.cfg.RequestRetryMs, r.deadline), evRequestWake, r.id, 0)
}

// requestWake handles an unpinned request's timer: give up after the
// deadline, otherwise retry with the current leader (same id: the state
// machine applies it at most once).
func (s *Sim) requestWake(r *request) bool {
	if s.now >= r.deadline {
		reason, code := "no leader", "no-leader-in-time"
		if r.attempts > 0 {
			reason, code = "not committed in time", "not-committed-in-time"
		}
		ms := strconv.FormatInt(s.now-r.invokeAt, 10)
		s.failRequest(r, reason+" after "+ms+" ms", why(code, "ms", ms))
		return true
	}
	if r.target >= 0 { // at a node, so not among the waiting: send it again
		s.sendToLeader(r, "timeout")
	}
	s.armTimer(r)
	return r.target >= 0
}

func (s *Sim) dispatchWaiting() {
	w := s.waiting
	s.waiting = nil
	for _, r := range w {
		if r.status != StatusPending {
			continue
		}
		reason := "new leader"
		if r.attempts == 0 {
			reason = ""
		}
		s.sendToLeader(r, reason)
	}
}

// leaderLost moves the requests a node was handling: pinned ones fail (they
// are never retried elsewhere), unpinned ones wait for the next leader.
// A pinned request fails with the reason n's name + text (built only
// then), or code with the node as argument.
func (s *Sim) leaderLost(n *simNode, text, code string) {
	if s.pending.count == 0 {
		return
	}
	for _, r := range s.pendingInOrder() {
		if r.target != n.idx && r.to != n.idx {
			continue
		}
		if r.to >= 0 {
			s.failRequest(r, n.name+text, why(code, "node", n.name))
			continue
		}
		r.target = -1
		s.waiting = append(s.waiting, r)
	}
}

// pendingInOrder lists the pending requests by id (never by map order).
func (s *Sim) pendingInOrder() []*request {
	out := make([]*request, 0, s.pending.count)
	for _, r := range s.order {
		if r.status == StatusPending {
			out = append(out, r)
		}
	}
	return out
}

func (s *Sim) commitRequest(r *request, value int64, index uint64) {
	r.status, r.value, r.index = StatusCommitted, value, index
	s.resolved(r)
	s.narrate(Event{Key: KeyRequestCommitted, Value: int64(r.id), Index: index, Detail: strconv.FormatInt(value, 10)})
}

func (s *Sim) failRequest(r *request, reason string, w Why) {
	r.status, r.err, r.why = StatusFailed, reason, w
	s.resolved(r)
	s.narrate(Event{Key: KeyRequestFailed, Value: int64(r.id), Reason: reason, Why: w})
}

func (s *Sim) resolved(r *request) {
	s.pending.remove(r.id)
	s.mixTrace(0xc2, uint64(r.id), uint64(len(r.status)), uint64(r.value))
	if r.histIdx >= 0 { // the history only grows
		h := &s.history[r.histIdx]
		h.Return, h.Status, h.Value, h.Error, h.Attempts = s.now, r.status, r.value, r.err, r.attempts
	}
}

// trimRecent keeps State's request list bounded: every pending request plus
// the latest resolved ones.
func (s *Sim) trimRecent() {
	const keep = 256
	if len(s.recent) < 4*keep {
		return
	}
	cut := len(s.recent) - keep
	kept := s.recent[:0] // filtered in place
	for i, r := range s.recent {
		if i >= cut || r.status == StatusPending {
			kept = append(kept, r)
		}
	}
	clear(s.recent[len(kept):])
	s.recent = kept
}

func (r *request) view(s *Sim) RequestView {
	v := RequestView{ID: r.id, Command: r.cmd.String(), Status: r.status, Error: r.err, Why: r.why, Index: r.index}
	if r.to >= 0 {
		v.To = s.nodes[r.to].name
	}
	if r.target >= 0 {
		v.Target = s.nodes[r.target].name
	}
	if r.status == StatusCommitted {
		v.Result = strconv.FormatInt(r.value, 10)
	}
	return v
}

var _ = raft.None

// RequestOp returns one recorded request by id in O(log n) (see
// RecordHistory), for callers that poll request status as the run goes.
func (s *Sim) RequestOp(id int) (ClientOp, bool) {
	k, ok := slices.BinarySearchFunc(s.history, id, func(op ClientOp, id int) int { return op.ID - id })
	if !ok {
		return ClientOp{}, false
	}
	op := s.history[k]
	if r := s.pending.get(id); r != nil {
		op.Attempts = r.attempts
	}
	return op, true
}

// requestTable finds the pending requests by id. Ids are handed out
// consecutively and mostly resolve in order, so the recent ones sit in a
// window indexed by id (no hashing); one still pending long after its
// neighbours (pinned to a cut-off leader) moves to a map, so the window
// stays short.
type requestTable struct {
	base  int        // id of win[head]
	win   []*request // win[head:] is the window; nil once resolved
	head  int
	old   map[int]*request
	count int
}

// requestWindow bounds the window.
const requestWindow = 1024

func (t *requestTable) get(id int) *request {
	if k := id - t.base; k >= 0 && k < len(t.win)-t.head {
		return t.win[t.head+k]
	}
	return t.old[id] // nil map: nil
}

// add registers a new request; its id follows the last one added (ids are
// handed out consecutively), so it goes at the end of the window.
func (t *requestTable) add(r *request) {
	t.count++
	if t.head == len(t.win) {
		t.win, t.head, t.base = t.win[:0], 0, r.id
	}
	if len(t.win) == cap(t.win) {
		// Full: move the window to the front instead of growing (when
		// head is 0 the copy does nothing and append grows it).
		n := copy(t.win, t.win[t.head:])
		clear(t.win[n:])
		t.win, t.head = t.win[:n], 0
	}
	t.win = append(t.win, r)
	for len(t.win)-t.head > requestWindow {
		if q := t.win[t.head]; q != nil {
			t.putOld(q)
		}
		t.win[t.head] = nil
		t.head++
		t.base++
	}
	t.trim()
}

func (t *requestTable) putOld(r *request) {
	if t.old == nil {
		t.old = map[int]*request{}
	}
	t.old[r.id] = r
}

func (t *requestTable) remove(id int) {
	if k := id - t.base; k >= 0 && k < len(t.win)-t.head {
		if t.win[t.head+k] != nil {
			t.win[t.head+k] = nil
			t.count--
			t.trim()
		}
		return
	}
	if _, ok := t.old[id]; ok {
		delete(t.old, id)
		t.count--
	}
}

// trim drops the resolved requests at the front of the window.
func (t *requestTable) trim() {
	for t.head < len(t.win) && t.win[t.head] == nil {
		t.head++
		t.base++
	}
}

// encodeEntry encodes a client entry into the current chunk of the entry
// arena: one allocation per chunk rather than per request. An entry's bytes
// are never written again once proposed (the slice's capacity ends with
// it), and a chunk is freed once no log or message holds any of its entries.
func (s *Sim) encodeEntry(reqID, watermark uint64, c Command) []byte {
	const chunk = 4096
	need := maxEntrySize(c)
	if cap(s.arena)-len(s.arena) < need {
		s.arena = make([]byte, 0, chunk)
	}
	start := len(s.arena)
	s.arena = appendEntry(s.arena, reqID, watermark, c)
	end := len(s.arena)
	return s.arena[start:end:end]
}
