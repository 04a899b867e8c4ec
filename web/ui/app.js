// The sandbox UI: control bar, cluster picture, logs, client, inspector and
// narration, built once inside a root (the page's <main>, or a custom
// element's shadow root) and updated in place. index.html, embed.html and
// <raft-sandbox> all mount this.
//
// App holds the lifecycle (start, open a cluster, destroy) and the user's
// actions, and wires the modules that hold each other concern: runner.js
// (the run loop: frames, time slicing), render.js (drawing a state),
// controls.js (building the bar and tools), history.js (rewind, the ghost
// future, fork), keyboard.js and watch.js (keys, visibility, sizes),
// narration.js (the story and the screen-reader announcements), notices.js
// (errors and the status line), partition.js (the partition tool),
// settings.js, inspector.js, requests.js, share.js (link, embed, exports),
// theme.js, tutorial.js, msgpop.js (a message's popover), reset.js (Reset
// and its Undo), layout.js (the parts made and put together).

import { setText } from "./dom.js";
import { translator, pickLang, applyI18n, hasKey } from "./i18n.js";
import { initialConfig, tutorialIndex, tutorialBeat, bugOf } from "./config.js";
import { SPEED_MIN, SPEED_MAX } from "./controls.js";
import { History } from "./history.js";
import { watch, unwatch } from "./watch.js";
import { applyTheme, cycleTheme } from "./theme.js";
import { fmtTime } from "./narration.js";
import { Runner } from "./runner.js";
import { PartitionTool } from "./partition.js";
import { render, renderBug, updatePlayButton } from "./render.js";
import { resetRun } from "./reset.js";
import { buildLayout } from "./layout.js";

// loadApi imports the JS API.
async function loadApi() {
  const m = await import(new URL("../raft-sandbox.js", import.meta.url).href);
  return { loadSandbox: m.loadSandbox, module: m };
}

// mountSandbox builds the UI in root and starts a sandbox.
//   opts: { controls: "full"|"minimal"|"none", lang, nodes, seed, scenario,
//           share, main (page-level: shortcuts on window, URL, globals),
//           host (element watched for visibility), autoplay, tutorial }
export function mountSandbox(root, opts = {}) {
  const app = new App(root, opts);
  return app;
}

