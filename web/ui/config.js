// What the page asks loadSandbox for first, from its options (the URL
// fragment or the element's attributes). It imports only Go's facts (the bug
// names, the node limit, the defaults) from sandbox/facts.js, a small module
// with no imports, not from the JS API (raft-sandbox.js re-exports them): an
// embed's first picture needs this module and first-paint.js, and importing
// the JS API here put its 38 KB on that picture's path (docs/deploy.md,
// "First paint").

import { bugNames, limits, defaults } from "../sandbox/facts.js";

// The built-in scenarios of the tutorial, in chapter order
// (sim/scenario/builtin/N-name.scn): the seed's story (chapters 1 to 7),
// then "Raft in depth" (from DEEP_FROM, 0-based: chapters 8 to 14).
export const CHAPTERS = ["single-node", "states", "election", "leader-crash", "split-vote", "replication", "partition",
  "figure8", "prevote", "checkquorum", "snapshot", "membership", "reads", "transfer"];
export const DEEP_FROM = 7;

// The settings offer 1-9 nodes; a URL may ask for more (up to the API's
// limit), for benchmarks.
export const MAX_PAGE_NODES = 9;
export const MAX_URL_NODES = limits.maxNodes;

// The core's deliberate bugs (the JS API's `bugs` option), offered one at a
// time by the settings' "Break it (what if)" choice and by `#bug=` in a URL.
// (Go's raft.BugList, through raft-sandbox.js.)
export const BUG_NAMES = bugNames;

// initialConfig: a share string or a scenario fixes the whole cluster by
// itself; a tutorial chapter is a built-in scenario; otherwise a fresh
// cluster (with opts.bug, one of BUG_NAMES, switched on; an unknown name is
// ignored).
export function initialConfig(opts) {
  if (opts.tutorial !== undefined && opts.tutorial !== null) return { scenario: CHAPTERS[tutorialIndex(opts.tutorial)] };
  if (opts.share) return { share: opts.share };
  if (opts.scenario) return { scenario: String(opts.scenario) };
  const cfg = { nodes: clampInt(opts.nodes, 1, MAX_URL_NODES, defaults.nodes), seed: clampInt(opts.seed, 1, MAX_SEED, defaults.seed) };
  if (BUG_NAMES.includes(opts.bug)) cfg.bugs = { [opts.bug]: true };
  return cfg;
}

// bugOf returns the bug switched on in a configuration's bugs object (the
// first of BUG_NAMES that is true), or "" for none.
export function bugOf(bugs) {
  return (bugs && BUG_NAMES.find((b) => bugs[b] === true)) || "";
}

// tutorialIndex turns a chapter number from a URL (1-based; "5" or "5.3"
// for chapter 5, beat 3) into an index.
export function tutorialIndex(v) {
  return Math.max(0, Math.min(CHAPTERS.length - 1, (parseInt(v, 10) || 1) - 1));
}

// tutorialBeat is the beat of "5.3" as an index (2); 0 without one. The
// tutorial clamps it to the chapter's beats.
export function tutorialBeat(v) {
  const m = /^\s*\d+\.(\d+)\s*$/.exec(String(v ?? ""));
  return m ? Math.max(0, parseInt(m[1], 10) - 1) : 0;
}

export function clampInt(v, lo, hi, dflt) {
  const n = Math.round(Number(v));
  if (!Number.isFinite(n) || v === "" || v === null || v === undefined) return dflt;
  return Math.max(lo, Math.min(hi, n));
}

// The settings a page link (#key=value&…) or a <raft-sandbox> element may
// carry, and the speeds the slider offers.
export const LINK_KEYS = ["share", "at", "nodes", "seed", "bug", "scenario", "tutorial", "lang", "speed", "paused"];
// embed.html and the element also take controls (the page always has all).
export const EMBED_KEYS = ["share", "at", "nodes", "seed", "bug", "scenario", "lang", "speed", "paused", "controls"];
export const CONTROLS = ["full", "minimal", "none"];
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 10;
export const MAX_SEED = 999999999;

