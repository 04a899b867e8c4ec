// The settings popover: the cluster (seed, size), the protocol (pre-vote,
// check-quorum), the network (latency, loss), "Break it" (one of the core's
// deliberate bugs, what if) and the exports.
//
// Interface: new Settings(app), el, build(), sync(cfg, nodes), config(),
// live(), showBug(bug). The fields are built when the page is first idle
// or the popover opens (build); sync and showBug before that are kept and
// shown then. A change of the protocol or network goes to the running
// cluster (app.act configure); Apply and a bug choice start a new cluster
// (app.open).

import { h, onIdle } from "./dom.js";
import { applyI18n } from "./i18n.js";
import { MAX_PAGE_NODES, MAX_SEED, BUG_NAMES, clampInt } from "./config.js";
import { defaults } from "../raft-sandbox.js";

const [LAT_MIN, LAT_MAX] = defaults.latencyMs;

export class Settings {
  constructor(app) {
    this.app = app;
    this.built = false;
    this.synced = null; // the last sync's arguments, shown once the fields exist
    this.shownBug = "";
    // The exports exist from the start (the share dialog and the Go test's
    // availability update their buttons); the rest of the popover is built
    // when the page is first idle or the popover opens, whichever comes
    // first: hidden until then, it need not cost the first frame (docs/page.md,
    // "First frame").
    app.exportJsonBtn = h("button", { type: "button", class: "rs-btn", "data-i18n": "set.exportJson", onclick: () => app.exportTrace() });
    // enabled once the API has exportGoTest (feature-detected in start)
    app.exportGoBtn = h("button", { type: "button", class: "rs-btn rs-export-go", "aria-disabled": "true", "aria-keyshortcuts": "G", "data-i18n": "set.exportGo", onclick: () => app.exportGoTest() });
    this.exports = h("fieldset", null, h("legend", { "data-i18n": "set.export" }), app.exportJsonBtn, app.exportGoBtn);
    this.el = h("div", { id: "rs-settings", class: "rs-pop", popover: "auto" }, h("h2", { class: "rs-h", "data-i18n": "set.title" }), this.exports);
    this.el.addEventListener("beforetoggle", (e) => e.newState === "open" && this.build());
    onIdle(() => this.build());
  }

