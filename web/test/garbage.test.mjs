// Garbage in, Errors out: every method called at least 10,000 times with
// random garbage (and some valid values), each call either returns or throws
// an Error; afterwards the sandbox still works, a sibling is untouched, and
// the Go runtime is alive. Replay a failure with the seed it prints:
//
//   GARBAGE_SEED=<seed> node --test web/test/garbage.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";

import { load, advanceUntil, prng, stateProblems } from "./helpers.mjs";
import { limits } from "../raft-sandbox.js";

const SEED = Number(process.env.GARBAGE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PER_METHOD = Number(process.env.GARBAGE_CALLS ?? 10000);
const replay = `GARBAGE_SEED=${SEED} node --test web/test/garbage.test.mjs`;

const huge = "x".repeat(limits.maxShareLength + 1);
const big = "Q".repeat(5000);

// garbage returns one random value: wrong types, edge numbers, unknown ids,
// malformed commands, share strings and scripts, and a few valid values.
function garbageMaker(rnd, shareSample) {
  const short = () => {
    const alphabet = "ABCZaz09 ,|_-=;:\"'\\\n\u0000é中🚀";
    let s = "";
    for (let i = Math.floor(rnd() * 12); i > 0; i--) s += [...alphabet][Math.floor(rnd() * 20)];
    return s;
  };
  const mutate = (s) => {
    const chars = [...s];
    if (chars.length) chars[Math.floor(rnd() * chars.length)] = "A_-9z!"[Math.floor(rnd() * 6)];
    return chars.join("");
  };
  const pool = [
    () => undefined, () => null, () => NaN, () => Infinity, () => -Infinity, () => -1, () => 0, () => 1, () => -0,
    () => 2 ** 53, () => 2 ** 31, () => 1.5, () => 1e308, () => Math.floor(rnd() * 4), () => 5n, () => -1n,
    () => true, () => false, () => "", () => "A", () => "B", () => "C", () => "E", () => "F", () => "Z", () => "AA",
    () => huge, () => big, () => short(), () => "SET 5", () => "ADD x 2", () => "GET x", () => "SET", () => "ADD x",
    () => "SET x 99999999999999999999", () => "\u0000", () => "<script>", () => "A,B|C",
    () => ({}), () => [], () => [["A", "B"], ["C", "D", "E"]], () => [["A"], ["A"]], () => [[]], () => [["Z"]],
    () => [[1, 2]], () => ({ to: "B" }), () => ({ to: "Z" }), () => ({ to: 5 }), () => ({ dropRate: 2 }),
    () => ({ preVote: true }), () => ({ latencyMs: [10, 30] }), () => ({ latencyMs: [30, 10] }), () => ({ logTail: 3 }),
    () => ({ dropRate: 0.2, dupRate: 0.1 }), () => ({ snapshotEvery: 5 }), () => ({ nodes: 3 }), () => ({ __proto__: null }),
    () => ({ constructor: 1 }), () => ({ toString: null }), () => () => 1, () => Symbol("s"), () => new Date(0), () => /re/,
    () => new Uint8Array(3), () => new Map(), () => Object.create(null), () => shareSample(), () => mutate(shareSample()),
    () => "nodes 3\nat 1s crash A", () => "nodes 5\nat -1ms crash Q\n", () => `nodes ${Math.floor(rnd() * 100)}`,
    () => ({ share: shareSample() }), () => ({ share: mutate(shareSample()) }), () => ({ scenario: "nodes 2\nat 0ms timeout A" }),
    () => ({ scenario: short() }), () => ({ nodes: Math.floor(rnd() * 8), seed: Math.floor(rnd() * 5) }),
    () => ({ name: short() }), () => ({ comment: big }), () => ({ package: short() }), () => ({ simImport: short() }),
    () => ({ share: true }), () => ({ name: "x", package: "p", simImport: "a/b", share: false }),
  ];
  return () => pool[Math.floor(rnd() * pool.length)]();
}

const METHODS = [
  ["tick", (sb, g) => sb.tick(g())], ["advance", (sb, g) => sb.advance(g())], ["step", (sb, g) => sb.step(g())],
  ["partition", (sb, g) => sb.partition(g())], ["heal", (sb, g) => sb.heal(g())], ["crash", (sb, g) => sb.crash(g())],
  ["restart", (sb, g) => sb.restart(g())], ["timeout", (sb, g) => sb.timeout(g())],
  ["request", (sb, g) => sb.request(g(), g())], ["addNode", (sb, g) => sb.addNode(g())],
  ["removeNode", (sb, g) => sb.removeNode(g())], ["transferLeadership", (sb, g) => sb.transferLeadership(g())],
  ["dropMessage", (sb, g) => sb.dropMessage(g())], ["holdMessage", (sb, g) => sb.holdMessage(g(), g())],
  ["cut", (sb, g) => sb.cut(g(), g())], ["configure", (sb, g) => sb.configure(g())], ["state", (sb, g) => sb.state(g())],
  ["events", (sb, g) => sb.events(g())], ["actions", (sb, g) => sb.actions(g())], ["share", (sb, g) => sb.share(g())],
  ["reset", (sb, g) => sb.reset(g())], ["rewindTo", (sb, g) => sb.rewindTo(g())], ["rewind", (sb, g) => sb.rewind(g())],
  ["now", (sb) => sb.now], ["config", (sb, g) => sb.config(g())], ["exportGoTest", (sb, g) => sb.exportGoTest(g())],
];

test(`every method survives ${PER_METHOD} garbage calls (seed ${SEED})`, async () => {
  const rnd = prng(SEED);
  const victim = await load({ nodes: 5, seed: 5 });
  const sibling = await load({ nodes: 5, seed: 5 });
  sibling.advance(700);
  sibling.request("SET 3");
  sibling.advance(300);
  const siblingState = sibling.state();
  const siblingShare = sibling.share();
  const g = garbageMaker(rnd, () => siblingShare);

  const counts = new Map(METHODS.map(([name]) => [name, 0]));
  const internal = [];
  let ok = 0, refused = 0;
  for (let i = 0; i < PER_METHOD * METHODS.length; i++) {
    const [name, call] = METHODS[i % METHODS.length];
    counts.set(name, counts.get(name) + 1);
    try {
      const out = call(victim, g);
      if (out instanceof Promise) await out; // exportGoTest: the lab's wasm answers
      ok++;
    } catch (err) {
      if (!(err instanceof Error)) assert.fail(`${name} call ${i} threw a non-Error ${String(err)}; replay: ${replay}`);
      assert.ok(err.message.length > 0, `${name}: empty message; replay: ${replay}`);
      if (/internal error|runtime has stopped/.test(err.message)) internal.push(`${name} call ${i}: ${err.message}`);
      refused++;
    }
    // Keep the run short: garbage time adds up; rewinding is part of the API.
    if (i % 5000 === 4999 && victim.now > 60000) victim.rewindTo(0);
  }
  assert.deepEqual(internal, [], `Go panicked (recovered) on garbage; replay: ${replay}`);
  for (const [name, n] of counts) assert.ok(n >= PER_METHOD, `${name} called ${n} times`);
  assert.ok(ok > 0 && refused > 0, `ok ${ok}, refused ${refused}`);

  // The victim still works: clear the faults, then elect and commit.
  victim.heal();
  victim.configure({ dropRate: 0, dupRate: 0, reorderRate: 0, latencyMs: [20, 40] });
  let s = victim.state();
  for (const n of s.nodes) if (!n.up && !n.removed) victim.restart(n.id);
  for (const m of s.messages) if (m.held) victim.holdMessage(m.id, false);
  assert.equal(s.halted, false, `a garbage run broke an invariant: ${JSON.stringify(s.invariants.violations)}; replay: ${replay}`);
  s = advanceUntil(victim, (s) => s.leader !== null, 20000, 50);
  assert.notEqual(s.leader, null, `no leader after the garbage; replay: ${replay}`);
  s = advanceUntil(victim, (s) => s.nodes.find((n) => n.id === s.leader)?.commitIndex > 0, 5000, 50);
  const id = victim.request("SET 77");
  s = advanceUntil(victim, (s) => s.requests.find((r) => r.id === id)?.status !== "pending", 20000, 50);
  assert.equal(s.requests.find((r) => r.id === id)?.status, "committed", `SET 77 did not commit; replay: ${replay}`);
  assert.deepEqual(stateProblems(s), [], `replay: ${replay}`);
  assert.equal(s.invariants.ok, true);

  // The sibling is untouched, and the runtime makes new sandboxes.
  assert.deepEqual(sibling.state(), siblingState, `the sibling changed; replay: ${replay}`);
  const fresh = await load({ nodes: 3, seed: 1 });
  fresh.advance(1000);
  assert.notEqual(fresh.state().leader, null);
  for (const sb of [victim, sibling, fresh]) sb.destroy();
});

test(`loadSandbox with garbage options (seed ${SEED})`, async () => {
  const rnd = prng(SEED + 1);
  const sibling = await load({ nodes: 3, seed: 2 });
  sibling.advance(500);
  const before = sibling.state();
  const share = sibling.share();
  const g = garbageMaker(rnd, () => share);
  let made = 0;
  for (let i = 0; i < PER_METHOD; i++) {
    const options = rnd() < 0.7 ? g() : { [["nodes", "seed", "share", "scenario", "latencyMs", "bugs", "tickMs"][i % 7]]: g() };
    try {
      const sb = await load(options && typeof options === "object" && !Array.isArray(options) ? options : { nodes: options });
      made++;
      sb.destroy();
    } catch (err) {
      if (!(err instanceof Error)) assert.fail(`loadSandbox threw a non-Error ${String(err)}; replay: ${replay}`);
      assert.doesNotMatch(err.message, /internal error/, `replay: ${replay}`);
    }
  }
  assert.ok(made > 0, "no garbage option was valid: the generator is too narrow");
  assert.deepEqual(sibling.state(), before);
  sibling.destroy();
});

test(`the raw entry points return Errors for garbage, never throw (seed ${SEED})`, async () => {
  const rnd = prng(SEED + 2);
  const sb = await load({ nodes: 3, seed: 3 });
  const api = globalThis.__raftSandbox;
  const g = garbageMaker(rnd, () => sb.share());
  const handleOf = () => [1, 2, 0, -1, NaN, 2 ** 40, "1", undefined, null, {}][Math.floor(rnd() * 10)];
  let errors = 0;
  for (let i = 0; i < PER_METHOD * 2; i++) {
    let result;
    const which = i % 4;
    try {
      if (which === 0) result = api.call(handleOf(), Math.floor(rnd() * 30) - 3, g(), g());
      else if (which === 1) result = api.call(handleOf(), g(), g());
      else if (which === 2) result = api.create(g(), g(), g());
      else result = api.destroy(g());
    } catch (err) {
      assert.fail(`raw entry point ${which} threw ${String(err)} instead of returning an Error; replay: ${replay}`);
    }
    if (result instanceof Error) {
      errors++;
      assert.doesNotMatch(result.message, /internal error/, `replay: ${replay}`);
    } else if (which === 2 && typeof result === "number") {
      api.destroy(result); // a valid create: free it
    }
  }
  assert.ok(errors > 0);
  // The sandbox used by handle guesses may have been destroyed by a guess;
  // the runtime itself must still serve new sandboxes.
  const fresh = await load({ nodes: 3, seed: 4 });
  fresh.advance(1000);
  assert.notEqual(fresh.state().leader, null);
  fresh.destroy();
});
