// A classic script (not a module) that index.html runs in its <head>, right
// after the wasm's preload: it starts compiling the wasm as its bytes arrive
// (WebAssembly.compileStreaming on the preloaded URL), before the page's
// modules are even fetched, and leaves the promise of the compiled module in
// globalThis.__raftSandboxEarly = { url, module } for the JS API
// (sandbox/runtime.js), which instantiates it instead of fetching and
// compiling the wasm itself. Without it, compiling waited for the last of
// the page's ~45 modules to arrive and ui/main.js to run: 150-200 ms of
// compiling that now overlaps the download (docs/page.md, "First frame").
//
// It does nothing where there is no preload of a .wasm before it (the
// offline file drops preloads and inlines the wasm), where the runtime
// already started, or without compileStreaming: the API then loads the wasm
// as it always did. A failure here is not reported here: the API sees the
// rejected promise, fetches the wasm itself and reports what goes wrong.
(() => {
  if (globalThis.__raftSandboxEarly || globalThis.__raftSandbox) return;
  if (typeof WebAssembly !== "object" || typeof WebAssembly.compileStreaming !== "function") return;
  const link = document.querySelector('link[rel="preload"][as="fetch"][href$=".wasm"]');
  if (!link) return;
  const url = link.href;
  // The same request as the preload (crossorigin = CORS mode, credentials
  // same-origin: fetch()'s defaults), so it is answered from it.
  const module = WebAssembly.compileStreaming(fetch(url));
  // compiled: read by ui/main.js (with the wasm compiled before the page's
  // modules are in, the cluster follows them at once: no starting picture)
  const early = { url, module, compiled: false };
  module.then(() => { early.compiled = true; }, () => {}); // a failure: the API handles it
  globalThis.__raftSandboxEarly = early;
})();
