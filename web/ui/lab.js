// The page's side of the lab (lab/worker.js): a Web Worker with its own Go
// runtime and the lab's wasm (the chaos search and porcupine), started on
// first use, so the page's main thread and its frames never run a hunt or a
// linearizability check, and visitors who use neither never download it.
//
//   const lab = new Lab();
//   lab.unavailable()            // "" or why not (the offline file, no Worker)
//   await lab.hunt(bug, { start, max, onProgress })  // the first safety failure, or null when stopped
//   lab.stop()
//   await lab.view(share, at)    // a run's client history and its check

// The offline single file runs from file://, where no worker can be
// started from the page's files (and its fetch table leaves the lab's wasm
// out, to keep the file small).
function offline() {
  return globalThis.__RAFT_SANDBOX_OFFLINE__ === true || location.protocol === "file:";
}

export class Lab {
  constructor() {
    this.worker = null;
    this.ready = null;
    this.pending = new Map(); // id -> { resolve, reject }
    this.nextId = 1;
    this.hunting = null; // { resolve, reject, onProgress }
    this.stats = null; // { ms, bytes } of the runtime's start
  }

  // unavailable says why the lab cannot run here ("offline", "noWorker"), or "".
  unavailable() {
    if (offline()) return "offline";
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") return "noWorker";
    return "";
  }

  start() {
    if (this.ready) return this.ready;
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
    this.ready.catch(() => this.close());
    return this.ready;
  }

  receive(msg, resolve, reject) {
    switch (msg.type) {
      case "ready":
        this.stats = { ms: msg.ms, bytes: msg.bytes };
        return resolve(this.stats);
      case "progress":
        return this.hunting?.onProgress?.(msg);
      case "found":
      case "done": {
        const h = this.hunting;
        this.hunting = null;
        h?.onProgress?.(msg);
        return h?.resolve(msg.type === "found" ? msg : null);
      }
      case "result": {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        return p?.resolve(msg.value);
      }
      case "error": {
        const err = new Error(msg.message);
        if (msg.id === undefined && !this.stats) return reject(err);
        if (msg.id === undefined) {
          const h = this.hunting;
          this.hunting = null;
          return h?.reject(err);
        }
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        return p?.reject(err);
      }
    }
  }

  fail(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.hunting?.reject(err);
    this.hunting = null;
  }

  async ask(op, args) {
    await this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ op, id, ...args });
    });
  }

  // hunt runs chaos seeds with bug on from seed start (random if not given)
  // until the first safety failure: it resolves with { found, ran, ms, ... },
  // or null when stopped or max seeds passed.
  async hunt(bug, { start, max, sliceMs, onProgress } = {}) {
    await this.start();
    if (this.hunting) this.stop();
    const first = start ?? randomSeed();
    return new Promise((resolve, reject) => {
      this.hunting = { resolve, reject, onProgress };
      this.worker.postMessage({ op: "hunt", bug, start: first, max, sliceMs });
    });
  }

  stop() {
    if (this.worker) this.worker.postMessage({ op: "stop" });
  }

  view(share, at = -1) {
    return this.ask("view", { share, at });
  }

  bench(ms, clients) {
    return this.ask("bench", { ms, clients });
  }

  close() {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    this.fail(new Error("the lab was closed"));
  }
}

// randomSeed picks where a hunt starts: a random seed below 2^40, so that
// two hunts look at different runs.
function randomSeed() {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return (a[0] % 0x100) * 0x100000000 + a[1] + 1;
}
