// The Sandbox class: one simulated cluster behind an integer handle into
// the page's wasm instance. Each method checks its arguments (check.js),
// makes one call into Go and unwraps its result (runtime.js).

import { OP, limits } from "./facts.js";
import { describe, fail, isPlainObject, wholeNumber, bool, nodeId, SETTINGS, encodeOptions, packageNameProblem } from "./check.js";
import { unwrap } from "./runtime.js";
import { loadLab } from "./lab.js";
import { readView, readFrame, newFrame, ownState } from "./wire.js";

export const TOKEN = Symbol("raft-sandbox");
// The page's own frames (web/ui/runner.js) read the state through this
// method, not part of the API: sb[FRAME](logTail) is state({ logTail })
// filled into the objects of the last frame (wire.js readFrame), which the
// page only reads within the frame.
export const FRAME = Symbol.for("raft-sandbox.frame");
const DESTROYED = "this sandbox was destroyed";

/** One simulated cluster. Get one with loadSandbox(options). */
export class Sandbox {
  #api;
  #handle;
  #held = { entries: [], requests: [], gen: 0 }; // the entries and requests of the last state() or frame (wire.js)
  #frame = newFrame(); // the page's last frame (readFrame)

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

  // #text is a call whose result is JSON text (or null): through callView
  // when the runtime has it (the text is decoded from the wasm's memory,
  // wire.js readView), else handed over as a string.
  #text(op, a, b) {
    if (this.#handle === 0) throw fail(DESTROYED);
    const api = this.#api, handle = this.#handle;
    if (typeof api.callView !== "function" || !api.memory) return unwrap(() => api.call(handle, op, a, b));
    return readView(api, unwrap(() => api.callView(handle, op, a, b)));
  }

  // #state is one state() crossing: a whole frame (last frame 0) read into
  // new objects (wire.js readFrame, ownState), passing the number of the
  // entries held.
  #state(tail) {
    return ownState(this.#read(tail, newFrame()));
  }

  [FRAME](tail) {
    return this.#read(tail, this.#frame);
  }

  // #read is state() in the frame form (wasm/bridge/frame.go), read into
  // frame: the page's last frame, or a new one.
  #read(tail, frame) {
    if (this.#handle === 0) throw fail(DESTROYED);
    const api = this.#api, handle = this.#handle;
    const st = typeof api.callView === "function" && api.memory ? readFrame(api, unwrap(() => api.callView(handle, OP.state, tail, this.#held.gen, frame.gen)), this.#held, frame) : null;
    if (st === null) throw fail("raft-sandbox: the wasm does not answer state() in the frame form: it is older than raft-sandbox.js (reload the page)");
    return st;
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
    const r = this.#text(OP.step);
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
    return JSON.parse(this.#text(OP.message, wholeNumber("message(id)", "id", id, 0, limits.maxMessageId)));
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
    return JSON.parse(this.#text(OP.events, wholeNumber("events(sinceSeq)", "sinceSeq", sinceSeq, 0, Number.MAX_SAFE_INTEGER)));
  }

  /** The action log: [{ at, kind, args }]. */
  actions() {
    return JSON.parse(this.#text(OP.actions));
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
    return JSON.parse(this.#text(OP.config));
  }

  /**
   * The run so far as the source of a Go test: a Promise of a string. The
   * test rebuilds the run from its scenario script (or, with { share: true },
   * its share string), replays it tick by tick failing on any safety
   * violation, and checks the leader and every node's up/role/term/commit/
   * key-values against the state now. Options: { name, comment, package,
   * simImport, share }. The exporter is in the lab's wasm (raft-lab.wasm,
   * loaded on first use; ./lab.js), not in the main one: it replays this
   * run's share() to now. The offline single file has no lab: it rejects.
   */
  async exportGoTest(options) {
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
    // The run as it is now: later calls on this sandbox do not change it.
    const run = this.share(), now = this.now;
    let lab;
    try {
      lab = await loadLab();
    } catch (err) {
      throw fail(`${sig}: ${err.message}`);
    }
    const src = unwrap(() => lab.exportGoTest(run, now, name ?? "", comment ?? "", pkg ?? "", simImport ?? "", share === true));
    if (typeof src !== "string") throw fail(`${sig}: the lab's wasm returned ${describe(src)}`);
    return src;
  }

  /**
   * The beats of the scenario's story (docs/scenarios.md, "Beats"), with the
   * virtual moments each starts and ends in this scenario's run:
   * [{ key, text, start, end, until, facts, nodes, entries: [{ index, nodes }] }].
   * [] without a scenario or beats. Throws if the story does not hold.
   */
  beats() {
    return JSON.parse(this.#text(OP.beats));
  }

  /** Beat i's until condition and facts evaluated now: [{ text, holds }]. */
  checkBeat(i) {
    return JSON.parse(this.#text(OP.checkBeat, wholeNumber("checkBeat(i)", "i", i, 0, 1 << 30)));
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
