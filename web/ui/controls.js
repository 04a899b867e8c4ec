// Building the controls: the tool bar, the tools over the picture, the
// legend and the help dialog. Each builder makes its elements once, wires
// them to the app's actions and keeps on the app the ones that change later
// (app.playBtn, app.timeline, app.badge, …). Texts are data-i18n keys,
// filled in by applyI18n.

import { h, s, setText, onIdle } from "./dom.js";
import { applyI18n } from "./i18n.js";
import { GLYPHS, KINDS } from "./view.js";
import { TimelineView } from "./timeline.js";
import { icon, logo } from "./icons.js";

export const SPEED_MIN = -200; // 10^(-2) = 1/100 of real time
export const SPEED_MAX = 100; // 10^1 = 10x

// button makes a tool bar button: an icon and a text, titled by key. Its
// accessible name is its text, the words a person sees and says (WCAG 2.5.3
// label in name); the title is its description. Where the text is hidden
// (an icon alone, on a narrow screen) the name is the title.
export function button(key, iconName, onclick, extra = {}) {
  return h("button", { type: "button", class: "rs-btn", "data-i18n-attr": `title:${key}.title`, onclick, ...extra },
    iconName ? icon(iconName) : null,
    h("span", { class: "rs-btn-text", "data-i18n": key }));
}

// buildBar: play, step, speed, the time and its timeline, redo, and the rest
// (tutorial, reset, share, settings, language, theme, help).
export function buildBar(app) {
  app.playBtn = button("ctl.play", "play", () => app.toggleRun(), { "aria-keyshortcuts": "Space", class: "rs-btn rs-primary rs-play" });
  app.stepBtn = button("ctl.step", "step", () => app.step(), { "aria-keyshortcuts": ".", class: "rs-btn rs-step" });
  app.speed = h("input", { type: "range", class: "rs-speed", min: SPEED_MIN, max: SPEED_MAX, step: "10", value: app.speedExp, "data-i18n-attr": "aria-label:ctl.speed.title;title:ctl.speed.title" });
  app.speed.addEventListener("input", () => app.setSpeed(Number(app.speed.value)));
  app.speedOut = h("output", { class: "rs-speed-out" });
  const timeWrap = buildTimeline(app);
  app.resetBtn = button("ctl.reset", "reset", () => app.reset(), { "aria-keyshortcuts": "R", class: "rs-btn rs-reset" });
  app.shareBtn = button("ctl.share", "share", () => app.openShare(), { "aria-keyshortcuts": "S", class: "rs-btn rs-share" });
  app.settingsBtn = button("ctl.settings", "settings", null, { popovertarget: "rs-settings", class: "rs-btn rs-settings-btn" });
  app.langSel = buildLangSelect(app);
  app.langSel.addEventListener("change", () => app.setLang(app.langSel.value));
  app.themeBtn = button("ctl.theme", "theme", () => app.cycleTheme(), { class: "rs-btn rs-theme" });
  app.helpBtn = button("ctl.help", "help", () => app.openHelp(), { "aria-keyshortcuts": "Shift+?", class: "rs-btn rs-help-btn" });
  app.tutBtn = button("ctl.tutorial", "book", () => (app.tutorial.active ? app.tutorial.close() : app.tutorial.open(0)), { class: "rs-btn rs-tut-btn" });
  return h("div", { class: "rs-bar", role: "toolbar", "data-i18n-attr": "aria-label:ctl.bar" },
    app.opts.main ? h("a", { class: "rs-brand", href: "./" }, logo(), h("span", { "data-i18n": "app.title" })) : null,
    h("div", { class: "rs-group" }, app.playBtn, app.stepBtn),
    h("label", { class: "rs-group rs-speed-wrap" }, h("span", { class: "rs-sub", "data-i18n": "ctl.speed" }), app.speed, app.speedOut),
    timeWrap,
    h("div", { class: "rs-group rs-more" }, app.tutBtn, app.resetBtn, app.shareBtn, app.settingsBtn, app.langSel, app.themeBtn, app.helpBtn));
}

// buildLangSelect: English and 中文. On an English page the Chinese option
// comes when the reader reaches the select (focus, pointer, key) or when
// the page is first idle, not in the first layout: a select measures every
// option's text, and shaping "中文" made Blink look through the fonts for
// one with Chinese, which on a machine without one took 10-15 ms of the
// page's first layout (docs/page.md, "First frame").
function buildLangSelect(app) {
  const sel = h("select", { class: "rs-lang", "data-i18n-attr": "aria-label:ctl.lang.title;title:ctl.lang.title" },
    h("option", { value: "en" }, "English"));
  app.fillLangSelect = () => {
    if (sel.options.length > 1) return;
    sel.append(h("option", { value: "zh" }, "中文"));
    sel.value = app.lang;
  };
  if (app.lang === "zh") app.fillLangSelect();
  else {
    for (const type of ["focus", "pointerdown", "keydown"]) sel.addEventListener(type, app.fillLangSelect, { once: true });
    onIdle(app.fillLangSelect);
  }
  sel.value = app.lang;
  return sel;
}

