// Every method of the Sandbox, what it does and how it refuses bad input.
import { test } from "node:test";
import assert from "node:assert/strict";

import { load, advanceUntil, throwsMessage } from "./helpers.mjs";
import { Sandbox, limits, loadSandbox, runtimeStats } from "../raft-sandbox.js";

async function elected(options = { nodes: 5, seed: 42 }) {
  const sb = await load(options);
  const s = advanceUntil(sb, (s) => s.leader !== null, 5000);
  assert.notEqual(s.leader, null, "no leader within 5 s of virtual time");
  return sb;
}

function committed(sb, id, limitMs = 5000) {
  const s = advanceUntil(sb, (s) => s.requests.find((r) => r.id === id)?.status !== "pending", limitMs);
  return s.requests.find((r) => r.id === id);
}

test("loadSandbox returns a Sandbox; the runtime loads once", async () => {
  const a = await load({ nodes: 3, seed: 1 });
  const stats = runtimeStats();
  const b = await load({ nodes: 3, seed: 1 });
  assert.ok(a instanceof Sandbox && b instanceof Sandbox);
  assert.equal(runtimeStats(), stats, "a second loadSandbox must not load the runtime again");
  assert.ok(stats.bytes > 0 && stats.instantiateMs > 0);
  assert.throws(() => new Sandbox(), /use loadSandbox\(options\) to create a Sandbox/);
  a.destroy();
  b.destroy();
});

test("tick(n) advances n ticks; tick() one", async () => {
  const sb = await load({ nodes: 3, seed: 2, tickMs: 10 });
  sb.tick();
  assert.equal(sb.now, 10);
  sb.tick(5);
  assert.equal(sb.now, 60);
  assert.equal(sb.state().now, 60);
  sb.destroy();
});

test("advance(ms) moves virtual time; advance(0) does nothing", async () => {
  const sb = await load({ nodes: 3, seed: 2 });
  sb.advance(0);
  assert.equal(sb.now, 0);
  sb.advance(1234);
  assert.equal(sb.now, 1234);
  sb.destroy();
});

test("step() processes one event and returns it as a plain object", async () => {
  const sb = await load({ nodes: 3, seed: 3 });
  let last = 0;
  for (let i = 0; i < 50; i++) {
    const ev = sb.step();
    assert.ok(ev !== null, "a 3-node cluster always has something pending");
    assert.equal(Object.getPrototypeOf(ev), Object.prototype);
    assert.deepEqual(Object.keys(ev), ["at", "kind", "node", "message"]);
    assert.ok(Number.isInteger(ev.at) && ev.at >= last, `event time ${ev.at} went back from ${last}`);
    assert.equal(typeof ev.kind, "string");
    if (ev.message !== null) assert.equal(typeof ev.message.type, "string");
    last = ev.at;
    assert.equal(sb.now, ev.at, "step() leaves the clock at the event");
  }
  sb.destroy();
});

test("partition(groups) and heal()", async () => {
  const sb = await elected();
  sb.partition([["A", "B"], ["C", "D", "E"]]);
  const p = sb.state().partition;
  assert.ok(Array.isArray(p));
  assert.deepEqual(p.map((g) => [...g].sort()).sort(), [["A", "B"], ["C", "D", "E"]]);
  // The majority side elects a leader of its own.
  const s = advanceUntil(sb, (s) => ["C", "D", "E"].includes(s.leader) &&
    s.nodes.filter((n) => n.role === "leader").length >= 1, 5000);
  assert.ok(s.nodes.some((n) => ["C", "D", "E"].includes(n.id) && n.role === "leader"), "no leader in C, D, E");
  sb.heal();
  assert.equal(sb.state().partition, null);
  assert.equal(throwsMessage(() => sb.partition([["A", "Z"]]), /unknown node 'Z'; nodes are A-E/), true);
  assert.equal(throwsMessage(() => sb.partition([["A", "B"], ["B"]]), /node 'B' is in more than one group/), true);
  assert.equal(throwsMessage(() => sb.partition([]), /partition\(groups\): groups must be groups of node ids/), true);
  assert.equal(throwsMessage(() => sb.partition([[]]), /groups\[0\] must be a non-empty array/), true);
  assert.equal(throwsMessage(() => sb.partition("A,B|C"), /got "A,B\|C"/), true);
  sb.destroy();
});