function sameConfig(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

class App extends Runner {
  constructor(root, opts) {
    super(opts);
    this.root = root;
    this.opts = opts;
    this.controls = opts.controls || "full";
    this.lang = pickLang(opts.lang);
    this.t = translator(this.lang);
    this.sb = null;
    this.history = new History(this);
    this.actionList = []; // the actions on the timeline: [{at, kind, args}]
    this.selected = null;
    this.partition = new PartitionTool(this);
    this.reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.state = null;
    this.scrubbing = false;
    this.theme = opts.main ? localStorage.getItem("rs-theme") || "auto" : "auto";
    this.stopAt = null; // the end of the tutorial beat shown: the run pauses exactly there
    this.highlight = null; // what that beat points at
    this.build();
    watch(this);
    this.linkProblems = opts.linkProblems || [];
    if (this.linkProblems.length) this.notices.showLinkProblems(this.linkProblems);
    this.ready = this.start(opts).catch((e) => {
      this.loadingNote.hidden = true;
      this.endFirstPaint();
      this.notices.showException(e);
      throw e;
    });
  }

  // busy is a pending rewind (it loads a sandbox), or null.
  get busy() {
    return this.history.busy;
  }

  // ---------------------------------------------------------------- build

  // build makes the page's parts and puts them together (layout.js).
  build() {
    buildLayout(this);
  }

  relabel() {
    applyI18n(this.el, this.t);
    this.notices.relabel();
    this.el.setAttribute("lang", this.lang === "zh" ? "zh-CN" : "en");
    if (this.opts.main) {
      document.documentElement.lang = this.lang === "zh" ? "zh-CN" : "en";
      document.title = this.t("app.title");
    }
    this.setSpeed(this.speedExp);
    updatePlayButton(this);
    this.tutorial.relabel();
    this.hunt?.relabel();
    this.clientView?.relabel();
    this.share.updateExportGo();
    this.updateBug();
    if (this.state) render(this, this.state, this.state.now, true);
  }

  // updateBug shows the bug the run has (this.bug, from its configuration):
  // the chip next to the badge, the settings' choice and its explanation.
  updateBug() {
    renderBug(this, this.bug || "");
    this.settings.showBug(this.bug || "");
  }

  // ---------------------------------------------------------------- lifecycle

  async start(opts) {
    // the page passes the API it imported already (ui/main.js): a dynamic
    // import, even of a module already loaded, resolves a task later, and
    // the browser then lays out and paints the controls before the cluster
    // is drawn, instead of once with it (docs/page.md, "First frame")
    this.api = opts.api || (await loadApi());
    if (opts.tutorial !== undefined && opts.tutorial !== null) {
      await this.tutorial.open(tutorialIndex(opts.tutorial), tutorialBeat(opts.tutorial), true);
    } else {
      let broken = null;
      try {
        await this.open(initialConfig(opts));
      } catch (e) {
        // a share link or scenario that cannot be rebuilt still opens the
        // page: a fresh cluster, and the message box says why (in the
        // reader's language: the error's code)
        if (!(opts.share || opts.scenario) || !e || !e.code) throw e;
        broken = e;
        await this.open(initialConfig({ nodes: opts.nodes, seed: opts.seed, bug: opts.bug }));
        this.notices.showException(e, "note.linkFallback");
      }
      // an embed of a scenario that tells a story: its beats as captions
      if (!broken && !opts.main && opts.scenario && !opts.share) await this.tutorial.openStory();
      // a share link made while rewound: the whole run, shown at that moment
      const at = Number(opts.at);
      if (!broken && opts.share && Number.isInteger(at) && at >= 0 && at < this.sb.now) await this.seek(at);
    }
    this.share.updateExportGo();
    // a share link shows an exact moment: it opens paused there
    if (opts.autoplay !== false && !opts.share) this.setRunning(true);
    return this.sb;
  }

  // scenarioText returns what loadSandbox({ scenario }) takes: the API knows
  // the built-in scenarios by name (sim/scenario/builtin), and anything else
  // is the text of a script.
  async scenarioText(name) {
    return String(name);
  }

  async open(cfg) {
    // the page may have asked for its first cluster before it was built
    const first = this.opts.first;
    this.opts.first = null;
    let next = null;
    if (first && sameConfig(first.cfg, cfg)) next = await first.sandbox.catch(() => null);
    else if (first) first.sandbox.then((sb) => sb.destroy(), () => {});
    if (!next) next = await this.api.loadSandbox(cfg);
    this.history.drop();
    if (this.sb) this.sb.destroy();
    this.sb = next;
    this.cfg = cfg;
    this.actionList = this.sb.actions();
    this.narration.clear();
    this.selected = null;
    this.partition.clear();
    const st = this.sb.state();
    const c = this.syncSettings(st);
    render(this, st, st.now, true);
    // a scenario (or a share link made from one) that says `clientview on`
    // opens the client's view (the reads chapter does)
    if (c && c.clientView) this.clientView?.show();
    if (this.opts.onSandbox) this.opts.onSandbox(this.sb);
  }

  // syncSettings shows the run's configuration in the settings, and returns
  // it (sandbox.config(), or null).
  syncSettings(st) {
    const c = typeof this.sb.config === "function" ? this.sb.config() : null;
    this.bug = c ? bugOf(c.bugs) : this.cfg && this.cfg.bugs ? bugOf(this.cfg.bugs) : "";
    this.updateBug();
    this.settings.sync(c, this.cfg, st.nodes.length);
    return c;
  }

  destroy() {
    this.setRunning(false);
    this.history.drop();
    unwatch(this);
    this.lab?.close();
    if (this.sb) this.sb.destroy();
    this.sb = null;
    this.el.remove();
  }

  // swap shows another Sandbox (the page's globals follow).
  swap(sb) {
    this.sb = sb;
    this.cluster.layoutKey = "";
    if (this.opts.onSandbox) this.opts.onSandbox(sb);
  }

  // placeTutorial puts the tutorial's text where it is read with the
  // picture: beside it on a wide screen (the side panel), above it on a
  // phone (the stage's top), so that text and picture share the screen.
  placeTutorial() {
    const narrow = typeof matchMedia === "function" && matchMedia("(max-width: 760px)").matches;
    const el = this.tutorial.el;
    if (narrow && el.parentNode !== this.stage) this.stage.prepend(el);
    else if (!narrow && el.parentNode !== this.side) this.side.prepend(el);
  }

  toggleRun() {
    // in the tutorial, Play at the end of a beat goes on to the next one
    if (this.tutorial.active && this.tutorial.atEnd && !this.running) return void this.tutorial.continue();
    super.toggleRun();
  }

  // ---------------------------------------------------------------- time

  setSpeed(exp) {
    this.speedExp = Math.max(SPEED_MIN, Math.min(SPEED_MAX, exp));
    this.speedValue = Math.pow(10, this.speedExp / 100);
    if (Number(this.speed.value) !== this.speedExp) this.speed.value = String(this.speedExp);
    const v = this.speedValue;
    const text = v >= 1 ? this.t("speed.times", { v: v >= 9.95 ? "10" : v.toFixed(v < 3 ? 1 : 0) }) : this.t("speed.fraction", { d: Math.round(1 / v) });
    setText(this.speedOut, text);
    this.speed.setAttribute("aria-valuetext", text);
  }

  step() {
    if (this.notReady() || this.busy) return;
    this.setRunning(false);
    try {
      this.history.step();
      this.notices.hideError();
    } catch (e) {
      this.runError(e);
      return;
    }
    this.refresh();
  }

  // seek moves to virtual time t on the timeline (history.js moveTo).
  seek(t) {
    if (!this.sb) return Promise.resolve();
    return this.history.queue(async () => {
      try {
        await this.history.moveTo(t);
        this.notices.hideError();
      } catch (e) {
        this.notices.showException(e);
      }
      this.refresh();
    });
  }

  // redo replays the rest of the recorded run at once: back to its end.
  redo() {
    if (!this.history.rewound || this.busy) return;
    this.history.leave();
    this.refresh();
    this.say(this.t("note.redone"));
  }

  // fork is called before any action: a rewound run forgets its recorded
  // future (history.js), and the page says how much was forgotten.
  fork() {
    const f = this.history.fork();
    if (!f) return;
    const key = f.dropped > 1 ? "note.forked" : f.dropped === 1 ? "note.forked.one" : "note.forkedTime";
    const note = this.t(key, { count: f.dropped, time: this.fmtTime(f.at) });
    this.notices.flash(note);
    this.say(note);
  }

  // reset goes back to time zero, with Undo for a while (reset.js).
  reset() {
    resetRun(this);
  }

  // ---------------------------------------------------------------- actions

  // act runs one user action (forking a rewound run first), reports errors
  // in words, and redraws.
  act(f, noteKey) {
    if (this.notReady() || this.busy) return undefined;
    let out;
    try {
      this.fork();
      out = f();
      this.notices.hideError();
      if (noteKey && hasKey(noteKey)) this.say(this.t(noteKey, { id: this.selected || "" }));
    } catch (e) {
      this.notices.showException(e);
    }
    this.actionsChanged();
    this.refresh();
    return out;
  }

  // actionsChanged reads the run's actions again for the timeline (a
  // rewound run keeps the recorded ones).
  actionsChanged() {
    if (!this.history.rewound) this.actionList = this.sb.actions();
  }

  refresh() {
    if (!this.sb) return;
    const st = this.sb.state();
    render(this, st, st.now + (this.running ? this.acc : 0), true);
  }

  // redraw draws the last state again (a new size, language or motion).
  redraw() {
    render(this, this.state, this.state.now, true);
  }

  clickNode(id) {
    if (this.partition.on) return this.partition.pick(id);
    this.selected = this.selected === id ? null : id;
    this.refresh();
  }

  unselect() {
    this.selected = null;
    this.refresh();
  }

  // the partition tool (partition.js): on or off, a node dragged, heal
  get partitionMode() {
    return this.partition.on;
  }

  togglePartitionMode(on) {
    this.partition.toggle(on);
  }

  dropNode(id, target) {
    this.partition.drop(id, target);
  }

  heal() {
    this.partition.heal();
  }

  // hintText is what the status line says when no note flashes: how to use
  // the partition tool, or that the checker halted the run.
  hintText() {
    const halted = this.state && this.state.invariants && !this.state.invariants.ok;
    return this.partitionMode ? this.t("hint.partition") : halted ? this.t("note.halted") : "";
  }

  // endFirstPaint removes the pre-rendered picture: the live cluster is drawn
  // (or the run could not start).
  endFirstPaint() {
    if (this.firstPaintTimer) clearTimeout(this.firstPaintTimer); // (a picture not asked for yet: layout.js)
    this.firstPaintTimer = 0;
    if (this.firstPaint) {
      // A picture still loading is not wanted any more: stop it, or its SVG
      // is parsed and laid out on the main thread anyway, right before the
      // first frame (20-90 ms in a trace: docs/page.md, "First frame").
      const img = this.firstPaint.querySelector("img");
      if (img && !img.complete) img.removeAttribute("src");
      this.firstPaint.remove();
    }
    this.firstPaint = null;
  }

  // notReady says so when a control is used before the cluster exists (the
  // controls are shown while the wasm still compiles); true then.
  notReady() {
    if (this.sb) return false;
    this.notices.flash(this.t("note.notReady"));
    return true;
  }

  openShare() {
    return this.share.open();
  }

  exportTrace() {
    this.share.exportTrace();
  }

  exportGoTest() {
    return this.share.exportGoTest();
  }

  openHelp() {
    if (this.helpDlg.open) this.helpDlg.close();
    else this.helpDlg.showModal();
  }

  say(text, urgent) {
    this.narration.say(text, urgent);
  }

  fmtTime(ms) {
    return fmtTime(this.t, ms);
  }

  // ---------------------------------------------------------------- look

  cycleTheme() {
    cycleTheme(this);
  }

  applyTheme() {
    applyTheme(this);
  }

  setLang(lang) {
    this.lang = pickLang(lang);
    this.t = translator(this.lang);
    this.cluster.t = this.t;
    this.logs.t = this.t;
    this.fillLangSelect();
    this.langSel.value = this.lang;
    // retranslate the narration already shown
    this.narration.relabel();
    this.msgPop.relabel();
    this.relabel();
    if (this.opts.onLang) this.opts.onLang(this.lang);
  }

  // runError reports an error from advancing or stepping. A run the checker
  // halted throws on every advance: then the picture of the halted state is
  // drawn (red badge, outlined nodes and entries) and the status line says
  // how to go on, in the page's language, instead of an error box.
  runError(e) {
    let st = null;
    try {
      st = this.sb ? this.sb.state() : null;
    } catch {
      st = null;
    }
    if (st && st.invariants && !st.invariants.ok) {
      this.notices.hideError();
      render(this, st, st.now, true);
      return;
    }
    this.notices.showException(e);
    if (st) render(this, st, st.now, true);
  }
}
