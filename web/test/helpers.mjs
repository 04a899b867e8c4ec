// Shared by the node --test files: where the built wasm is, and loading
// sandboxes from it. (node --test also runs this file; it has no tests.)
//
//   RAFT_SANDBOX_WASM       the wasm to test (default dist/raft-sandbox.wasm,
//                           which ./build.sh writes before running these tests)
//   RAFT_SANDBOX_WASM_EXEC  its wasm_exec.js (default: next to the wasm, else
//                           the Go distribution's lib/wasm/wasm_exec.js)
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";

import { loadSandbox, messageKinds } from "../raft-sandbox.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const wasmFile = resolve(process.env.RAFT_SANDBOX_WASM ?? join(repo, "dist/raft-sandbox.wasm"));

/** The wasm under test (checked to exist). */
export function wasmPath() {
  return locate() && wasmFile;
}

/** Its wasm_exec.js. */
export function wasmExecPath() {
  return fileURLToPath(locate().wasmExecURL);
}

function findWasmExec() {
  if (process.env.RAFT_SANDBOX_WASM_EXEC) return resolve(process.env.RAFT_SANDBOX_WASM_EXEC);
  const sibling = join(dirname(wasmFile), "wasm_exec.js");
  if (existsSync(sibling)) return sibling;
  const goroot = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
  return join(goroot, "lib/wasm/wasm_exec.js");
}

let located = null;

function locate() {
  if (located) return located;
  if (!existsSync(wasmFile)) {
    throw new Error(`no wasm at ${wasmFile}: run ./build.sh build, or build one with\n` +
      `  GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o /tmp/rs/raft-sandbox.wasm ./wasm\n` +
      `and set RAFT_SANDBOX_WASM=/tmp/rs/raft-sandbox.wasm`);
  }
  located = { wasmURL: pathToFileURL(wasmFile), wasmExecURL: pathToFileURL(findWasmExec()) };
  return located;
}

/** loadSandbox with the test wasm. */
export function load(options = {}) {
  return loadSandbox({ ...options, ...locate() });
}

/** Advances in frames until pred(state) holds or limitMs of virtual time passed; returns the state. */
export function advanceUntil(sb, pred, limitMs = 10000, stepMs = 10) {
  let s = sb.state();
  for (let t = 0; t < limitMs && !pred(s); t += stepMs) {
    sb.advance(stepMs);
    s = sb.state();
  }
  return s;
}

/** A small seeded PRNG (mulberry32): same seed, same garbage. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Does fn throw an Error whose message matches re? */
export function throwsMessage(fn, re) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof Error)) return `threw a non-Error: ${String(err)}`;
    return re.test(err.message) ? true : `message was: ${err.message}`;
  }
  return "did not throw";
}

const ROLES = ["follower", "precandidate", "candidate", "leader"];
const STATUSES = ["pending", "committed", "failed"];

/**
 * Checks every field of a state() result against the documented shape
 * (docs/api.md); returns a list of problems (empty when all is well).
 */
