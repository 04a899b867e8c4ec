// Determinism, share links, scenarios, and several sandboxes on one runtime.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { load, advanceUntil, prng } from "./helpers.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");

// randomActions drives a sandbox with a seeded mix of every kind of action;
// the same seed gives the same calls. Calls the simulator refuses (a restart
// of a node that is up, ...) are part of the run: they must refuse the same way.
function randomActions(sb, seed, count) {
  const rnd = prng(seed);
  const ids = () => sb.state().nodes.filter((n) => !n.removed).map((n) => n.id);
  const pick = () => { const list = ids(); return list[Math.floor(rnd() * list.length)]; };
  const log = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    let what;
    try {
      if (r < 0.25) { what = "request"; sb.request(rnd() < 0.5 ? `SET ${i}` : `ADD ${i % 4}`); }
      else if (r < 0.3) { what = "crash"; sb.crash(pick()); }
      else if (r < 0.38) { what = "restart"; sb.restart(pick()); }
      else if (r < 0.42) { what = "partition"; const a = pick(), b = pick(); sb.partition(a === b ? [[a]] : [[a, b]]); }
      else if (r < 0.47) { what = "heal"; sb.heal(); }
      else if (r < 0.5) { what = "timeout"; sb.timeout(pick()); }
      else if (r < 0.52) { what = "configure"; sb.configure({ dropRate: Math.floor(rnd() * 3) / 10 }); }
      else if (r < 0.54) { what = "transfer"; sb.transferLeadership(pick()); }
      else if (r < 0.56) { what = "drop"; const m = sb.state().messages; if (m.length) sb.dropMessage(m[0].id); }
      else if (r < 0.6) { what = "step"; sb.step(); }
      else { what = "tick"; sb.tick(1 + Math.floor(rnd() * 5)); }
      log.push(what);
    } catch (err) {
      assert.ok(err instanceof Error, `${what} threw a non-Error`);
      log.push(`${what}!${err.message}`);
    }
    sb.advance(Math.floor(rnd() * 50));
  }
  return log;
}

test("same options and actions give the same state, events and action log", async () => {
  const seed = 777;
  const a = await load({ nodes: 5, seed: 3, preVote: true });
  const b = await load({ nodes: 5, seed: 3, preVote: true });
  const logA = randomActions(a, seed, 150);
  const logB = randomActions(b, seed, 150);
  assert.deepEqual(logA, logB, `replay: seed ${seed}`);
  assert.deepEqual(a.state(), b.state(), `replay: seed ${seed}`);
  assert.deepEqual(a.events(), b.events());
  assert.deepEqual(a.actions(), b.actions());
  assert.equal(a.share(), b.share());
  // A different cluster seed is a different run (the test can tell them apart).
  const c = await load({ nodes: 5, seed: 4, preVote: true });
  randomActions(c, seed, 150);
  assert.notDeepEqual(c.state(), a.state());
  for (const sb of [a, b, c]) sb.destroy();
});

test("share links round-trip at every point of a run", async () => {
  const seed = 4242;
  const sb = await load({ nodes: 5, seed: 12, latencyMs: [10, 50], checkQuorum: true });
  const rnd = prng(seed);
  for (let round = 0; round < 6; round++) {
    randomActions(sb, seed + round, 20);
    sb.advance(Math.floor(rnd() * 300));
    const link = sb.share();
    const copy = await load({ share: link });
    assert.deepEqual(copy.state(), sb.state(), `round ${round} (seed ${seed}): state after loading the share`);
    assert.equal(copy.share(), link);
    // The copy goes on exactly like the original.
    sb.advance(500);
    copy.advance(500);
    assert.deepEqual(copy.state(), sb.state(), `round ${round} (seed ${seed}): 500 ms after loading`);
    copy.destroy();
  }
  sb.destroy();
});

