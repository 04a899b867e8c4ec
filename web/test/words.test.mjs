// The page's wording of what the simulator says as codes (web/ui/words.js,
// narration.js eventSentence): reasons, plurals, articles, and every reason
// code worded in Chinese without English.
import { test } from "node:test";
import assert from "node:assert/strict";

import { translator } from "../ui/i18n.js";
import { eventSentence } from "../ui/narration.js";
import { whyText, errorText, entryCommand } from "../ui/words.js";
import en from "../i18n/en.js";
import zh from "../i18n/zh.js";

const tEn = translator("en");
const tZh = translator("zh");
const ev = (key, fields) => ({ seq: 1, at: 0, key, node: null, peer: null, term: 0, index: 0, value: 0, detail: "", reason: "", why: null, ...fields });

test("refusals say why, as a person would write it", () => {
  const voted = ev("vote-rejected", { node: "B", peer: "E", term: 2, why: { code: "voted", args: { other: "C" } } });
  assert.equal(eventSentence(tEn, voted), "E refused to vote for B in term 2: it already voted for C");
  const behind = ev("vote-rejected", { node: "B", peer: "E", term: 2, why: { code: "log-older", args: { nodeLastTerm: "1", peerLastTerm: "2" } } });
  assert.equal(eventSentence(tEn, behind), "E refused to vote for B in term 2: B's log is behind (last entry term 1, E's is term 2)");
  const noEntry = ev("append-rejected", { node: "A", peer: "D", term: 3, index: 4, detail: "AppendEntries", why: { code: "no-entry", args: { prevIndex: "3", peerLastIndex: "2" } } });
  assert.equal(eventSentence(tEn, noEntry), "D rejected the append at index 4: it has no entry 3 (its log ends at 2)");
  const self = ev("vote-rejected", { node: "C", peer: "A", term: 1, why: { code: "voted", args: { other: "A" } } });
  assert.match(eventSentence(tEn, self), /it already voted for itself/);
  assert.match(eventSentence(tZh, noEntry), /^D 拒绝了从索引 4 开始的追加：它没有条目 3/);
});

test("plurals and articles are right in English", () => {
  assert.equal(eventSentence(tEn, ev("entries-truncated", { node: "A", index: 3, value: 1 })), "A threw away 1 uncommitted entry at index 3");
  assert.equal(eventSentence(tEn, ev("entries-truncated", { node: "A", index: 3, value: 2 })), "A threw away 2 uncommitted entries from index 3");
  assert.equal(eventSentence(tEn, ev("message-dropped", { node: "C", peer: "A", detail: "Heartbeat", reason: "loss" })), "A heartbeat from C to A was lost");
  assert.equal(eventSentence(tEn, ev("message-dropped", { node: "C", peer: "A", detail: "AppendEntries", reason: "partition" })), "An append from C to A was stopped by the partition");
  assert.equal(eventSentence(tEn, ev("message-dropped", { node: "C", peer: "A", detail: "Heartbeat", reason: "user" })), "You dropped a heartbeat from C to A");
});

test("settings changes are worded, values included", () => {
  const sentence = (t, detail) => eventSentence(t, ev("settings-changed", { detail }));
  assert.equal(sentence(tEn, "prevote on"), "Settings changed: pre-vote on");
  assert.equal(sentence(tEn, "latency 10-30ms"), "Settings changed: latency 10-30 ms");
  assert.equal(sentence(tEn, "snapshot every 100"), "Settings changed: snapshots every 100 entries");
  for (const d of ["prevote on", "checkquorum off", "latency 10-30ms", "drop 10%", "snapshot every 100", "snapshot off"])
    assert.doesNotMatch(sentence(tZh, d), /[A-Za-z]{2,}/, d);
});

test("errors: by their code, else the message in English and a sentence of the reader's language", () => {
  const err = Object.assign(new Error("node B is already down"), { code: "already-down", args: { node: "B" } });
  assert.equal(errorText(tEn, err), "B is already down");
  assert.equal(errorText(tZh, err), "B 已经宕机");
  const plain = new Error("tick(n): n must be a whole number");
  assert.equal(errorText(tEn, plain), plain.message);
  assert.equal(errorText(tZh, plain), zh["why.unknown"]);
  assert.equal(whyText(tZh, { code: "transfer-refused", args: { node: "A", peer: "B", cause: "conf-change-pending" } }), "领导者 A 无法把领导权交给 B：A 还在完成一次成员变更");
});

test("a beat's conditions and a story that does not hold are worded, nodes or scope included", () => {
  const kv = { code: "fact-kv", args: { nodes: "", scope: "all", key: "x", value: "5" } };
  assert.equal(whyText(tEn, kv), "x = 5 on all nodes");
  assert.equal(whyText(tZh, kv), "所有节点上 x = 5");
  assert.equal(whyText(tEn, { code: "fact-term", args: { nodes: "A,B", scope: "", op: ">=", value: "2" } }), "the term >= 2 on A,B");
  assert.equal(whyText(tZh, { code: "fact-role-candidate", args: { nodes: "", scope: "majority" } }), "多数节点是候选人");
  const late = Object.assign(new Error("beats(): ..."), { code: "story-late", args: { beat: "5.3", ms: "1200", cause: "fact-leader", nodes: "B", scope: "" } });
  assert.equal(errorText(tEn, late), "the scenario's story does not hold: at step 5.3, “B is leader” did not come true by 1200 ms");
  assert.equal(errorText(tZh, late), "场景的故事与运行不符：第 5.3 步中“B 是领导者”在 1200 毫秒前没有成立");
});

test("every reason, message type and invariant is worded in Chinese without English", () => {
  const allowed = /^(SET|ADD|GET|Raft|Esc)$/;
  for (const key of Object.keys(en).filter((k) => /^(why|mt|mta|inv|setting|conf|retry|drop|pop|ev)\./.test(k))) {
    assert.ok(key in zh, `zh.js lacks ${key}`);
    const words = zh[key].replace(/\{\w+\}/g, "").match(/[A-Za-z]{2,}/g) || [];
    assert.deepEqual(words.filter((w) => !allowed.test(w)), [], `${key}: ${zh[key]}`);
  }
});

test("membership entries are worded in the reader's language; client commands stay as typed", () => {
  assert.equal(entryCommand(tEn, "add-learner D"), "add learner D");
  assert.equal(entryCommand(tZh, "add-voter D"), "添加投票者 D");
  assert.equal(entryCommand(tZh, "remove C", true), "−C");
  assert.equal(entryCommand(tZh, "SET x 5"), "SET x 5");
  const committed = ev("entry-committed", { node: "A", index: 8, detail: "add-learner D" });
  assert.doesNotMatch(eventSentence(tZh, committed), /add-learner/);
});