test("crash(id) and restart(id)", async () => {
  const sb = await elected();
  sb.crash("A");
  assert.equal(sb.state().nodes.find((n) => n.id === "A").up, false);
  sb.advance(100);
  sb.restart("A");
  assert.equal(sb.state().nodes.find((n) => n.id === "A").up, true);
  assert.equal(throwsMessage(() => sb.crash("Z"), /^crash\(id\): unknown node 'Z'; nodes are A-E$/), true);
  assert.equal(throwsMessage(() => sb.restart(7), /^restart\(id\): id must be a node id such as "A", got 7$/), true);
  sb.destroy();
});

test("timeout(id) starts an election at that node now", async () => {
  const sb = await elected();
  const before = sb.state();
  const follower = before.nodes.find((n) => n.role === "follower");
  sb.timeout(follower.id);
  const after = sb.state().nodes.find((n) => n.id === follower.id);
  assert.ok(after.role === "candidate" || after.role === "precandidate" || after.term > follower.term,
    `after timeout ${follower.id} is ${after.role} of term ${after.term}`);
  sb.destroy();
});

test("request(cmd) commits through the leader; the kv map shows the value", async () => {
  const sb = await elected();
  const id = sb.request("SET 5");
  assert.ok(Number.isInteger(id) && id > 0);
  const r = committed(sb, id);
  assert.equal(r.status, "committed");
  assert.equal(r.command.includes("5"), true);
  const id2 = sb.request("ADD 2");
  assert.equal(committed(sb, id2).status, "committed");
  const s = advanceUntil(sb, (s) => s.nodes.every((n) => n.kv.x === 7), 3000);
  for (const n of s.nodes) assert.deepEqual(n.kv, { x: 7 }, `node ${n.id} kv`);
  const id3 = sb.request("SET y 3", { to: s.leader });
  assert.equal(sb.state().requests.find((r) => r.id === id3).to, s.leader);
  assert.equal(throwsMessage(() => sb.request(""), /command must be a command such as "SET 5"/), true);
  assert.equal(throwsMessage(() => sb.request("SET 5", { to: "Q" }), /unknown node 'Q'; nodes are A-E/), true);
  assert.equal(throwsMessage(() => sb.request("SET 5", { via: "A" }), /unknown option "via"/), true);
  assert.equal(throwsMessage(() => sb.request("FLY 5"), /FLY/), true);
  assert.equal(throwsMessage(() => sb.request("x".repeat(limits.maxCommandLength + 1)), /at most 200 characters/), true);
  sb.destroy();
});

test("addNode() returns the new id; removeNode(id) takes one out", async () => {
  const sb = await elected();
  sb.advance(500); // let the new leader commit its first entry: one membership change at a time
  const id = sb.addNode();
  assert.equal(id, "F");
  assert.ok(sb.state().nodes.some((n) => n.id === "F"));
  let s = advanceUntil(sb, (s) => s.nodes.find((n) => n.id === s.leader)?.voters.includes("F"), 5000);
  assert.ok(s.nodes.find((n) => n.id === s.leader).voters.includes("F"), "F never became a voter");
  const victim = s.nodes.find((n) => n.id !== s.leader && n.id !== "F").id;
  sb.removeNode(victim);
  s = advanceUntil(sb, (s) => s.leader && !s.nodes.find((n) => n.id === s.leader).voters.includes(victim), 5000);
  assert.ok(!s.nodes.find((n) => n.id === s.leader).voters.includes(victim), `${victim} is still a voter`);
  assert.equal(throwsMessage(() => sb.removeNode("Z"), /removeNode\(id\): unknown node 'Z'/), true);
  sb.destroy();
});

