package raft

import (
	"encoding/binary"
	"slices"
	"strconv"
)

// Membership changes are single-server changes (thesis §4.1): each adds or
// removes one voter (or adds/removes a learner), so any majority of the old
// configuration overlaps any majority of the new one.
//
// When a change takes effect: like etcd, when the entry is COMMITTED, on
// every node, at the moment that node learns the commit index covers it
// (commitTo). The caller does nothing: by the time a ConfChange entry appears
// in Ready.CommittedEntries the configuration already changed. Because a
// change only takes effect once a majority of the old configuration stores
// it, the leader allows one uncommitted change at a time
// (ErrConfChangePending), and only after it has committed an entry of its
// own term (which closes the single-server-change bug described on the
// raft-dev list in 2015; thesis §4.1 errata).

// confChangeMagic starts every encoded ConfChange, so that an arbitrary
// payload is unlikely to decode.
const confChangeMagic = 0xCC

// EncodeConfChange encodes cc as the Data of an EntryConfChange entry:
// a magic byte, the type, and the node id as an unsigned varint.
func EncodeConfChange(cc ConfChange) []byte {
	b := make([]byte, 2, 2+binary.MaxVarintLen64)
	b[0], b[1] = confChangeMagic, byte(cc.Type)
	return binary.AppendUvarint(b, cc.NodeID)
}

// DecodeConfChange decodes the Data of an EntryConfChange entry. Malformed
// data gives ErrInvalidConfChange, never a panic.
func DecodeConfChange(data []byte) (ConfChange, error) {
	if len(data) < 3 || data[0] != confChangeMagic {
		return ConfChange{}, wrapErr(ErrInvalidConfChange, "bad encoding")
	}
	t := ConfChangeType(data[1])
	if t < AddLearner || t > RemoveNode {
		return ConfChange{}, wrapErr(ErrInvalidConfChange, "unknown type "+strconv.Itoa(int(t)))
	}
	// A truncated or overlong varint gives k <= 0, which fails the length
	// check as well (len(data) >= 3).
	id, k := binary.Uvarint(data[2:])
	if 2+k != len(data) || id == None {
		return ConfChange{}, wrapErr(ErrInvalidConfChange, "bad node id")
	}
	return ConfChange{Type: t, NodeID: id}, nil
}

// String renders a change for logs and the page ("add learner 4").
func (cc ConfChange) String() string {
	id := strconv.FormatUint(cc.NodeID, 10)
	switch cc.Type {
	case AddLearner:
		return "add learner " + id
	case AddVoter:
		return "add voter " + id
	case RemoveNode:
		return "remove " + id
	}
	return "unknown change " + strconv.Itoa(int(cc.Type)) + " of " + id
}

// ProposeConfChange proposes a single-server membership change (leader
// only) and returns the index of its entry. A new server should first be
// added with AddLearner, catch up (its Match in Status().Progress reaches
// the leader's log), then be promoted with AddVoter (thesis §4.2.1).
func (n *Node) ProposeConfChange(cc ConfChange) (uint64, error) {
	if err := n.canPropose(); err != nil {
		return 0, err
	}
	if n.log.committed < n.termStart || n.pendingConfIndex > n.log.committed {
		return 0, ErrConfChangePending
	}
	if _, err := n.nextConfig(cc); err != nil {
		return 0, err
	}
	idx := n.proposeEntry(Entry{Type: EntryConfChange, Data: EncodeConfChange(cc)})
	n.pendingConfIndex = idx
	return idx, nil
}

// nextConfig returns the configuration after cc, or an error when cc
// makes no sense against the current one.
func (n *Node) nextConfig(cc ConfChange) (ConfState, error) {
	cur := n.confState()
	isVoter, isLearner := slices.Contains(cur.Voters, cc.NodeID), slices.Contains(cur.Learners, cc.NodeID)
	if cc.NodeID == None {
		return cur, wrapErr(ErrInvalidConfChange, "node id None")
	}
	switch cc.Type {
	case AddLearner:
		if isVoter || isLearner {
			return cur, wrapErr(ErrInvalidConfChange, u64(cc.NodeID)+" is already a member")
		}
		cur.Learners = insertSorted(cur.Learners, cc.NodeID)
	case AddVoter:
		if isVoter {
			return cur, wrapErr(ErrInvalidConfChange, u64(cc.NodeID)+" is already a voter")
		}
		cur.Learners = removeID(cur.Learners, cc.NodeID)
		cur.Voters = insertSorted(cur.Voters, cc.NodeID)
	case RemoveNode:
		if !isVoter && !isLearner {
			return cur, wrapErr(ErrInvalidConfChange, u64(cc.NodeID)+": "+ErrUnknownNode.Error(), ErrUnknownNode)
		}
		if isVoter && len(cur.Voters) == 1 {
			return cur, wrapErr(ErrInvalidConfChange, "cannot remove the last voter")
		}
		cur.Voters = removeID(cur.Voters, cc.NodeID)
		cur.Learners = removeID(cur.Learners, cc.NodeID)
	default:
		return cur, wrapErr(ErrInvalidConfChange, "unknown type "+strconv.Itoa(int(cc.Type)))
	}
	return cur, nil
}

