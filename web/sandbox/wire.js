// state() read from the wasm (wasm/bridge/frame.go, the frame form) into
// the documented picture, and JSON text read from the wasm's memory.

import { fail } from "./check.js";


function deepFreeze(r) {
  if (r.why) {
    Object.freeze(r.why.args);
    Object.freeze(r.why);
  }
  return Object.freeze(r);
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

// readFrame reads state() in the frame form (wasm/bridge/frame.go, left
// in the wasm's memory like readView's text) into the objects of the last
// frame, kept in frame ({ gen, strs, lists, state, ... }): it returns
// frame.state, the same object each time, filled in place with the
// documented picture, but with the nodes, their arrays and the unchanged
// messages reused, and the id lists shared (the page's frames; state()
// reads into a new frame and takes it over, ownState). held is the
// sandbox's entries and requests: each distinct log entry is sent once,
// and a node's log is runs [offset, count, ...] into them; the entries and
// requests of the last call are not sent again. The entry and request
// objects are frozen, shared by the logs that hold them and by later
// pictures, so that changing one cannot change another node's log. null
// when the wasm answered otherwise (a wasm from before this form).
const MAGIC = 0x52534631, HEADER = 13;
export function readFrame(api, view, held, frame) {
  if (typeof view !== "number") return null;
  const addr = Math.floor(view / 16777216) * 8, len = view % 16777216;
  const buf = api.memory.buffer;
  const f = frame.f64 && frame.f64.buffer === buf ? frame.f64 : (frame.f64 = new Float64Array(buf));
  let p = addr / 8;
  const words = f[p + 1], tailLen = f[p + 2];
  if (f[p] !== MAGIC || words * 8 + tailLen !== len) return null;
  frame.gen = 0; // (until this frame is read whole)
  const tail = tailLen > 0 ? JSON.parse(TEXT.decode(new Uint8Array(buf, addr + words * 8, tailLen))) : NOTHING;
  const strs = frame.strs;
  strs.length = f[p + 4];
  if (tail.strs) for (const s of tail.strs) strs.push(s);
  if (tail.lists) frame.lists = tail.lists;
  const st = frame.state;
  st.now = f[p + 5];
  st.tickMs = f[p + 6];
  st.leader = f[p + 7] < 0 ? null : strs[f[p + 7]];
  st.halted = f[p + 8] === 1;
  const entries = frameEntries(tail.entries || NOTHING_LIST, f[p + 9], held);
  held.gen = f[p + 10];
  frameRequests(st, tail, f[p + 11], f[p + 12], held);
  if (tail.partition !== undefined) st.partition = tail.partition;
  if (tail.invariants) st.invariants = tail.invariants;
  p += HEADER;
  const n = f[p++];
  st.nodes.length = n;
  for (let i = 0; i < n; i++) {
    const node = frame.nodes[i] || (frame.nodes[i] = newNode());
    st.nodes[i] = node;
    p = readNode(f, p, node, strs, frame.lists, entries, tail[i]);
  }
  readMessages(f, p, frame, strs);
  frame.gen = f[addr / 8 + 3];
  return st;
}

const NOTHING = Object.freeze({});

// frameEntries: the entries after a frame (the first reused of the last
// one's, then the new ones), kept in held.
function frameEntries(fresh, reused, held) {
  for (const e of fresh) Object.freeze(e);
  let entries = fresh;
  if (reused > 0) {
    if (reused > held.entries.length) throw fail("raft-sandbox: state() reused entries it never sent (please report it with sb.share())");
    entries = fresh.length === 0 && reused === held.entries.length ? held.entries : held.entries.slice(0, reused).concat(fresh);
  }
  held.entries = entries;
  return entries;
}
const NOTHING_LIST = Object.freeze([]);

// frameRequests: the requests (the last call's from reqFrom on, then the
// new ones), with the last list itself when nothing changed.
function frameRequests(st, tail, reqFrom, reqCount, held) {
  const fresh = tail.requests || NOTHING_LIST;
  for (const r of fresh) deepFreeze(r);
  let requests;
  if (reqCount > 0) {
    if (reqFrom < 0 || reqFrom + reqCount > held.requests.length) throw fail("raft-sandbox: state() reused requests it never sent (please report it with sb.share())");
    requests = fresh.length === 0 && reqFrom === 0 && reqCount === held.requests.length ? held.requests : held.requests.slice(reqFrom, reqFrom + reqCount).concat(fresh);
  } else requests = fresh.length > 0 ? fresh : held.requests.length > 0 ? [] : held.requests;
  held.requests = st.requests = requests;
}

function newNode() {
  return { id: "", role: "", up: false, removed: false, term: 0, votedFor: null, lead: null, commitIndex: 0, lastApplied: 0, electionElapsed: 0, electionTimeout: 0,
    log: [], logStart: 0, lastIndex: 0, snapshotIndex: 0, kv: {}, votes: [], votesRejected: [], progress: [], voters: [], learners: [] };
}

// readNode reads one node's words from p into node (kv: its key-value
// pairs in the tail, when they changed); returns where the next begins.
function readNode(f, p, node, strs, lists, entries, kv) {
  node.id = strs[f[p]];
  node.role = strs[f[p + 1]];
  node.up = f[p + 2] === 1;
  node.removed = f[p + 3] === 1;
  node.term = f[p + 4];
  node.votedFor = f[p + 5] < 0 ? null : strs[f[p + 5]];
  node.lead = f[p + 6] < 0 ? null : strs[f[p + 6]];
  node.commitIndex = f[p + 7];
  node.lastApplied = f[p + 8];
  node.electionElapsed = f[p + 9];
  node.electionTimeout = f[p + 10];
  node.logStart = f[p + 11];
  node.lastIndex = f[p + 12];
  node.snapshotIndex = f[p + 13];
  node.voters = lists[f[p + 14]];
  node.learners = lists[f[p + 15]];
  p = readIds(f, p + 16, node.votes, strs);
  p = readIds(f, p, node.votesRejected, strs);
  const prog = node.progress;
  const np = f[p++];
  setLength(prog, np);
  for (let k = 0; k < np; k++, p += 6) {
    const pr = prog[k] || (prog[k] = { id: "", next: 0, match: 0, inflight: 0, state: "", learner: false });
    pr.id = strs[f[p]];
    pr.next = f[p + 1];
    pr.match = f[p + 2];
    pr.inflight = f[p + 3];
    pr.state = strs[f[p + 4]];
    pr.learner = f[p + 5] === 1;
  }
  if (f[p++] === 1) node.kv = kv; // (changed since the last frame: parsed anew)
  const log = node.log;
  let k = 0;
  for (let end = p + 1 + f[p], r = p + 1; r < end; r += 2) {
    for (let i = f[r], stop = f[r] + f[r + 1]; i < stop; i++) log[k++] = entries[i];
  }
  setLength(log, k);
  return p + 1 + f[p];
}

// readIds reads a count and that many string numbers into list.
function readIds(f, p, list, strs) {
  const n = f[p++];
  for (let k = 0; k < n; k++) list[k] = strs[f[p++]];
  setLength(list, n);
  return p;
}

// setLength cuts a reused array to n (only when longer: setting a length,
// even the same one, can give up the array's storage, to be made again).
function setLength(list, n) {
  if (list.length > n) list.length = n;
}

// readMessages reads the messages into a new list of the frame's two
// (the last frame's is where -(k+1) points), new objects for new ones.
// The objects of the last frame's messages that are not in this one are
// used again for new ones (the page holds a message only within a frame).
function readMessages(f, p, frame, strs) {
  const last = frame.msgs, list = frame.spare, kept = frame.kept, pool = frame.pool;
  frame.msgs = list;
  frame.spare = last;
  const n = f[p++], stamp = ++frame.stamp, start = p;
  for (let k = 0; k < n; k++) {
    if (f[p] < 0) {
      list[k] = last[-f[p] - 1];
      kept[-f[p] - 1] = stamp;
      p++;
    } else p += 12;
  }
  for (let k = 0; k < last.length; k++) if (kept[k] !== stamp) pool.push(last[k]);
  for (let k = 0, q = start; k < n; k++) {
    if (f[q] < 0) {
      q++;
      continue;
    }
    const m = pool.length ? pool.pop() : { id: 0, from: "", to: "", type: "", kind: "", term: 0, entries: 0, index: 0, reject: false, sentAt: 0, deliverAt: 0, held: false };
    m.id = f[q];
    m.from = strs[f[q + 1]];
    m.to = strs[f[q + 2]];
    m.type = strs[f[q + 3]];
    m.kind = strs[f[q + 4]];
    m.term = f[q + 5];
    m.entries = f[q + 6];
    m.index = f[q + 7];
    m.reject = f[q + 8] === 1;
    m.sentAt = f[q + 9];
    m.deliverAt = f[q + 10];
    m.held = f[q + 11] === 1;
    list[k] = m;
    q += 12;
  }
  setLength(list, n);
  frame.state.messages = list;
}

// newFrame is what readFrame keeps of a sandbox's last frame.
export function newFrame() {
  return { gen: 0, f64: null, strs: [], lists: [], nodes: [], msgs: [], spare: [], kept: [], pool: [], stamp: 0,
    state: { now: 0, tickMs: 0, leader: null, halted: false, nodes: [], messages: [], partition: null, requests: [], invariants: { ok: true, violations: [] } } };
}

// ownState makes a whole frame, read into a new frame object, what state()
// returns: every node has its own voters and learners arrays (the frame's
// are the shared id lists), and the requests array is the caller's own.
export function ownState(st) {
  for (const n of st.nodes) {
    n.voters = n.voters.slice();
    n.learners = n.learners.slice();
  }
  st.requests = st.requests.slice();
  return st;
}
