// The sandbox UI: control bar, cluster picture, logs, client, inspector and
// narration, built once inside a root (the page's <main>, or a custom
// element's shadow root) and updated in place. index.html, embed.html and
// <raft-sandbox> all mount this.

import { h, s, setAttr, setText, toggleClass } from "./dom.js";
import { translator, pickLang, applyI18n, hasKey } from "./i18n.js";
import { ClusterView, LogView, GLYPHS, KINDS } from "./view.js";
import { Tutorial } from "./tutorial.js";
import { MAX_PAGE_NODES, BUG_NAMES, initialConfig, tutorialIndex, clampInt, bugOf } from "./config.js";
import { TimelineView } from "./timeline.js";
import { icon, logo } from "./icons.js";

const SPEED_MIN = -200; // 10^(-2) = 1/100 of real time
const SPEED_MAX = 100; // 10^1 = 10x
const TIMELINE_MS = 250; // how often a live timeline's end and spoken text follow now (ms)
const NARRATION_KEEP = 150;
// Go's share of one animation frame. advance() is time-sliced to it: when the
// machine cannot simulate the requested speed in that time, virtual time runs
// slower instead of the frame running long (no long tasks at 10x, 51 nodes).
const GO_FRAME_MS = 4;
const EVENT_POLL_MS = 200;
// The system's colour scheme, for the "auto" theme (null outside a browser).
const DARK_QUERY = globalThis.matchMedia ? globalThis.matchMedia("(prefers-color-scheme: dark)") : null;

// loadApi imports the JS API (or, for development only, the fake).
async function loadApi(fake) {
  if (fake) {
    const m = await import("./dev-fake.js");
    return { loadSandbox: m.loadFakeSandbox, module: m };
  }
  const m = await import(new URL("../raft-sandbox.js", import.meta.url).href);
  return { loadSandbox: m.loadSandbox, module: m };
}

// mountSandbox builds the UI in root and starts a sandbox.
//   opts: { controls: "full"|"minimal"|"none", lang, nodes, seed, scenario,
//           share, fake, main (page-level: shortcuts on window, URL, globals),
//           host (element watched for visibility), autoplay, tutorial }
export function mountSandbox(root, opts = {}) {
  const app = new App(root, opts);
  return app;
}

