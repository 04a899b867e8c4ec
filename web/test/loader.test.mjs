// How the runtime is loaded: served (instantiateStreaming, and its fallback
// when the MIME type is wrong), a failed fetch, and the inline hook of the
// offline page. The runtime loads once per page, so each case runs in its
// own Node process against a small HTTP server in this one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { wasmPath, wasmExecPath } from "./helpers.mjs";

const api = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "../raft-sandbox.js")).href;
let server, base, requests = [];

before(async () => {
  const wasm = readFileSync(wasmPath());
  server = createServer((req, res) => {
    requests.push(req.url);
    if (req.url === "/good.wasm") res.writeHead(200, { "content-type": "application/wasm" });
    else if (req.url === "/plain.wasm") res.writeHead(200, { "content-type": "application/octet-stream" });
    else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.end(wasm);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

// run executes an ES module in a fresh Node process and returns its output.
function run(code) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", code], { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`child failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

const exec = () => JSON.stringify(pathToFileURL(wasmExecPath()).href);

test("served with application/wasm: instantiateStreaming", async () => {
  const out = await run(`
    import { loadSandbox, runtimeStats } from ${JSON.stringify(api)};
    const sb = await loadSandbox({ nodes: 3, seed: 1, wasmURL: "${base}/good.wasm", wasmExecURL: ${exec()} });
    sb.advance(1000);
    console.log(JSON.stringify({ leader: sb.state().leader, source: runtimeStats().source }));`);
  const r = JSON.parse(out);
  assert.notEqual(r.leader, null);
  assert.equal(r.source, `${base}/good.wasm`);
});

test("served with the wrong MIME type: falls back to the bytes", async () => {
  const out = await run(`
    import { loadSandbox } from ${JSON.stringify(api)};
    const sb = await loadSandbox({ nodes: 3, seed: 1, wasmURL: "${base}/plain.wasm", wasmExecURL: ${exec()} });
    sb.advance(1000);
    console.log(sb.state().leader);`);
  assert.match(out, /^[A-C]$/);
});

test("a failed fetch rejects with the URL and status; a later call can retry", async () => {
  const out = await run(`
    import { loadSandbox } from ${JSON.stringify(api)};
    let message = "no error";
    try { await loadSandbox({ wasmURL: "${base}/missing.wasm", wasmExecURL: ${exec()} }); }
    catch (err) { message = (err instanceof Error) + " " + err.message; }
    console.log(message);
    const sb = await loadSandbox({ nodes: 2, wasmURL: "${base}/good.wasm" });
    console.log(sb.state().nodes.length);`);
  const [message, nodes] = out.split("\n");
  assert.equal(message, `true could not load ${base}/missing.wasm: HTTP 404`);
  assert.equal(nodes, "2", "the retry after a failed load did not work");
});

test("the offline hook: inlined bytes (base64) and a predefined Go; nothing fetched", async () => {
  const before = requests.length;
  const out = await run(`
    import { readFileSync } from "node:fs";
    import { fileURLToPath } from "node:url";
    await import(${exec()});                                  // as an inlined classic script would
    globalThis.__RAFT_SANDBOX_WASM__ = readFileSync(${JSON.stringify(wasmPath())}).toString("base64");
    globalThis.fetch = () => { throw new Error("fetch must not be called"); };
    const { loadSandbox, runtimeStats } = await import(${JSON.stringify(api)});
    const sb = await loadSandbox({ nodes: 3, seed: 2, wasmURL: "http://invalid.invalid/x.wasm", wasmExecURL: "http://invalid.invalid/x.js" });
    sb.advance(1000);
    console.log(runtimeStats().source, sb.state().leader !== null);`);
  assert.equal(out, "inline true");
  assert.equal(requests.length, before);
});

test("the offline hook as a Uint8Array getter", async () => {
  const out = await run(`
    import { readFileSync } from "node:fs";
    await import(${exec()});
    const bytes = new Uint8Array(readFileSync(${JSON.stringify(wasmPath())}));
    Object.defineProperty(globalThis, "__RAFT_SANDBOX_WASM__", { configurable: true, get: () => bytes });
    const { loadSandbox } = await import(${JSON.stringify(api)});
    const [a, b] = await Promise.all([loadSandbox({ nodes: 3 }), loadSandbox({ nodes: 5 })]);
    console.log(a.state().nodes.length, b.state().nodes.length);`);
  assert.equal(out, "3 5");
});

test("index.html's early compile (sandbox/early.js): the module handed over is instantiated; nothing fetched", async () => {
  const before = requests.length;
  const out = await run(`
    import { readFileSync } from "node:fs";
    const module = WebAssembly.compile(readFileSync(${JSON.stringify(wasmPath())}));
    globalThis.__raftSandboxEarly = { url: "${base}/good.wasm", module };
    const { loadSandbox, runtimeStats } = await import(${JSON.stringify(api)});
    const sb = await loadSandbox({ nodes: 3, seed: 1, wasmURL: "${base}/good.wasm", wasmExecURL: ${exec()} });
    sb.advance(1000);
    const s = runtimeStats();
    console.log(s.early, s.source, sb.state().leader !== null, globalThis.__raftSandboxEarly);`);
  assert.equal(out, `true ${base}/good.wasm true null`);
  assert.equal(requests.length, before, "the wasm was fetched although its compiled module was handed over");
});

test("an early compile that failed, or of another URL: the API fetches the wasm itself", async () => {
  const before = requests.length;
  const out = await run(`
    const module = Promise.reject(new TypeError("broken early compile"));
    module.catch(() => {}); // as early.js does: the API handles it
    globalThis.__raftSandboxEarly = { url: "${base}/good.wasm", module };
    const { loadSandbox, runtimeStats } = await import(${JSON.stringify(api)});
    const sb = await loadSandbox({ nodes: 3, seed: 1, wasmURL: "${base}/good.wasm", wasmExecURL: ${exec()} });
    console.log(runtimeStats().early, sb.state().nodes.length);`);
  assert.equal(out, "false 3");
  assert.equal(requests.length, before + 1);
  const other = await run(`
    let used = false;
    globalThis.__raftSandboxEarly = { url: "${base}/other.wasm", get module() { used = true; return new Promise(() => {}); } };
    const { loadSandbox, runtimeStats } = await import(${JSON.stringify(api)});
    const sb = await loadSandbox({ nodes: 2, wasmURL: "${base}/good.wasm", wasmExecURL: ${exec()} });
    console.log(runtimeStats().early, used, sb.state().nodes.length);`);
  assert.equal(other, "false false 2");
});
