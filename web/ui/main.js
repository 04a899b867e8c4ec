// The main page: mounts the sandbox into <main>, reads the run from the URL
// fragment (#share=…, or #nodes=5&seed=3&scenario=…&lang=zh&tutorial=1),
// exposes window.sandbox and fires "raft-sandbox-ready".

import { mountSandbox } from "./app.js";

const params = new URLSearchParams(location.hash.slice(1));
const query = new URLSearchParams(location.search);

const app = mountSandbox(document.getElementById("app"), {
  main: true,
  controls: "full",
  lang: params.get("lang") || localStorage.getItem("rs-lang") || undefined,
  share: params.get("share") || undefined,
  nodes: params.get("nodes") || undefined,
  seed: params.get("seed") || undefined,
  scenario: params.get("scenario") || undefined,
  tutorial: params.has("tutorial") ? params.get("tutorial") : undefined,
  autoplay: params.get("paused") !== "1",
  speedExp: params.has("speed") ? Math.round(Math.log10(Number(params.get("speed")) || 0.1) * 100) : undefined,
  fake: query.has("dev-fake"),
  onSandbox(sb) {
    window.sandbox = sb;
  },
  onLang(lang) {
    localStorage.setItem("rs-lang", lang);
  },
});

window.__frameStats = app.stats;
window.__app = app;

app.ready.then(() => {
  window.dispatchEvent(new Event("raft-sandbox-ready"));
});
