package raft

import "testing"

// Bugs.VoteWithoutLogCheck: a voter grants a vote to a candidate with an
// out-of-date log.
func TestBugVoteWithoutLogCheck(t *testing.T) {
	for _, bug := range []bool{false, true} {
		n := restartTestNode(t, 1, ids(1, 2, 3), durableLog(2, 1, 2), func(c *Config) { c.Bugs.VoteWithoutLogCheck = bug })
		n.Step(Message{Type: MsgVote, From: 2, To: 1, Term: 3, Index: 1, LogTerm: 1})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == bug {
			t.Fatalf("bug=%v: %+v", bug, resp)
		}
	}
}

// Bugs.ForgetVoteOnRestart: a restarted node forgets whom it voted for and
// can vote twice in one term.
func TestBugForgetVoteOnRestart(t *testing.T) {
	for _, bug := range []bool{false, true} {
		d := Durable{HardState: HardState{Term: 1, Vote: 2}}
		n := restartTestNode(t, 1, ids(1, 2, 3), d, func(c *Config) { c.Bugs.ForgetVoteOnRestart = bug })
		n.Step(Message{Type: MsgVote, From: 3, To: 1, Term: 1})
		resp := msgsOfType(takeMsgs(n), MsgVoteResp)
		if len(resp) != 1 || resp[0].Reject == bug {
			t.Fatalf("bug=%v: %+v", bug, resp)
		}
	}
}

// Bugs.AckBeforeDurable: the follower's acknowledgement leaves before its
// entries are handed out for persistence; a crash in that window loses
// entries the leader counted as replicated.
func TestBugAckBeforeDurable(t *testing.T) {
	for _, bug := range []bool{false, true} {
		nw := newNetwork(t, 3, func(c *Config) { c.Bugs.AckBeforeDurable = bug })
		nw.elect(1)
		nw.tick(2)
		nw.isolate(3)
		nw.propose(1, "a") // committed by 1 and 2
		if nw.node(1).Status().Commit < 2 {
			t.Fatal("not committed")
		}
		nw.crash(2)
		nw.restart(2)
		lost := nw.node(2).Status().LastIndex < 2
		if lost != bug {
			t.Fatalf("bug=%v: entry lost on crash = %v", bug, lost)
		}
	}
}

// Bugs.ReadWithoutReadIndex: a leader cut off from the majority answers a
// read at once, at a commit index that misses what the new leader has
// committed since (a stale read); without the bug it answers nothing.
func TestBugReadWithoutReadIndex(t *testing.T) {
	for _, bug := range []bool{false, true} {
		nw := newNetwork(t, 5, func(c *Config) { c.Bugs.ReadWithoutReadIndex = bug })
		nw.elect(1)
		nw.propose(1, "a")
		nw.partition(ids(1, 2), ids(3, 4, 5))
		nw.elect(3)
		nw.propose(3, "b")
		newCommit := nw.node(3).Status().Commit
		if err := nw.node(1).ReadIndex(42); err != nil {
			t.Fatal(err)
		}
		nw.tick(5)
		got := nw.readStates[1]
		if !bug {
			if len(got) != 0 {
				t.Fatalf("bug off: the deposed leader answered %+v", got)
			}
			continue
		}
		if len(got) != 1 || got[0].RequestID != 42 || got[0].Index >= newCommit {
			t.Fatalf("bug on: want one stale answer below the new leader's commit %d, got %+v", newCommit, got)
		}
	}
}