function sameConfig(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

class App {
  constructor(root, opts) {
    this.root = root;
    this.opts = opts;
    this.controls = opts.controls || "full";
    this.lang = pickLang(opts.lang);
    this.t = translator(this.lang);
    this.sb = null;
    this.running = false;
    this.speedExp = opts.speedExp ?? -100;
    this.acc = 0;
    this.lastTs = 0;
    this.raf = 0;
    this.visible = typeof document === "undefined" || document.visibilityState !== "hidden";
    this.onScreen = !opts.host; // the page itself is on screen; elements wait for the observer
    this.lastSeq = 0;
    this.lastEventPoll = 0;
    // After a rewind the run is kept: future = { base, end, actions }, where
    // base is the run as it was (paused at end, its actions still its own),
    // and this.sb is a replay of the whole run (loaded from base's share, so
    // the later actions are scheduled in it) rewound to the chosen moment.
    // Playing or dragging forward replays them; reaching end switches back
    // to base; acting first forks: base is rewound to now, which forgets its
    // later actions, and the replay is dropped.
    this.future = null;
    this.actionList = []; // the actions on the timeline: [{at, kind, args}]
    this.busy = null; // a pending rewind (it loads a sandbox)
    this.goFrameMs = GO_FRAME_MS; // Go's share of a frame (a test may lower it)
    this.selected = null;
    this.partitionMode = false;
    this.side2 = new Set();
    this.reducedMotion = matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.stats = { frames: 0, lastFrameMs: 0, avgFrameMs: 0, firstRenderMs: 0, goMsPerVirtualMs: 0.002, throttledFrames: 0, advanceMs: 0, stateMs: 0, drawMs: 0 };
    this.announceQueue = [];
    this.lastAnnounce = 0;
    this.state = null;
    this.scrubbing = false;
    this.theme = opts.main ? localStorage.getItem("rs-theme") || "auto" : "auto";
    this.build();
    this.listen();
    this.linkProblems = opts.linkProblems || [];
    if (this.linkProblems.length) this.showLinkProblems();
    this.ready = this.start(opts).catch((e) => {
      this.loadingNote.hidden = true;
      this.showError(e && e.message ? e.message : String(e));
      throw e;
    });
  }

  // ---------------------------------------------------------------- build

  build() {
    const t = this.t;
    const btn = (key, iconName, onclick, extra = {}) =>
      h("button", { type: "button", class: "rs-btn", "data-i18n-attr": `title:${key}.title;aria-label:${key}.title`, onclick, ...extra },
        iconName ? icon(iconName) : null,
        h("span", { class: "rs-btn-text", "data-i18n": key }));

    this.playBtn = btn("ctl.play", "play", () => this.toggleRun(), { "aria-keyshortcuts": "Space", class: "rs-btn rs-primary rs-play" });
    this.stepBtn = btn("ctl.step", "step", () => this.step(), { "aria-keyshortcuts": ".", class: "rs-btn rs-step" });
    this.speed = h("input", { type: "range", class: "rs-speed", min: SPEED_MIN, max: SPEED_MAX, step: "10", value: this.speedExp, "data-i18n-attr": "aria-label:ctl.speed.title;title:ctl.speed.title" });
    this.speed.addEventListener("input", () => this.setSpeed(Number(this.speed.value)));
    this.speedOut = h("output", { class: "rs-speed-out" });
    this.timeOut = h("output", { class: "rs-time", "aria-live": "off" });
    this.tl = new TimelineView();
    this.timeline = this.tl.input;
    this.timeline.addEventListener("pointerdown", () => (this.scrubbing = true));
    this.timeline.addEventListener("input", () => setText(this.timeOut, this.fmtTime(Number(this.timeline.value))));
    this.timeline.addEventListener("change", () => {
      this.scrubbing = false;
      this.seek(Number(this.timeline.value));
    });
    this.redoBtn = btn("ctl.redo", "redo", () => this.redo(), { "aria-keyshortcuts": "End", class: "rs-btn rs-redo", disabled: true });
    this.resetBtn = btn("ctl.reset", "reset", () => this.reset(), { "aria-keyshortcuts": "R", class: "rs-btn rs-reset" });
    // (hidden until the first picture: no cluster, nothing to vouch for)
    this.badge = h("div", { class: "rs-badge ok", role: "status", hidden: true }, h("span", { class: "rs-badge-dot", "aria-hidden": "true" }), h("span", { class: "rs-badge-text" }));
    this.badgeText = this.badge.lastChild;
    // "what if" mode: while one of the core's deliberate bugs is on, a red
    // chip next to the badge says so (also in embeds, whatever their controls)
    this.bugChip = h("span", { class: "rs-bug-chip", role: "note", hidden: true });
    this.shareBtn = btn("ctl.share", "share", () => this.openShare(), { "aria-keyshortcuts": "S", class: "rs-btn rs-share" });
    this.settingsBtn = btn("ctl.settings", "settings", null, { popovertarget: "rs-settings", class: "rs-btn rs-settings-btn" });
    this.langSel = h("select", { class: "rs-lang", "data-i18n-attr": "aria-label:ctl.lang.title;title:ctl.lang.title" },
      h("option", { value: "en" }, "English"), h("option", { value: "zh" }, "中文"));
    this.langSel.value = this.lang;
    this.langSel.addEventListener("change", () => this.setLang(this.langSel.value));
    this.themeBtn = btn("ctl.theme", "theme", () => this.cycleTheme(), { class: "rs-btn rs-theme" });
    this.helpBtn = btn("ctl.help", "help", () => this.openHelp(), { "aria-keyshortcuts": "Shift+?", class: "rs-btn rs-help-btn" });
    this.tutBtn = btn("ctl.tutorial", "book", () => (this.tutorial.active ? this.tutorial.close() : this.tutorial.open(0)), { class: "rs-btn rs-tut-btn" });

    const bar = h("div", { class: "rs-bar", role: "toolbar", "data-i18n-attr": "aria-label:ctl.bar" },
      this.opts.main ? h("a", { class: "rs-brand", href: "./" }, logo(), h("span", { "data-i18n": "app.title" })) : null,
      h("div", { class: "rs-group" }, this.playBtn, this.stepBtn),
      h("label", { class: "rs-group rs-speed-wrap" }, h("span", { class: "rs-sub", "data-i18n": "ctl.speed" }), this.speed, this.speedOut),
      h("div", { class: "rs-group rs-time-wrap" }, this.timeOut, this.tl.el, this.redoBtn),
      h("div", { class: "rs-group rs-more" }, this.tutBtn, this.resetBtn, this.shareBtn, this.settingsBtn, this.langSel, this.themeBtn, this.helpBtn));

    // until the first picture: what the page is doing
    this.loadingNote = h("p", { class: "rs-loading", role: "status", "data-i18n": "view.loading" });
    // the stage: tools, picture, logs, client
    this.cluster = new ClusterView(t, {
      onNode: (id) => this.clickNode(id),
      onMessage: (id) => this.act(() => this.sb.dropMessage(id), "note.dropped"),
      onClient: () => this.reqInput.focus(),
      onDrop: (id, target) => this.dropNode(id, target),
    });
    this.cluster.reducedMotion = this.reducedMotion;
    this.logs = new LogView(t);
    this.partBtn = btn("ctl.partition", "partition", () => this.togglePartitionMode(), { "aria-pressed": "false", "aria-keyshortcuts": "P", class: "rs-btn rs-part-btn" });
    this.healBtn = btn("ctl.heal", "heal", () => this.heal(), { "aria-keyshortcuts": "H", class: "rs-btn rs-heal-btn" });
    this.addBtn = btn("ctl.add", "add", () => this.act(() => this.sb.addNode(), "note.added"), { class: "rs-btn rs-add-btn" });
    this.hint = h("p", { class: "rs-hint", role: "status" });
    // the safety corner: the bug chip (what if) and the invariant badge, together
    const safety = h("div", { class: "rs-safety" }, this.bugChip, this.badge);
    const tools = h("div", { class: "rs-tools" }, this.partBtn, this.healBtn, this.addBtn, this.hint, safety);

    this.reqInput = h("input", { type: "text", class: "rs-req-input", autocomplete: "off", spellcheck: "false", "data-i18n-attr": "placeholder:req.placeholder;aria-label:req.label" });
    this.reqTo = h("select", { class: "rs-req-to", "data-i18n-attr": "aria-label:req.to" });
    this.reqErr = h("p", { class: "rs-req-err", role: "alert" });
    this.reqList = h("ul", { class: "rs-req-list", "data-i18n-attr": "aria-label:req.list" });
    this.reqItems = [];
    const reqForm = h("form", { class: "rs-req", onsubmit: (e) => { e.preventDefault(); this.sendRequest(); } },
      h("label", { class: "rs-req-title", "data-i18n": "req.title" }),
      h("div", { class: "rs-req-row" }, this.reqInput, this.reqTo, h("button", { type: "submit", class: "rs-btn rs-primary rs-req-send", "data-i18n": "req.send" })),
      this.reqErr, this.reqList);

    this.legend = this.buildLegend();
    this.logWrap = h("div", { class: "rs-logwrap" }, h("h2", { class: "rs-h", "data-i18n": "log.title" }), this.logs.svg);
    const stage = h("section", { class: "rs-stage", "data-i18n-attr": "aria-label:stage.aria" },
      tools, h("div", { class: "rs-picture" }, this.cluster.svg, this.loadingNote), this.legend,
      this.logWrap);

    // side panel: tutorial, inspector, narration
    this.inspector = this.buildInspector();
    this.narration = h("ol", { class: "rs-narration", reversed: true });
    this.tutorial = new Tutorial(this);
    const side = h("aside", { class: "rs-side" },
      this.tutorial.el,
      reqForm,
      this.inspector.el,
      h("section", { class: "rs-panel rs-story" }, h("h2", { class: "rs-h", "data-i18n": "narr.title" }), this.narration));

    this.live = h("div", { class: "rs-sr", "aria-live": "polite", "aria-atomic": "true" });
    this.errorText = h("span", { class: "rs-error-text" });
    this.errorBox = h("div", { class: "rs-error", role: "alert", hidden: true }, this.errorText,
      h("button", { type: "button", class: "rs-error-close", "data-i18n-attr": "title:err.dismiss;aria-label:err.dismiss", onclick: () => this.hideError() }, "×"));
    this.settings = this.buildSettings();
    this.helpDlg = this.buildHelp();
    this.shareDlg = this.buildShare();

    this.el = h("div", { class: "rs", "data-controls": this.controls, lang: this.lang },
      bar, this.errorBox, h("div", { class: "rs-main" }, stage, side), this.live, this.settings, this.helpDlg, this.shareDlg);
    this.onScheme = () => this.applyTheme();
    if (DARK_QUERY) DARK_QUERY.addEventListener("change", this.onScheme);
    this.applyTheme();
    this.root.append(this.el);
    this.setSpeed(this.speedExp);
    this.relabel();
  }

  buildLegend() {
    const items = [];
    for (const role of ["follower", "precandidate", "candidate", "leader", "down"]) {
      items.push(h("li", null, svgIcon(s("circle", { class: `rs-legend-node role-${role}`, cx: "10", cy: "10", r: "7" })), h("span", { "data-i18n": "role." + role })));
    }
    for (const kind of KINDS) {
      items.push(h("li", { class: `kind-${kind}` }, svgIcon(s("path", { class: "rs-msg-shape", d: GLYPHS[kind], transform: "translate(10,10) scale(0.8)" })), h("span", { "data-i18n": "kind." + kind })));
    }
    items.push(h("li", null, svgIcon(s("rect", { class: "rs-cell committed", x: "3", y: "4", width: "14", height: "12", rx: "2" })), h("span", { "data-i18n": "legend.committed" })));
    items.push(h("li", null, svgIcon(s("rect", { class: "rs-cell uncommitted", x: "3", y: "4", width: "14", height: "12", rx: "2" })), h("span", { "data-i18n": "legend.uncommitted" })));
    items.push(h("li", null, svgIcon(s("path", { class: "rs-match", d: "M10,5l-6,9h12z" })), h("span", { "data-i18n": "legend.match" })));
    items.push(h("li", null, svgIcon(s("path", { class: "rs-next", d: "M10,5l-6,9h12z" })), h("span", { "data-i18n": "legend.next" })));
    items.push(h("li", null, svgIcon(s("line", { class: "rs-commit", x1: "10", y1: "2", x2: "10", y2: "18" })), h("span", { "data-i18n": "legend.commit" })));
    return h("details", { class: "rs-legend" }, h("summary", { "data-i18n": "legend.title" }), h("ul", null, items));
  }

  buildInspector() {
    const title = h("h2", { class: "rs-h" });
    const empty = h("p", { class: "rs-muted", "data-i18n": "insp.empty" });
    const fields = ["role", "term", "votedFor", "commit", "applied", "log", "snapshot", "timer", "kv"];
    const dd = {};
    const dl = h("dl", { class: "rs-dl" });
    for (const f of fields) {
      dd[f] = h("dd");
      dl.append(h("dt", { "data-i18n": "insp." + f }), dd[f]);
    }
    const progTitle = h("h3", { class: "rs-h3", "data-i18n": "insp.progress" });
    const progBody = h("tbody");
    const prog = h("table", { class: "rs-prog" },
      h("thead", null, h("tr", null, h("th", { "data-i18n": "insp.peer" }), h("th", { "data-i18n": "insp.match" }), h("th", { "data-i18n": "insp.next" }))), progBody);
    const b = (key, f) => h("button", { type: "button", class: "rs-btn rs-" + key.replace(".", "-"), "data-i18n": key, onclick: () => this.act(() => f(this.selected), key + ".done") });
    const crash = b("act.crash", (id) => this.sb.crash(id));
    const restart = b("act.restart", (id) => this.sb.restart(id));
    const timeout = b("act.timeout", (id) => this.sb.timeout(id));
    const transfer = b("act.transfer", (id) => this.sb.transferLeadership(id));
    const remove = b("act.remove", (id) => {
      this.sb.removeNode(id);
      this.selected = null;
    });
    const actions = h("div", { class: "rs-actions" }, crash, restart, timeout, transfer, remove);
    const body = h("div", { class: "rs-insp-body", hidden: true }, dl, progTitle, prog, actions);
    const el = h("section", { class: "rs-panel rs-insp", "aria-live": "off" }, title, empty, body);
    return { el, title, empty, body, dd, prog, progTitle, progBody, rows: [], crash, restart, timeout, transfer, remove };
  }

  buildSettings() {
    const num = (key, attrs) => {
      const input = h("input", { type: "number", class: "rs-num", ...attrs });
      return { input, label: h("label", { class: "rs-field" }, h("span", { "data-i18n": key }), input) };
    };
    const check = (key) => {
      const input = h("input", { type: "checkbox" });
      return { input, label: h("label", { class: "rs-check" }, input, h("span", { "data-i18n": key })) };
    };
    this.cfgSeed = num("set.seed", { min: "1", max: "999999999", step: "1", value: "1" });
    this.cfgNodes = num("set.nodes", { min: "1", max: String(MAX_PAGE_NODES), step: "1", value: "5" });
    this.cfgPreVote = check("set.prevote");
    this.cfgCheckQuorum = check("set.checkquorum");
    this.cfgLatMin = num("set.latmin", { min: "1", max: "2000", step: "1", value: "20" });
    this.cfgLatMax = num("set.latmax", { min: "1", max: "2000", step: "1", value: "40" });
    this.cfgLoss = num("set.loss", { min: "0", max: "90", step: "1", value: "0" });
    const live = () => this.applyLiveSettings();
    for (const c of [this.cfgPreVote, this.cfgCheckQuorum, this.cfgLatMin, this.cfgLatMax, this.cfgLoss]) c.input.addEventListener("change", live);
    const restartBtn = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "set.apply", onclick: () => this.restartWithSettings() });
    // Break it (what if): none or one of the core's deliberate bugs. The API
    // takes bugs only when a cluster is made (configure has no bugs), so a
    // choice restarts the run; each option has its explanation below it.
    this.cfgBug = h("select", { class: "rs-bug-select" },
      h("option", { value: "", "data-i18n": "set.bug.none" }),
      h("option", { value: "voteWithoutLogCheck", "data-i18n": "set.bug.voteWithoutLogCheck" }),
      h("option", { value: "commitOldTermByCount", "data-i18n": "set.bug.commitOldTermByCount" }),
      h("option", { value: "forgetVoteOnRestart", "data-i18n": "set.bug.forgetVoteOnRestart" }),
      h("option", { value: "ackBeforeDurable", "data-i18n": "set.bug.ackBeforeDurable" }));
    this.cfgBug.addEventListener("change", () => this.chooseBug());
    this.bugAbout = {
      "": h("p", { class: "rs-bug-about", "data-bug": "", "data-i18n": "set.bug.none.about" }),
      voteWithoutLogCheck: h("p", { class: "rs-bug-about", "data-bug": "voteWithoutLogCheck", "data-i18n": "set.bug.voteWithoutLogCheck.about" }),
      commitOldTermByCount: h("p", { class: "rs-bug-about", "data-bug": "commitOldTermByCount", "data-i18n": "set.bug.commitOldTermByCount.about" }),
      forgetVoteOnRestart: h("p", { class: "rs-bug-about", "data-bug": "forgetVoteOnRestart", "data-i18n": "set.bug.forgetVoteOnRestart.about" }),
      ackBeforeDurable: h("p", { class: "rs-bug-about", "data-bug": "ackBeforeDurable", "data-i18n": "set.bug.ackBeforeDurable.about" }),
    };
    this.exportJsonBtn = h("button", { type: "button", class: "rs-btn", "data-i18n": "set.exportJson", onclick: () => this.exportTrace() });
    // enabled once the API has exportGoTest (feature-detected in start)
    this.exportGoBtn = h("button", { type: "button", class: "rs-btn rs-export-go", "aria-disabled": "true", "aria-keyshortcuts": "G", "data-i18n": "set.exportGo", onclick: () => this.exportGoTest() });
    return h("div", { id: "rs-settings", class: "rs-pop", popover: "auto" },
      h("h2", { class: "rs-h", "data-i18n": "set.title" }),
      h("fieldset", null, h("legend", { "data-i18n": "set.cluster" }), this.cfgSeed.label, this.cfgNodes.label, restartBtn),
      h("fieldset", null, h("legend", { "data-i18n": "set.protocol" }), this.cfgPreVote.label, this.cfgCheckQuorum.label),
      h("fieldset", null, h("legend", { "data-i18n": "set.network" }), this.cfgLatMin.label, this.cfgLatMax.label, this.cfgLoss.label),
      h("fieldset", { class: "rs-bug-set" }, h("legend", { "data-i18n": "set.bug" }),
        h("label", { class: "rs-field" }, h("span", { "data-i18n": "set.bug.choice" }), this.cfgBug),
        Object.values(this.bugAbout),
        h("p", { class: "rs-muted rs-bug-note", "data-i18n": "set.bug.note" })),
      h("fieldset", null, h("legend", { "data-i18n": "set.export" }), this.exportJsonBtn, this.exportGoBtn));
  }

  buildHelp() {
    const rows = [["Space", "help.play"], [". / →", "help.step"], ["+ / −", "help.speed"], ["End", "help.redo"], ["R", "help.reset"], ["S", "help.share"], ["G", "help.exportGo"], ["P", "help.partition"], ["H", "help.heal"], ["?", "help.help"], ["Esc", "help.close"]];
    const close = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "dlg.close", onclick: () => this.helpDlg.close() });
    return h("dialog", { class: "rs-dlg rs-help" },
      h("h2", { class: "rs-h", "data-i18n": "help.title" }),
      h("p", { "data-i18n": "help.intro" }),
      h("table", { class: "rs-keys" }, h("tbody", null, rows.map(([k, key]) => h("tr", null, h("td", null, h("kbd", null, k)), h("td", { "data-i18n": key }))))),
      h("p", { "data-i18n": "help.mouse" }),
      h("div", { class: "rs-dlg-actions" }, close));
  }

  buildShare() {
    this.shareInput = h("input", { type: "text", readonly: true, class: "rs-share-input rs-share-link", "data-i18n-attr": "aria-label:share.link" });
    this.shareStatus = h("p", { class: "rs-muted", role: "status" });
    this.embedInput = h("input", { type: "text", readonly: true, class: "rs-share-input", "data-i18n-attr": "aria-label:share.embed" });
    const copy = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "share.copy", onclick: () => this.copyShare() });
    const close = h("button", { type: "button", class: "rs-btn", "data-i18n": "dlg.close", onclick: () => this.shareDlg.close() });
    return h("dialog", { class: "rs-dlg rs-share-dlg" },
      h("h2", { class: "rs-h", "data-i18n": "share.title" }),
      h("p", { "data-i18n": "share.intro" }),
      this.shareInput,
      h("div", { class: "rs-dlg-actions" }, copy, close),
      this.shareStatus,
      h("h3", { class: "rs-h3", "data-i18n": "share.embedTitle" }),
      this.embedInput);
  }

  relabel() {
    applyI18n(this.el, this.t);
    if (this.errorIsLink && !this.errorBox.hidden) this.showLinkProblems();
    this.el.setAttribute("lang", this.lang === "zh" ? "zh-CN" : "en");
    if (this.opts.main) {
      document.documentElement.lang = this.lang === "zh" ? "zh-CN" : "en";
      document.title = this.t("app.title");
    }
    this.setSpeed(this.speedExp);
    this.updatePlayButton();
    this.updateHint();
    this.tutorial.relabel();
    this.updateExportGo();
    this.updateBug();
    if (this.state) this.render(this.state, this.state.now, true);
  }

  // updateBug shows the bug the run has (this.bug, from its configuration):
  // the chip next to the badge, the settings' choice and its explanation.
  updateBug() {
    const bug = this.bug || "";
    this.bugChip.hidden = !bug;
    toggleClass(this.el, "rs-buggy", !!bug);
    if (bug) {
      setText(this.bugChip, this.t("bug.chip", { name: this.t("set.bug." + bug) }));
      this.bugChip.title = this.t("set.bug." + bug + ".about");
    }
    if (this.cfgBug.value !== bug) this.cfgBug.value = bug;
    for (const [name, p] of Object.entries(this.bugAbout)) p.hidden = name !== bug;
  }

  // The Go test export needs sandbox.exportGoTest() (a newer JS API); without
  // it the button stays, disabled, and its tooltip says why.
  canExportGo() {
    return !!this.sb && typeof this.sb.exportGoTest === "function";
  }

  updateExportGo() {
    const ok = this.canExportGo();
    this.exportGoBtn.setAttribute("aria-disabled", ok ? "false" : "true");
    this.exportGoBtn.title = this.t(ok ? "set.exportGo.title" : "set.exportGo.missing");
  }

  // ---------------------------------------------------------------- lifecycle

  async start(opts) {
    this.api = await loadApi(opts.fake);
    if (opts.tutorial !== undefined && opts.tutorial !== null) {
      await this.tutorial.open(tutorialIndex(opts.tutorial));
    } else {
      await this.open(initialConfig(opts));
      // a share link made while rewound: the whole run, shown at that moment
      const at = Number(opts.at);
      if (opts.share && Number.isInteger(at) && at >= 0 && at < this.sb.now) await this.seek(at);
    }
    this.updateExportGo();
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
    this.dropFuture();
    if (this.sb) this.sb.destroy();
    this.sb = next;
    this.cfg = cfg;
    this.lastSeq = 0;
    this.actionList = this.sb.actions();
    this.narration.replaceChildren();
    this.selected = null;
    this.side2.clear();
    const st = this.sb.state();
    this.syncSettings(st);
    this.render(st, st.now, true);
    if (this.opts.onSandbox) this.opts.onSandbox(this.sb);
  }

  syncSettings(st) {
    const c = typeof this.sb.config === "function" ? this.sb.config() : null;
    this.bug = c ? bugOf(c.bugs) : this.cfg && this.cfg.bugs ? bugOf(this.cfg.bugs) : "";
    this.updateBug();
    this.cfgNodes.input.value = String(st.nodes.length);
    if (c) {
      if (c.seed !== undefined) this.cfgSeed.input.value = String(c.seed);
      if (c.preVote !== undefined) this.cfgPreVote.input.checked = !!c.preVote;
      if (c.checkQuorum !== undefined) this.cfgCheckQuorum.input.checked = !!c.checkQuorum;
      if (c.latencyMs) {
        this.cfgLatMin.input.value = String(c.latencyMs[0]);
        this.cfgLatMax.input.value = String(c.latencyMs[1]);
      }
      if (c.dropRate !== undefined) this.cfgLoss.input.value = String(Math.round(c.dropRate * 100));
    } else if (this.cfg.seed) this.cfgSeed.input.value = String(this.cfg.seed);
  }

  listen() {
    const target = this.opts.main ? window : this.opts.keys || this.opts.host || this.el;
    target.addEventListener("keydown", (e) => this.onKey(e));
    document.addEventListener("visibilitychange", () => {
      this.visible = document.visibilityState !== "hidden";
      this.schedule();
    });
    if (this.opts.host && "IntersectionObserver" in window) {
      this.io = new IntersectionObserver((entries) => {
        for (const e of entries) this.onScreen = e.isIntersecting;
        this.schedule();
      });
      this.io.observe(this.opts.host);
    }
    if ("ResizeObserver" in window) {
      new ResizeObserver((entries) => {
        const w = entries[0].contentRect.width;
        if (w > 0 && this.logs.setWidth(w) && this.state) this.render(this.state, this.state.now, true);
      }).observe(this.logWrap);
    }
    const mq = matchMedia("(prefers-reduced-motion: reduce)");
    mq.addEventListener("change", () => {
      this.reducedMotion = mq.matches;
      this.cluster.reducedMotion = mq.matches;
      if (this.state) this.render(this.state, this.state.now, true);
    });
  }

  destroy() {
    this.setRunning(false);
    this.dropFuture();
    if (this.io) this.io.disconnect();
    if (DARK_QUERY) DARK_QUERY.removeEventListener("change", this.onScheme);
    if (this.sb) this.sb.destroy();
    this.sb = null;
    this.el.remove();
  }

  // ---------------------------------------------------------------- running

  setRunning(on) {
    this.running = on;
    this.lastTs = 0;
    this.updatePlayButton();
    this.schedule();
  }

  toggleRun() {
    if (this.notReady()) return;
    this.setRunning(!this.running);
  }

  updatePlayButton() {
    const key = this.running ? "ctl.pause" : "ctl.play";
    this.playBtn.querySelector(".rs-icon").replaceWith(icon(this.running ? "pause" : "play"));
    this.playBtn.querySelector(".rs-btn-text").textContent = this.t(key);
    this.playBtn.title = this.t(key + ".title");
    this.playBtn.setAttribute("aria-label", this.t(key + ".title"));
    this.playBtn.setAttribute("aria-pressed", this.running ? "true" : "false");
  }

  // schedule asks for an animation frame only when something will move:
  // running, tab visible and the sandbox on screen. Paused means zero frames.
  schedule() {
    if (this.raf || !this.running || !this.visible || !this.onScreen || !this.sb) return;
    this.raf = requestAnimationFrame((ts) => this.frame(ts));
  }

  // frame: one advance (time-sliced), one state() with only the log columns
  // drawn, one in-place update of the picture.
  frame(ts) {
    this.raf = 0;
    if (!this.running || !this.visible || !this.onScreen || !this.sb) {
      this.lastTs = 0;
      return;
    }
    if (this.busy) return void this.busy.then(() => this.schedule());
    const t0 = performance.now();
    const dt = this.lastTs ? Math.min(ts - this.lastTs, 100) : 16;
    this.lastTs = ts;
    this.acc += dt * this.speedValue;
    let whole = Math.floor(this.acc);
    const s = this.stats;
    // time slicing: at most GO_FRAME_MS of Go per frame, from the measured cost
    const cap = Math.max(1, Math.floor(this.goFrameMs / s.goMsPerVirtualMs));
    if (whole > cap) {
      whole = cap;
      this.acc = 0; // the backlog is dropped: virtual time runs slower
      s.throttledFrames++;
    } else this.acc -= whole;
    // each phase's cost, smoothed over the last frames (docs/page.md)
    const ewma = (key, v) => (s[key] += (v - s[key]) * 0.05);
    try {
      const g0 = performance.now();
      if (whole > 0) {
        this.advanceBy(whole);
        const per = (performance.now() - g0) / whole;
        s.goMsPerVirtualMs += (Math.max(per, 0.0001) - s.goMsPerVirtualMs) * 0.2;
      }
      const g1 = performance.now();
      const st = this.frameState();
      const g2 = performance.now();
      this.render(st, st.now + this.acc, false);
      ewma("advanceMs", g1 - g0);
      ewma("stateMs", g2 - g1);
      ewma("drawMs", performance.now() - g2);
      if (st.invariants && !st.invariants.ok) this.setRunning(false);
    } catch (e) {
      this.setRunning(false);
      this.runError(e);
    }
    const ms = performance.now() - t0;
    s.frames++;
    s.lastFrameMs = ms;
    s.avgFrameMs = s.avgFrameMs + (ms - s.avgFrameMs) / Math.min(s.frames, 120);
    this.schedule();
  }

  // frameState asks Go only for what is drawn: the log columns on screen.
  frameState() {
    return this.opts.fake ? this.sb.state() : this.sb.state({ logTail: this.logs.cols });
  }

  // advanceBy moves virtual time forward; crossing the end of a recorded
  // future switches back to the original run (same state at that moment).
  advanceBy(ms) {
    const f = this.future;
    if (f && this.sb.now + ms >= f.end) {
      const rest = this.sb.now + ms - f.end;
      this.backToBase();
      if (rest > 0) this.sb.advance(rest);
      return;
    }
    this.sb.advance(ms);
  }

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
      if (this.future && this.sb.now >= this.future.end) this.backToBase();
      const f = this.future;
      this.sb.step();
      // a step that jumps past the recorded end: nothing was left to happen
      // before it, so take the same step on the original run instead
      if (f && this.future === f && this.sb.now > f.end) {
        this.backToBase();
        this.sb.step();
      }
      this.hideError();
    } catch (e) {
      this.runError(e);
      return;
    }
    this.refresh();
  }

  // seek moves to virtual time t on the timeline: back replays the run to
  // t and keeps what came after as the ghost future; forward replays it.
  seek(t) {
    if (!this.sb) return Promise.resolve();
    const run = async () => {
      const now = this.sb.now;
      try {
        if (t < now) {
          if (typeof this.sb.rewindTo !== "function") throw new Error(this.t("err.norewind"));
          if (!this.future) {
            const base = this.sb;
            const share = base.share();
            const replay = await this.api.loadSandbox({ share });
            replay.rewindTo(t);
            this.future = { base, end: base.now, actions: base.actions() };
            this.swap(replay);
          } else this.sb.rewindTo(t);
          this.lastSeq = 0;
          this.narration.replaceChildren();
          this.acc = 0;
        } else if (t > now) {
          this.advanceBy(t - now);
        }
        this.hideError();
      } catch (e) {
        this.showError(e && e.message ? e.message : String(e));
      }
      this.refresh();
    };
    const p = (this.busy || Promise.resolve()).then(run);
    this.busy = p;
    return p.finally(() => {
      if (this.busy === p) this.busy = null;
    });
  }

  // redo replays the rest of the recorded run at once: back to its end.
  redo() {
    if (!this.future || this.busy) return;
    this.backToBase();
    this.refresh();
    this.say(this.t("note.redone"));
  }

  // swap shows another Sandbox (the page's globals follow).
  swap(sb) {
    this.sb = sb;
    this.cluster.layoutKey = "";
    if (this.opts.onSandbox) this.opts.onSandbox(sb);
  }

  // backToBase leaves the replay for the original run, at its end.
  backToBase() {
    const f = this.future;
    if (!f) return;
    this.future = null;
    const replay = this.sb;
    this.swap(f.base);
    this.actionList = f.actions;
    if (replay !== f.base) replay.destroy();
    // the narration is read again from the run now shown
    this.lastSeq = 0;
    this.narration.replaceChildren();
    this.lastEventPoll = 0;
  }

  // fork is called before any action: when the run was rewound, the
  // recorded future is discarded (the original run is rewound to now, which
  // forgets its later actions) and the action starts a new one.
  fork() {
    const f = this.future;
    if (!f || this.busy) return;
    const t = this.sb.now;
    const dropped = f.actions.filter((a) => a.at > t).length;
    f.base.rewindTo(t);
    this.backToBase();
    this.actionList = this.sb.actions();
    const key = dropped > 1 ? "note.forked" : dropped === 1 ? "note.forked.one" : "note.forkedTime";
    const note = this.t(key, { count: dropped, time: this.fmtTime(t) });
    this.flash(note);
    this.say(note);
  }

  // dropFuture forgets a recorded future without switching runs (a new
  // cluster, or a reset).
  dropFuture() {
    const f = this.future;
    if (!f) return;
    this.future = null;
    if (f.base !== this.sb) f.base.destroy();
  }

  // flash shows a short note in the tool bar's status line.
  flash(text) {
    setText(this.hint, text);
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => this.updateHint(), 6000);
  }

  reset() {
    if (this.notReady() || this.busy) return;
    if (this.future) this.backToBase();
    this.sb.reset();
    this.actionList = [];
    this.lastSeq = 0;
    this.acc = 0;
    this.side2.clear();
    this.narration.replaceChildren();
    this.refresh();
    this.say(this.t("note.reset"));
  }

  // settingsConfig is the fresh cluster the settings describe: seed, size,
  // the "what if" bug and the protocol and network settings (given at
  // creation, so the new run starts with no "settings changed" actions).
  settingsConfig() {
    const cfg = {
      nodes: clampInt(this.cfgNodes.input.value, 1, MAX_PAGE_NODES, 5),
      seed: clampInt(this.cfgSeed.input.value, 1, 999999999, 1),
      ...this.liveSettings(),
    };
    if (BUG_NAMES.includes(this.cfgBug.value)) cfg.bugs = { [this.cfgBug.value]: true };
    return cfg;
  }

  async restartWithSettings() {
    try {
      await this.open(this.settingsConfig());
      this.settings.hidePopover?.();
    } catch (e) {
      this.showError(e.message);
    }
  }

  // chooseBug restarts the run with the bug chosen in the settings (or
  // none), same seed and size, and says so; the settings stay open so the
  // explanation can be read.
  async chooseBug() {
    const bug = BUG_NAMES.includes(this.cfgBug.value) ? this.cfgBug.value : "";
    for (const [name, p] of Object.entries(this.bugAbout)) p.hidden = name !== bug;
    if (this.busy) await this.busy;
    try {
      await this.open(this.settingsConfig());
      this.hideError();
    } catch (e) {
      this.showError(e.message);
      return;
    }
    const note = bug ? this.t("note.bugOn", { name: this.t("set.bug." + bug) }) : this.t("note.bugOff");
    this.flash(note);
    this.say(note, true);
  }

  // liveSettings: the settings a running cluster can change (configure).
  liveSettings() {
    let lo = clampInt(this.cfgLatMin.input.value, 1, 2000, 20);
    let hi = clampInt(this.cfgLatMax.input.value, 1, 2000, 40);
    if (hi < lo) [lo, hi] = [hi, lo];
    return {
      preVote: this.cfgPreVote.input.checked,
      checkQuorum: this.cfgCheckQuorum.input.checked,
      latencyMs: [lo, hi],
      dropRate: clampInt(this.cfgLoss.input.value, 0, 90, 0) / 100,
    };
  }

  applyLiveSettings() {
    if (!this.sb) return;
    this.act(() => this.sb.configure(this.liveSettings()));
  }

  // act runs one user action (forking a rewound run first), reports errors
  // in words, and redraws.
  act(f, noteKey) {
    if (this.notReady() || this.busy) return undefined;
    let out;
    try {
      this.fork();
      out = f();
      this.hideError();
      if (noteKey && hasKey(noteKey)) this.say(this.t(noteKey, { id: this.selected || "" }));
    } catch (e) {
      this.showError(e && e.message ? e.message : String(e));
    }
    if (!this.future) this.actionList = this.sb.actions();
    this.refresh();
    return out;
  }

  refresh() {
    if (!this.sb) return;
    const st = this.sb.state();
    this.render(st, st.now + (this.running ? this.acc : 0), true);
  }

  // ---------------------------------------------------------------- actions

  clickNode(id) {
    if (this.partitionMode) {
      if (this.side2.has(id)) this.side2.delete(id);
      else this.side2.add(id);
      const ids = this.state.nodes.map((n) => n.id);
      const left = ids.filter((x) => !this.side2.has(x));
      const right = ids.filter((x) => this.side2.has(x));
      if (!left.length || !right.length) this.act(() => this.sb.heal());
      else this.act(() => this.sb.partition([left, right]));
      return;
    }
    this.selected = this.selected === id ? null : id;
    this.refresh();
  }

  // dropNode moves a dragged node to another group ("new": a group of its own).
  dropNode(id, target) {
    const st = this.state;
    const ids = st.nodes.map((n) => n.id);
    let groups = st.partition && st.partition.length > 1 ? st.partition.map((g) => g.filter((x) => x !== id)) : [ids.filter((x) => x !== id)];
    if (target === "new") groups.push([id]);
    else if (groups[target]) groups[target].push(id);
    groups = groups.filter((g) => g.length);
    if (groups.length < 2) this.heal();
    else this.act(() => this.sb.partition(groups));
  }

  togglePartitionMode(on = !this.partitionMode) {
    this.partitionMode = on;
    this.partBtn.setAttribute("aria-pressed", on ? "true" : "false");
    this.cluster.partitionMode = on;
    if (on && this.state && this.state.partition && this.state.partition.length === 2) this.side2 = new Set(this.state.partition[1]);
    this.updateHint();
    this.refresh();
  }

  heal() {
    this.side2.clear();
    this.act(() => this.sb.heal(), "note.healed");
  }

  updateHint() {
    // a run halted by the checker keeps saying so
    const halted = this.state && this.state.invariants && !this.state.invariants.ok;
    setText(this.hint, this.partitionMode ? this.t("hint.partition") : halted ? this.t("note.halted") : "");
  }

  // notReady says so when a control is used before the cluster exists (the
  // controls are shown while the wasm still compiles); true then.
  notReady() {
    if (this.sb) return false;
    this.flash(this.t("note.notReady"));
    return true;
  }

  sendRequest() {
    const cmd = this.reqInput.value.trim() || this.reqInput.placeholder;
    const to = this.reqTo.value;
    if (this.notReady() || this.busy) return;
    try {
      this.fork();
      this.sb.request(cmd, to ? { to } : undefined);
      setText(this.reqErr, "");
      this.reqInput.value = "";
    } catch (e) {
      setText(this.reqErr, this.t("req.error", { message: e.message }));
    }
    if (!this.future) this.actionList = this.sb.actions();
    this.refresh();
  }

  openShare() {
    if (this.notReady()) return;
    let code;
    try {
      code = this.sb.share();
    } catch (e) {
      return this.showError(e.message);
    }
    // rewound: the link holds the whole run and the moment shown (at)
    const at = this.future ? "&at=" + this.sb.now : "";
    const page = this.opts.main ? new URL(location.href) : new URL("../index.html", import.meta.url);
    page.hash = "share=" + code + at;
    this.shareInput.value = page.href;
    const embed = new URL("../embed.html", import.meta.url);
    embed.hash = "share=" + code + at + "&lang=" + this.lang;
    this.embedInput.value = `<iframe src="${embed.href}" width="720" height="560" title="Raft Sandbox" loading="lazy"></iframe>`;
    setText(this.shareStatus, "");
    if (this.opts.main) history.replaceState(null, "", page.href);
    this.shareDlg.showModal();
    this.shareInput.select();
  }

  async copyShare() {
    try {
      await navigator.clipboard.writeText(this.shareInput.value);
      setText(this.shareStatus, this.t("share.copied"));
    } catch {
      this.shareInput.select();
      setText(this.shareStatus, this.t("share.copyManually"));
    }
  }

  openHelp() {
    if (this.helpDlg.open) this.helpDlg.close();
    else this.helpDlg.showModal();
  }

  exportTrace() {
    if (this.notReady()) return;
    const trace = {
      format: "raft-sandbox-trace",
      version: 1,
      share: this.sb.share(),
      actions: this.actionList.filter((a) => a.at <= this.sb.now),
      events: this.sb.events(0),
      state: this.sb.state(),
    };
    download("raft-trace.json", "application/json", JSON.stringify(trace, null, 2));
  }

  // exportGoTest downloads the run as a Go test (the API writes it) and
  // returns its text.
  exportGoTest() {
    if (this.notReady()) return null;
    if (!this.canExportGo()) {
      this.flash(this.t("set.exportGo.missing"));
      return null;
    }
    try {
      // rewound: the whole recorded run, checked at its end (the replay
      // shown holds later actions than its present)
      const src = (this.future ? this.future.base : this.sb).exportGoTest();
      download("raft_sandbox_test.go", "text/x-go", src);
      this.say(this.t("note.exportedGo"));
      return src;
    } catch (e) {
      this.showError(e.message);
      return null;
    }
  }

  cycleTheme() {
    const order = ["auto", "light", "dark"];
    this.theme = order[(order.indexOf(this.theme) + 1) % order.length];
    this.applyTheme();
    if (this.opts.main) localStorage.setItem("rs-theme", this.theme);
    this.say(this.t("theme." + this.theme));
  }

  // applyTheme writes the chosen theme (data-theme: auto, light or dark) and
  // the scheme it resolves to (data-dark present or not), which the styles
  // use, on the sandbox and, for the main page, on <html>.
  applyTheme() {
    const dark = this.theme === "dark" || (this.theme === "auto" && !!DARK_QUERY && DARK_QUERY.matches);
    const targets = this.opts.main ? [this.el, document.documentElement] : [this.el];
    for (const el of targets) {
      el.dataset.theme = this.theme;
      el.toggleAttribute("data-dark", dark);
    }
  }

  setLang(lang) {
    this.lang = pickLang(lang);
    this.t = translator(this.lang);
    this.cluster.t = this.t;
    this.logs.t = this.t;
    this.langSel.value = this.lang;
    // retranslate the narration already shown
    for (const li of this.narration.children) if (li.__ev) this.updateLine(li);
    this.relabel();
    if (this.opts.onLang) this.opts.onLang(this.lang);
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = (e.composedPath()[0] || e.target).tagName || "";
    const inField = /^(INPUT|SELECT|TEXTAREA)$/.test(tag);
    const onButton = tag === "BUTTON" || tag === "A" || tag === "SUMMARY" || !!(e.composedPath()[0] && e.composedPath()[0].closest && e.composedPath()[0].closest("[data-node]"));
    if (inField && e.key !== "Escape") return;
    if (this.helpDlg.open || this.shareDlg.open) {
      if (e.key === "?") {
        e.preventDefault();
        this.openHelp();
      }
      return;
    }
    let done = true;
    switch (e.key) {
      case " ":
        if (onButton) return;
        this.toggleRun();
        break;
      case ".":
      case "ArrowRight":
        this.step();
        break;
      case "+":
      case "=":
        this.setSpeed(this.speedExp + 20);
        break;
      case "-":
      case "_":
        this.setSpeed(this.speedExp - 20);
        break;
      case "r":
      case "R":
        this.reset();
        break;
      case "s":
      case "S":
        this.openShare();
        break;
      case "g":
      case "G":
        this.exportGoTest();
        break;
      case "End":
        this.redo();
        break;
      case "p":
      case "P":
        this.togglePartitionMode();
        break;
      case "h":
      case "H":
        this.heal();
        break;
      case "?":
        this.openHelp();
        break;
      case "Escape":
        if (this.partitionMode) this.togglePartitionMode(false);
        else if (this.selected) {
          this.selected = null;
          this.refresh();
        } else done = false;
        break;
      default:
        done = false;
    }
    if (done) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  // ---------------------------------------------------------------- drawing

  render(st, drawNow, full) {
    this.state = st;
    // when the first picture of a running cluster was drawn (ms since navigation)
    if (!this.stats.firstRenderMs) {
      this.stats.firstRenderMs = performance.now();
      this.loadingNote.hidden = true;
      this.badge.hidden = false;
    }
    this.cluster.selected = this.selected;
    this.cluster.update(st, drawNow);
    this.logs.update(st, this.selected);
    setText(this.timeOut, this.fmtTime(st.now));
    // the timeline ends at the recorded end after a rewind, else at now
    const end = this.future ? this.future.end : st.now;
    if (!this.scrubbing) {
      // While it runs live the slider's end is now, which moves every frame;
      // its max and spoken text are refreshed a few times a second (a new
      // max relayouts the slider), so the thumb may sit a frame or two past
      // the end: the browser draws it at the end, where it is.
      const live = this.running && !this.future;
      const wall = performance.now();
      if (!live || full || wall - (this.tlAt || 0) >= TIMELINE_MS) {
        this.tlAt = wall;
        setAttr(this.timeline, "max", String(Math.max(end, 10)));
        setAttr(this.timeline, "aria-valuetext", this.future ? this.t("ctl.timeline.rewound", { now: this.fmtTime(st.now), end: this.fmtTime(end) }) : this.fmtTime(st.now));
      }
      if (Number(this.timeline.value) !== st.now) this.timeline.value = String(st.now);
    }
    this.tl.update(st.now, end, this.actionList);
    this.redoBtn.disabled = !this.future;
    toggleClass(this.el, "rs-rewound", !!this.future);
    this.renderBadge(st);
    this.renderInspector(st);
    this.renderRequests(st);
    this.renderTargets(st);
    const now = performance.now();
    if (full || now - this.lastEventPoll > EVENT_POLL_MS) {
      this.lastEventPoll = now;
      this.pollEvents();
    }
    this.tutorial.update(st);
    toggleClass(this.addBtn, "disabled", st.nodes.length >= MAX_PAGE_NODES);
    this.addBtn.disabled = st.nodes.length >= MAX_PAGE_NODES;
    this.flushAnnouncements(now);
  }

  renderBadge(st) {
    const inv = st.invariants || { ok: true, violations: [] };
    toggleClass(this.badge, "ok", inv.ok);
    toggleClass(this.badge, "bad", !inv.ok);
    if (inv.ok) setText(this.badgeText, this.t("badge.ok"));
    else {
      const v = inv.violations[0] || {};
      setText(this.badgeText, this.t("badge.bad", { invariant: v.invariant || "", detail: v.detail || "" }));
      if (!this.violationSaid) {
        this.violationSaid = true;
        this.say(this.badgeText.textContent, true);
      }
    }
    if (inv.ok) this.violationSaid = false;
    // the status line says a halted run stopped, and stops saying it
    if (!inv.ok !== !!this.haltedShown) {
      this.haltedShown = !inv.ok;
      clearTimeout(this.flashTimer);
      this.updateHint();
    }
  }

  renderInspector(st) {
    const ins = this.inspector;
    const n = this.selected && st.nodes.find((x) => x.id === this.selected);
    if (!n) {
      if (this.selected) this.selected = null;
      ins.body.hidden = true;
      ins.empty.hidden = false;
      setText(ins.title, this.t("insp.title"));
      return;
    }
    const t = this.t;
    ins.body.hidden = false;
    ins.empty.hidden = true;
    setText(ins.title, t("insp.node", { id: n.id }));
    const role = n.up ? n.role : "down";
    setText(ins.dd.role, t("role." + role));
    setText(ins.dd.term, n.term);
    setText(ins.dd.votedFor, n.votedFor || t("insp.nobody"));
    setText(ins.dd.commit, n.commitIndex);
    setText(ins.dd.applied, n.lastApplied);
    const last = n.log.length ? n.log[n.log.length - 1] : null;
    // (a frame's state holds only the log's tail: count from the indexes)
    const count = n.lastIndex !== undefined ? n.lastIndex - (n.snapshotIndex || 0) : n.log.length;
    setText(ins.dd.log, !last ? t("insp.logempty") : count === 1 ? t("insp.logval1", { index: last.index, term: last.term }) : t("insp.logval", { count, index: last.index, term: last.term }));
    setText(ins.dd.snapshot, n.snapshotIndex || 0);
    setText(ins.dd.timer, n.role === "leader" || !n.up ? "—" : t("insp.timerval", { elapsed: Math.round(n.electionElapsed), timeout: n.electionTimeout }));
    setText(ins.dd.kv, kvLine(n.kv) || "—");
    const prog = n.role === "leader" && n.up ? n.progress || [] : [];
    ins.prog.hidden = !prog.length;
    ins.progTitle.hidden = !prog.length;
    while (ins.rows.length < prog.length) {
      const cells = [h("td"), h("td"), h("td")];
      const tr = h("tr", null, cells);
      ins.progBody.append(tr);
      ins.rows.push({ tr, cells });
    }
    ins.rows.forEach((r, i) => {
      r.tr.hidden = i >= prog.length;
      if (i < prog.length) {
        setText(r.cells[0], prog[i].id);
        setText(r.cells[1], prog[i].match);
        setText(r.cells[2], prog[i].next);
      }
    });
    ins.crash.hidden = !n.up;
    ins.restart.hidden = n.up;
    ins.timeout.disabled = !n.up || n.role === "leader";
    ins.transfer.disabled = !n.up || n.role === "leader" || !st.leader;
    ins.remove.disabled = st.nodes.length <= 1;
  }

  renderRequests(st) {
    const reqs = st.requests || [];
    const shown = reqs.slice(-4).reverse();
    // most frames change nothing here: compare what is shown and said first
    let quick = this.lang + "|" + reqs.length;
    for (const r of shown) quick += "|" + r.id + r.status + r.command + (r.result ?? "");
    if (reqs.length > 4) for (const r of reqs) quick += r.status[0];
    if (quick === this.reqQuick) return;
    this.reqQuick = quick;
    while (this.reqItems.length < shown.length) {
      const status = h("span", { class: "rs-req-status" });
      const text = h("span", { class: "rs-req-text" });
      const li = h("li", null, status, text);
      this.reqList.append(li);
      this.reqItems.push({ li, status, text });
    }
    this.reqItems.forEach((it, i) => {
      const r = shown[i];
      it.li.hidden = !r;
      if (!r) return;
      setAttr(it.li, "class", "rs-req-item status-" + r.status);
      setText(it.status, this.t("req.status." + r.status));
      const to = r.to ? this.t("req.toNode", { id: r.to }) : "";
      const text = r.status === "committed" ? this.t("req.result", { command: r.command, result: r.result, to }) : r.status === "failed" ? this.t("req.failedText", { command: r.command, error: r.error || "", to }) : this.t("req.pendingText", { command: r.command, to });
      setText(it.text, text);
    });
    const key = reqs.map((r) => r.status).join();
    if (key !== this.reqKey) {
      if (this.reqKey !== undefined) {
        const r = reqs[reqs.length - 1];
        if (r && r.status !== "pending") this.say(this.t("req.said", { command: r.command, result: r.result || "", status: this.t("req.status." + r.status) }));
      }
      this.reqKey = key;
    }
  }

  // the request box's "to" list follows the cluster's nodes
  renderTargets(st) {
    const key = st.nodes.map((n) => n.id).join() + this.lang;
    if (key === this.targetsKey) return;
    this.targetsKey = key;
    const keep = this.reqTo.value;
    this.reqTo.replaceChildren(h("option", { value: "" }, this.t("req.toLeader")), ...st.nodes.map((n) => h("option", { value: n.id }, this.t("req.toNode", { id: n.id }))));
    this.reqTo.value = st.nodes.some((n) => n.id === keep) ? keep : "";
  }

  pollEvents() {
    let evs;
    try {
      evs = this.sb.events(this.lastSeq) || [];
    } catch {
      return;
    }
    if (!evs.length) return;
    this.lastSeq = evs[evs.length - 1].seq;
    // keep the log readable: a run of lost messages (a partition drops every
    // heartbeat) folds into one counting line
    const fresh = [];
    for (const ev of evs) {
      const prev = fresh.length ? fresh[fresh.length - 1] : this.narration.firstElementChild && this.narration.firstElementChild.__ev;
      if (ev.key === "message-dropped" && prev && prev.key === "message-dropped") {
        prev.count = (prev.count || 1) + 1;
        prev.at = ev.at;
        prev.node = ev.node;
        prev.peer = ev.peer;
        if (!fresh.includes(prev)) this.updateLine(this.narration.firstElementChild);
        continue;
      }
      fresh.push({ ...ev });
      if (IMPORTANT.has(ev.key)) this.announceQueue.push(this.sentence(ev));
    }
    const frag = document.createDocumentFragment();
    // only the lines that will stay are built (a 51-node election says a lot)
    for (let i = fresh.length - 1; i >= Math.max(0, fresh.length - NARRATION_KEEP); i--) {
      const li = h("li", { class: "ev-" + fresh[i].key }, h("time"), h("span"));
      li.__ev = fresh[i];
      this.updateLine(li);
      frag.append(li);
    }
    this.narration.prepend(frag);
    while (this.narration.children.length > NARRATION_KEEP) this.narration.lastChild.remove();
  }

  updateLine(li) {
    li.firstChild.textContent = this.fmtTime(li.__ev.at);
    li.lastChild.textContent = this.sentence(li.__ev);
  }

  sentence(ev) {
    const noop = (ev.key === "entry-appended" || ev.key === "entry-committed") && !ev.detail;
    const params = { node: ev.node || "", peer: ev.peer || "", term: ev.term, index: ev.index, value: ev.value, detail: noop ? this.t("ev.noop") : ev.detail || "", count: ev.count || 1 };
    let key = "ev." + ev.key;
    if (ev.count > 1 && hasKey(key + ".many")) key += ".many";
    else if (!params.detail && hasKey(key + ".nodetail")) key += ".nodetail";
    return hasKey(key) ? this.t(key, params) : this.t("ev.other", { key: ev.key, ...params });
  }

  // say queues a sentence for screen readers; flushAnnouncements speaks at
  // most one batch every two seconds so the region never floods.
  say(text, urgent) {
    this.announceQueue.push(text);
    if (urgent) this.lastAnnounce = 0;
    this.flushAnnouncements(performance.now());
  }

  flushAnnouncements(now) {
    if (!this.announceQueue.length) return;
    if (now - this.lastAnnounce < 2000) {
      // paused pages draw no frames: make sure the queue is spoken anyway
      if (!this.announceTimer) {
        this.announceTimer = setTimeout(() => {
          this.announceTimer = 0;
          this.flushAnnouncements(performance.now());
        }, 2000 - (now - this.lastAnnounce));
      }
      return;
    }
    this.lastAnnounce = now;
    const batch = this.announceQueue.splice(0);
    const text = batch.slice(-3).join(" ");
    this.live.textContent = text;
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
      this.hideError();
      this.render(st, st.now, true);
      return;
    }
    this.showError(e && e.message ? e.message : String(e));
    if (st) this.render(st, st.now, true);
  }

  showError(msg) {
    this.errorBox.hidden = false;
    this.errorText.textContent = msg;
    this.errorIsLink = false;
  }

  // showLinkProblems says which settings of the link (or the element's
  // attributes) the page could not use and what it did instead
  // (config.js linkProblems); a language switch retranslates it.
  showLinkProblems() {
    const t = this.t;
    this.showError(t("link.intro") + " " + this.linkProblems.map((p) => t(p.key, p.params)).join(" · "));
    this.errorIsLink = true;
  }

  hideError() {
    this.errorBox.hidden = true;
  }

  fmtTime(ms) {
    return this.t("time.value", { s: (ms / 1000).toFixed(ms < 10000 ? 2 : 1) });
  }
}

// events worth speaking aloud (the rest are in the visible log)
const IMPORTANT = new Set(["became-leader", "leader-stepped-down", "node-crashed", "node-restarted", "partitioned", "healed", "request-committed", "request-failed", "entries-truncated", "invariant-violated", "node-added", "node-removed"]);

function svgIcon(child) {
  return s("svg", { class: "rs-legend-icon", viewBox: "0 0 20 20", width: "20", height: "20", "aria-hidden": "true" }, child);
}

function kvLine(kv) {
  if (!kv) return "";
  const pairs = Array.isArray(kv) ? kv.map((p) => [p.key ?? p.Key, p.value ?? p.Value]) : Object.entries(kv);
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} = ${v}`).join(", ");
}


function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
