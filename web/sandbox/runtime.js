// Loading the wasm: one Go runtime per page (wasm_exec.js, then the wasm,
// from a URL, a file in Node, or inlined bytes), and unwrap, which turns
// what a call into Go returned into a value or a thrown Error.

import { fail } from "./check.js";

// ---------------------------------------------------------------- loading the wasm

let runtimePromise = null; // one Go runtime per page
let runtimeStatsValue = null;
let runtimeExited = false;
let labURL = null; // the lab's wasm (./lab.js), decided with the runtime's

/** How the runtime was loaded: { source, bytes, instantiateMs, early }; null before. */
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
  // index.html's early compile (sandbox/early.js), if it is of this URL:
  // used once; if it failed, the wasm is fetched again below, and a real
  // problem (HTTP status, bad bytes) is reported from there.
  const early = globalThis.__raftSandboxEarly;
  if (early && early.url === url.href) {
    globalThis.__raftSandboxEarly = null;
    let module = null;
    try {
      module = await early.module;
    } catch {
      /* fetched and compiled again below */
    }
    if (module) {
      const instance = await WebAssembly.instantiate(module, importObject);
      const entry = globalThis.performance?.getEntriesByName?.(url.href)?.[0];
      return { instance, source: url.href, bytes: entry?.encodedBodySize || 0, early: true };
    }
  }
  performance.mark?.("rs-wasm-requested");
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
  const { instance, source, bytes, early = false } = await instantiate(wasmURL, go.importObject);
  performance.mark?.("rs-wasm-instantiated"); // the start-up breakdown of docs/page.md reads these
  const done = go.run(instance);
  performance.mark?.("rs-go-started"); // resolves only if the Go program exits, which it must not
  Promise.resolve(done).then(() => { runtimeExited = true; }, () => { runtimeExited = true; });
  const api = globalThis.__raftSandbox;
  if (!api || typeof api.call !== "function") throw fail("the raft-sandbox wasm did not start (no __raftSandbox)");
  api.memory = instance.exports.mem; // state() reads its JSON from here (readView)
  runtimeStatsValue = { source, bytes, instantiateMs: performance.now() - t0, early };
  // One garbage collection when the page is first idle, so that V8 compiles
  // the collector's code then, not inside a frame (wasm/main.go, collect).
  const collect = () => { try { api.collect?.(); } catch { /* only a warm-up */ } };
  if (typeof requestIdleCallback === "function") requestIdleCallback(collect, { timeout: 3000 });
  else setTimeout(collect, 0);
  return api;
}

// loadRuntime starts the one runtime of the page (or returns it); base is
// raft-sandbox.js's URL, against which the default file names resolve.
export function loadRuntime(options, base) {
  if (!runtimePromise) {
    const wasmURL = new URL(options.wasmURL ?? "raft-sandbox.wasm", base);
    const wasmExecURL = new URL(options.wasmExecURL ?? "wasm_exec.js", base);
    // The lab's wasm is the main wasm's sibling: next to a wasmURL given,
    // else next to this module (as the build's dist/ has them).
    labURL = new URL(options.labWasmURL ?? "raft-lab.wasm", options.wasmURL ? wasmURL : base);
    runtimePromise = startRuntime(wasmURL, wasmExecURL).catch((err) => {
      runtimePromise = null; // let a later call try again
      throw err instanceof Error ? err : fail(String(err));
    });
  }
  return runtimePromise;
}

/** Where the lab's wasm is (./lab.js), once loadRuntime was called; else null. */
export function labWasmURL() {
  return labURL;
}

// unwrap runs a call into Go and turns a returned Error into a thrown one
// (with a stack that points at the caller).
export function unwrap(fn) {
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
