// Raft Sandbox: the JS API. A whole Raft cluster, simulated in Go compiled to
// WebAssembly, driven from JavaScript.
//
//   import { loadSandbox } from "./raft-sandbox.js";
//   const sb = await loadSandbox({ nodes: 5, seed: 42 });
//   sb.advance(500); sb.request("SET 5"); console.log(sb.state());
//
// Every method checks its arguments here, before crossing into Go, and Go
// checks them again; bad input throws an Error with a message meant for a
// person. One wasm instance serves every sandbox on the page: a Sandbox holds
// an integer handle into it, and destroy() frees the handle.
//
// The full reference is docs/api.md. This file holds no UI code; the
// <raft-sandbox> element lives in ./ui/element.js and is registered lazily at
// the end of this module.

// ---- facts from Go (wasm/bridge/facts.go), written by the build: do not edit

// Operation numbers of __raftSandbox.call (wasm/bridge/bridge.go, Op).
const OP = Object.freeze({
  tick: 1, advance: 2, step: 3, partition: 4, heal: 5, crash: 6, restart: 7, timeout: 8, request: 9,
  addNode: 10, removeNode: 11, transferLeadership: 12, dropMessage: 13, holdMessage: 14, cut: 15,
  configure: 16, state: 17, events: 18, actions: 19, share: 20, reset: 21, rewindTo: 22, now: 23,
  config: 24, exportGoTest: 25, beats: 26, checkBeat: 27, message: 28,
});

/** Limits of the API (the Go side enforces the same ones). */
export const limits = Object.freeze({
  maxNodes: 64,
  maxTicks: 100000,
  maxAdvanceMs: 3600000,
  maxCommandLength: 200,
  maxIdLength: 16,
  maxMessageId: 2147483647,
  maxShareLength: 1048576,
  maxScenarioLength: 1048576,
  maxExportName: 200,
  maxExportComment: 2000,
  maxImportPath: 200,
});

/** The ranges of the whole-number options, by their key in the options string (options.go). */
export const optionRanges = Object.freeze({
  nodes: Object.freeze([1, 64]),
  tickMs: Object.freeze([1, 1000]),
  electionMinMs: Object.freeze([1, 600000]),
  electionMaxMs: Object.freeze([2, 600000]),
  heartbeatMs: Object.freeze([1, 600000]),
  latencyMinMs: Object.freeze([0, 60000]),
  latencyMaxMs: Object.freeze([0, 60000]),
  snapshotEvery: Object.freeze([0, 1000000]),
});

/** A new cluster's defaults, with the option names of loadSandbox (scenario.Defaults). */
export const defaults = Object.freeze({
  nodes: 5,
  seed: 1,
  tickMs: 10,
  electionTimeoutMs: Object.freeze([150, 300]),
  heartbeatMs: 50,
  latencyMs: Object.freeze([20, 40]),
  snapshotEvery: 1000,
});

/** The core's deliberate bugs, the keys of the `bugs` option (raft.BugList). */
export const bugNames = Object.freeze(["voteWithoutLogCheck", "commitOldTermByCount", "forgetVoteOnRestart", "ackBeforeDurable", "readWithoutReadIndex"]);

/** What a message in flight is drawn as: state().messages[].kind (sim.MessageKinds). */
export const messageKinds = Object.freeze(["vote", "prevote", "vote-resp", "append", "heartbeat", "append-resp", "snapshot", "timeoutnow", "other"]);

// ---- end of the facts from Go

// ---------------------------------------------------------------- describing values

/** How a value looks in an error message ("got NaN", "got a function"). */
function describe(v) {
  switch (typeof v) {
    case "undefined": return "undefined";
    case "number": return Object.is(v, -0) ? "-0" : String(v);
    case "bigint": return `${v}n`;
    case "boolean": return String(v);
    case "symbol": return "a symbol";
    case "function": return "a function";
    case "string": {
      const s = v.length > 40 ? JSON.stringify(v.slice(0, 40)) + `… (${v.length} characters)` : JSON.stringify(v);
      return s;
    }
    default:
      if (v === null) return "null";
      if (Array.isArray(v)) return `an array of length ${v.length}`;
      return "an object";
  }
}

