// Loads tools/floor's wasm as web/raft-sandbox.js loads the sandbox's
// (streaming compile, then Go starts), calls it once, and announces ready:
// the e2e init script records the end of the next frame as the first
// interactive frame, as it does for the real page. The marks are the
// page's (web/sandbox/runtime.js), so that the budgets test reports the
// floor's phases beside the page's.
const go = new Go();
const { instance } = await WebAssembly.instantiateStreaming(fetch("raft-sandbox.wasm"), go.importObject);
performance.mark("rs-wasm-instantiated");
go.run(instance);
performance.mark("rs-go-started");
if (globalThis.__floor() !== 1) throw new Error("floor: the Go function did not answer");
window.dispatchEvent(new Event("raft-sandbox-ready"));
requestAnimationFrame(() => {});
