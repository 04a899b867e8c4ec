// The shape of state(): every field, its type, at many moments of a run.
import { test } from "node:test";
import assert from "node:assert/strict";

import { load, advanceUntil, stateProblems, prng } from "./helpers.mjs";

test("state() right after loadSandbox", async () => {
  const sb = await load({ nodes: 5, seed: 1 });
  const s = sb.state();
  assert.deepEqual(stateProblems(s), []);
  assert.equal(s.now, 0);
  assert.equal(s.tickMs, 10);
  assert.equal(s.leader, null);
  assert.deepEqual(s.nodes.map((n) => n.id), ["A", "B", "C", "D", "E"]);
  for (const n of s.nodes) {
    assert.equal(n.role, "follower");
    assert.equal(n.up, true);
    assert.equal(n.term, 0);
    assert.equal(n.votedFor, null);
    assert.deepEqual(n.kv, {});
    assert.ok(n.electionTimeout >= 150 && n.electionTimeout < 300, `timeout ${n.electionTimeout}`);
  }
  assert.equal(s.partition, null);
  assert.deepEqual(s.requests, []);
  assert.deepEqual(s.invariants, { ok: true, violations: [] });
  // A plain object, nothing shared between calls.
  assert.equal(Object.getPrototypeOf(s), Object.prototype);
  assert.notEqual(sb.state().nodes, s.nodes);
  sb.destroy();
});

test("state() keeps its shape through a busy run (seeded)", async () => {
  const seed = 20261125;
  const rnd = prng(seed);
  const sb = await load({ nodes: 5, seed: 3, latencyMs: [5, 60], dropRate: 0.05, snapshotEvery: 20 });
  const ids = ["A", "B", "C", "D", "E"];
  const pick = () => ids[Math.floor(rnd() * ids.length)];
  let checked = 0;
  for (let i = 0; i < 300; i++) {
    const r = rnd();
    try {
      if (r < 0.3) sb.request(rnd() < 0.5 ? `SET ${i}` : `ADD k${i % 3} ${i}`);
      else if (r < 0.35) sb.crash(pick());
      else if (r < 0.45) sb.restart(pick());
      else if (r < 0.48) sb.partition([[pick()], [pick()]].filter((g, j, a) => j === 0 || g[0] !== a[0][0]));
      else if (r < 0.52) sb.heal();
      else if (r < 0.54) sb.timeout(pick());
    } catch (err) {
      assert.ok(err instanceof Error); // e.g. restarting a node that is up
    }
    sb.advance(Math.floor(rnd() * 80));
    const s = sb.state();
    assert.deepEqual(stateProblems(s), [], `seed ${seed}, step ${i}`);
    assert.equal(s.invariants.ok, true, `seed ${seed}, step ${i}: ${JSON.stringify(s.invariants.violations)}`);
    checked++;
  }
  sb.heal();
  for (const n of sb.state().nodes) if (!n.up) sb.restart(n.id);
  const s = advanceUntil(sb, (s) => s.requests.every((r) => r.status !== "pending"), 30000, 100);
  assert.ok(s.requests.some((r) => r.status === "committed"), "nothing committed in the whole run");
  assert.ok(s.nodes.some((n) => n.snapshotIndex > 0), "snapshotEvery: 20 never compacted a log");
  for (const r of s.requests.filter((r) => r.status === "committed")) {
    assert.equal(typeof r.result, "string", `request ${r.id} committed without a result`);
  }
  assert.equal(checked, 300);
  sb.destroy();
});

test("state() of a leader: progress, voters", async () => {
  const sb = await load({ nodes: 3, seed: 4 });
  const s = advanceUntil(sb, (s) => s.leader !== null, 5000);
  const leader = s.nodes.find((n) => n.id === s.leader);
  assert.equal(leader.role, "leader");
  assert.deepEqual([...leader.voters].sort(), ["A", "B", "C"]);
  assert.deepEqual(leader.progress.map((p) => p.id).sort(), ["A", "B", "C"].filter((id) => id !== leader.id));
  for (const p of leader.progress) assert.ok(p.next >= 1 && p.match <= leader.log.at(-1).index);
  sb.destroy();
});

