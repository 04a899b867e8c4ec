// The page's frames read state() in the frame form (wasm/bridge/frame.go,
// web/sandbox/wire.js readFrame) into the objects of the last frame: at
// every moment of a busy run (crashes, partitions, requests, membership
// changes, held and dropped messages, snapshots, rewinds) the frame equals
// state({ logTail }) field for field, whether frames follow one another or
// state() calls come in between (state() reads a whole frame, sent anew,
// into new objects; a frame after a frame carries only what changed). Replay a failure with the seed it prints:
//
//   FRAME_SEED=<seed> node --test web/test/frame.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";

import { load, prng } from "./helpers.mjs";

const FRAME = Symbol.for("raft-sandbox.frame");
const SEED = Number(process.env.FRAME_SEED ?? Math.floor(Math.random() * 2 ** 31));

test(`frames equal state() through a busy run (FRAME_SEED=${SEED})`, async () => {
  await busyRun({ nodes: 5, seed: SEED % 1000, latencyMs: [5, 60], dropRate: 0.05, snapshotEvery: 15 }, 600, 8, 100);
});

test(`frames equal state() at 51 nodes (FRAME_SEED=${SEED})`, async () => {
  await busyRun({ nodes: 51, seed: SEED % 1000, latencyMs: [5, 60], dropRate: 0.02, snapshotEvery: 30 }, 120, 52, 1000);
});

// busyRun takes frames random steps of a sandbox made with options (at most
// maxNodes nodes), comparing every other frame with state(), and wants at
// least minReused messages read from the last frame's objects.
async function busyRun(options, frames, maxNodes, minReused) {
  const rnd = prng(SEED);
  const sb = await load(options);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  let last = null, compared = 0, reusedMsgs = 0;
  for (let i = 0; i < frames; i++) {
    const ids = sb.state().nodes.map((n) => n.id);
    const r = rnd();
    try {
      if (r < 0.04) sb.crash(pick(ids));
      else if (r < 0.08) sb.restart(pick(ids));
      else if (r < 0.11) sb.partition([[ids[0], ids[1]]]);
      else if (r < 0.14) sb.heal();
      else if (r < 0.3) sb.request(`SET ${pick(["x", "y", "z"])} ${i}`);
      else if (r < 0.32 && ids.length < maxNodes) sb.addNode();
      else if (r < 0.34 && ids.length > 3) sb.removeNode(pick(ids));
      else if (r < 0.37 && last && last.messages.length) sb.holdMessage(pick(last.messages).id, rnd() < 0.7);
      else if (r < 0.4 && last && last.messages.length) sb.dropMessage(pick(last.messages).id);
      else if (r < 0.42 && sb.now > 500) sb.rewindTo(sb.now - 300);
    } catch {
      // an action the moment refuses (no leader, a node already down): the run goes on
    }
    sb.advance(Math.floor(rnd() * 40));
    const tail = rnd() < 0.8 ? 16 : Math.floor(rnd() * 30);
    const before = last ? last.messages.slice() : [];
    const fr = sb[FRAME](tail);
    if (last) assert.equal(fr, last, "a frame is read into the last frame's objects");
    last = fr;
    reusedMsgs += fr.messages.filter((m) => before.includes(m)).length;
    // every other frame is compared (the rest run on from frame to frame)
    if (rnd() < 0.5) {
      const want = sb.state({ logTail: tail });
      assert.deepEqual(JSON.parse(JSON.stringify(fr)), JSON.parse(JSON.stringify(want)), `frame ${i} differs from state() (FRAME_SEED=${SEED})`);
      compared++;
    }
  }
  assert.ok(compared > frames / 3, `only ${compared} frames compared`);
  assert.ok(reusedMsgs > minReused, `only ${reusedMsgs} messages reused from the last frame`);
  sb.destroy();
}
