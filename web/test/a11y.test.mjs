// The cluster for a screen reader (web/ui/a11y.js): the names of nodes,
// messages and log entries in both languages, and the announcer that
// coalesces the live region to at most one announcement a second.
import { test } from "node:test";
import assert from "node:assert/strict";

import { nodeName, nameChanged, msgName, entryName, snapName, goneName, rowName, Announcer } from "../ui/a11y.js";
import { translator } from "../ui/i18n.js";

const en = translator("en");
const zh = translator("zh");
const voters = ["A", "B", "C", "D", "E"];

test("a node's name says what it is and its state", () => {
  const cand = { id: "B", role: "candidate", up: true, term: 2, votedFor: "B", votes: ["B"], voters };
  assert.equal(nodeName(en, cand, 5, false), "B, candidate, term 2, voted for itself, 1 of 3 votes");
  assert.equal(nodeName(zh, cand, 5, false), "B，候选人，任期 2，投给了自己，得到 1 票，需要 3 票");
  assert.equal(nodeName(en, { ...cand, votes: ["B", "C", "D"] }, 5, false), "B, candidate, term 2, voted for itself, 3 of 3 votes");
  // the majority comes from the node's voters, else from the cluster's size
  assert.equal(nodeName(en, { ...cand, voters: undefined }, 3, false), "B, candidate, term 2, voted for itself, 1 of 2 votes");
  assert.equal(nodeName(en, { id: "A", role: "follower", up: true, term: 2, votedFor: "B", lead: "B" }, 5, false), "A, follower of B, term 2, voted for B");
  assert.equal(nodeName(en, { id: "A", role: "follower", up: true, term: 1, votedFor: null, lead: null }, 5, false), "A, follower, term 1, has not voted");
  assert.equal(nodeName(en, { id: "C", role: "leader", up: true, term: 3, votedFor: "C", lead: "C" }, 5, false), "C, leader, term 3");
  assert.equal(nodeName(zh, { id: "C", role: "leader", up: true, term: 3 }, 5, false), "C，领导者，任期 3");
  assert.equal(nodeName(en, { id: "D", role: "leader", up: false, term: 3 }, 5, false), "D, crashed, term 3");
  assert.equal(nodeName(en, { id: "E", role: "precandidate", up: true, term: 1, votedFor: null, votes: ["E", "A"], voters }, 5, false),
    "E, pre-candidate, term 1, 2 of 3 pre-votes for term 2");
  assert.equal(nodeName(en, { id: "C", role: "leader", up: true, term: 3 }, 5, true), "C, leader, term 3, in a safety violation");
});

test("a node's name is formatted again only when what it says changes", () => {
  const n = { id: "B", role: "candidate", up: true, term: 2, votedFor: "B", votes: ["B"], voters, electionElapsed: 10, commitIndex: 0 };
  const kept = [];
  assert.equal(nameChanged(kept, n, 5, false), true, "the first time");
  assert.equal(nameChanged(kept, n, 5, false), false, "the same node again");
  assert.equal(nameChanged(kept, { ...n, electionElapsed: 90, commitIndex: 3 }, 5, false), false, "the timer and the log are not in the name");
  for (const change of [{ role: "leader" }, { term: 3 }, { votedFor: "C" }, { votes: ["B", "C"] }, { up: false }, { lead: "C" }]) {
    const k = [];
    nameChanged(k, n, 5, false);
    assert.equal(nameChanged(k, { ...n, ...change }, 5, false), true, JSON.stringify(change));
  }
  assert.equal(nameChanged(kept, n, 5, true), true, "in a violation");
});

test("a message's and a log entry's name", () => {
  assert.equal(msgName(en, "vote", { from: "B", to: "A", term: 2 }), "Vote request from B to A, term 2");
  assert.equal(msgName(en, "vote-resp", { from: "A", to: "B", term: 2, reject: false }), "Vote reply from A to B, term 2, granted");
  assert.equal(msgName(en, "vote-resp", { from: "A", to: "B", term: 2, reject: true }), "Vote reply from A to B, term 2, rejected");
  assert.equal(msgName(en, "append", { from: "C", to: "D", term: 3, entries: 2 }), "Entries (AppendEntries) from C to D, term 3, 2 entries");
  assert.equal(msgName(en, "append", { from: "C", to: "D", term: 3, entries: 1, held: true }), "Entries (AppendEntries) from C to D, term 3, 1 entry, held");
  assert.equal(msgName(zh, "heartbeat", { from: "C", to: "D", term: 3, entries: 0 }), "心跳，从 C 到 D，任期 3");
  assert.equal(entryName(en, "A", { index: 3, term: 2, command: "SET x 5" }, true), "A, entry 3, term 2, SET x 5, committed");
  assert.equal(entryName(en, "A", { index: 4, term: 2, command: "" }, false), "A, entry 4, term 2, no-op, not committed");
  assert.equal(entryName(zh, "A", { index: 4, term: 2, command: "" }, false), "A，条目 4，任期 2，空操作，未提交");
  assert.equal(snapName(en, "B", 7), "B, entries up to 7 in a snapshot");
  // what a node held before, rolled back (drawn struck through)
  assert.equal(entryName(en, "B", { index: 3, term: 3, command: "SET x 7" }, false, "x=9"), "B, entry 3, term 3, SET x 7, not committed, replacing x=9, rolled back");
  assert.equal(goneName(en, "B", 4, "x+2"), "B, entry 4: x+2 was rolled back");
  assert.equal(goneName(zh, "B", 4, "x+2"), "B，条目 4：x+2 已被回滚");
  // a row: its commit point, and what the leader knows of a follower
  assert.equal(rowName(en, "C", 3, null), "C's log, committed up to 3");
  assert.equal(rowName(en, "C", 0, null), "C's log, nothing committed yet");
  assert.equal(rowName(en, "A", 2, { match: 2, next: 3 }), "A's log, committed up to 2; the leader knows it stores up to 2 and sends 3 next");
  assert.equal(rowName(zh, "A", 2, { match: 2, next: 3 }), "A 的日志，已提交到 2；领导者知道它存到了 2，下一个发送 3");
});

