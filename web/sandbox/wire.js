// state()'s wire form (wasm/bridge/encode.go) turned into the documented
// picture, and the text read from the wasm's memory.

import { fail } from "./check.js";


function deepFreeze(r) {
  if (r.why) {
    Object.freeze(r.why.args);
    Object.freeze(r.why);
  }
  return Object.freeze(r);
}

// expandState turns state()'s wire form (wasm/bridge/encode.go) into the
// documented picture. The wire is [state, entries, lists, reused, gen]: each
// distinct log entry is sent once, and a node's "log" is runs [offset,
// count, ...] into entries; each distinct id list is sent once, and a node's
// "voters" and "learners" index lists. With 51 nodes this is ~200 entries
// instead of ~10,000. The first `reused` entries are not sent again: they
// are those of the last state(), which held (this sandbox's cache: {
// entries, gen }) keeps and whose number (gen) the next call passes to Go.
// The entry objects are shared by the logs that hold them and by later
// states, and frozen so that changing one cannot change another node's
// log; every node gets its own log, voters and learners arrays.
export function expandState(text, held) {
  const wire = JSON.parse(text);
  if (!Array.isArray(wire)) return wire; // a wasm from before the shared form (a stale cache): already expanded
  const [state, fresh, lists, reused = 0, gen = 0, reqFrom = -1, reqCount = 0] = wire;
  for (const e of fresh) Object.freeze(e);
  let entries = fresh;
  if (reused > 0) {
    if (reused > held.entries.length) throw fail("raft-sandbox: state() reused entries it never sent (please report it with sb.share())");
    entries = fresh.length === 0 && reused === held.entries.length ? held.entries : held.entries.slice(0, reused).concat(fresh);
  }
  held.entries = entries;
  held.gen = gen;
  // Requests likewise: the first reqCount are the last state()'s from
  // reqFrom on (finished requests do not change), frozen and shared.
  for (const r of state.requests) deepFreeze(r);
  if (reqCount > 0) {
    if (reqFrom < 0 || reqFrom + reqCount > held.requests.length) throw fail("raft-sandbox: state() reused requests it never sent (please report it with sb.share())");
    state.requests = held.requests.slice(reqFrom, reqFrom + reqCount).concat(state.requests);
  }
  held.requests = state.requests;
  for (const n of state.nodes) {
    const runs = n.log;
    if (runs.length === 2) {
      n.log = entries.slice(runs[0], runs[0] + runs[1]);
    } else {
      const log = [];
      for (let r = 0; r < runs.length; r += 2) {
        for (let i = runs[r], end = runs[r] + runs[r + 1]; i < end; i++) log.push(entries[i]);
      }
      n.log = log;
    }
    n.voters = lists[n.voters].slice();
    n.learners = lists[n.learners].slice();
  }
  return state;
}

// readView decodes a JSON result that callView left in the wasm's memory
// (wasm/main.go, jsonView: address / 8 * 2^24 + length). Up to BIG bytes
// (a 5-node picture is ~6 KB) with TextDecoder, which makes only the
// string; a bigger one (51 nodes: ~36 KB a frame) in JS, as wasm_exec.js
// does for Go's strings, since Chromium keeps large TextDecoder strings
// behind weak handles whose callbacks cost long tasks after major
// collections (docs/page.md, "Long tasks").
const TEXT = new TextDecoder();
const BIG = 16384;
export function readView(api, view) {
  if (typeof view !== "number") return view;
  const addr = Math.floor(view / 16777216) * 8, len = view % 16777216;
  const bytes = new Uint8Array(api.memory.buffer, addr, len);
  if (len <= BIG) return TEXT.decode(bytes);
  for (let i = 0; i < len; i++) if (bytes[i] > 127) return TEXT.decode(bytes); // not ASCII: UTF-8 must be decoded
  let s = "";
  for (let i = 0; i < len; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(len, i + 8192)));
  return s;
}