test("transferLeadership(id) hands over", async () => {
  const sb = await elected();
  const target = sb.state().nodes.find((n) => n.role === "follower").id;
  sb.transferLeadership(target);
  const s = advanceUntil(sb, (s) => s.leader === target, 3000);
  assert.equal(s.leader, target);
  sb.destroy();
});

test("dropMessage(id) and holdMessage(id, hold)", async () => {
  const sb = await elected();
  let s = advanceUntil(sb, (s) => s.messages.length >= 2, 1000, 1);
  assert.ok(s.messages.length >= 2, "no messages in flight");
  const [m1, m2] = s.messages;
  sb.dropMessage(m1.id);
  assert.ok(!sb.state().messages.some((m) => m.id === m1.id), "dropped message still in flight");
  sb.holdMessage(m2.id);
  assert.equal(sb.state().messages.find((m) => m.id === m2.id).held, true);
  sb.advance(500);
  assert.equal(sb.state().messages.find((m) => m.id === m2.id)?.held, true, "a held message is delivered");
  sb.holdMessage(m2.id, false);
  sb.advance(500);
  assert.ok(!sb.state().messages.some((m) => m.id === m2.id), "a released message stays in flight");
  assert.equal(throwsMessage(() => sb.dropMessage(-1), /dropMessage\(id\): id must be a whole number from 0 to 2147483647, got -1/), true);
  assert.equal(throwsMessage(() => sb.holdMessage(m2.id, "yes"), /hold must be true or false, got "yes"/), true);
  sb.destroy();
});

test("cut(from, to) drops one direction until heal()", async () => {
  const sb = await elected();
  const leader = sb.state().leader;
  const other = sb.state().nodes.find((n) => n.id !== leader).id;
  sb.cut(leader, other);
  // Heartbeats no longer reach `other`: it times out and starts an election.
  const s = advanceUntil(sb, (s) => s.nodes.find((n) => n.id === other).term > 1 ||
    s.nodes.find((n) => n.id === other).role !== "follower", 3000);
  const n = s.nodes.find((n) => n.id === other);
  assert.ok(n.term > 1 || n.role !== "follower", `${other} still hears the leader through the cut`);
  sb.heal();
  assert.equal(throwsMessage(() => sb.cut("A", "A"), /cut\(from, to\): from and to are the same node 'A'/), true);
  assert.equal(throwsMessage(() => sb.cut("A", "Y"), /unknown node 'Y'/), true);
  sb.destroy();
});

test("configure(options) changes a running cluster and checks every option", async () => {
  const sb = await elected();
  sb.configure({ preVote: true, checkQuorum: true, latencyMs: [10, 30], dropRate: 0.1 });
  sb.configure({ dupRate: 0, reorderRate: 0, snapshotEvery: 50 });
  sb.configure({});
  sb.advance(1000);
  assert.equal(sb.state().invariants.ok, true);
  assert.equal(throwsMessage(() => sb.configure({ dropRate: 2 }), /configure\(options\): dropRate must be a number from 0 to 1, got 2/), true);
  assert.equal(throwsMessage(() => sb.configure({ latencyMs: [30, 10] }), /latencyMs must be \[min, max\] with min <= max, got \[30, 10\]/), true);
  assert.equal(throwsMessage(() => sb.configure({ nodes: 3 }), /unknown option "nodes"; options are preVote/), true);
  assert.equal(throwsMessage(() => sb.configure({ constructor: 1 }), /unknown option "constructor"/), true);
  assert.equal(throwsMessage(() => sb.configure(null), /options must be an object/), true);
  assert.equal(throwsMessage(() => sb.configure({ preVote: "yes" }), /preVote must be true or false/), true);
  sb.destroy();
});

