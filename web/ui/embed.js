// embed.html's sandbox, for an iframe, configured by the URL fragment,
// e.g. embed.html#nodes=5&scenario=partition&lang=en&controls=minimal.
// embed-paint.js loads it once the starting picture is painted.
// Keys: nodes, seed, bug, scenario, share (at: the moment shown), lang, controls,
// speed, paused=1; values it cannot use are reported (config.js linkProblems).
// Like main.js, it asks for the cluster and builds the controls in the same
// task, so they show while the wasm compiles.

import "../wasm_exec.js";
import { loadSandbox } from "../raft-sandbox.js";
import { CONTROLS, EMBED_KEYS, initialConfig, linkProblems, speedExp } from "./config.js";
import { mountSandbox } from "./app.js";

const p = new URLSearchParams(location.hash.slice(1));
const opts = {
  keys: window,
  controls: CONTROLS.includes(p.get("controls")) ? p.get("controls") : "minimal",
  lang: p.get("lang") || undefined,
  nodes: p.get("nodes") || undefined,
  seed: p.get("seed") || undefined,
  bug: p.get("bug") || undefined,
  scenario: p.get("scenario") || undefined,
  share: p.get("share") || undefined,
  at: p.get("at") || undefined,
  autoplay: !p.has("paused") || !["", "1"].includes(p.get("paused")),
  speedExp: speedExp(p.get("speed") ?? undefined),
  linkProblems: linkProblems((k) => p.get(k) ?? undefined, [...new Set(p.keys())], EMBED_KEYS),
  onSandbox(sb) {
    window.sandbox = sb;
  },
};
const first = initialConfig(opts);
opts.first = { cfg: first, sandbox: loadSandbox(first) };
opts.first.sandbox.catch(() => {});

const el = document.getElementById("app");
// the starting picture embed-paint.js has shown: the
// sandbox lays it over its cluster until the first live frame
opts.early = document.getElementById("rs-early-paint") || undefined;
const app = mountSandbox(el, { ...opts, host: el });
window.__frameStats = app.stats;
window.__app = app; // for tests, as on index.html
document.title = app.t("app.title"); // in the embed's language, for screen readers
// a run that cannot start is reported in the embed's message box (handled, not uncaught)
app.ready.then(
  () => window.dispatchEvent(new Event("raft-sandbox-ready")),
  () => {},
);
