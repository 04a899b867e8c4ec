package raft

import (
	"math"
	"testing"
)

// fuzzReader turns fuzz input into values; it returns zeros when exhausted.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

// small returns a small number, or now and then an extreme one.
func (r *fuzzReader) small() uint64 {
	v := r.byte()
	switch v {
	case 255:
		return math.MaxUint64
	case 254:
		return math.MaxUint64 / 2
	}
	return uint64(v % 24)
}

func (r *fuzzReader) message(to uint64) Message {
	m := Message{
		Type:          MessageType(r.byte() % 14),
		From:          uint64(r.byte() % 6),
		To:            to,
		Term:          r.small(),
		Index:         r.small(),
		LogTerm:       r.small(),
		Commit:        r.small(),
		Reject:        r.byte()%2 == 0,
		ConflictTerm:  r.small(),
		ConflictIndex: r.small(),
		Context:       r.small(),
	}
	if r.byte()%8 == 0 {
		m.To = uint64(r.byte() % 6)
	}
	contiguous := r.byte()%4 != 0
	for k := range int(r.byte() % 5) {
		e := Entry{Index: r.small(), Term: r.small(), Type: EntryType(r.byte() % 3)}
		if contiguous {
			e.Index = m.Index + 1 + uint64(k)
		}
		if e.Type == EntryConfChange {
			switch r.byte() % 3 {
			case 0:
				e.Data = EncodeConfChange(ConfChange{Type: ConfChangeType(r.byte() % 5), NodeID: uint64(r.byte() % 7)})
			case 1:
				e.Data = []byte{confChangeMagic, r.byte(), r.byte()}
			}
		} else if r.byte()%2 == 0 {
			e.Data = []byte{r.byte()}
		}
		m.Entries = append(m.Entries, e)
	}
	switch r.byte() % 6 {
	case 0:
		m.Snapshot = &Snapshot{Index: r.small(), Term: r.small(), ConfState: ConfState{Voters: []uint64{uint64(r.byte() % 6), uint64(r.byte() % 6)}, Learners: []uint64{uint64(r.byte() % 7)}}}
	case 1:
		m.Snapshot = &Snapshot{Index: r.small(), Term: r.small()}
	}
	return m
}

// FuzzStep feeds arbitrary messages and calls to a node (follower, candidate
// or leader, with or without pre-vote and check-quorum) and checks that it
// never panics and keeps its basic invariants: the term never decreases,
// commit never exceeds the log, committed entries come out in order exactly
// once, and persisted entries are contiguous.
func FuzzStep(f *testing.F) {
	f.Add([]byte{0, 5, 2, 3, 1, 1, 0, 0, 1, 1, 0, 1, 2})
	f.Add([]byte{1, 5, 2, 4, 3, 2, 1, 1, 0, 0, 0, 0, 3, 1, 1, 0, 0, 0, 0})
	f.Add([]byte{2, 9, 3, 5, 254, 1, 1, 1, 0, 0, 0, 0, 1, 2, 0, 0})
	f.Add([]byte{3, 8, 1, 7, 9, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0})
	f.Fuzz(fuzzStepOnce)
}

func fuzzStepOnce(t *testing.T, data []byte) {
	{
		r := &fuzzReader{b: data}
		setup := r.byte()
		n, err := Restart(Config{
			ID: 1, Peers: []uint64{1, 2, 3}, ElectionTickMin: 5, ElectionTickMax: 9, HeartbeatTick: 1, Seed: 1,
			PreVote: setup&1 != 0, CheckQuorum: setup&2 != 0, MaxInflight: 2, MaxEntriesPerMsg: 2,
		}, durableLog(2, 1, 1, 2))
		if err != nil {
			t.Fatal(err)
		}
		switch setup >> 2 % 3 {
		case 1:
			n.Campaign()
		case 2:
			makeLeader(t, n)
		}
		applied := n.Status().Applied
		lastTerm := n.Term()
		for len(r.b) > 0 {
			switch op := r.byte() % 8; op {
			case 0:
				n.Tick()
			case 1:
				n.Propose([]byte{r.byte()}) //nolint: errcheck
			case 2:
				n.ProposeConfChange(ConfChange{Type: ConfChangeType(r.byte() % 4), NodeID: uint64(r.byte() % 6)}) //nolint: errcheck
			case 3:
				n.ReadIndex(uint64(r.byte())) //nolint: errcheck
			default:
				n.Step(r.message(1))
			}
			if n.Term() < lastTerm {
				t.Fatalf("term went back from %d to %d", lastTerm, n.Term())
			}
			lastTerm = n.Term()
			for n.HasReady() {
				rd := n.Ready()
				for i := 1; i < len(rd.Entries); i++ {
					if rd.Entries[i].Index != rd.Entries[i-1].Index+1 {
						t.Fatalf("persisted entries not contiguous: %+v", rd.Entries)
					}
				}
				if len(rd.Entries) > 0 && rd.Entries[0].Index != rd.EntriesFrom {
					t.Fatalf("EntriesFrom %d, first entry %d", rd.EntriesFrom, rd.Entries[0].Index)
				}
				if rd.Snapshot != nil {
					applied = rd.Snapshot.Index
				}
				for _, e := range rd.CommittedEntries {
					if e.Index != applied+1 {
						t.Fatalf("applied %d after %d", e.Index, applied)
					}
					applied = e.Index
				}
				for _, m := range rd.Messages {
					if m.From != 1 || m.To == 1 || m.To == None {
						t.Fatalf("bad outgoing message %+v", m)
					}
				}
				n.Advance()
			}
			st := n.Status()
			if st.Commit > st.LastIndex || st.Applied > st.Commit || st.SnapshotIndex > st.Commit {
				t.Fatalf("status broke invariants: %+v", st)
			}
		}
	}
}