export function stateProblems(s) {
  const problems = [];
  const want = (cond, what) => { if (!cond) problems.push(what); };
  const isInt = (v) => Number.isInteger(v) && v >= 0;
  const isIdOrNull = (v) => v === null || (typeof v === "string" && v.length > 0);
  const isIdList = (v) => Array.isArray(v) && v.every((x) => typeof x === "string" && x.length > 0);
  const keys = (o, list, where) => {
    want(o !== null && typeof o === "object" && !Array.isArray(o), `${where} is not an object`);
    for (const k of list) want(Object.hasOwn(o ?? {}, k), `${where}.${k} is missing`);
  };
  keys(s, ["now", "tickMs", "leader", "halted", "nodes", "messages", "partition", "requests", "invariants"], "state");
  want(typeof s.halted === "boolean", "halted is not a boolean");
  want(isInt(s.now), "now is not a whole number");
  want(isInt(s.tickMs) && s.tickMs > 0, "tickMs is not a positive whole number");
  want(isIdOrNull(s.leader), "leader is not an id or null");
  want(Array.isArray(s.nodes), "nodes is not an array");
  const ids = new Set((s.nodes ?? []).map((n) => n.id));
  for (const [i, n] of (s.nodes ?? []).entries()) {
    const at = `nodes[${i}]`;
    keys(n, ["id", "role", "up", "removed", "term", "votedFor", "lead", "commitIndex", "lastApplied", "electionElapsed",
      "electionTimeout", "log", "logStart", "lastIndex", "snapshotIndex", "kv", "votes", "votesRejected", "progress",
      "voters", "learners"], at);
    want(typeof n.removed === "boolean", `${at}.removed`);
    want(isIdOrNull(n.lead), `${at}.lead`);
    want(isIdList(n.votesRejected), `${at}.votesRejected`);
    want(isInt(n.logStart) && isInt(n.lastIndex), `${at}.logStart/lastIndex`);
    if (n.log?.length > 0) {
      want(n.log[0].index === n.logStart, `${at}.logStart ${n.logStart} is not log[0].index ${n.log[0].index}`);
      want(n.log.at(-1).index === n.lastIndex, `${at}.lastIndex ${n.lastIndex} is not the last entry's index`);
    }
    want(typeof n.id === "string" && n.id.length > 0, `${at}.id`);
    want(ROLES.includes(n.role), `${at}.role is ${n.role}`);
    want(typeof n.up === "boolean", `${at}.up`);
    for (const k of ["term", "commitIndex", "lastApplied", "snapshotIndex", "electionElapsed", "electionTimeout"]) {
      want(isInt(n[k]), `${at}.${k} is ${n[k]}`);
    }
    want(isIdOrNull(n.votedFor), `${at}.votedFor`);
    want(n.lastApplied <= n.commitIndex, `${at}.lastApplied > commitIndex`);
    want(Array.isArray(n.log), `${at}.log`);
    for (const [j, e] of (n.log ?? []).entries()) {
      keys(e, ["index", "term", "command"], `${at}.log[${j}]`);
      want(isInt(e.index) && e.index > n.snapshotIndex, `${at}.log[${j}].index`);
      want(isInt(e.term), `${at}.log[${j}].term`);
      want(typeof e.command === "string", `${at}.log[${j}].command`);
      if (j > 0) want(e.index === n.log[j - 1].index + 1, `${at}.log indexes are not consecutive`);
    }
    want(n.kv !== null && typeof n.kv === "object" && !Array.isArray(n.kv), `${at}.kv is not a plain object`);
    for (const [k, v] of Object.entries(n.kv ?? {})) want(Number.isInteger(v), `${at}.kv.${k} is ${v}`);
    want(isIdList(n.votes), `${at}.votes`);
    want(Array.isArray(n.progress), `${at}.progress`);
    for (const [j, p] of (n.progress ?? []).entries()) {
      keys(p, ["id", "next", "match", "inflight", "state", "learner"], `${at}.progress[${j}]`);
      want(typeof p.state === "string" && typeof p.learner === "boolean", `${at}.progress[${j}].state/learner`);
      want(isInt(p.next) && isInt(p.match) && isInt(p.inflight), `${at}.progress[${j}] numbers`);
    }
    want(isIdList(n.voters), `${at}.voters`);
    want(isIdList(n.learners), `${at}.learners`);
  }
  want(s.leader === null || ids.has(s.leader), `leader ${s.leader} is not a node`);
  want(Array.isArray(s.messages), "messages is not an array");
  for (const [i, m] of (s.messages ?? []).entries()) {
    const at = `messages[${i}]`;
    keys(m, ["id", "from", "to", "type", "kind", "term", "entries", "index", "reject", "sentAt", "deliverAt", "held"], at);
    want(isInt(m.index) && typeof m.reject === "boolean", `${at}.index/reject`);
    want(isInt(m.id), `${at}.id`);
    want(typeof m.from === "string" && typeof m.to === "string", `${at}.from/to`);
    want(typeof m.type === "string" && m.type.length > 0, `${at}.type`);
    want(messageKinds.includes(m.kind), `${at}.kind ${m.kind}`);
    want(isInt(m.term) && isInt(m.entries), `${at}.term/entries`);
    want(isInt(m.sentAt) && isInt(m.deliverAt) && m.sentAt <= m.deliverAt, `${at}.sentAt/deliverAt`);
    want(typeof m.held === "boolean", `${at}.held`);
  }
  want(s.partition === null || (Array.isArray(s.partition) && s.partition.every(isIdList)), "partition");
  want(Array.isArray(s.requests), "requests is not an array");
  for (const [i, r] of (s.requests ?? []).entries()) {
    const at = `requests[${i}]`;
    keys(r, ["id", "command", "to", "target", "status", "result", "error", "why", "index"], at);
    want(isIdOrNull(r.target) && isInt(r.index), `${at}.target/index`);
    want(isInt(r.id), `${at}.id`);
    want(typeof r.command === "string", `${at}.command`);
    want(isIdOrNull(r.to), `${at}.to`);
    want(STATUSES.includes(r.status), `${at}.status is ${r.status}`);
    want(r.result === null || typeof r.result === "string", `${at}.result`);
    want(r.error === null || typeof r.error === "string", `${at}.error`);
    want((r.why === null) === (r.status !== "failed"), `${at}.why must be set exactly when the request failed`);
    if (r.why) want(typeof r.why.code === "string" && r.why.code && typeof r.why.args === "object", `${at}.why is { code, args }`);
  }
  keys(s.invariants, ["ok", "violations"], "invariants");
  want(typeof s.invariants?.ok === "boolean", "invariants.ok");
  want(Array.isArray(s.invariants?.violations), "invariants.violations");
  want(s.invariants?.ok === (s.invariants?.violations?.length === 0), "invariants.ok disagrees with violations");
  for (const [i, v] of (s.invariants?.violations ?? []).entries()) {
    keys(v, ["invariant", "detail", "why", "nodes", "index", "term"], `violations[${i}]`);
    want(typeof v.why?.code === "string" && v.why.code, `violations[${i}].why.code`);
  }
  return problems;
}
