// The page's side of the lab (lab/worker.js): Web Workers, each with its own
// Go runtime and the lab's wasm (the chaos search and porcupine), started on
// first use, so the page's main thread and its frames never run a hunt or a
// linearizability check, and visitors who use neither never download it.
// A hunt runs on one worker per core the page can spare (up to
// MAX_HUNT_WORKERS: hardwareConcurrency - 1, at least one), each taking
// every k-th seed of the range; views run on the first.
//
//   const lab = new Lab();
//   lab.unavailable()            // "" or why not (the offline file, no Worker)
//   await lab.hunt(bug, { start, max, onProgress })  // the first safety failure, or null when stopped
//   lab.stop()
//   await lab.view(share, at)    // a run's client history and its check

// MAX_HUNT_WORKERS bounds the workers of a hunt (each holds a Go heap of
// a few tens of MB).
export const MAX_HUNT_WORKERS = 4;

// The offline single file runs from file://, where no worker can be
// started from the page's files (and its fetch table leaves the lab's wasm
// out, to keep the file small).
function offline() {
  return globalThis.__RAFT_SANDBOX_OFFLINE__ === true || location.protocol === "file:";
}

// LabWorker is one worker: its start, and the requests waiting for answers.
class LabWorker {
  constructor(onHunt) {
    this.onHunt = onHunt; // (msg) for progress, found, done and a hunt's error
    this.pending = new Map(); // id -> { resolve, reject }
    this.stats = null; // { ms, bytes } of the runtime's start
    this.ready = new Promise((resolve, reject) => {
      const w = new Worker(new URL("../lab/worker.js", import.meta.url), { type: "module", name: "raft-lab" });
      this.worker = w;
      w.onmessage = (e) => this.receive(e.data, resolve, reject);
      w.onerror = (e) => {
        const err = new Error(e.message || "the lab's worker failed to start");
        reject(err);
        this.fail(err);
      };
    });
  }

  receive(msg, resolve, reject) {
    if (msg.type === "ready") {
      this.stats = { ms: msg.ms, bytes: msg.bytes };
      return resolve(this.stats);
    }
    if (msg.type === "error" && msg.id === undefined && !this.stats) return reject(new Error(msg.message));
    if (msg.id === undefined) return this.onHunt(msg);
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (msg.type === "result") p?.resolve(msg.value);
    else p?.reject(new Error(msg.message));
  }

  post(msg) {
    this.worker.postMessage(msg);
  }

  fail(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  close(err) {
    this.worker.terminate();
    this.fail(err);
  }
}

export class Lab {
  constructor() {
    this.workers = []; // LabWorker: [0] serves views too
    this.nextId = 1;
    this.hunting = null; // { resolve, reject, onProgress, parts, t0 }
    this.stats = null; // { ms, bytes } of the first worker's start
    this.huntWorkers = Math.max(1, Math.min(MAX_HUNT_WORKERS, (globalThis.navigator?.hardwareConcurrency || 2) - 1));
  }

  // unavailable says why the lab cannot run here ("offline", "noWorker"), or "".
  unavailable() {
    if (offline()) return "offline";
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") return "noWorker";
    return "";
  }

  // start starts the first n workers (those not yet started) and waits for them.
  async start(n = 1) {
    while (this.workers.length < n) {
      const lw = new LabWorker((msg) => this.huntMessage(lw, msg));
      this.workers.push(lw);
      lw.ready.catch((err) => this.drop(lw, err));
    }
    const all = await Promise.all(this.workers.slice(0, n).map((w) => w.ready));
    this.stats = all[0];
    return this.stats;
  }

  // drop forgets a worker that failed, so that the next use starts afresh.
  drop(lw, err) {
    const i = this.workers.indexOf(lw);
    if (i >= 0) this.workers.splice(i, 1);
    lw.close(err);
    const h = this.hunting;
    if (h && h.parts.has(lw)) {
      this.hunting = null;
      for (const other of h.parts.keys()) if (other !== lw) other.post({ op: "stop" });
      h.reject(err);
    }
  }

  // huntMessage adds up the workers' reports of a hunt: the first finding
  // ends it (the others stop), and it is over when every worker is done.
  huntMessage(lw, msg) {
    const h = this.hunting;
    if (!h || !h.parts.has(lw) || (msg.hunt !== undefined && msg.hunt !== h.id)) return; // an earlier hunt's last words
    if (msg.type === "error") {
      this.hunting = null;
      for (const other of h.parts.keys()) other.post({ op: "stop" });
      return h.reject(new Error(msg.message));
    }
    h.parts.set(lw, msg);
    let ran = 0, liveness = 0, done = 0;
    for (const p of h.parts.values()) {
      ran += p ? p.ran : 0;
      liveness += p ? p.liveness || 0 : 0;
      if (p && p.type === "done") done++;
    }
    const total = { type: msg.type, ran, liveness, ms: performance.now() - h.t0, workers: h.parts.size };
    if (msg.type === "found") {
      this.hunting = null;
      for (const other of h.parts.keys()) if (other !== lw) other.post({ op: "stop" });
      h.onProgress?.(total);
      return h.resolve({ ...total, found: msg.found });
    }
    if (msg.type === "done" && done < h.parts.size) return h.onProgress?.({ ...total, type: "progress" });
    h.onProgress?.(total);
    if (msg.type === "done") {
      this.hunting = null;
      h.resolve(null);
    }
  }

  async ask(op, args) {
    await this.start(1);
    const lw = this.workers[0];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      lw.pending.set(id, { resolve, reject });
      lw.post({ op, id, ...args });
    });
  }

  // hunt runs chaos seeds with bug on from seed start (random if not given)
  // until the first safety failure, on huntWorkers workers (worker i of k
  // takes seeds start+i, start+i+k, …): it resolves with { found, ran, ms,
  // workers, … }, or null when stopped or max seeds passed.
  async hunt(bug, { start, max, sliceMs, onProgress } = {}) {
    const k = this.huntWorkers;
    await this.start(k);
    if (this.hunting) {
      // a hunt under way gives way: it ends with nothing found
      const old = this.hunting;
      this.hunting = null;
      this.stop();
      old.resolve(null);
    }
    const first = start ?? randomSeed();
    // worker i's share of at most max seeds; a worker with none stays out
    const shares = this.workers.slice(0, k).map((w, i) => [w, max === undefined ? undefined : Math.floor((max - i + k - 1) / k)])
      .filter(([, n]) => n === undefined || n > 0);
    const parts = new Map(shares.map(([w]) => [w, null]));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.hunting = { id, resolve, reject, onProgress, parts, t0: performance.now() };
      shares.forEach(([w, n], i) => w.post({ op: "hunt", hunt: id, bug, start: first + i, step: k, max: n, sliceMs }));
    });
  }

  stop() {
    for (const w of this.workers) w.post({ op: "stop" });
  }

  view(share, at = -1) {
    return this.ask("view", { share, at });
  }

  bench(ms, clients) {
    return this.ask("bench", { ms, clients });
  }

  close() {
    const err = new Error("the lab was closed");
    for (const w of this.workers.splice(0)) w.close(err);
    this.hunting?.reject(err);
    this.hunting = null;
  }
}

// randomSeed picks where a hunt starts: a random seed below 2^40, so that
// two hunts look at different runs.
function randomSeed() {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return (a[0] % 0x100) * 0x100000000 + a[1] + 1;
}
