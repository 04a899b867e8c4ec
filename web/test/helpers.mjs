// Shared by the node --test files: where the built wasm is, and loading
// sandboxes from it. (node --test also runs this file; it has no tests.)
//
//   RAFT_SANDBOX_WASM       the wasm to test (default dist/raft-sandbox.wasm,
//                           which ./build.sh writes before running these tests)
//   RAFT_SANDBOX_WASM_EXEC  its wasm_exec.js (default: next to the wasm, else
//                           the Go distribution's lib/wasm/wasm_exec.js)
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";

import { loadSandbox } from "../raft-sandbox.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const wasmPath = resolve(process.env.RAFT_SANDBOX_WASM ?? join(repo, "dist/raft-sandbox.wasm"));

function findWasmExec() {
  if (process.env.RAFT_SANDBOX_WASM_EXEC) return resolve(process.env.RAFT_SANDBOX_WASM_EXEC);
  const sibling = join(dirname(wasmPath), "wasm_exec.js");
  if (existsSync(sibling)) return sibling;
  const goroot = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
  return join(goroot, "lib/wasm/wasm_exec.js");
}

let located = null;

function locate() {
  if (located) return located;
  if (!existsSync(wasmPath)) {
    throw new Error(`no wasm at ${wasmPath}: run ./build.sh build, or build one with\n` +
      `  GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o /tmp/rs/raft-sandbox.wasm ./wasm\n` +
      `and set RAFT_SANDBOX_WASM=/tmp/rs/raft-sandbox.wasm`);
  }
  located = { wasmURL: pathToFileURL(wasmPath), wasmExecURL: pathToFileURL(findWasmExec()) };
  return located;
}

/** loadSandbox with the test wasm. */
export function load(options = {}) {
  return loadSandbox({ ...options, ...locate() });
}

/** Advances in frames until pred(state) holds or limitMs of virtual time passed; returns the state. */
export function advanceUntil(sb, pred, limitMs = 10000, stepMs = 10) {
  let s = sb.state();
  for (let t = 0; t < limitMs && !pred(s); t += stepMs) {
    sb.advance(stepMs);
    s = sb.state();
  }
  return s;
}

/** A small seeded PRNG (mulberry32): same seed, same garbage. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Does fn throw an Error whose message matches re? */
export function throwsMessage(fn, re) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof Error)) return `threw a non-Error: ${String(err)}`;
    return re.test(err.message) ? true : `message was: ${err.message}`;
  }
  return "did not throw";
}