test("events(sinceSeq) returns narration after a sequence number", async () => {
  const sb = await elected();
  const all = sb.events();
  assert.ok(all.length > 0, "an election produces events");
  for (let i = 1; i < all.length; i++) assert.ok(all[i].seq > all[i - 1].seq, "seq increases");
  for (const e of all) {
    assert.deepEqual(Object.keys(e), ["seq", "at", "key", "node", "peer", "term", "index", "value", "detail", "reason", "why"]);
    assert.equal(typeof e.key, "string");
  }
  assert.ok(all.some((e) => /leader/.test(e.key)), "no event says a leader was elected");
  const last = all.at(-1).seq;
  assert.deepEqual(sb.events(last), []);
  sb.crash(sb.state().leader);
  sb.advance(1000);
  const later = sb.events(last);
  assert.ok(later.length > 0 && later.every((e) => e.seq > last));
  assert.deepEqual(sb.events(0), [...all, ...later]);
  assert.equal(throwsMessage(() => sb.events(-1), /events\(sinceSeq\): sinceSeq must be a whole number/), true);
  sb.destroy();
});

test("actions() is the action log, stamped with virtual time", async () => {
  const sb = await load({ nodes: 5, seed: 42 });
  sb.advance(300);
  sb.crash("B");
  sb.advance(200);
  sb.request("SET 5");
  sb.partition([["A"], ["B", "C", "D", "E"]]);
  const actions = sb.actions();
  assert.deepEqual(actions.map((a) => a.kind), ["crash", "request", "partition"]);
  assert.deepEqual(actions[0], { at: 300, kind: "crash", args: ["B"] });
  assert.equal(actions[1].at, 500);
  sb.destroy();
});

test("share() is URL-safe and loadSandbox({ share }) rebuilds the run", async () => {
  const sb = await elected({ nodes: 5, seed: 9 });
  sb.request("SET 5");
  sb.advance(333);
  const link = sb.share();
  assert.match(link, /^[A-Za-z0-9_-]+$/);
  const copy = await load({ share: link });
  assert.deepEqual(copy.state(), sb.state());
  assert.equal(copy.share(), link, "sharing a shared run gives the same link");
  await assert.rejects(load({ share: "not a share string!" }), (err) =>
    /loadSandbox: malformed share string/.test(err.message) && err.code === "share-malformed");
  // The share string fixes the cluster: other options are checked, then ignored.
  const withDefaults = await load({ share: link, nodes: 3, seed: 1 });
  assert.deepEqual(withDefaults.state(), sb.state());
  withDefaults.destroy();
  await assert.rejects(load({ share: link, nodes: "three" }), /nodes must be a whole number/);
  sb.destroy();
  copy.destroy();
});

test("reset() goes back to time 0 with no actions", async () => {
  const sb = await load({ nodes: 3, seed: 5 });
  const initial = sb.state();
  sb.advance(700);
  sb.crash("A");
  sb.reset();
  assert.equal(sb.now, 0);
  assert.deepEqual(sb.actions(), []);
  assert.deepEqual(sb.state(), initial);
  sb.destroy();
});

test("rewindTo(ms) and rewind(ms) replay to an earlier time", async () => {
  const sb = await load({ nodes: 5, seed: 11 });
  sb.advance(400);
  const at400 = sb.state();
  sb.advance(1); // actions stamped 400 would be part of the state at 400
  sb.crash("C");
  sb.request("SET 1");
  sb.advance(600);
  sb.rewindTo(400);
  assert.equal(sb.now, 400);
  assert.deepEqual(sb.state(), at400);
  sb.advance(100);
  sb.rewind(100);
  assert.equal(sb.now, 400);
  assert.equal(throwsMessage(() => sb.rewindTo(5000), /rewindTo\(ms\): ms must be a whole number from 0 to 400/), true);
  sb.rewind(10000);
  assert.equal(sb.now, 0);
  sb.destroy();
});