test("state() with 51 nodes", async () => {
  const sb = await load({ nodes: 51, seed: 5 });
  const s = advanceUntil(sb, (s) => s.leader !== null, 5000);
  assert.deepEqual(stateProblems(s), []);
  assert.equal(s.nodes.length, 51);
  assert.equal(s.nodes[26].id, "AA", "node 27 is AA (after Z)");
  assert.notEqual(s.leader, null);
  sb.destroy();
});

test("state(): logs share frozen entries, every node owns its arrays, logTail agrees", async () => {
  const sb = await load({ nodes: 7, seed: 6 });
  advanceUntil(sb, (s) => s.leader !== null, 5000);
  for (let i = 0; i < 12; i++) {
    sb.request(`SET ${i}`);
    sb.advance(60);
  }
  sb.crash("A");
  for (let i = 0; i < 5; i++) {
    sb.request(`ADD ${i}`);
    sb.advance(60);
  }
  sb.advance(500);
  const s = sb.state();
  assert.deepEqual(stateProblems(s), []);
  const [b, c] = [s.nodes[1], s.nodes[2]];
  assert.ok(b.log.length > 12 && c.log.length > 12, "logs too short to compare");
  // Equal entries on two nodes are one frozen object; their arrays are their own.
  const shared = b.log.filter((e) => c.log.includes(e));
  assert.ok(shared.length >= 12, `only ${shared.length} shared entries`);
  for (const e of b.log) assert.ok(Object.isFrozen(e));
  assert.throws(() => { "use strict"; b.log[0].term = 99; }, TypeError);
  assert.notEqual(b.log, c.log);
  assert.notEqual(b.voters, c.voters);
  b.voters.push("Z");
  b.log.pop();
  assert.ok(!c.voters.includes("Z"));
  // Node A crashed early: its log is a strict prefix of the others'.
  const a = s.nodes[0];
  assert.ok(a.log.length < c.log.length);
  for (const [i, e] of a.log.entries()) assert.equal(e, c.log[i], `A's entry ${e.index} is not C's`);
  // logTail keeps the end of each log, with the same entries.
  const t = sb.state({ logTail: 4 });
  for (const [i, n] of t.nodes.entries()) {
    if (i === 1) continue; // b.log was changed above
    const full = s.nodes[i].log;
    assert.deepEqual(n.log, full.slice(-4), `node ${n.id}`);
    assert.equal(n.logStart, full.length ? full.at(-Math.min(4, full.length)).index : n.logStart);
  }
  sb.destroy();
});

test("state() frame after frame: held entries and requests reused, the same picture as a fresh call", async () => {
  const a = await load({ nodes: 5, seed: 9 });
  let prev = null, sharedReqs = 0, sharedEntries = 0;
  for (let i = 0; i < 120; i++) {
    if (i % 10 === 0) a.request(`SET ${i}`);
    if (i === 60) a.crash("C");
    a.advance(40);
    const s = a.state();
    if (prev) {
      sharedReqs += s.requests.filter((r) => prev.requests.includes(r)).length;
      sharedEntries += s.nodes[0].log.filter((e) => prev.nodes[0].log.includes(e)).length;
    }
    for (const r of s.requests) assert.ok(Object.isFrozen(r), "a request is not frozen");
    assert.notEqual(s.requests, prev?.requests);
    prev = s;
  }
  assert.ok(sharedReqs > 100 && sharedEntries > 100, `shared ${sharedReqs} requests, ${sharedEntries} entries`);
  // A sandbox that never called state() gets every entry and request sent: the same picture.
  const b = await load({ share: a.share() });
  assert.equal(JSON.stringify(b.state()), JSON.stringify(a.state()));
  assert.throws(() => { "use strict"; prev.requests[0].status = "x"; }, TypeError);
  a.destroy();
  b.destroy();
});