// buildTimeline: the time shown, the timeline (drag back to rewind) and redo.
function buildTimeline(app) {
  app.timeOut = h("output", { class: "rs-time", "aria-live": "off" });
  app.tl = new TimelineView();
  app.timeline = app.tl.input;
  app.timeline.addEventListener("pointerdown", () => (app.scrubbing = true));
  app.timeline.addEventListener("input", () => {
    app.timeShown = app.tlValue = undefined; // render.js writes the time and the value again
    setText(app.timeOut, app.fmtTime(Number(app.timeline.value)));
  });
  app.timeline.addEventListener("change", () => {
    app.scrubbing = false;
    app.seek(Number(app.timeline.value));
  });
  app.redoBtn = button("ctl.redo", "redo", () => app.redo(), { "aria-keyshortcuts": "End", class: "rs-btn rs-redo", disabled: true });
  return h("div", { class: "rs-group rs-time-wrap" }, app.timeOut, app.tl.el, app.redoBtn);
}

// buildTools: partition, heal, add, the status line, and the safety corner:
// the bug chip (what if) and the invariant badge, together.
export function buildTools(app) {
  // (the badge is hidden until the first picture: no cluster, nothing to vouch for)
  app.badge = h("div", { class: "rs-badge ok", role: "status", hidden: true }, h("span", { class: "rs-badge-dot", "aria-hidden": "true" }), h("span", { class: "rs-badge-text" }));
  app.badgeText = app.badge.lastChild;
  // "what if" mode: while one of the core's deliberate bugs is on, a red
  // chip next to the badge says so (also in embeds, whatever their controls)
  app.bugChip = h("span", { class: "rs-bug-chip", role: "note", hidden: true });
  app.partBtn = button("ctl.partition", "partition", () => app.togglePartitionMode(), { "aria-pressed": "false", "aria-keyshortcuts": "P", class: "rs-btn rs-part-btn" });
  app.healBtn = button("ctl.heal", "heal", () => app.heal(), { "aria-keyshortcuts": "H", class: "rs-btn rs-heal-btn" });
  // (no note of its own: the node-added event is announced, narration.js)
  app.addBtn = button("ctl.add", "add", () => app.act(() => app.sb.addNode()), { class: "rs-btn rs-add-btn" });
  const safety = h("div", { class: "rs-safety" }, app.bugChip, app.badge);
  return h("div", { class: "rs-tools" }, app.partBtn, app.healBtn, app.addBtn, app.notices.hint, safety);
}

// buildLegend: what each shape and mark of the picture means. Closed until
// the reader opens it, so its items (a small picture each) are made when
// the page is first idle or the summary is clicked, not for the first frame.
export function buildLegend(app) {
  const list = h("ul");
  const fill = () => {
    if (list.firstChild) return;
    const items = [];
    for (const role of ["follower", "precandidate", "candidate", "leader", "down"]) {
      items.push(h("li", null, svgIcon(s("circle", { class: `rs-legend-node role-${role}`, cx: "10", cy: "10", r: "7" })), h("span", { "data-i18n": "role." + role })));
    }
    for (const kind of KINDS) {
      items.push(h("li", { class: `kind-${kind}` }, svgIcon(s("path", { class: "rs-msg-shape", d: GLYPHS[kind], transform: "translate(10,10) scale(0.8)" })), h("span", { "data-i18n": "kind." + kind })));
    }
    const marks = [
      [s("rect", { class: "rs-cell committed", x: "3", y: "4", width: "14", height: "12", rx: "2" }), "legend.committed"],
      [s("rect", { class: "rs-cell uncommitted", x: "3", y: "4", width: "14", height: "12", rx: "2" }), "legend.uncommitted"],
      [s("path", { class: "rs-match", d: "M10,5l-6,9h12z" }), "legend.match"],
      [s("path", { class: "rs-next", d: "M10,5l-6,9h12z" }), "legend.next"],
      [s("line", { class: "rs-commit", x1: "10", y1: "2", x2: "10", y2: "18" }), "legend.commit"],
    ];
    for (const [shape, key] of marks) items.push(h("li", null, svgIcon(shape), h("span", { "data-i18n": key })));
    list.append(...items);
    applyI18n(list, app.t);
  };
  const legend = h("details", { class: "rs-legend", ontoggle: fill }, h("summary", { "data-i18n": "legend.title", onclick: fill }), list);
  onIdle(fill);
  return legend;
}

function svgIcon(child) {
  return s("svg", { class: "rs-legend-icon", viewBox: "0 0 20 20", width: "20", height: "20", "aria-hidden": "true" }, child);
}

// buildHelp: the dialog listing every shortcut (keyboard.js).
export function buildHelp(app) {
  const rows = [["Space", "help.play"], [". / →", "help.step"], ["+ / −", "help.speed"], ["End", "help.redo"], ["R", "help.reset"], ["S", "help.share"], ["G", "help.exportGo"], ["P", "help.partition"], ["H", "help.heal"], ["D", "help.drop"], ["?", "help.help"], ["Esc", "help.close"], ["Space / →", "help.tutContinue"], ["←", "help.tutBack"]];
  const close = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "dlg.close", onclick: () => app.helpDlg.close() });
  return h("dialog", { class: "rs-dlg rs-help" },
    h("h2", { class: "rs-h", "data-i18n": "help.title" }),
    h("p", { "data-i18n": "help.intro" }),
    h("table", { class: "rs-keys" }, h("tbody", null, rows.map(([k, key]) => h("tr", null, h("td", null, h("kbd", null, k)), h("td", { "data-i18n": key }))))),
    h("p", { "data-i18n": "help.mouse" }),
    h("div", { class: "rs-dlg-actions" }, close));
}