test("beats() lists a scenario's beats; checkBeat(i) holds at each end; rewinding to a beat's start is exact", async () => {
  const sb = await load({ scenario: "partition" });
  const beats = sb.beats();
  assert.ok(beats.length >= 5);
  assert.equal(beats[0].key, "7.1");
  assert.equal(beats[0].start, 0);
  const ends = [];
  for (const [i, b] of beats.entries()) {
    if (i > 0) assert.equal(b.start, beats[i - 1].end, "a beat starts where the one before ended");
    sb.advance(b.end - sb.now);
    ends.push(sb.state());
    for (const f of sb.checkBeat(i)) assert.equal(f.holds, true, `beat ${b.key}: ${f.text}`);
  }
  sb.rewindTo(beats[2].start);
  assert.deepEqual(sb.state(), ends[1], "Back to a beat's start by replay gives exactly the paused state");
  assert.equal(throwsMessage(() => sb.checkBeat(-1), /checkBeat\(i\): i must be a whole number/), true);
  assert.equal(throwsMessage(() => sb.checkBeat(99), /there is no beat 99/), true);
  sb.destroy();
  const plain = await load({ nodes: 3 });
  assert.deepEqual(plain.beats(), []);
  plain.destroy();
});

test("config() reports the configuration with the option names", async () => {
  const sb = await load({ nodes: 3, seed: 8, preVote: true, latencyMs: [5, 25], dropRate: 0.1 });
  const c = sb.config();
  assert.equal(c.nodes, 3);
  assert.equal(c.seed, 8);
  assert.equal(c.preVote, true);
  assert.equal(c.checkQuorum, false);
  assert.deepEqual(c.latencyMs, [5, 25]);
  assert.equal(c.dropRate, 0.1);
  assert.deepEqual(c.electionTimeoutMs, [150, 300]);
  // Rates cross exactly (as the double's bits); the simulator keeps them in
  // millionths (scenario.Rate), so any double ends up as n / 1e6.
  for (const v of [0, 1, 0.1, 0.25, 0.000001, 0.999999, 0.30000000000000004, 1e-300, 5e-324, 1 / 3]) {
    sb.configure({ dupRate: v });
    assert.equal(sb.config().dupRate, Math.round(v * 1e6) / 1e6, `dupRate ${v}`);
  }
  sb.configure({ checkQuorum: true, latencyMs: [1, 2] });
  assert.equal(sb.config().checkQuorum, true);
  assert.deepEqual(sb.config().latencyMs, [1, 2]);
  // A scenario's own header wins over cluster options passed along with it.
  const sc = await load({ scenario: "nodes 4\nseed 77\n", nodes: 5, seed: 1 });
  assert.equal(sc.config().nodes, 4);
  assert.equal(sc.config().seed, 77);
  sb.destroy();
  sc.destroy();
});

