package sim

import (
	"slices"

	"raftsandbox/raft"
)

// Not inlined: membership changes only, not per event (docs/benchmarks.md).
//
//go:noinline
func decodeConfChange(data []byte) (raft.ConfChange, bool) {
	cc, err := raft.DecodeConfChange(data)
	return cc, err == nil
}

// Not inlined: membership changes only (docs/benchmarks.md).
//
//go:noinline
func confChangeName(t raft.ConfChangeType) string {
	switch t {
	case raft.AddLearner:
		return "add-learner"
	case raft.AddVoter:
		return "add-voter"
	case raft.RemoveNode:
		return "remove"
	}
	return "unknown"
}

// applyConf returns the configuration after a single-server change.
func applyConf(c raft.ConfState, cc raft.ConfChange) raft.ConfState {
	voters, learners := withoutID(c.Voters, cc.NodeID), withoutID(c.Learners, cc.NodeID)
	switch cc.Type {
	case raft.AddLearner:
		learners = insertID(learners, cc.NodeID)
	case raft.AddVoter:
		voters = insertID(voters, cc.NodeID)
	}
	return raft.ConfState{Voters: voters, Learners: learners}
}

// isMember reports whether id is a voter or a learner of c.
func isMember(c raft.ConfState, id uint64) bool {
	return slices.Contains(c.Voters, id) || slices.Contains(c.Learners, id)
}

// withoutID returns a copy of a sorted id list without id.
//
// Not inlined: membership changes only (docs/benchmarks.md).
//
//go:noinline
func withoutID(ids []uint64, id uint64) []uint64 {
	out := make([]uint64, 0, len(ids)+1)
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// insertID adds id to a sorted list that lacks it, in place.
//
// Not inlined: membership changes only (docs/benchmarks.md).
//
//go:noinline
func insertID(ids []uint64, id uint64) []uint64 {
	i := 0
	for i < len(ids) && ids[i] < id {
		i++
	}
	ids = append(ids, 0)
	copy(ids[i+1:], ids[i:])
	ids[i] = id
	return ids
}

// entryText is an entry's command as the page shows it: the client command
// ("SET x 5"), "" for the leader's no-op, or a membership change
// ("add-learner F", "add-voter F", "remove F").
func entryText(e *raft.Entry) string {
	switch e.Type {
	case raft.EntryNormal:
		if len(e.Data) == 0 {
			return ""
		}
		if raw, ok := decodeRaw(e.Data); ok {
			return raw.command().String()
		}
		return "?"
	case raft.EntryConfChange:
		if cc, ok := decodeConfChange(e.Data); ok {
			return confChangeName(cc.Type) + " " + nodeNameOf(cc.NodeID)
		}
	}
	return "?"
}

// commandText returns the display text of a client entry, interned by its
// encoded operation, value and key (the part after the ids) in a per-Sim
// cache, so narrating and showing the same command again costs no
// allocation. The cache is bounded: it starts over when full.
func (s *Sim) commandText(data []byte) string {
	p := opOffset(data)
	if p == 0 {
		return "?"
	}
	suffix := data[p:]
	if t, ok := s.texts[string(suffix)]; ok {
		return t
	}
	raw, ok := decodeRaw(data)
	if !ok {
		return "?"
	}
	if s.texts == nil || len(s.texts) >= 4096 {
		s.texts = map[string]string{}
	}
	t := raw.command().String()
	s.texts[string(suffix)] = t
	return t
}

// entryText is an entry's command as the page shows it: the client command
// ("SET x 5"), "" for the leader's no-op, or a membership change
// ("add-learner F", "add-voter F", "remove F").
func (s *Sim) entryText(e *raft.Entry) string {
	if e.Type == raft.EntryNormal && len(e.Data) > 0 {
		return s.commandText(e.Data)
	}
	return entryText(e)
}