// linkProblems checks the settings of a link or an element before the page
// uses them: get(name) returns a setting's text (undefined when absent);
// keys, when given, are every name present (a URL's: one not in known is
// reported; an element's other attributes are its own business). It returns
// one { key, params } per problem, key naming a translation (web/i18n) that
// says what was wrong and what the page does instead; the page still opens,
// with the nearest values, as initialConfig gives them.
export function linkProblems(get, keys, known = LINK_KEYS) {
  const out = [];
  const add = (key, params) => out.push({ key, params });
  const has = (k) => get(k) !== undefined && get(k) !== null;
  const whole = (v) => /^\s*[0-9]+\s*$/.test(String(v));
  const within = (v, lo, hi) => whole(v) && Number(v) >= lo && Number(v) <= hi;
  for (const k of keys || []) {
    if (!known.includes(k)) add("link.unknown", { key: k, known: known.join(", ") });
  }
  // what fixes the whole cluster by itself (initialConfig's order)
  const tutorial = known.includes("tutorial") && has("tutorial");
  const fixedBy = tutorial ? "tutorial" : has("share") ? "share" : has("scenario") ? "scenario" : "";
  for (const k of ["nodes", "seed", "bug"]) {
    if (fixedBy && has(k)) add("link.ignored", { key: k, value: get(k), by: fixedBy });
  }
  if (fixedBy === "tutorial" && (has("share") || has("scenario"))) add("link.ignored", { key: has("share") ? "share" : "scenario", value: "…", by: "tutorial" });
  if (!fixedBy) {
    if (has("nodes")) {
      const v = get("nodes");
      if (!within(v, 1, MAX_URL_NODES)) add("link.nodes", { value: v, max: MAX_URL_NODES, used: clampInt(v, 1, MAX_URL_NODES, defaults.nodes) });
    }
    if (has("seed")) {
      const v = get("seed");
      if (!within(v, 1, MAX_SEED)) add("link.seed", { value: v, max: MAX_SEED, used: clampInt(v, 1, MAX_SEED, defaults.seed) });
    }
    if (has("bug") && get("bug") !== "" && !BUG_NAMES.includes(get("bug"))) add("link.bug", { value: get("bug"), names: BUG_NAMES.join(", ") });
  }
  if (tutorial) {
    const v = get("tutorial");
    const chapter = String(v).replace(/\.\d+$/, ""); // "5.3": chapter 5, beat 3
    if (v !== "" && !within(chapter, 1, CHAPTERS.length)) add("link.tutorial", { value: v, max: CHAPTERS.length, used: tutorialIndex(v) + 1 });
  }
  if (has("at")) {
    const v = get("at");
    if (!has("share")) add("link.atNoShare", { value: v });
    else if (!whole(v)) add("link.at", { value: v });
  }
  if (has("speed")) {
    const v = get("speed"), n = Number(v);
    if (String(v).trim() === "" || !Number.isFinite(n) || n < MIN_SPEED || n > MAX_SPEED) {
      add("link.speed", { value: v, min: MIN_SPEED, max: MAX_SPEED, used: speedOf(v) });
    }
  }
  if (has("lang") && !["en", "zh"].includes(String(get("lang")).toLowerCase().split(/[-_]/)[0])) add("link.lang", { value: get("lang") });
  if (has("paused") && !["", "0", "1"].includes(get("paused"))) add("link.paused", { value: get("paused") });
  if (known.includes("controls") && has("controls") && !CONTROLS.includes(get("controls"))) add("link.controls", { value: get("controls"), names: CONTROLS.join(", ") });
  return out;
}

// speedExp turns a speed from a link (times real time) into the slider's
// exponent (100 × log10), within MIN_SPEED..MAX_SPEED; undefined when absent.
export function speedExp(v) {
  if (v === undefined || v === null) return undefined;
  return Math.round(Math.log10(speedOf(v)) * 100);
}

// The page's speed when a link gives none it can use: a tenth of real time.
export const DEFAULT_SPEED = 0.1;

function speedOf(v) {
  const n = Number(v);
  if (String(v).trim() === "" || !Number.isFinite(n) || n <= 0) return DEFAULT_SPEED;
  return Math.max(MIN_SPEED, Math.min(MAX_SPEED, n));
}
