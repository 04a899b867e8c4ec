// The lab's Web Worker: its own Go runtime with the lab's wasm
// (raft-lab.wasm: the chaos search and porcupine, wasm/lab), off the page's
// main thread. The page (ui/lab.js) starts it only when a bug hunt starts or
// the client's view opens.
//
// Messages from the page:
//   { op: "hunt", hunt, bug, start, step, max, sliceMs }  hunt seeds start, start+step, … (at most max);
//                                            its reports carry the hunt's id
//   { op: "stop" }                            end the hunt after the seed under way
//   { op: "view", id, share, at }             a run's client history, checked
//   { op: "bench", id, ms, clients }          time the check of a closed-loop history
// Messages to the page:
//   { type: "ready", ms, bytes }   the runtime started (or { type: "error", message })
//   { type: "progress", ran, next, liveness, ms }   every slice of a hunt
//   { type: "found", ran, found, ms } / { type: "done", ran, next, ms, stopped }
//   { type: "result", id, value } / { type: "error", id, message }
//
// A hunt runs in slices of sliceMs (Go runs seeds until the slice is over),
// and between slices the worker's event loop takes messages: a "view" or a
// "stop" waits at most one slice (plus the seed under way).

import "../wasm_exec.js";

const wasmURL = new URL("../raft-lab.wasm", import.meta.url);

let hunting = null; // { stop: boolean } while a hunt runs

function call(fn, ...args) {
  const out = fn(...args);
  if (out instanceof Error) throw out;
  if (typeof out === "string" && out.charCodeAt(0) === 0) throw new Error(out.slice("\0Error: ".length));
  return JSON.parse(out);
}

async function start() {
  const t0 = performance.now();
  const go = new globalThis.Go();
  const response = await fetch(wasmURL);
  if (!response.ok) throw new Error(`could not load ${wasmURL.href}: HTTP ${response.status}`);
  const bytes = Number(response.headers.get("content-length")) || 0;
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(response.clone(), go.importObject));
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject));
  }
  go.run(instance);
  if (!globalThis.__raftLab) throw new Error("the lab's wasm did not start");
  return { ms: performance.now() - t0, bytes };
}

const ready = start();
ready.then((r) => postMessage({ type: "ready", ...r }), (err) => postMessage({ type: "error", message: String(err && err.message || err) }));

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

async function hunt(msg) {
  const lab = globalThis.__raftLab;
  const run = { stop: false };
  hunting = run;
  const t0 = performance.now();
  let next = msg.start, ran = 0, liveness = 0;
  const max = msg.max ?? 1e15;
  try {
    while (!run.stop && ran < max) {
      const rep = call(lab.hunt, msg.bug, next, Math.min(100000, max - ran), msg.sliceMs ?? 200, msg.step || 1);
      ran += rep.ran;
      liveness += rep.liveness;
      next = rep.next;
      const ms = performance.now() - t0;
      if (rep.found) return void postMessage({ type: "found", hunt: msg.hunt, ran, next, liveness, ms, found: rep.found });
      postMessage({ type: "progress", hunt: msg.hunt, ran, next, liveness, ms });
      await pause(); // take messages: a view, or stop
    }
    postMessage({ type: "done", hunt: msg.hunt, ran, next, liveness, ms: performance.now() - t0, stopped: run.stop });
  } catch (err) {
    postMessage({ type: "error", hunt: msg.hunt, message: String(err && err.message || err) });
  } finally {
    if (hunting === run) hunting = null;
  }
}

onmessage = async (e) => {
  const msg = e.data || {};
  if (msg.op === "stop") {
    if (hunting) hunting.stop = true;
    return;
  }
  try {
    await ready;
  } catch {
    return; // the page was told, in "error"
  }
  const lab = globalThis.__raftLab;
  try {
    switch (msg.op) {
      case "hunt":
        if (hunting) hunting.stop = true;
        await pause();
        return void hunt(msg);
      case "view":
        return void postMessage({ type: "result", id: msg.id, value: call(lab.view, msg.share, msg.at ?? -1) });
      case "bench":
        return void postMessage({ type: "result", id: msg.id, value: call(lab.bench, msg.ms, msg.clients) });
      default:
        throw new Error(`unknown op ${msg.op}`);
    }
  } catch (err) {
    postMessage({ type: "error", id: msg.id, message: String(err && err.message || err) });
  }
};
