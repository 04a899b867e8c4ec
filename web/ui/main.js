// The main page: mounts the sandbox into <main>, reads the run from the URL
// fragment (#share=…, or #nodes=5&seed=3&bug=…&scenario=…&lang=zh&tutorial=1),
// exposes window.sandbox and fires "raft-sandbox-ready".
//
// index.html preloads the wasm and every module, so all of them are here by
// the time this module runs. It asks for the cluster first (loadSandbox
// starts compiling the preloaded wasm) and builds the controls at once, in
// the same task: the page shows them, with "Starting the cluster…" in the
// picture, while the wasm compiles and Go starts. (With app.js imported
// dynamically, after loadSandbox, its evaluation waited behind the wasm's
// compile: the controls came at ~750 ms instead of ~360 ms, and the first
// frame 50 ms later: docs/page.md, "First frame".)

import "../wasm_exec.js";
import { loadSandbox } from "../raft-sandbox.js";
import { initialConfig, linkProblems, speedExp } from "./config.js";
import { mountSandbox } from "./app.js";

const params = new URLSearchParams(location.hash.slice(1));

// How long after the controls the starting picture waits for the cluster
// (on this machine, calm, the cluster comes ~150 ms after the controls).
const START_PICTURE_DELAY_MS = 250;

const opts = {
  main: true,
  api: { loadSandbox }, // the app's own import of the API would cost a task (app.js start)
  controls: "full",
  lang: params.get("lang") || localStorage.getItem("rs-lang") || undefined,
  share: params.get("share") || undefined,
  at: params.get("at") || undefined, // with share: the moment shown (a link made while rewound)
  nodes: params.get("nodes") || undefined,
  seed: params.get("seed") || undefined,
  bug: params.get("bug") || undefined, // one of the core's deliberate bugs (config.js BUG_NAMES)
  scenario: params.get("scenario") || undefined,
  tutorial: params.has("tutorial") ? params.get("tutorial") : undefined,
  autoplay: !params.has("paused") || !["", "1"].includes(params.get("paused")),
  speedExp: speedExp(params.get("speed") ?? undefined),
  // values the page cannot use are reported, not silently replaced
  linkProblems: linkProblems((k) => params.get(k) ?? undefined, [...new Set(params.keys())]),
  onSandbox(sb) {
    window.sandbox = sb;
  },
  onLang(lang) {
    localStorage.setItem("rs-lang", lang);
  },
};

// When index.html's early compile (sandbox/early.js) is done already, the
// cluster is drawn in this very task, tens of milliseconds from now: the
// pre-rendered starting picture (first-paint.js) would only be one more
// download whose SVG the main thread parses, lays out and paints just
// before the first frame. So too when the wasm's last byte is in (its
// resource timing entry exists once its response ended): what is left of
// the compile (the last chunks' decoding, FinishStreaming) waits only for
// the main thread, which the picture would take. While the wasm is still on
// its way, the picture shows. (Read before loadSandbox, which takes the
// early module.)
const early = globalThis.__raftSandboxEarly;
opts.noStartPicture = !!early && (early.compiled === true || performance.getEntriesByName(early.url, "resource").length > 0);
// Otherwise the picture is asked for only if the cluster is not drawn within
// this time after the controls (layout.js): a quick load does without it.
opts.startPictureDelay = START_PICTURE_DELAY_MS;

// a failure here is reported by the app, which makes the same call again
const first = initialConfig(opts);
opts.first = { cfg: first, sandbox: loadSandbox(first) };
opts.first.sandbox.then(() => performance.mark("rs-sandbox-loaded"), () => {});

performance.mark("rs-page-start");
const app = mountSandbox(document.getElementById("app"), opts);
performance.mark("rs-page-built");

window.__frameStats = app.stats;
window.__app = app;

// A run that cannot start (a malformed share link or scenario) is already
// reported in the page's message box: handled here, not left uncaught.
app.ready.then(
  () => window.dispatchEvent(new Event("raft-sandbox-ready")),
  () => {},
);
