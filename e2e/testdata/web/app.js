// The end-to-end fixture: a module graph, a wasm module loaded with
// instantiateStreaming next to this file, a JSON fetch and a dynamic import,
// like the real page, so that the harness, the handler's headers and the
// offline build can be tested before (and apart from) the real page.
import { add, wasmURL } from "./lib/add.js";
import { table } from "./lib/big.js";

const sum = await add(2, 3);
const json = await (await fetch("data.json")).json();
const { late } = await import("./lib/late.js");
window.fixture = {
  sum,
  wasmPath: new URL(wasmURL).pathname,
  greeting: json.greeting,
  late,
  rows: table.length,
  offline: globalThis.__RAFT_SANDBOX_OFFLINE__ === true,
  big: (await (await fetch("lib/big.json")).json()).length,
};
document.getElementById("out").textContent = `2 + 3 = ${sum} (wasm)`;
// Inside an iframe (the embedding test), tell the embedding page.
if (window.parent !== window) window.parent.postMessage({ fixture: window.fixture }, "*");
