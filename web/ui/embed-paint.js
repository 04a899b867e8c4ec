// embed.html's entry. It shows the pre-rendered picture of the starting
// moment that the URL fragment names where the sandbox will be (it imports
// only first-paint.js and config.js, preloaded by embed.html), waits until
// the picture is painted, and only then loads the sandbox (embed.js), whose
// modules and wasm would otherwise compete with the picture for the network
// and the main thread. The sandbox lays the same picture over its cluster
// until its first live frame (first-paint.js adoptFirstPaint).

import { firstPaint, startAlt } from "./first-paint.js";

// early returns the picture element, showing it first if it is not yet
// (null when there is no picture for this fragment).
export function early() {
  const have = document.getElementById("rs-early-paint");
  if (have) return have;
  const app = document.getElementById("app");
  if (!app || app.firstElementChild || new URLSearchParams(location.search).has("dev-fake")) return null;
  const p = new URLSearchParams(location.hash.slice(1));
  const opts = { share: p.get("share") || undefined, scenario: p.get("scenario") || undefined, nodes: p.get("nodes") || undefined };
  const el = firstPaint(opts, p.get("lang") || undefined, startAlt(p.get("lang") || undefined), false);
  if (el) {
    el.id = "rs-early-paint";
    app.before(el);
  }
  return el;
}

// painted resolves once the picture has been painted (decoded, then one
// frame), or after limitMs, whichever comes first: building the sandbox
// keeps the main thread busy, and the picture should not wait for it.
export function painted(el, limitMs) {
  const img = el && el.querySelector("img");
  if (!img) return Promise.resolve();
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const shown = img.decode().then(frame, () => {});
  return Promise.race([shown, new Promise((r) => setTimeout(r, limitMs))]);
}

performance.mark("rs-early-paint");
await painted(early(), 400);
await import("./embed.js");
