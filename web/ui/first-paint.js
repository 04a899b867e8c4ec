// The first paint: before the wasm has started, the page, the embed and
// <raft-sandbox> show the picture of their starting moment, pre-rendered by
// ./build.sh into pictures/ (package sim/render, the same renderer as the
// /render.svg picture links), and swap in the live cluster on its first
// frame. Also the picture links of the Share dialog.
//
// Only config.js is imported: embed.html loads this early (embed-paint.js),
// ahead of the rest of the UI.

import { CHAPTERS, MAX_PAGE_NODES, clampInt, tutorialIndex } from "./config.js";

// The site's root. (In the offline single file the modules are data: URLs,
// and nothing is relative to them: no pictures there.)
function root() {
  try {
    return new URL("../", import.meta.url);
  } catch {
    return null;
  }
}

// pictureLang is the language of the pictures for a requested language:
// as i18n.js pickLang chooses (the request, then the browser's), en or zh.
export function pictureLang(requested) {
  const tags = [requested, ...(globalThis.navigator ? navigator.languages || [navigator.language] : [])];
  for (const tag of tags) {
    const base = String(tag || "").toLowerCase().split(/[-_]/)[0];
    if (base === "en" || base === "zh") return base;
  }
  return "en";
}

// startPicture returns the URL of the pre-rendered picture of the moment a
// sandbox with these options starts at (the options of config.js
// initialConfig: tutorial, share, scenario, nodes), or "" when there is
// none: a share string or a script of one's own (only a server draws them:
// pictureLink), more nodes than the settings offer.
// The names are sim/render PictureFile and ClusterFile.
export function startPicture(opts, lang) {
  const suffix = pictureLang(lang) === "zh" ? ".zh.svg" : ".svg";
  let name = "";
  if (opts.tutorial !== undefined && opts.tutorial !== null) name = CHAPTERS[tutorialIndex(opts.tutorial)] + "-0ms";
  else if (opts.share) return "";
  else if (opts.scenario) name = CHAPTERS.includes(String(opts.scenario)) ? opts.scenario + "-0ms" : "";
  else {
    const n = clampInt(opts.nodes, 1, 64, 5);
    name = n <= MAX_PAGE_NODES ? "nodes-" + n : "";
  }
  const base = root();
  return name && base && base.protocol !== "data:" ? new URL("pictures/" + name + suffix, base).href : "";
}

// startAlt is the text of the starting picture for a reader that does not
// see it.
export function startAlt(lang) {
  return pictureLang(lang) === "zh" ? "Raft 沙盒：集群的起始状态" : "Raft Sandbox: the cluster at its start";
}

// pictureLink is the /render.svg link of a moment of a shared run (answered
// by serve.go and the Worker: docs/deploy.md, "Picture links").
export function pictureLink(share, at, lang) {
  const base = root();
  if (!base || base.protocol === "data:") return "";
  const u = new URL("render.svg", base);
  u.search = new URLSearchParams({ share, at: String(at), lang: pictureLang(lang) }).toString();
  return u.href;
}

// firstPaint returns an element showing the cluster of the picture of the
// starting moment (null when there is none), in a box of the cluster's own
// proportions, known before the picture has loaded (no layout shift).
// overlay: to lie exactly over a sandbox's own, still empty, cluster view
// until its first frame; else on its own (embed.html and <raft-sandbox>
// before the sandbox is built).
export function firstPaint(opts, lang, alt, overlay) {
  const src = startPicture(opts, lang);
  if (!src) return null;
  const img = document.createElement("img");
  img.src = src;
  img.alt = alt || "";
  img.setAttribute("elementtiming", "rs-first-paint"); // the embed budget's measure (e2e)
  img.fetchPriority = "high"; // ahead of the modules and the wasm that load meanwhile
  img.onerror = () => box.remove(); // a host without pictures/: the page as before
  const box = document.createElement("div");
  box.className = overlay ? "rs-first-paint cropped" : "rs-first-paint";
  if (overlay) img.setAttribute("aria-hidden", "true"); // the page's own picture is what is read
  box.append(img);
  return box;
}

// adoptFirstPaint turns a picture shown on its own (firstPaint) into the
// one a sandbox lays over its cluster: the same image element, loaded or
// painted already, moves instead of loading again.
export function adoptFirstPaint(el) {
  el.removeAttribute("id");
  el.className = "rs-first-paint cropped";
  const img = el.querySelector("img");
  if (img) img.setAttribute("aria-hidden", "true");
  return el;
}