  // build makes the popover's fields (once), in the page's language, and
  // shows in them what sync and showBug were given before.
  build() {
    if (this.built) return;
    this.built = true;
    const app = this.app;
    const num = (key, attrs) => {
      const input = h("input", { type: "number", class: "rs-num", ...attrs });
      return { input, label: h("label", { class: "rs-field" }, h("span", { "data-i18n": key }), input) };
    };
    const check = (key) => {
      const input = h("input", { type: "checkbox" });
      return { input, label: h("label", { class: "rs-check" }, input, h("span", { "data-i18n": key })) };
    };
    this.seed = num("set.seed", { min: "1", max: String(MAX_SEED), step: "1", value: String(defaults.seed) });
    this.nodes = num("set.nodes", { min: "1", max: String(MAX_PAGE_NODES), step: "1", value: String(defaults.nodes) });
    this.preVote = check("set.prevote");
    this.checkQuorum = check("set.checkquorum");
    this.latMin = num("set.latmin", { min: "1", max: "2000", step: "1", value: String(LAT_MIN) });
    this.latMax = num("set.latmax", { min: "1", max: "2000", step: "1", value: String(LAT_MAX) });
    this.loss = num("set.loss", { min: "0", max: "90", step: "1", value: "0" });
    const live = () => app.sb && app.act(() => app.sb.configure(this.live()));
    for (const c of [this.latMin, this.latMax, this.loss]) c.input.addEventListener("change", live);
    // while a chapter of the tutorial is open, pre-vote and check-quorum
    // replay the chapter with the switch changed (its "Try it")
    for (const [c, key] of [[this.preVote, "prevote"], [this.checkQuorum, "checkquorum"]]) {
      c.input.addEventListener("change", () => (app.tutorial.chapter >= 0 ? this.replayChapter(key, c.input.checked) : live()));
    }
    const restartBtn = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "set.apply", onclick: () => this.restart() });
    this.buildBug();
    this.exports.before(
      h("fieldset", null, h("legend", { "data-i18n": "set.cluster" }), this.seed.label, this.nodes.label, restartBtn),
      h("fieldset", null, h("legend", { "data-i18n": "set.protocol" }), this.preVote.label, this.checkQuorum.label),
      h("fieldset", null, h("legend", { "data-i18n": "set.network" }), this.latMin.label, this.latMax.label, this.loss.label),
      h("fieldset", { class: "rs-bug-set" }, h("legend", { "data-i18n": "set.bug" }),
        h("label", { class: "rs-field" }, h("span", { "data-i18n": "set.bug.choice" }), this.bug),
        Object.values(this.bugAbout),
        h("p", { class: "rs-muted rs-bug-note", "data-i18n": "set.bug.note" })));
    applyI18n(this.el, app.t);
    if (this.synced) this.sync(...this.synced);
    this.showBug(this.shownBug);
  }

  // Break it (what if): none or one of the core's deliberate bugs. The API
  // takes bugs only when a cluster is made (configure has no bugs), so a
  // choice restarts the run; each option has its explanation below it.
  buildBug() {
    this.bug = h("select", { class: "rs-bug-select" },
      h("option", { value: "", "data-i18n": "set.bug.none" }),
      BUG_NAMES.map((b) => h("option", { value: b, "data-i18n": "set.bug." + b })));
    this.bug.addEventListener("change", () => this.chooseBug());
    this.bugAbout = { "": h("p", { class: "rs-bug-about", "data-bug": "", "data-i18n": "set.bug.none.about" }) };
    for (const b of BUG_NAMES) this.bugAbout[b] = h("p", { class: "rs-bug-about", "data-bug": b, "data-i18n": "set.bug." + b + ".about" });
  }

  // showBug shows a bug ("" for none) as chosen, with its explanation.
  showBug(bug) {
    this.shownBug = bug;
    if (!this.built) return;
    if (this.bug.value !== bug) this.bug.value = bug;
    for (const [name, p] of Object.entries(this.bugAbout)) p.hidden = name !== bug;
  }

  // sync shows the configuration of the run (c: sandbox.config(), or null
  // for an API without it; cfg: what the run was made with).
  sync(c, cfg, nodes) {
    this.synced = [c, cfg, nodes];
    if (!this.built) return;
    this.nodes.input.value = String(nodes);
    if (!c) {
      if (cfg.seed) this.seed.input.value = String(cfg.seed);
      return;
    }
    if (c.seed !== undefined) this.seed.input.value = String(c.seed);
    if (c.preVote !== undefined) this.preVote.input.checked = !!c.preVote;
    if (c.checkQuorum !== undefined) this.checkQuorum.input.checked = !!c.checkQuorum;
    if (c.latencyMs) {
      this.latMin.input.value = String(c.latencyMs[0]);
      this.latMax.input.value = String(c.latencyMs[1]);
    }
    if (c.dropRate !== undefined) this.loss.input.value = String(Math.round(c.dropRate * 100));
  }

  // config is the fresh cluster the settings describe: seed, size, the
  // "what if" bug and the protocol and network settings (given at creation,
  // so the new run starts with no "settings changed" actions).
  config() {
    this.build();
    const cfg = {
      nodes: clampInt(this.nodes.input.value, 1, MAX_PAGE_NODES, defaults.nodes),
      seed: clampInt(this.seed.input.value, 1, MAX_SEED, defaults.seed),
      ...this.live(),
    };
    if (BUG_NAMES.includes(this.bug.value)) cfg.bugs = { [this.bug.value]: true };
    return cfg;
  }

  // live: the settings a running cluster can change (configure).
  live() {
    this.build();
    let lo = clampInt(this.latMin.input.value, 1, 2000, LAT_MIN);
    let hi = clampInt(this.latMax.input.value, 1, 2000, LAT_MAX);
    if (hi < lo) [lo, hi] = [hi, lo];
    return {
      preVote: this.preVote.input.checked,
      checkQuorum: this.checkQuorum.input.checked,
      latencyMs: [lo, hi],
      dropRate: clampInt(this.loss.input.value, 0, 90, 0) / 100,
    };
  }

  async restart() {
    try {
      await this.app.open(this.config());
      this.el.hidePopover?.();
    } catch (e) {
      this.app.notices.showException(e);
    }
  }

  // replayChapter: the tutorial's chapter replays with pre-vote or
  // check-quorum (key) switched on or off, and the page says so.
  async replayChapter(key, on) {
    const app = this.app;
    try {
      await app.tutorial.replayWith(key + (on ? " on" : " off"));
    } catch (e) {
      app.notices.showException(e);
      return;
    }
    const note = app.t(on ? "note.tutReplayOn" : "note.tutReplayOff", { setting: app.t("set." + key) });
    app.notices.flash(note);
    app.say(note, true);
  }

  // chooseBug restarts the run with the bug chosen (or none), same seed and
  // size, and says so; the settings stay open so the explanation can be read.
  // While a chapter of the tutorial is open, the chapter replays with it.
  async chooseBug() {
    const app = this.app;
    const bug = BUG_NAMES.includes(this.bug.value) ? this.bug.value : "";
    for (const [name, p] of Object.entries(this.bugAbout)) p.hidden = name !== bug;
    if (app.busy) await app.busy;
    try {
      if (app.tutorial.chapter >= 0) {
        await app.tutorial.replayWithBug(bug);
      } else {
        await app.open(this.config());
        app.notices.hideError();
      }
    } catch (e) {
      app.notices.showException(e);
      return;
    }
    const note = bug ? app.t("note.bugOn", { name: app.t("set.bug." + bug) }) : app.t("note.bugOff");
    app.notices.flash(note);
    app.say(note, true);
  }
}
