// Loads tools/floor's wasm as web/raft-sandbox.js loads the sandbox's
// (streaming compile, then Go starts), calls it once, and announces ready:
// the e2e init script records the end of the next frame as the first
// interactive frame, as it does for the real page.
const go = new Go();
const { instance } = await WebAssembly.instantiateStreaming(fetch("raft-sandbox.wasm"), go.importObject);
go.run(instance);
if (globalThis.__floor() !== 1) throw new Error("floor: the Go function did not answer");
window.dispatchEvent(new Event("raft-sandbox-ready"));
requestAnimationFrame(() => {});
