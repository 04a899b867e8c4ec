// Taking the run out of the page: the share dialog (a link that reopens the
// exact run at the exact moment, and an iframe to embed it), the trace as
// JSON and the run as a Go test.
//
// Also a picture of the moment shown: its /render.svg link (drawn by the
// server: sim/render), a Markdown snippet, and "Download picture", which
// saves the page's own picture (pictureSVG: the cluster and the logs as
// drawn, their computed styles written into the file). The wasm could draw
// the picture with sim/render instead, but that costs it 117 KB raw and
// 25 KB brotli (measured, docs/deploy.md), which its size budget has not.
//
// Interface: new Share(app), dlg, open(), exportTrace(), exportGoTest(),
// updateExportGo(), downloadPicture(), pictureSVG().

import { h, setText } from "./dom.js";
import { pictureLink } from "./first-paint.js";
import { fmtTime } from "./narration.js";

export class Share {
  constructor(app) {
    this.app = app;
    this.input = h("input", { type: "text", readonly: true, class: "rs-share-input rs-share-link", "data-i18n-attr": "aria-label:share.link" });
    this.status = h("p", { class: "rs-muted", role: "status" });
    this.embed = h("input", { type: "text", readonly: true, class: "rs-share-input", "data-i18n-attr": "aria-label:share.embed" });
    const copy = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "share.copy", onclick: () => this.copy() });
    const close = h("button", { type: "button", class: "rs-btn", "data-i18n": "dlg.close", onclick: () => this.dlg.close() });
    this.picture = h("input", { type: "text", readonly: true, class: "rs-share-input rs-share-picture", "data-i18n-attr": "aria-label:share.picture" });
    this.markdown = h("input", { type: "text", readonly: true, class: "rs-share-input rs-share-markdown", "data-i18n-attr": "aria-label:share.markdown" });
    const download = h("button", { type: "button", class: "rs-btn rs-share-download", "data-i18n": "share.download", onclick: () => this.downloadPicture() });
    // what needs the site (an embed, a picture drawn by the server); the
    // offline file, opened from file://, offers the share string instead
    this.online = h("div", { class: "rs-share-online" },
      h("h3", { class: "rs-h3", "data-i18n": "share.embedTitle" }),
      this.embed,
      h("h3", { class: "rs-h3", "data-i18n": "share.pictureTitle" }),
      h("p", { class: "rs-muted", "data-i18n": "share.pictureIntro" }),
      h("label", { class: "rs-share-label" }, h("span", { "data-i18n": "share.picture" }), this.picture),
      h("label", { class: "rs-share-label" }, h("span", { "data-i18n": "share.markdown" }), this.markdown),
      h("div", { class: "rs-dlg-actions" }, download));
    this.intro = h("p", { "data-i18n": "share.intro" });
    this.offlineNote = h("p", { class: "rs-share-offline", "data-i18n": "share.offline", hidden: true });
    this.dlg = h("dialog", { class: "rs-dlg rs-share-dlg" },
      h("h2", { class: "rs-h", "data-i18n": "share.title" }),
      this.intro,
      this.offlineNote,
      this.input,
      h("div", { class: "rs-dlg-actions" }, copy, close),
      this.status,
      this.online);
  }

  // offline: this is the offline file (a page from file://), where only a
  // share string can travel: no site to link to, embed or draw pictures.
  get offline() {
    return location.protocol === "file:";
  }

  open() {
    const app = this.app;
    if (app.notReady()) return;
    let code;
    try {
      code = app.sb.share();
    } catch (e) {
      return app.notices.showException(e);
    }
    // rewound: the link holds the whole run and the moment shown (at)
    const at = app.history.rewound ? "&at=" + app.sb.now : "";
    const page = app.opts.main ? new URL(location.href) : new URL("../index.html", import.meta.url);
    page.hash = "share=" + code + at;
    const offline = this.offline;
    this.input.value = offline ? code + at : page.href;
    this.intro.hidden = offline;
    this.offlineNote.hidden = !offline;
    this.online.hidden = offline;
    this.input.setAttribute("aria-label", this.app.t(offline ? "share.string" : "share.link"));
    const embed = new URL("../embed.html", import.meta.url);
    embed.hash = "share=" + code + at + "&lang=" + app.lang;
    this.embed.value = `<iframe src="${embed.href}" width="720" height="560" title="Raft Sandbox" loading="lazy"></iframe>`;
    // the picture of the moment shown (rewound too: the whole run, drawn at now)
    const pic = pictureLink(code, app.sb.now, app.lang);
    this.picture.value = pic;
    const alt = app.t("share.pictureAlt", { time: fmtTime(app.t, app.sb.now) }).replace(/[[\]]/g, "");
    this.markdown.value = pic ? `[![${alt}](${pic})](${page.href})` : "";
    setText(this.status, "");
    if (app.opts.main && !offline) history.replaceState(null, "", page.href);
    this.dlg.showModal();
    this.input.select();
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.input.value);
      setText(this.status, this.app.t("share.copied"));
    } catch {
      this.input.select();
      setText(this.status, this.app.t("share.copyManually"));
    }
  }

  exportTrace() {
    const app = this.app;
    if (app.notReady()) return;
    const trace = {
      format: "raft-sandbox-trace",
      version: 1,
      share: app.sb.share(),
      actions: app.actionList.filter((a) => a.at <= app.sb.now),
      events: app.sb.events(0),
      state: app.sb.state(),
    };
    download("raft-trace.json", "application/json", JSON.stringify(trace, null, 2));
  }

  // pictureSVG returns the page's picture of the moment shown as one
  // standalone SVG document: a header (the time), the cluster as drawn, the
  // logs as drawn, on the page's panel colour.
  pictureSVG() {
    const app = this.app;
    const NS = "http://www.w3.org/2000/svg";
    const cluster = inlined(app.cluster.svg);
    const logs = inlined(app.logs.svg);
    const [, , lw, lh] = (app.logs.svg.getAttribute("viewBox") || "0 0 720 60").split(/\s+/).map(Number);
    const W = Math.max(720, lw);
    const H = 36 + 420 + lh;
    const out = document.createElementNS(NS, "svg");
    out.setAttribute("xmlns", NS);
    out.setAttribute("viewBox", `0 0 ${W} ${H}`);
    out.setAttribute("width", String(W));
    out.setAttribute("height", String(H));
    const panel = getComputedStyle(app.el).getPropertyValue("--panel").trim() || "#fff";
    const text = getComputedStyle(app.el).getPropertyValue("--text").trim() || "#1d2633";
    const bg = document.createElementNS(NS, "rect");
    for (const [k, v] of Object.entries({ width: W, height: H, rx: 12, fill: panel })) bg.setAttribute(k, v);
    const time = document.createElementNS(NS, "text");
    for (const [k, v] of Object.entries({ x: W - 16, y: 24, "text-anchor": "end", "font-size": 14, "font-weight": 600, fill: text, "font-family": "system-ui, sans-serif" })) time.setAttribute(k, v);
    time.textContent = fmtTime(app.t, app.sb ? app.sb.now : 0);
    const place = (svg, x, y, w, hgt) => {
      for (const [k, v] of Object.entries({ x, y, width: w, height: hgt })) svg.setAttribute(k, v);
      svg.removeAttribute("role");
      return svg;
    };
    out.append(bg, time, place(document.importNode(cluster, true), 40, 36, 640, 420), place(document.importNode(logs, true), 0, 456, lw, lh));
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out) + "\n";
  }

  downloadPicture() {
    const app = this.app;
    if (app.notReady()) return;
    download(`raft-sandbox-${app.sb.now}ms.svg`, "image/svg+xml", this.pictureSVG());
  }

  // The Go test export needs sandbox.exportGoTest() (a newer JS API), which
  // runs in the lab's wasm: the offline file has none. Without either the
  // button stays, disabled, and its tooltip says why.
  canExportGo() {
    return !!this.app.sb && typeof this.app.sb.exportGoTest === "function" && !this.offline;
  }

  exportGoWhyNot() {
    return this.offline ? "set.exportGo.offline" : "set.exportGo.missing";
  }

  updateExportGo() {
    const ok = this.canExportGo();
    const btn = this.app.exportGoBtn;
    btn.setAttribute("aria-disabled", ok ? "false" : "true");
    btn.title = this.app.t(ok ? "set.exportGo.title" : this.exportGoWhyNot());
  }

  // exportGoTest downloads the run as a Go test (the API writes it, in the
  // lab's wasm, loaded on the first export) and resolves to its text.
  async exportGoTest() {
    const app = this.app;
    if (app.notReady()) return null;
    if (!this.canExportGo()) {
      app.notices.flash(app.t(this.exportGoWhyNot()));
      return null;
    }
    if (this.exporting) return null; // one at a time: the first loads the lab
    this.exporting = true;
    try {
      // rewound: the whole recorded run, checked at its end (the replay
      // shown holds later actions than its present)
      const src = await app.history.whole.exportGoTest();
      download("raft_sandbox_test.go", "text/x-go", src);
      app.say(app.t("note.exportedGo"));
      return src;
    } catch (e) {
      app.notices.showException(e);
      return null;
    } finally {
      this.exporting = false;
    }
  }
}

// The presentation properties a picture needs from the page's stylesheet.
const STYLE_PROPS = ["fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-dasharray", "stroke-dashoffset",
  "stroke-linecap", "opacity", "font-size", "font-weight", "font-family", "dominant-baseline", "text-decoration", "display"];

// inlined copies an SVG drawn by the page into a document of its own (an
// inert one: the page's CSP forbids style attributes, and they are not
// needed) with every computed style that matters written into its elements
// as presentation attributes, so that it looks the same alone.
function inlined(svg) {
  // (without the style attributes the page set through the CSSOM: the
  // computed styles below carry them, and the CSP refuses to parse them)
  const text = new XMLSerializer().serializeToString(svg).replace(/ style="[^"]*"/g, "");
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const copy = doc.documentElement;
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [copy, ...copy.querySelectorAll("*")];
  from.forEach((el, i) => {
    const cs = getComputedStyle(el);
    for (const p of STYLE_PROPS) to[i].setAttribute(p, cs.getPropertyValue(p));
    for (const a of ["class", "style", "tabindex", "role", "aria-label", "aria-pressed", "aria-roledescription", "data-node", "data-msg"]) to[i].removeAttribute(a);
  });
  return copy;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
