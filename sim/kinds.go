package sim

import "raftsandbox/raft"

// MessageKinds are the kinds a message is drawn as (MessageView.Kind, and
// "kind" in the JS API's state().messages): the page has one glyph and one
// legend line per kind. The core's types map onto them by messageKind;
// "other" is any type without a glyph of its own (the read-index messages).
var MessageKinds = []string{"vote", "prevote", "vote-resp", "append", "heartbeat", "append-resp", "snapshot", "timeoutnow", "other"}

// kindOfType says how each of the core's message types is drawn: requests
// by what they ask, responses by what they answer (pre-votes are answered
// like votes, heartbeats like appends). Types not listed are "other".
var kindOfType = [...]string{
	raft.MsgVote:          "vote",
	raft.MsgPreVote:       "prevote",
	raft.MsgVoteResp:      "vote-resp",
	raft.MsgPreVoteResp:   "vote-resp",
	raft.MsgApp:           "append",
	raft.MsgHeartbeat:     "heartbeat",
	raft.MsgAppResp:       "append-resp",
	raft.MsgHeartbeatResp: "append-resp",
	raft.MsgSnap:          "snapshot",
	raft.MsgTimeoutNow:    "timeoutnow",
}

// messageKind says how a message is drawn (kindOfType); an AppendEntries
// that carries no entries (a probe) is drawn like a heartbeat.
func messageKind(m *raft.Message) string {
	if m.Type == raft.MsgApp && len(m.Entries) == 0 {
		return "heartbeat"
	}
	if int(m.Type) < len(kindOfType) && kindOfType[m.Type] != "" {
		return kindOfType[m.Type]
	}
	return "other"
}
