// The lab's wasm (raft-lab.wasm, wasm/lab) for the JS API's rare methods
// whose Go code is left out of the main wasm for its size budget: today
// sb.exportGoTest(). It is loaded on first use, once per page, as a second
// Go runtime on the calling thread (the bug hunt's Web Workers load their
// own copies, web/lab/worker.js). The offline single file has no lab.

import { fail } from "./check.js";
import { labWasmURL } from "./runtime.js";

let labPromise = null;

function offline() {
  return globalThis.__RAFT_SANDBOX_OFFLINE__ === true || globalThis.__RAFT_SANDBOX_WASM__ != null;
}

async function start(url) {
  if (typeof globalThis.Go !== "function") throw fail("the raft-sandbox runtime is not loaded (call loadSandbox first)");
  const go = new globalThis.Go();
  let instance;
  if (url.protocol === "file:" && typeof process === "object" && typeof process?.versions?.node === "string") {
    const { readFile } = await import("node:fs/promises");
    ({ instance } = await WebAssembly.instantiate(await readFile(url), go.importObject));
  } else {
    const response = await fetch(url);
    if (!response.ok) throw fail(`could not load the lab's wasm ${url.href}: HTTP ${response.status}`);
    ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject));
  }
  go.run(instance);
  const lab = globalThis.__raftLab;
  if (!lab || typeof lab.exportGoTest !== "function") throw fail(`the lab's wasm ${url.href} did not start (no __raftLab.exportGoTest)`);
  return lab;
}

/** The lab's Go API (globalThis.__raftLab), started on first use. */
export function loadLab() {
  if (offline()) {
    return Promise.reject(fail("this needs the lab's wasm (raft-lab.wasm), which the offline single file leaves out: use the served page"));
  }
  const url = labWasmURL();
  if (!url) return Promise.reject(fail("the raft-sandbox runtime is not loaded (call loadSandbox first)"));
  if (!labPromise) {
    labPromise = start(url).catch((err) => {
      labPromise = null; // let a later call try again
      throw err instanceof Error ? err : fail(String(err));
    });
  }
  return labPromise;
}