// fail makes the Error the API throws. When the simulator said why, the
// error also carries code and args ({name: value}): the message is English,
// the page words the code in the reader's language (docs/api.md, "Errors").
function fail(message, code, args) {
  const err = new Error(message);
  if (typeof code === "string" && code) {
    err.code = code;
    err.args = args && typeof args === "object" ? { ...args } : {};
  }
  return err;
}

function isPlainObject(v) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function wholeNumber(sig, name, v, min, max) {
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
  throw fail(`${sig}: ${name} must be a whole number from ${min} to ${max}, got ${describe(v)}`);
}

// exactBits writes a double as "0x" and the 16 hex digits of its IEEE 754
// bits: Go reads that exactly without a decimal float parser (which would
// cost the wasm ~25 KB; wasm/bridge/options.go).
function exactBits(v) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return "0x" + view.getBigUint64(0).toString(16).padStart(16, "0");
}

function rate(sig, name, v) {
  if (typeof v === "number" && v >= 0 && v <= 1) return exactBits(v);
  throw fail(`${sig}: ${name} must be a number from 0 to 1, got ${describe(v)}`);
}

function bool(sig, name, v) {
  if (typeof v === "boolean") return v;
  throw fail(`${sig}: ${name} must be true or false, got ${describe(v)}`);
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;

function nodeId(sig, name, v) {
  if (typeof v === "string" && ID_PATTERN.test(v)) return v;
  throw fail(`${sig}: ${name} must be a node id such as "A", got ${describe(v)}`);
}

function pair(sig, name, v, min, max) {
  if (!Array.isArray(v) || v.length !== 2) {
    throw fail(`${sig}: ${name} must be [min, max], got ${describe(v)}`);
  }
  const lo = wholeNumber(sig, `${name}[0]`, v[0], min, max);
  const hi = wholeNumber(sig, `${name}[1]`, v[1], min, max);
  return [lo, hi];
}

// ---------------------------------------------------------------- options

// Options accepted by loadSandbox and configure, and how each is encoded in
// the "key=value;..." string that crosses into Go (wasm/bridge/options.go).
const CLUSTER_OPTIONS = {
  nodes: (sig, v) => `nodes=${wholeNumber(sig, "nodes", v, ...optionRanges.nodes)}`,
  seed: (sig, v) => `seed=${seedString(sig, v)}`,
  tickMs: (sig, v) => `tickMs=${wholeNumber(sig, "tickMs", v, ...optionRanges.tickMs)}`,
  electionTimeoutMs: (sig, v) => {
    const [lo, hi] = pair(sig, "electionTimeoutMs", v, optionRanges.electionMinMs[0], optionRanges.electionMaxMs[1]);
    if (lo >= hi) throw fail(`${sig}: electionTimeoutMs must be [min, max] with min < max, got [${lo}, ${hi}]`);
    return `electionMinMs=${lo};electionMaxMs=${hi}`;
  },
  heartbeatMs: (sig, v) => `heartbeatMs=${wholeNumber(sig, "heartbeatMs", v, ...optionRanges.heartbeatMs)}`,
  bugs: (sig, v) => {
    if (!isPlainObject(v)) throw fail(`${sig}: bugs must be an object such as { voteWithoutLogCheck: true }, got ${describe(v)}`);
    const out = [];
    for (const key of Object.keys(v)) {
      if (!bugNames.includes(key)) throw fail(`${sig}: unknown bug ${describe(key)}; bugs are ${bugNames.join(", ")}`);
      const b = bool(sig, `bugs.${key}`, v[key]);
      out.push(`bug${key[0].toUpperCase()}${key.slice(1)}=${b ? 1 : 0}`);
    }
    return out.join(";");
  },
};

const SETTINGS = {
  preVote: (sig, v) => `preVote=${bool(sig, "preVote", v) ? 1 : 0}`,
  checkQuorum: (sig, v) => `checkQuorum=${bool(sig, "checkQuorum", v) ? 1 : 0}`,
  latencyMs: (sig, v) => {
    const [lo, hi] = pair(sig, "latencyMs", v, optionRanges.latencyMinMs[0], optionRanges.latencyMaxMs[1]);
    if (lo > hi) throw fail(`${sig}: latencyMs must be [min, max] with min <= max, got [${lo}, ${hi}]`);
    return `latencyMinMs=${lo};latencyMaxMs=${hi}`;
  },
  dropRate: (sig, v) => `dropRate=${rate(sig, "dropRate", v)}`,
  dupRate: (sig, v) => `dupRate=${rate(sig, "dupRate", v)}`,
  reorderRate: (sig, v) => `reorderRate=${rate(sig, "reorderRate", v)}`,
  snapshotEvery: (sig, v) => `snapshotEvery=${wholeNumber(sig, "snapshotEvery", v, ...optionRanges.snapshotEvery)}`,
};

const LOADER_OPTIONS = ["share", "scenario", "wasmURL", "wasmExecURL"];

function seedString(sig, v) {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "bigint" && v >= 0n && v < 2n ** 64n) return String(v);
  if (typeof v === "string" && /^[0-9]{1,20}$/.test(v) && BigInt(v) < 2n ** 64n) return String(BigInt(v));
  throw fail(`${sig}: seed must be a whole number from 0 to 2^53-1 (or a BigInt or decimal string below 2^64), got ${describe(v)}`);
}

