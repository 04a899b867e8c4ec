package sim

import "raftsandbox/raft"

// MessageKinds are the kinds a message is drawn as (MessageView.Kind, and
// "kind" in the JS API's state().messages): the page has one glyph and one
// legend line per kind. The core's types map onto them by messageKind;
// "other" is any type without a glyph of its own (the read-index messages).
var MessageKinds = []string{"vote", "prevote", "vote-resp", "append", "heartbeat", "append-resp", "snapshot", "timeoutnow", "other"}

// messageKind says how a message is drawn: requests by what they ask,
// responses by what they answer (pre-votes are answered like votes,
// heartbeats like appends), and an AppendEntries that carries no entries (a
// probe) like a heartbeat.
func messageKind(m *raft.Message) string {
	switch m.Type {
	case raft.MsgVote:
		return "vote"
	case raft.MsgPreVote:
		return "prevote"
	case raft.MsgVoteResp, raft.MsgPreVoteResp:
		return "vote-resp"
	case raft.MsgApp:
		if len(m.Entries) > 0 {
			return "append"
		}
		return "heartbeat"
	case raft.MsgHeartbeat:
		return "heartbeat"
	case raft.MsgAppResp, raft.MsgHeartbeatResp:
		return "append-resp"
	case raft.MsgSnap:
		return "snapshot"
	case raft.MsgTimeoutNow:
		return "timeoutnow"
	}
	return "other"
}