test("exportGoTest(options) resolves to a Go test of the run so far (from the lab's wasm)", async () => {
  const sb = await load({ nodes: 3, seed: 4 });
  sb.advance(1000);
  sb.request("SET 5");
  sb.crash("A");
  sb.advance(700);
  const s = sb.state();
  const pending = sb.exportGoTest();
  assert.ok(pending instanceof Promise);
  const src = await pending;
  assert.equal(typeof src, "string");
  assert.match(src, /^\/\/ Code generated by Raft Sandbox/);
  assert.match(src, /\npackage sim_test\n/);
  assert.match(src, /\nfunc TestRegression\(t \*testing\.T\) \{\n/);
  assert.match(src, /const scenario = `nodes 3\nseed 4\nat 1s request SET x 5\nat 1s crash A\nwait 700ms\n`/);
  assert.match(src, new RegExp(`const end = ${s.now} // virtual ms`));
  for (const n of s.nodes) {
    assert.match(src, new RegExp(`\\{ID: "${n.id}", Up: ${n.up}, Role: "${n.role}", Term: ${n.term}, Commit: ${n.commitIndex},`));
  }
  assert.match(src, new RegExp(`if st.Leader != "${s.leader}"`));
  // Exporting changes nothing.
  assert.deepEqual(sb.state(), s);

  const other = await sb.exportGoTest({ name: "crash A", comment: "Found by hand.", package: "regress", simImport: "example.com/fork/sim", share: true });
  assert.match(other, /\npackage regress\n/);
  assert.match(other, /\nfunc TestCrashA\(t \*testing\.T\) \{\n/);
  assert.match(other, /\/\/ Found by hand\.\n/);
  assert.match(other, /"example\.com\/fork\/sim\/scenario"/);
  assert.match(other, new RegExp(`const share = \`${sb.share()}\``));
  assert.equal(await sb.exportGoTest({}), src);
  assert.equal(await sb.exportGoTest(null), src);
  // The run exported is the one at the call: what follows does not change it.
  const exporting = sb.exportGoTest();
  sb.advance(300);
  assert.equal(await exporting, src);

  const sig = "exportGoTest({ name, comment, package, simImport, share })";
  const bad = [
    [5, `${sig}: options must be an object such as { name: "split vote" }, got 5`],
    [{ nme: "x" }, `${sig}: unknown option "nme"; options are name, comment, package, simImport, share`],
    [{ name: 7 }, `${sig}: name must be a label such as "split vote" (at most 200 characters), got 7`],
    [{ comment: "c".repeat(2001) }, /comment must be a sentence about the run \(at most 2000 characters\)/],
    [{ package: "1x" }, `${sig}: package must be a Go package name such as "sim_test", got "1x" (not an identifier)`],
    [{ package: "func" }, `${sig}: package must be a Go package name such as "sim_test", got "func" (a Go keyword)`],
    [{ package: "_" }, `${sig}: package must be a Go package name such as "sim_test", got "_" (the blank identifier)`],
    [{ simImport: "a//b" }, `${sig}: simImport must be an import path such as "raftsandbox/sim", got "a//b"`],
    [{ share: "yes" }, `${sig}: share must be true or false, got "yes"`],
  ];
  for (const [options, message] of bad) {
    await assert.rejects(sb.exportGoTest(options), typeof message === "string" ? { message } : message, JSON.stringify(options));
  }
  // A package name in any script is fine, as in Go.
  assert.match(await sb.exportGoTest({ package: "测试" }), /^package 测试\n/m);
  // A built-in scenario's title names the test.
  const sc = await load({ scenario: "partition" });
  assert.match(await sc.exportGoTest(), /\nfunc TestPartitionAndHeal\(t \*testing\.T\) \{\n/);
  sc.destroy();
  sb.destroy();
});

test("a destroyed sandbox throws on every call; its siblings live on", async () => {
  const a = await load({ nodes: 3, seed: 1 });
  const b = await load({ nodes: 3, seed: 1 });
  b.advance(500);
  const bState = b.state();
  a.destroy();
  assert.equal(a.destroyed, true);
  const calls = [
    () => a.tick(), () => a.advance(1), () => a.step(), () => a.partition([["A"]]), () => a.heal(),
    () => a.crash("A"), () => a.restart("A"), () => a.timeout("A"), () => a.request("SET 1"),
    () => a.addNode(), () => a.removeNode("A"), () => a.transferLeadership("A"), () => a.dropMessage(1),
    () => a.holdMessage(1), () => a.cut("A", "B"), () => a.configure({}), () => a.state(), () => a.events(),
    () => a.actions(), () => a.share(), () => a.reset(), () => a.rewindTo(0), () => a.rewind(0), () => a.now,
    () => a.config(), () => a.tick("garbage"),
  ];
  for (const call of calls) assert.equal(throwsMessage(call, /^this sandbox was destroyed$/), true, String(call));
  await assert.rejects(a.exportGoTest(), { message: "this sandbox was destroyed" });
  await assert.rejects(a.exportGoTest(5), { message: "this sandbox was destroyed" });
  a.destroy(); // a second destroy is harmless
  assert.deepEqual(b.state(), bState);
  b.advance(10);
  b.destroy();
});

test("loadSandbox checks its options", async () => {
  const cases = [
    [{ nodes: 0 }, /loadSandbox\(options\): nodes must be a whole number from 1 to 64, got 0/],
    [{ nodes: "5" }, /nodes must be a whole number from 1 to 64, got "5"/],
    [{ seed: -1 }, /seed must be a whole number from 0 to 2\^53-1/],
    [{ seed: 1.5 }, /seed must be/],
    [{ colour: "red" }, /unknown option "colour"; options are nodes, seed/],
    [{ latencyMs: [1] }, /latencyMs must be \[min, max\], got an array of length 1/],
    [{ electionTimeoutMs: [300, 150] }, /electionTimeoutMs must be \[min, max\] with min < max/],
    [{ bugs: { everything: true } }, /unknown bug "everything"/],
    [{ share: "x", scenario: "nodes 3" }, /give either share or scenario, not both/],
    [{ scenario: 5 }, /scenario must be the text of a scenario script or a built-in.s name such as "partition", got 5/],
  ];
  for (const [options, re] of cases) await assert.rejects(load(options), re, JSON.stringify(options));
  // Options are checked before the runtime is even looked for.
  await assert.rejects(loadSandbox("5 nodes"), /options must be an object such as \{ nodes: 5, seed: 42 \}, got "5 nodes"/);
  await assert.rejects(loadSandbox([5]), /options must be an object such as \{ nodes: 5, seed: 42 \}, got an array of length 1/);
  // Large seeds: a BigInt or a decimal string below 2^64.
  const big = await load({ nodes: 3, seed: 18446744073709551615n });
  const same = await load({ nodes: 3, seed: "18446744073709551615" });
  big.advance(1000);
  same.advance(1000);
  assert.deepEqual(big.state(), same.state());
  big.destroy();
  same.destroy();
});

// Strings from Go cross through wasm_exec.js's loadString, which the build
// patches (tools/build/assemble/wasmexec.go): ASCII is decoded in JS,
// anything else by TextDecoder. Both must arrive intact.
test("strings from Go arrive intact, ASCII and not", async () => {
  const sb = await load({ nodes: 3, seed: 1 });
  assert.equal(throwsMessage(() => sb.request("SET é"), /value "é" is not an integer/), true);
  assert.equal(throwsMessage(() => sb.request("GET ключ"), /key "ключ" must start with a letter/), true);
  assert.equal(throwsMessage(() => sb.request("SET x “y”"), /value "“y”" is not an integer/), true);
  // a large ASCII string (the state as JSON) parses, and equals itself
  const a = JSON.stringify(sb.state());
  assert.ok(a.length > 1000 && /^[\x00-\x7f]*$/.test(a));
  assert.equal(JSON.stringify(sb.state()), a);
  sb.destroy();
});

test("errors from the simulator carry code and args for the page to word", async () => {
  const sb = await elected({ nodes: 3, seed: 4 });
  const codeOf = (fn) => {
    try {
      fn();
    } catch (err) {
      return { message: err.message, code: err.code, args: err.args };
    }
    return null;
  };
  sb.crash("B");
  assert.deepEqual(codeOf(() => sb.crash("B")), { message: "node B is already down", code: "already-down", args: { node: "B" } });
  assert.equal(codeOf(() => sb.request("FLY 5")).code, "unknown-command");
  assert.deepEqual(codeOf(() => sb.request("FLY 5")).args, { command: "FLY" });
  // An argument error of the JS API itself has no code.
  assert.equal(codeOf(() => sb.tick(-1)).code, undefined);
  // A failed request says why in state().requests[].why.
  sb.advance(200); // every follower has heard from the leader
  const follower = sb.state().nodes.find((n) => n.up && n.role === "follower").id;
  const id = sb.request("SET 1", { to: follower });
  const r = sb.state().requests.find((q) => q.id === id);
  assert.equal(r.status, "failed");
  assert.deepEqual(r.why, { code: "not-leader", args: { node: follower } });
  sb.destroy();
});