function encodeOptions(sig, options, table) {
  const parts = [];
  for (const key of Object.keys(options)) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(table, key)) continue;
    const encode = table[key];
    const part = encode(sig, value);
    if (part) parts.push(part);
  }
  return parts.join(";");
}

function checkLoadOptions(options) {
  const sig = "loadSandbox(options)";
  if (options === undefined || options === null) return { encoded: "" };
  if (!isPlainObject(options)) {
    throw fail(`${sig}: options must be an object such as { nodes: 5, seed: 42 }, got ${describe(options)}`);
  }
  const known = [...Object.keys(CLUSTER_OPTIONS), ...Object.keys(SETTINGS), ...LOADER_OPTIONS];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw fail(`${sig}: unknown option ${describe(key)}; options are ${known.join(", ")}`);
  }
  const given = (k) => options[k] !== undefined;
  const share = options.share, scenario = options.scenario;
  if (given("share") && (typeof share !== "string" || share.length === 0 || share.length > limits.maxShareLength)) {
    throw fail(`${sig}: share must be a share string from sb.share(), got ${describe(share)}`);
  }
  if (given("scenario") && (typeof scenario !== "string" || scenario.length === 0 || scenario.length > limits.maxScenarioLength)) {
    throw fail(`${sig}: scenario must be the text of a scenario script or a built-in's name such as "partition", got ${describe(scenario)}`);
  }
  if (given("share") && given("scenario")) throw fail(`${sig}: give either share or scenario, not both`);
  for (const k of ["wasmURL", "wasmExecURL"]) {
    if (given(k) && typeof options[k] !== "string" && !(options[k] instanceof URL)) {
      throw fail(`${sig}: ${k} must be a string or a URL, got ${describe(options[k])}`);
    }
  }
  // Every option is checked, but a share string or a scenario fixes the
  // whole cluster: with one of them the other options are ignored (a page
  // passes its defaults along).
  let encoded = [encodeOptions(sig, options, CLUSTER_OPTIONS), encodeOptions(sig, options, SETTINGS)]
    .filter(Boolean).join(";");
  if (given("share") || given("scenario")) encoded = "";
  return { encoded, share: given("share") ? share : undefined, scenario: given("scenario") ? scenario : undefined };
}

// ---------------------------------------------------------------- loading the wasm

let runtimePromise = null; // one Go runtime per page
let runtimeStatsValue = null;
let runtimeExited = false;

/** How the runtime was loaded: { source, bytes, instantiateMs }; null before. */
export function runtimeStats() {
  return runtimeStatsValue;
}

function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function inlinedBytes() {
  const hook = globalThis.__RAFT_SANDBOX_WASM__;
  if (hook === undefined || hook === null) return null;
  if (typeof hook === "string") return base64ToBytes(hook);
  if (hook instanceof Uint8Array) return hook;
  if (hook instanceof ArrayBuffer) return new Uint8Array(hook);
  throw fail("globalThis.__RAFT_SANDBOX_WASM__ must be a base64 string, a Uint8Array or an ArrayBuffer");
}

function isNode() {
  return typeof process === "object" && process !== null && typeof process.versions?.node === "string";
}

