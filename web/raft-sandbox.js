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
// The full reference is docs/api.md. This file is the entry point; the
// code is in ./sandbox/ by concern: facts.js (Go's facts, written by the
// build), check.js (arguments and options), runtime.js (loading the wasm),
// wire.js (state()'s wire form), sandbox.js (the Sandbox class). It holds
// no UI code; the <raft-sandbox> element lives in ./ui/element.js and is
// registered lazily at the end of this module.


import { limits, optionRanges, defaults, bugNames, messageKinds } from "./sandbox/facts.js";
import { checkLoadOptions } from "./sandbox/check.js";
import { loadRuntime, runtimeStats, unwrap } from "./sandbox/runtime.js";
import { Sandbox, TOKEN } from "./sandbox/sandbox.js";

export { limits, optionRanges, defaults, bugNames, messageKinds, runtimeStats, Sandbox };

/**
 * Creates a sandbox. Options: { nodes, seed, tickMs, electionTimeoutMs,
 * heartbeatMs, latencyMs, dropRate, dupRate, reorderRate, preVote,
 * checkQuorum, snapshotEvery, bugs } for a new cluster, or { share } or
 * { scenario }; plus { wasmURL, wasmExecURL } for where the runtime is (the
 * first call on a page decides).
 */
export async function loadSandbox(options) {
  const checked = checkLoadOptions(options);
  const api = await loadRuntime(options ?? {}, import.meta.url);
  const handle = unwrap(() => api.create(checked.encoded, checked.share, checked.scenario));
  return new Sandbox(TOKEN, api, handle);
}

// ---------------------------------------------------------------- the element

// The <raft-sandbox> element is defined in ./ui/element.js; load it only where
// custom elements exist (browsers, not Node) and only once. A microtask
// later: the built index.html's bundle (docs/page.md, "Loading") contains the
// element and defines it as the page's modules run, right after this one;
// importing it here too would load the unbundled ui/*.js a second time.
if (globalThis.customElements) {
  queueMicrotask(() => {
    if (globalThis.customElements.get("raft-sandbox")) return;
    import("./ui/element.js").catch((err) => {
      console.warn("raft-sandbox: the <raft-sandbox> element is unavailable:", err);
    });
  });
}
