// The facts the JS API shares with Go: operation numbers, limits, option
// ranges, defaults, bug names and message kinds. The block between the
// markers is written by the build from wasm/bridge/facts.go
// (tools/build/facts.go; TestJSFactsCurrent fails when it is stale): edit
// the Go side, never this block. raft-sandbox.js re-exports the public ones.

// ---- facts from Go (wasm/bridge/facts.go), written by the build: do not edit

// Operation numbers of __raftSandbox.call (wasm/bridge/bridge.go, Op).
const OP = Object.freeze({
  tick: 1, advance: 2, step: 3, partition: 4, heal: 5, crash: 6, restart: 7, timeout: 8, request: 9,
  addNode: 10, removeNode: 11, transferLeadership: 12, dropMessage: 13, holdMessage: 14, cut: 15,
  configure: 16, state: 17, events: 18, actions: 19, share: 20, reset: 21, rewindTo: 22, now: 23,
  config: 24, exportGoTest: 25, beats: 26, checkBeat: 27, message: 28,
});

/** Limits of the API (the Go side enforces the same ones). */
export const limits = Object.freeze({
  maxNodes: 64,
  maxTicks: 100000,
  maxAdvanceMs: 3600000,
  maxCommandLength: 200,
  maxIdLength: 16,
  maxMessageId: 2147483647,
  maxShareLength: 1048576,
  maxScenarioLength: 1048576,
  maxExportName: 200,
  maxExportComment: 2000,
  maxImportPath: 200,
});

/** The ranges of the whole-number options, by their key in the options string (options.go). */
export const optionRanges = Object.freeze({
  nodes: Object.freeze([1, 64]),
  tickMs: Object.freeze([1, 1000]),
  electionMinMs: Object.freeze([1, 600000]),
  electionMaxMs: Object.freeze([2, 600000]),
  heartbeatMs: Object.freeze([1, 600000]),
  latencyMinMs: Object.freeze([0, 60000]),
  latencyMaxMs: Object.freeze([0, 60000]),
  snapshotEvery: Object.freeze([0, 1000000]),
});

/** A new cluster's defaults, with the option names of loadSandbox (scenario.Defaults). */
export const defaults = Object.freeze({
  nodes: 5,
  seed: 1,
  tickMs: 10,
  electionTimeoutMs: Object.freeze([150, 300]),
  heartbeatMs: 50,
  latencyMs: Object.freeze([20, 40]),
  snapshotEvery: 1000,
});

/** The core's deliberate bugs, the keys of the `bugs` option (raft.BugList). */
export const bugNames = Object.freeze(["voteWithoutLogCheck", "commitOldTermByCount", "forgetVoteOnRestart", "ackBeforeDurable", "readWithoutReadIndex"]);

/** What a message in flight is drawn as: state().messages[].kind (sim.MessageKinds). */
export const messageKinds = Object.freeze(["vote", "prevote", "vote-resp", "append", "heartbeat", "append-resp", "snapshot", "timeoutnow", "other"]);

// ---- end of the facts from Go

export { OP };