async function instantiate(url, importObject) {
  const inline = inlinedBytes();
  if (inline) {
    const { instance } = await WebAssembly.instantiate(inline, importObject);
    return { instance, source: "inline", bytes: inline.byteLength };
  }
  if (url.protocol === "file:" && isNode()) {
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(url);
    const { instance } = await WebAssembly.instantiate(bytes, importObject);
    return { instance, source: url.href, bytes: bytes.byteLength };
  }
  const response = await fetch(url);
  if (!response.ok) throw fail(`could not load ${url.href}: HTTP ${response.status}`);
  const length = Number(response.headers.get("content-length")) || 0;
  if (typeof WebAssembly.instantiateStreaming === "function") {
    try {
      const { instance } = await WebAssembly.instantiateStreaming(response.clone(), importObject);
      return { instance, source: url.href, bytes: length };
    } catch (err) {
      // Usually a server that does not send application/wasm: read the bytes instead.
      if (!(err instanceof TypeError)) throw err;
    }
  }
  const bytes = await response.arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes, importObject);
  return { instance, source: url.href, bytes: bytes.byteLength };
}

async function startRuntime(wasmURL, wasmExecURL) {
  if (globalThis.__raftSandbox) return globalThis.__raftSandbox; // another copy of this module started it
  const t0 = performance.now();
  if (typeof globalThis.Go !== "function") {
    // wasm_exec.js (from the Go distribution) defines globalThis.Go; an
    // offline page inlines it as a classic script instead.
    await import(wasmExecURL.href);
    if (typeof globalThis.Go !== "function") throw fail(`${wasmExecURL.href} did not define globalThis.Go`);
  }
  const go = new globalThis.Go();
  // Collect at 5x the live heap rather than 2x (wasm/main.go, main).
  go.env = { ...go.env, GOGC: "400" };
  const { instance, source, bytes } = await instantiate(wasmURL, go.importObject);
  performance.mark?.("rs-wasm-instantiated"); // the start-up breakdown of docs/page.md reads these
  const done = go.run(instance);
  performance.mark?.("rs-go-started"); // resolves only if the Go program exits, which it must not
  Promise.resolve(done).then(() => { runtimeExited = true; }, () => { runtimeExited = true; });
  const api = globalThis.__raftSandbox;
  if (!api || typeof api.call !== "function") throw fail("the raft-sandbox wasm did not start (no __raftSandbox)");
  api.memory = instance.exports.mem; // state() reads its JSON from here (readView)
  runtimeStatsValue = { source, bytes, instantiateMs: performance.now() - t0 };
  // One garbage collection when the page is first idle, so that V8 compiles
  // the collector's code then, not inside a frame (wasm/main.go, collect).
  const collect = () => { try { api.collect?.(); } catch { /* only a warm-up */ } };
  if (typeof requestIdleCallback === "function") requestIdleCallback(collect, { timeout: 3000 });
  else setTimeout(collect, 0);
  return api;
}

function loadRuntime(options) {
  if (!runtimePromise) {
    const base = import.meta.url;
    const wasmURL = new URL(options.wasmURL ?? "raft-sandbox.wasm", base);
    const wasmExecURL = new URL(options.wasmExecURL ?? "wasm_exec.js", base);
    runtimePromise = startRuntime(wasmURL, wasmExecURL).catch((err) => {
      runtimePromise = null; // let a later call try again
      throw err instanceof Error ? err : fail(String(err));
    });
  }
  return runtimePromise;
}

/**
 * Creates a sandbox. Options: { nodes, seed, tickMs, electionTimeoutMs,
 * heartbeatMs, latencyMs, dropRate, dupRate, reorderRate, preVote,
 * checkQuorum, snapshotEvery, bugs } for a new cluster, or { share } or
 * { scenario }; plus { wasmURL, wasmExecURL } for where the runtime is (the
 * first call on a page decides).
 */
export async function loadSandbox(options) {
  const checked = checkLoadOptions(options);
  const api = await loadRuntime(options ?? {});
  const handle = unwrap(() => api.create(checked.encoded, checked.share, checked.scenario));
  return new Sandbox(TOKEN, api, handle);
}

// packageNameProblem is sim/export.PackageNameProblem: why a name cannot be
// a Go package's, or "" when it can.
const GO_KEYWORDS = new Set(["break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
  "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
  "switch", "type", "var"]);
