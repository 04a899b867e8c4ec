package sim

import (
	"slices"
	"testing"

	"raftsandbox/raft"
)

// Every message type of the core is drawn as a known kind, and the kinds
// are the ones the page has glyphs for (web/test/kinds.test.mjs checks the
// other side).
func TestMessageKind(t *testing.T) {
	entry := []raft.Entry{{Index: 1, Term: 1}}
	cases := []struct {
		m    raft.Message
		want string
	}{
		{raft.Message{Type: raft.MsgVote}, "vote"},
		{raft.Message{Type: raft.MsgVoteResp}, "vote-resp"},
		{raft.Message{Type: raft.MsgPreVote}, "prevote"},
		{raft.Message{Type: raft.MsgPreVoteResp}, "vote-resp"},
		{raft.Message{Type: raft.MsgApp, Entries: entry}, "append"},
		{raft.Message{Type: raft.MsgApp}, "heartbeat"},
		{raft.Message{Type: raft.MsgAppResp}, "append-resp"},
		{raft.Message{Type: raft.MsgHeartbeat}, "heartbeat"},
		{raft.Message{Type: raft.MsgHeartbeatResp}, "append-resp"},
		{raft.Message{Type: raft.MsgSnap}, "snapshot"},
		{raft.Message{Type: raft.MsgTimeoutNow}, "timeoutnow"},
		{raft.Message{Type: raft.MsgReadIndex}, "other"},
		{raft.Message{Type: raft.MsgReadIndexResp}, "other"},
	}
	for _, c := range cases {
		if got := messageKind(&c.m); got != c.want {
			t.Errorf("%v with %d entries: kind %q, want %q", c.m.Type, len(c.m.Entries), got, c.want)
		}
	}
	for typ := raft.MessageType(1); typ.String() != "unknown"; typ++ {
		if k := messageKind(&raft.Message{Type: typ}); !slices.Contains(MessageKinds, k) {
			t.Errorf("%v: kind %q is not in MessageKinds", typ, k)
		}
	}
}
