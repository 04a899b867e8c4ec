// <raft-sandbox>: a whole sandbox in one element, for blog posts.
//
//   <script type="module" src="/raft-sandbox.js"></script>
//   <raft-sandbox nodes="5" seed="1" scenario="partition" lang="zh" controls="minimal"></raft-sandbox>
//
// Attributes: nodes, seed, bug (one of the core's deliberate bugs, by its
// JS API name), scenario (a built-in name or script text), share,
// lang (en|zh), controls (full|minimal|none), speed (multiplier), paused.
// The element renders in its own shadow root with the page's stylesheet,
// loads nothing until it is scrolled near the viewport, draws no frames
// while off-screen, paused or in a hidden tab, and exposes .sandbox (null
// until ready) and a "raft-sandbox-ready" event.

import { mountSandbox } from "./app.js";
import { CONTROLS, EMBED_KEYS, linkProblems, speedExp } from "./config.js";
import { firstPaint, startAlt } from "./first-paint.js";

const STYLES = new URL("../styles.css", import.meta.url).href;

class RaftSandboxElement extends HTMLElement {
  static get observedAttributes() {
    return ["lang"];
  }

  constructor() {
    super();
    this.app = null;
    this.watcher = null;
  }

  get sandbox() {
    return this.app ? this.app.sb : null;
  }

  // ready resolves with the Sandbox once it runs. It rejects when the run
  // cannot start (a malformed share or scenario attribute); the element shows
  // the message itself, so a page that does not wait for ready gets no
  // uncaught rejection in its console.
  get ready() {
    if (!this.readyPromise) {
      this.readyPromise = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
      this.readyPromise.catch(() => {});
    }
    return this.readyPromise;
  }

  connectedCallback() {
    if (this.app || this.watcher) return;
    const root = this.shadowRoot || this.attachShadow({ mode: "open" });
    if (!root.querySelector("link")) root.append(Object.assign(document.createElement("link"), { rel: "stylesheet", href: STYLES }));
    if (!this.hasAttribute("tabindex")) this.tabIndex = -1;
    // at once, before it is scrolled near and loads: the pre-rendered picture
    // of its starting moment (first-paint.js); start() swaps in the sandbox
    if (!this.early && !this.app) {
      const a = (n) => this.getAttribute(n) ?? undefined;
      this.early = firstPaint({ share: a("share"), scenario: a("scenario"), nodes: a("nodes") }, a("lang"), startAlt(a("lang")), false);
      if (this.early) root.append(this.early);
    }
    // lazy start: build and load only when the element comes near the viewport
    if ("IntersectionObserver" in window) {
      this.watcher = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.start();
      }, { rootMargin: "200px" });
      this.watcher.observe(this);
    } else this.start();
  }

  disconnectedCallback() {
    if (this.watcher) this.watcher.disconnect();
    this.watcher = null;
    if (this.app) this.app.destroy();
    this.app = null;
  }

  attributeChangedCallback(name, old, value) {
    if (name === "lang" && this.app && value) this.app.setLang(value);
  }

  start() {
    if (this.app) return;
    if (this.watcher) this.watcher.disconnect();
    this.watcher = null;
    const a = (n) => this.getAttribute(n) ?? undefined;
    if (this.early) this.early.remove();
    this.early = null;
    this.app = mountSandbox(this.shadowRoot, {
      host: this,
      controls: CONTROLS.includes(a("controls")) ? a("controls") : "minimal",
      lang: a("lang"),
      nodes: a("nodes"),
      seed: a("seed"),
      bug: a("bug"),
      scenario: a("scenario"),
      share: a("share"),
      autoplay: !this.hasAttribute("paused"),
      speedExp: speedExp(a("speed")),
      linkProblems: linkProblems((k) => (k === "paused" ? undefined : a(k)), null, EMBED_KEYS),
    });
    this.ready; // make sure the promise exists
    this.app.ready.then(
      (sb) => {
        this.settle.resolve(sb);
        this.dispatchEvent(new Event("raft-sandbox-ready", { bubbles: true }));
      },
      (err) => this.settle.reject(err),
    );
  }
}

if (!customElements.get("raft-sandbox")) customElements.define("raft-sandbox", RaftSandboxElement);