test("malformed share strings are refused with an Error", async () => {
  const good = await load({ nodes: 3, seed: 1 });
  good.advance(300);
  good.crash("B");
  const link = good.share();
  const rnd = prng(99);
  const bad = ["", "!!!", "AAAA", link.slice(0, -3), link + "zz", link.replace(/./, "_"), "A".repeat(5000), "\u0000", "é"];
  for (let i = 0; i < 40; i++) {
    const chars = [...link];
    chars[Math.floor(rnd() * chars.length)] = "ABCxyz-_019"[Math.floor(rnd() * 11)];
    bad.push(chars.join(""));
  }
  let refused = 0;
  for (const s of bad) {
    try {
      const sb = await load({ share: s });
      assert.equal(typeof sb.state().now, "number"); // some mutations still decode: fine
      sb.destroy();
    } catch (err) {
      assert.ok(err instanceof Error);
      assert.match(err.message, /^loadSandbox(\(options\))?: /);
      refused++;
    }
  }
  assert.ok(refused >= 9, `only ${refused} malformed strings refused`);
  good.destroy();
});

test("the scenario loader runs a tutorial chapter on the real core", async () => {
  const text = readFileSync(join(repo, "sim/scenario/builtin/7-partition.scn"), "utf8");
  const sb = await load({ scenario: text });
  const s = advanceUntil(sb, (s) => s.now >= 9000, 10000, 100);
  assert.equal(s.nodes.length, 5);
  assert.equal(s.invariants.ok, true);
  assert.equal(s.partition, null, "the script heals at 6 s");
  for (const n of s.nodes) assert.equal(n.kv.x, 3, `x on ${n.id} after the heal`);
  const reqs = s.requests;
  assert.equal(reqs.find((r) => r.command.includes("8")).status !== "committed", true, "the write to the old leader committed");
  // A scenario run can be shared like any other.
  const copy = await load({ share: sb.share() });
  assert.deepEqual(copy.state(), sb.state());
  copy.destroy();
  // Same text, same run.
  const again = await load({ scenario: text });
  advanceUntil(again, (s) => s.now >= 9000, 10000, 100);
  assert.deepEqual(again.state(), sb.state());
  // A built-in scenario by name is the same as its text.
  const byName = await load({ scenario: "partition" });
  advanceUntil(byName, (s) => s.now >= 9000, 10000, 100);
  assert.deepEqual(byName.state(), sb.state());
  sb.destroy();
  again.destroy();
  byName.destroy();
});

test("scenario errors name the line", async () => {
  await assert.rejects(load({ scenario: "nodes 5\nat 1s crash Z\n" }), (err) => {
    assert.ok(err instanceof Error);
    assert.match(err.message, /line 2/);
    return true;
  });
  await assert.rejects(load({ scenario: "nodes 5\nat 1s fly away\n" }), /line 2/);
  await assert.rejects(load({ scenario: "nodes 500\n" }), /line 1/);
});

test("several sandboxes share one runtime; destroy frees only its own", async () => {
  const boxes = [];
  for (let i = 0; i < 6; i++) boxes.push(await load({ nodes: 3 + (i % 3), seed: i }));
  for (const [i, sb] of boxes.entries()) sb.advance(100 * (i + 1));
  const before = boxes.map((sb) => sb.state());
  boxes[2].crash("A");
  boxes[2].request("SET 9");
  boxes[2].advance(1000);
  boxes[4].destroy();
  for (const [i, sb] of boxes.entries()) {
    if (i === 2 || i === 4) continue;
    assert.deepEqual(sb.state(), before[i], `sandbox ${i} changed when its siblings did`);
  }
  assert.throws(() => boxes[4].state(), /this sandbox was destroyed/);
  // Handles are never reused: a new sandbox does not answer for the destroyed one.
  const fresh = await load({ nodes: 3, seed: 0 });
  assert.throws(() => boxes[4].now, /this sandbox was destroyed/);
  assert.equal(fresh.now, 0);
  // Many create/destroy cycles do not leak handles into each other.
  for (let i = 0; i < 200; i++) (await load({ nodes: 1, seed: i })).destroy();
  assert.deepEqual(boxes[0].state(), before[0]);
  for (const sb of [...boxes, fresh]) sb.destroy();
});