// applyConfChangeEntry makes a committed membership change take effect.
// An entry that does not decode, or no longer makes sense, is skipped.
func (n *Node) applyConfChangeEntry(e Entry) {
	cc, err := DecodeConfChange(e.Data)
	if err != nil {
		n.dropped++
		return
	}
	next, err := n.nextConfig(cc)
	if err != nil {
		// Valid when proposed, but no longer against this configuration
		// (only possible with a faulty leader): skip it.
		n.dropped++
		return
	}
	if n.role == Leader && cc.Type == RemoveNode && cc.NodeID != n.id {
		if p := n.findProgress(cc.NodeID); p != nil {
			// Tell the removed server the change committed, so it knows it
			// is removed and stops campaigning (thesis §4.2.3).
			n.sendCommit(p)
		}
	}
	n.setConfig(next)
	n.confHistory = append(n.confHistory, confAt{index: e.Index, conf: next})
	if n.leadTransferee != None && !n.isVoter(n.leadTransferee) {
		n.abortLeaderTransfer()
	}
	if n.role != Leader {
		return
	}
	if !n.isVoter(n.id) {
		// A removed leader steps down once the change is committed (thesis
		// §4.2.2). A last append tells the others the commit index, so they
		// apply the change too before one of them times out.
		for i := range n.prs {
			if n.prs[i].id != n.id {
				n.sendCommit(&n.prs[i])
			}
		}
		n.becomeFollower(n.term, None)
		return
	}
	// New members get their appends with the next Ready.
	n.commitBcastPending = true
}

// indexOfMember returns the position of id in prs, or -1.
func indexOfMember(prs []progress, id uint64) int {
	for i := range prs {
		if prs[i].id == id {
			return i
		}
	}
	return -1
}

// setConfig installs a configuration, keeping the progress of members that
// stay. Members are sorted by id.
func (n *Node) setConfig(cs ConfState) {
	old := n.prs
	prs := make([]progress, 0, len(cs.Voters)+len(cs.Learners))
	last := n.log.lastIndex()
	add := func(id uint64, learner bool) {
		var p progress
		if i := indexOfMember(old, id); i >= 0 {
			p = old[i]
		} else {
			p = progress{id: id, next: last + 1}
			if id == n.id {
				p.match = last
			}
			p.inflightMax = n.cfg.MaxInflight
		}
		p.isLearner = learner
		prs = append(prs, p)
	}
	for _, id := range cs.Voters {
		add(id, false)
	}
	for _, id := range cs.Learners {
		add(id, true)
	}
	// Insertion sort by id: configurations are small, and a generic sort
	// would add its code to the wasm for one call.
	for i := 1; i < len(prs); i++ {
		for j := i; j > 0 && prs[j].id < prs[j-1].id; j-- {
			prs[j], prs[j-1] = prs[j-1], prs[j]
		}
	}
	n.prs = prs
	n.voterCount = len(cs.Voters)
}

// confState returns the current configuration, sorted.
//
// Not inlined: membership changes and snapshots only (docs/benchmarks.md).
//
//go:noinline
func (n *Node) confState() ConfState {
	var cs ConfState
	for i := range n.prs {
		if n.prs[i].isLearner {
			cs.Learners = append(cs.Learners, n.prs[i].id)
		} else {
			cs.Voters = append(cs.Voters, n.prs[i].id)
		}
	}
	return cs
}

// confStateAt returns the configuration as of log index i (i at most the
// commit index): the latest change applied at or before i.
func (n *Node) confStateAt(i uint64) ConfState {
	cs := n.snapshot.ConfState
	for _, c := range n.confHistory {
		if c.index <= i {
			cs = c.conf
		}
	}
	return cs
}

// insertSorted returns a sorted copy of ids with id added.
func insertSorted(ids []uint64, id uint64) []uint64 {
	out := append(slices.Clone(ids), id)
	sortIDs(out)
	return out
}

// removeID returns a copy of ids without id.
//
// Not inlined: membership changes only (docs/benchmarks.md).
//
//go:noinline
func removeID(ids []uint64, id uint64) []uint64 {
	out := make([]uint64, 0, len(ids))
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// sortIDs sorts ids in place: an insertion sort that finds each place by
// binary search (lists of members are short; this keeps a generic sort's
// code out of the wasm).
//
// Not inlined: membership changes only (docs/benchmarks.md).
//
//go:noinline
func sortIDs(ids []uint64) {
	for i := 1; i < len(ids); i++ {
		x := ids[i]
		lo, hi := 0, i
		for lo < hi {
			if mid := int(uint(lo+hi) >> 1); ids[mid] <= x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		copy(ids[lo+1:i+1], ids[lo:i])
		ids[lo] = x
	}
}

// validConfState reports whether a configuration from a peer is usable:
// at least one voter, no None, no duplicates, voters and learners disjoint.
func validConfState(cs ConfState) bool {
	if len(cs.Voters) == 0 {
		return false
	}
	all := make([]uint64, 0, len(cs.Voters)+len(cs.Learners))
	all = append(append(all, cs.Voters...), cs.Learners...)
	sortIDs(all)
	for i, id := range all {
		if id == None || (i > 0 && all[i-1] == id) {
			return false
		}
	}
	return true
}