function packageNameProblem(s) {
  if (s === "_") return "the blank identifier";
  if (GO_KEYWORDS.has(s)) return "a Go keyword";
  if (!/^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(s)) return "not an identifier";
  return "";
}

// ---------------------------------------------------------------- the Sandbox

const TOKEN = Symbol("raft-sandbox");
const DESTROYED = "this sandbox was destroyed";

// unwrap runs a call into Go and turns a returned Error into a thrown one
// (with a stack that points at the caller).
function unwrap(fn) {
  let result;
  try {
    result = fn();
  } catch (err) {
    if (runtimeExited) throw fail("the raft-sandbox runtime has stopped; reload the page");
    throw fail(`raft-sandbox: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (result instanceof Error) throw fail(result.message, result.code, result.args);
  if (typeof result === "string" && result.charCodeAt(0) === 0) throw fail(result.slice("\0Error: ".length));
  return result;
}

function deepFreeze(r) {
  if (r.why) {
    Object.freeze(r.why.args);
    Object.freeze(r.why);
  }
  return Object.freeze(r);
}

// expandState turns state()'s wire form (wasm/bridge/encode.go) into the
// documented picture. The wire is [state, entries, lists, reused, gen]: each
// distinct log entry is sent once, and a node's "log" is runs [offset,
// count, ...] into entries; each distinct id list is sent once, and a node's
// "voters" and "learners" index lists. With 51 nodes this is ~200 entries
// instead of ~10,000. The first `reused` entries are not sent again: they
// are those of the last state(), which held (this sandbox's cache: {
// entries, gen }) keeps and whose number (gen) the next call passes to Go.
// The entry objects are shared by the logs that hold them and by later
// states, and frozen so that changing one cannot change another node's
// log; every node gets its own log, voters and learners arrays.
function expandState(text, held) {
  const wire = JSON.parse(text);
  if (!Array.isArray(wire)) return wire; // a wasm from before the shared form (a stale cache): already expanded
  const [state, fresh, lists, reused = 0, gen = 0, reqFrom = -1, reqCount = 0] = wire;
  for (const e of fresh) Object.freeze(e);
  let entries = fresh;
  if (reused > 0) {
    if (reused > held.entries.length) throw fail("raft-sandbox: state() reused entries it never sent (please report it with sb.share())");
    entries = fresh.length === 0 && reused === held.entries.length ? held.entries : held.entries.slice(0, reused).concat(fresh);
  }
  held.entries = entries;
  held.gen = gen;
  // Requests likewise: the first reqCount are the last state()'s from
  // reqFrom on (finished requests do not change), frozen and shared.
  for (const r of state.requests) deepFreeze(r);
  if (reqCount > 0) {
    if (reqFrom < 0 || reqFrom + reqCount > held.requests.length) throw fail("raft-sandbox: state() reused requests it never sent (please report it with sb.share())");
    state.requests = held.requests.slice(reqFrom, reqFrom + reqCount).concat(state.requests);
  }
  held.requests = state.requests;
  for (const n of state.nodes) {
    const runs = n.log;
    if (runs.length === 2) {
      n.log = entries.slice(runs[0], runs[0] + runs[1]);
    } else {
      const log = [];
      for (let r = 0; r < runs.length; r += 2) {
        for (let i = runs[r], end = runs[r] + runs[r + 1]; i < end; i++) log.push(entries[i]);
      }
      n.log = log;
    }
    n.voters = lists[n.voters].slice();
    n.learners = lists[n.learners].slice();
  }
  return state;
}

// readView decodes a JSON result that callView left in the wasm's memory
// (wasm/main.go, jsonView: address / 8 * 2^24 + length).
const TEXT = new TextDecoder();
function readView(api, view) {
  if (typeof view !== "number") return view;
  const addr = Math.floor(view / 16777216) * 8, len = view % 16777216;
  return TEXT.decode(new Uint8Array(api.memory.buffer, addr, len));
}

/** One simulated cluster. Get one with loadSandbox(options). */
export class Sandbox {
  #api;
  #handle;
  #held = { entries: [], requests: [], gen: 0 }; // the entries and requests of the last state() (expandState)

  constructor(token, api, handle) {
    if (token !== TOKEN) throw fail("use loadSandbox(options) to create a Sandbox");
    this.#api = api;
    this.#handle = handle;
  }

  #call(op, a, b) {
    if (this.#handle === 0) throw fail(DESTROYED);
    const api = this.#api, handle = this.#handle;
    return unwrap(() => api.call(handle, op, a, b));
  }

  // #state is one state() crossing: through callView when the runtime has
  // it (the text is decoded from the wasm's memory), else as a string.
  #state(tail) {
    if (this.#handle === 0) throw fail(DESTROYED);
    const api = this.#api, handle = this.#handle;
    const gen = this.#held.gen;
    let text;
    if (typeof api.callView !== "function" || !api.memory) text = unwrap(() => api.call(handle, OP.state, tail, gen));
    else text = readView(api, unwrap(() => api.callView(handle, OP.state, tail, gen)));
    return expandState(text, this.#held);
  }

  #live() {
    if (this.#handle === 0) throw fail(DESTROYED);
  }

  /** Advances n ticks (default 1) of virtual time. */
  tick(n = 1) {
    this.#live();
    return void this.#call(OP.tick, wholeNumber("tick(n)", "n", n, 1, limits.maxTicks));
  }

  /** Advances ms milliseconds of virtual time. */
  advance(ms) {
    this.#live();
    return void this.#call(OP.advance, wholeNumber("advance(ms)", "ms", ms, 0, limits.maxAdvanceMs));
  }

  /** Processes exactly the next event; returns it, or null when nothing is pending. */
  step() {
    const r = this.#call(OP.step);
    return typeof r === "string" ? JSON.parse(r) : null;
  }

  /** Splits the network, e.g. partition([["A","B"],["C","D","E"]]); unnamed nodes form one more group. */
  partition(groups) {
    this.#live();
    const sig = "partition(groups)";
    const example = `groups of node ids such as [["A","B"],["C","D","E"]]`;
    if (!Array.isArray(groups) || groups.length === 0 || groups.length > limits.maxNodes) {
      throw fail(`${sig}: groups must be ${example}, got ${describe(groups)}`);
    }
    const seen = new Set();
    const encoded = groups.map((group, i) => {
      if (!Array.isArray(group) || group.length === 0 || group.length > limits.maxNodes) {
        throw fail(`${sig}: groups[${i}] must be a non-empty array of node ids, got ${describe(group)}`);
      }
      return group.map((id) => {
        nodeId(sig, `groups[${i}]`, id);
        if (seen.has(id)) throw fail(`${sig}: node '${id}' is in more than one group`);
        seen.add(id);
        return id;
      }).join(",");
    }).join("|");
    return void this.#call(OP.partition, encoded);
  }

  /** Removes every partition and cut link. */
  heal() {
    return void this.#call(OP.heal);
  }

  /** Crashes a node: volatile state lost, durable state (term, vote, log) kept. */
  crash(id) {
    this.#live();
    return void this.#call(OP.crash, nodeId("crash(id)", "id", id));
  }

  /** Restarts a crashed node from its durable state. */
  restart(id) {
    this.#live();
    return void this.#call(OP.restart, nodeId("restart(id)", "id", id));
  }

  /** Forces the node's election timeout now. */
  timeout(id) {
    this.#live();
    return void this.#call(OP.timeout, nodeId("timeout(id)", "id", id));
  }

  /**
   * Submits a client command ("SET 5", "ADD x 2", "GET x") and returns its id.
   * Without { to } it goes to the current leader and is retried on leader
   * changes; with { to: "B" } it is pinned to B.
   */
  request(command, options) {
    this.#live();
    const sig = "request(command, { to })";
    if (typeof command !== "string" || command.trim() === "" || command.length > limits.maxCommandLength) {
      throw fail(`${sig}: command must be a command such as "SET 5", "ADD x 2" or "GET x" (at most ${limits.maxCommandLength} characters), got ${describe(command)}`);
    }
    let to;
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options)) throw fail(`${sig}: the second argument must be an object such as { to: "B" }, got ${describe(options)}`);
      for (const key of Object.keys(options)) {
        if (key !== "to") throw fail(`${sig}: unknown option ${describe(key)}; the only option is to`);
      }
      if (options.to !== undefined && options.to !== null) to = nodeId(sig, "to", options.to);
    }
    return this.#call(OP.request, command, to);
  }

  /** Adds a node (it catches up as a learner, then votes) and returns its id. */
  addNode() {
    return this.#call(OP.addNode);
  }

  /** Removes a node through a membership change. */
  removeNode(id) {
    this.#live();
    return void this.#call(OP.removeNode, nodeId("removeNode(id)", "id", id));
  }

  /** Asks the current leader to hand leadership to id. */
  transferLeadership(id) {
    this.#live();
    return void this.#call(OP.transferLeadership, nodeId("transferLeadership(id)", "id", id));
  }

  /** Drops one message in flight (ids are in state().messages). */
  dropMessage(id) {
    this.#live();
    return void this.#call(OP.dropMessage, wholeNumber("dropMessage(id)", "id", id, 0, limits.maxMessageId));
  }

  /**
   * Everything one message in flight carries, or null when it is not in
   * flight: the fields of state().messages plus logTerm, commit, log (the
   * entries with their commands), why ({ code, args } of a refusing reply)
   * and snapshotIndex/snapshotTerm. Reading changes nothing.
   */
  message(id) {
    this.#live();
    return JSON.parse(this.#call(OP.message, wholeNumber("message(id)", "id", id, 0, limits.maxMessageId)));
  }

  /** Holds one message in flight (hold = true) or releases it (hold = false). */
  holdMessage(id, hold = true) {
    this.#live();
    const sig = "holdMessage(id, hold)";
    return void this.#call(OP.holdMessage, wholeNumber(sig, "id", id, 0, limits.maxMessageId), bool(sig, "hold", hold));
  }

  /** Cuts the link from -> to (one way) until heal(). */
  cut(from, to) {
    this.#live();
    const sig = "cut(from, to)";
    const a = nodeId(sig, "from", from), b = nodeId(sig, "to", to);
    if (a === b) throw fail(`${sig}: from and to are the same node '${a}'`);
    return void this.#call(OP.cut, a, b);
  }

  /** Changes settings of the running cluster: { preVote, checkQuorum, latencyMs, dropRate, dupRate, reorderRate, snapshotEvery }. */
  configure(options) {
    this.#live();
    const sig = "configure(options)";
    if (!isPlainObject(options)) {
      throw fail(`${sig}: options must be an object such as { preVote: true, dropRate: 0.1 }, got ${describe(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (!Object.hasOwn(SETTINGS, key)) throw fail(`${sig}: unknown option ${describe(key)}; options are ${Object.keys(SETTINGS).join(", ")}`);
    }
    return void this.#call(OP.configure, encodeOptions(sig, options, SETTINGS));
  }

  /**
   * A picture of the whole cluster, as a plain object (see docs/api.md), in
   * one crossing. state({ logTail: n }) keeps only the last n entries of each
   * node's log (cheaper at 51 nodes; logStart says where each log begins).
   */
  state(options) {
    if (options === undefined) return this.#state();
    this.#live();
    const sig = "state({ logTail })";
    if (!isPlainObject(options)) throw fail(`${sig}: options must be an object such as { logTail: 20 }, got ${describe(options)}`);
    for (const key of Object.keys(options)) {
      if (key !== "logTail") throw fail(`${sig}: unknown option ${describe(key)}; the only option is logTail`);
    }
    const tail = options.logTail === undefined ? undefined : wholeNumber(sig, "logTail", options.logTail, 0, 2 ** 30);
    return this.#state(tail);
  }

  /** Narration events with seq > sinceSeq (default 0: all). */
  events(sinceSeq = 0) {
    this.#live();
    return JSON.parse(this.#call(OP.events, wholeNumber("events(sinceSeq)", "sinceSeq", sinceSeq, 0, Number.MAX_SAFE_INTEGER)));
  }

  /** The action log: [{ at, kind, args }]. */
  actions() {
    return JSON.parse(this.#call(OP.actions));
  }

  /** The run (config, seed, actions, time) as a compact URL-safe string for loadSandbox({ share }). */
  share() {
    return this.#call(OP.share);
  }

  /** Back to time 0 with the same configuration and seed and no actions. */
  reset() {
    return void this.#call(OP.reset);
  }

  /** Replays the run up to virtual time ms (not later than now). */
  rewindTo(ms) {
    this.#live();
    return void this.#call(OP.rewindTo, wholeNumber("rewindTo(ms)", "ms", ms, 0, Number.MAX_SAFE_INTEGER));
  }

  /** Goes back ms milliseconds of virtual time (to 0 at most). */
  rewind(ms) {
    this.#live();
    const back = wholeNumber("rewind(ms)", "ms", ms, 0, Number.MAX_SAFE_INTEGER);
    return void this.#call(OP.rewindTo, Math.max(0, this.now - back));
  }

  /**
   * The cluster's configuration, with loadSandbox's option names: { nodes,
   * seed, tickMs, electionTimeoutMs, heartbeatMs, latencyMs, dropRate,
   * dupRate, reorderRate, preVote, checkQuorum, snapshotEvery, bugs }.
   */
  config() {
    return JSON.parse(this.#call(OP.config));
  }

  /**
   * The run so far as the source of a Go test (a string): the test rebuilds
   * the run from its scenario script (or, with { share: true }, its share
   * string), replays it tick by tick failing on any safety violation, and
   * checks the leader and every node's up/role/term/commit/key-values against
   * the state now. Options: { name, comment, package, simImport, share }.
   */
  exportGoTest(options) {
    this.#live();
    const sig = "exportGoTest({ name, comment, package, simImport, share })";
    let name, comment, pkg, simImport, share;
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options)) throw fail(`${sig}: options must be an object such as { name: "split vote" }, got ${describe(options)}`);
      const known = ["name", "comment", "package", "simImport", "share"];
      for (const key of Object.keys(options)) {
        if (!known.includes(key)) throw fail(`${sig}: unknown option ${describe(key)}; options are ${known.join(", ")}`);
      }
      const text = (key, max, what) => {
        const v = options[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "string" || v.length > max) throw fail(`${sig}: ${key} must be ${what} (at most ${max} characters), got ${describe(v)}`);
        return v;
      };
      name = text("name", limits.maxExportName, `a label such as "split vote"`);
      comment = text("comment", limits.maxExportComment, "a sentence about the run");
      pkg = text("package", limits.maxExportName, `a Go package name such as "sim_test"`);
      const why = pkg === undefined || pkg === "" ? "" : packageNameProblem(pkg);
      if (why) throw fail(`${sig}: package must be a Go package name such as "sim_test", got ${describe(pkg)} (${why})`);
      simImport = text("simImport", limits.maxImportPath, `an import path such as "raftsandbox/sim"`);
      if (simImport !== undefined && simImport !== "" && !/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(simImport)) {
        throw fail(`${sig}: simImport must be an import path such as "raftsandbox/sim", got ${describe(simImport)}`);
      }
      if (options.share !== undefined && options.share !== null) share = bool(sig, "share", options.share);
    }
    const api = this.#api, handle = this.#handle;
    return unwrap(() => api.call(handle, OP.exportGoTest, name, comment, pkg, simImport, share));
  }

  /**
   * The beats of the scenario's story (docs/scenarios.md, "Beats"), with the
   * virtual moments each starts and ends in this scenario's run:
   * [{ key, text, start, end, until, facts, nodes, entries: [{ index, nodes }] }].
   * [] without a scenario or beats. Throws if the story does not hold.
   */
  beats() {
    return JSON.parse(this.#call(OP.beats));
  }

  /** Beat i's until condition and facts evaluated now: [{ text, holds }]. */
  checkBeat(i) {
    return JSON.parse(this.#call(OP.checkBeat, wholeNumber("checkBeat(i)", "i", i, 0, 1 << 30)));
  }

  /** The current virtual time in ms. */
  get now() {
    return this.#call(OP.now);
  }

  /** True once destroy() was called. */
  get destroyed() {
    return this.#handle === 0;
  }

  /** Frees the sandbox; every later call throws. Calling destroy() again does nothing. */
  destroy() {
    if (this.#handle === 0) return;
    const api = this.#api, handle = this.#handle;
    this.#handle = 0;
    unwrap(() => api.destroy(handle));
  }
}

// ---------------------------------------------------------------- the element

// The <raft-sandbox> element is defined in ./ui/element.js; load it only where
// custom elements exist (browsers, not Node) and only once.
if (globalThis.customElements && !globalThis.customElements.get("raft-sandbox")) {
  import("./ui/element.js").catch((err) => {
    console.warn("raft-sandbox: the <raft-sandbox> element is unavailable:", err);
  });
}
