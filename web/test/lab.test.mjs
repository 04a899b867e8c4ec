// The page's side of the lab (web/ui/lab.js) against a stand-in Worker:
// when the lab says it is unavailable, and how the worker's messages reach
// a hunt (progress, the finding, stop) and concurrent views (by id), and
// how failures reach whoever waits. The worker itself runs in Chromium
// (e2e TestPageBugHunt); its wasm in Node (go test ./wasm/lab/).
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { Lab } from "../ui/lab.js";

// FakeWorker records what the page posts and lets the test answer.
class FakeWorker {
  static last = null;
  constructor(url, options) {
    (globalThis.__fakeWorkers ||= []).push(this);
    this.url = String(url);
    this.options = options;
    this.posted = [];
    this.terminated = false;
    FakeWorker.last = this;
  }
  postMessage(msg) {
    this.posted.push(msg);
  }
  terminate() {
    this.terminated = true;
  }
  emit(data) {
    this.onmessage({ data });
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  globalThis.location = { protocol: "https:" };
  globalThis.Worker = FakeWorker;
  delete globalThis.__RAFT_SANDBOX_OFFLINE__;
  FakeWorker.last = null;
  globalThis.__fakeWorkers = [];
});

test("unavailable: the offline file, a file:// page, a browser without workers", () => {
  assert.equal(new Lab().unavailable(), "");
  globalThis.__RAFT_SANDBOX_OFFLINE__ = true;
  assert.equal(new Lab().unavailable(), "offline");
  delete globalThis.__RAFT_SANDBOX_OFFLINE__;
  globalThis.location = { protocol: "file:" };
  assert.equal(new Lab().unavailable(), "offline");
  globalThis.location = { protocol: "http:" };
  delete globalThis.Worker;
  assert.equal(new Lab().unavailable(), "noWorker");
});

test("a hunt: the worker starts once, a module worker next to the page's modules; progress, then the finding", async () => {
  const lab = new Lab();
  lab.huntWorkers = 1;
  const seen = [];
  const hunt = lab.hunt("ackBeforeDurable", { start: 5, max: 10, onProgress: (p) => seen.push(p.type) });
  const w = FakeWorker.last;
  assert.match(w.url, /\/lab\/worker\.js$/);
  assert.equal(w.options.type, "module");
  w.emit({ type: "ready", ms: 12, bytes: 100 });
  await tick();
  const id = w.posted[0].hunt;
  assert.deepEqual(w.posted, [{ op: "hunt", hunt: id, bug: "ackBeforeDurable", start: 5, step: 1, max: 10, sliceMs: undefined }]);
  w.emit({ type: "progress", hunt: id, ran: 3, next: 8, liveness: 0, ms: 200 });
  w.emit({ type: "progress", hunt: id - 1, ran: 99, next: 8, liveness: 0, ms: 200 }); // an earlier hunt's: ignored
  w.emit({ type: "found", hunt: id, ran: 4, next: 9, liveness: 0, ms: 250, found: { seed: 8, check: "invariants" } });
  const r = await hunt;
  assert.equal(r.found.seed, 8);
  assert.equal(r.ran, 4);
  assert.deepEqual(seen, ["progress", "found"]);
  assert.deepEqual(lab.stats, { ms: 12, bytes: 100 });
  // a second hunt uses the same worker, from a random seed below 2^40
  const again = lab.hunt("ackBeforeDurable", {});
  await tick();
  assert.equal(FakeWorker.last, w);
  const { start, hunt: id2 } = w.posted[1];
  assert.ok(Number.isSafeInteger(start) && start >= 1 && start <= 2 ** 40, `start ${start}`);
  lab.stop();
  assert.deepEqual(w.posted[2], { op: "stop" });
  w.emit({ type: "done", hunt: id2, ran: 7, next: start + 7, ms: 300, stopped: true });
  assert.equal(await again, null);
});

test("a hunt on three workers: each takes every third seed of its share, the counts add up, the first finding stops the others", async () => {
  const lab = new Lab();
  lab.huntWorkers = 3;
  const seen = [];
  const hunt = lab.hunt("voteWithoutLogCheck", { start: 10, max: 8, onProgress: (p) => seen.push([p.type, p.ran, p.workers]) });
  const ws = [];
  for (let i = 0; i < 3; i++) ws.push(globalThis.__fakeWorkers[i]);
  for (const w of ws) w.emit({ type: "ready", ms: 1, bytes: 1 });
  await tick();
  const id = ws[0].posted[0].hunt;
  assert.deepEqual(ws.map((w) => [w.posted[0].start, w.posted[0].step, w.posted[0].max]), [[10, 3, 3], [11, 3, 3], [12, 3, 2]]);
  ws[0].emit({ type: "progress", hunt: id, ran: 2, liveness: 0, ms: 10 });
  ws[1].emit({ type: "done", hunt: id, ran: 3, liveness: 1, ms: 10 });
  ws[2].emit({ type: "found", hunt: id, ran: 1, liveness: 0, ms: 10, found: { seed: 12 } });
  const r = await hunt;
  assert.equal(r.found.seed, 12);
  assert.equal(r.ran, 6);
  assert.equal(r.liveness, 1);
  assert.deepEqual(seen, [["progress", 2, 3], ["progress", 5, 3], ["found", 6, 3]]);
  assert.deepEqual(ws[0].posted.at(-1), { op: "stop" });
  assert.deepEqual(ws[1].posted.at(-1), { op: "stop" });
  assert.equal(ws[2].posted.length, 1);
});

test("views: answers find their request by id; an error fails only its own", async () => {
  const lab = new Lab();
  const a = lab.view("share-a", 100);
  const b = lab.view("share-b");
  const w = FakeWorker.last;
  w.emit({ type: "ready", ms: 1, bytes: 1 });
  await tick();
  const [pa, pb] = w.posted;
  assert.deepEqual([pa.op, pa.share, pa.at, pb.share, pb.at], ["view", "share-a", 100, "share-b", -1]);
  assert.notEqual(pa.id, pb.id);
  w.emit({ type: "error", id: pb.id, message: "bad share" });
  w.emit({ type: "result", id: pa.id, value: { now: 100 } });
  assert.deepEqual(await a, { now: 100 });
  await assert.rejects(b, /bad share/);
});

test("a worker that cannot start fails the hunt and the view waiting for it; closing fails what waits", async () => {
  const lab = new Lab();
  const hunt = lab.hunt("ackBeforeDurable", { start: 1 });
  const view = lab.view("s");
  FakeWorker.last.emit({ type: "error", message: "could not load raft-lab.wasm: HTTP 404" });
  await assert.rejects(hunt, /HTTP 404/);
  await assert.rejects(view, /HTTP 404/);
  // the next use starts a new worker
  const lab2 = new Lab();
  const v = lab2.view("s");
  const w = FakeWorker.last;
  w.emit({ type: "ready", ms: 1, bytes: 1 });
  await tick();
  lab2.close();
  assert.ok(w.terminated);
  await assert.rejects(v, /closed/);
});
