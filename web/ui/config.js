// What the page asks loadSandbox for first, from its options (the URL
// fragment or the element's attributes). A module without imports: the main
// page evaluates it, and starts loading the wasm with it, before the rest of
// the UI has arrived.

// The built-in scenarios of the tutorial, in chapter order
// (sim/scenario/builtin/N-name.scn).
export const CHAPTERS = ["single-node", "states", "election", "leader-crash", "split-vote", "replication", "partition"];

// The settings offer 1-9 nodes; a URL may ask for more (up to the API's
// limit), for benchmarks.
export const MAX_PAGE_NODES = 9;
export const MAX_URL_NODES = 64;

// The core's deliberate bugs (the JS API's `bugs` option), offered one at a
// time by the settings' "Break it (what if)" choice and by `#bug=` in a URL.
export const BUG_NAMES = ["voteWithoutLogCheck", "commitOldTermByCount", "forgetVoteOnRestart", "ackBeforeDurable"];

// initialConfig: a share string or a scenario fixes the whole cluster by
// itself; a tutorial chapter is a built-in scenario; otherwise a fresh
// cluster (with opts.bug, one of BUG_NAMES, switched on; an unknown name is
// ignored).
export function initialConfig(opts) {
  if (opts.tutorial !== undefined && opts.tutorial !== null) return { scenario: CHAPTERS[tutorialIndex(opts.tutorial)] };
  if (opts.share) return { share: opts.share };
  if (opts.scenario) return { scenario: String(opts.scenario) };
  const cfg = { nodes: clampInt(opts.nodes, 1, MAX_URL_NODES, 5), seed: clampInt(opts.seed, 1, 999999999, 1) };
  if (BUG_NAMES.includes(opts.bug)) cfg.bugs = { [opts.bug]: true };
  return cfg;
}

// bugOf returns the bug switched on in a configuration's bugs object (the
// first of BUG_NAMES that is true), or "" for none.
export function bugOf(bugs) {
  return (bugs && BUG_NAMES.find((b) => bugs[b] === true)) || "";
}

// tutorialIndex turns a chapter number from a URL (1-based) into an index.
export function tutorialIndex(v) {
  return Math.max(0, Math.min(CHAPTERS.length - 1, (parseInt(v, 10) || 1) - 1));
}

export function clampInt(v, lo, hi, dflt) {
  const n = Math.round(Number(v));
  if (!Number.isFinite(n) || v === "" || v === null || v === undefined) return dflt;
  return Math.max(lo, Math.min(hi, n));
}