// a fake clock and timers: time moves only when the test says so
function fakeTime() {
  const f = { now: 0, timers: [] };
  f.clock = () => f.now;
  f.setTimer = (fn, ms) => {
    f.timers.push({ at: f.now + ms, fn });
    return f.timers.length;
  };
  f.clearTimer = (id) => {
    if (f.timers[id - 1]) f.timers[id - 1].fn = null;
  };
  f.advance = (ms) => {
    const end = f.now + ms;
    for (;;) {
      const next = f.timers.filter((x) => x.fn && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      f.now = next.at;
      const fn = next.fn;
      next.fn = null;
      fn();
    }
    f.now = end;
  };
  return f;
}

function announcer(lang = "en") {
  const time = fakeTime();
  const said = [];
  const tr = translator(lang);
  const a = new Announcer((text) => said.push({ at: time.now, text }), () => tr, time);
  return { a, time, said };
}

test("the live region coalesces: each node's latest role, one range of commits", () => {
  const { a, said } = announcer();
  a.role("B", "candidate", 2);
  a.role("C", "candidate", 2);
  a.role("B", "leader", 2);
  a.role("C", "follower", 2);
  a.commit(3);
  a.commit(4);
  a.commit(5);
  assert.equal(a.flush(), true);
  assert.deepEqual(said.map((s) => s.text), ["B is the leader of term 2. C is a follower in term 2. Entries 3 to 5 committed."]);
  assert.equal(a.pending, false);
});

test("the live region speaks at most once a second, and what waits is still said", () => {
  const { a, time, said } = announcer();
  for (let i = 0; i < 50; i++) {
    a.commit(i + 1);
    a.flush();
    time.advance(60); // a frame at 10x, say
  }
  assert.ok(said.length >= 3 && said.length <= 4, `${said.length} announcements in 3 s`);
  for (let i = 1; i < said.length; i++) assert.ok(said[i].at - said[i - 1].at >= 1000, `announcements ${i - 1} and ${i} are ${said[i].at - said[i - 1].at} ms apart`);
  // the last commits are spoken after the second is up, with no frame to flush them
  time.advance(2000);
  assert.match(said[said.length - 1].text, /50 committed\.$/);
  assert.equal(a.pending, false);
});

test("a violation is spoken at once, and a flood is cut to the newest sentences", () => {
  const { a, time, said } = announcer();
  a.note("A crashed");
  a.flush();
  time.advance(100);
  for (const id of "ABCDEFG") a.role(id, id === "D" ? "leader" : "follower", 4);
  for (let i = 1; i <= 6; i++) a.note(`Request ${i} answered`);
  a.note("Safety violated: Election Safety", true);
  assert.equal(a.flush(), true, "urgent: not held back by the last announcement 100 ms ago");
  // six sentences: the roles summed up (2), the newest three requests and the violation
  assert.equal(said[said.length - 1].text, "3 more events. 7 nodes changed role. D is the leader of term 4. Request 4 answered. Request 5 answered. Request 6 answered. Safety violated: Election Safety.");
  // a big election is counted, with its leader
  time.advance(2000);
  for (const id of "ABCDEFG") a.role(id, id === "D" ? "leader" : "follower", 5);
  a.flush();
  assert.equal(said[said.length - 1].text, "7 nodes changed role. D is the leader of term 5.");
});

test("a crash makes the node's earlier role changes old news", () => {
  const { a, said } = announcer();
  a.role("C", "leader", 1);
  a.role("B", "follower", 1);
  a.down("C", "C crashed");
  a.flush();
  assert.equal(said[0].text, "B is a follower in term 1. C crashed.");
});

test("the live region speaks the page's language", () => {
  const { a, said } = announcer("zh");
  a.role("B", "leader", 2);
  a.commit(1);
  a.flush();
  assert.equal(said[0].text, "B 成为任期 2 的领导者。 条目 1 已提交。");
});
