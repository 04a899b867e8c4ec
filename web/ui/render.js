// Drawing one state of the run into the app: the picture and the logs
// (view.js), the time and the timeline, the safety badge and the bug chip,
// the inspector, the requests, the narration and the tutorial.
//
// Interface: render(app, st, drawNow, full) (full: also what is refreshed
// only a few times a second while running), renderBug(app, bug),
// updatePlayButton(app).

import { invariantName, whyText } from "./words.js";
import { setAttr, setText, toggleClass } from "./dom.js";
import { MAX_PAGE_NODES } from "./config.js";
import { icon } from "./icons.js";

const TIMELINE_MS = 250; // how often a live timeline's end and spoken text follow now (ms)

export function render(app, st, drawNow, full) {
  app.state = st;
  // when the first picture of a running cluster was drawn (ms since navigation)
  if (!app.stats.firstRenderMs) {
    app.stats.firstRenderMs = performance.now();
    performance.mark?.("rs-first-render"); // the start-up breakdown (e2e budgets) reads it
    app.loadingNote.hidden = true;
    app.endFirstPaint();
    app.badge.hidden = false;
  }
  app.cluster.selected = app.selected;
  if (app.cluster.messages.described === app.running) app.cluster.messages.describe(!app.running);
  app.cluster.highlight = app.highlight || null;
  app.logs.highlight = app.highlight || null;
  app.cluster.update(st, drawNow);
  app.logs.update(st, app.selected);
  renderTime(app, st, full);
  renderBadge(app, st);
  app.inspector.render(st);
  app.requests.render(st);
  app.clientView?.render(st);
  app.msgPop.update(st);
  const now = performance.now();
  app.narration.poll(app.sb, now, full);
  app.tutorial.update(st);
  toggleClass(app.addBtn, "disabled", st.nodes.length >= MAX_PAGE_NODES);
  if (app.addBtn.disabled !== st.nodes.length >= MAX_PAGE_NODES) app.addBtn.disabled = st.nodes.length >= MAX_PAGE_NODES;
  app.narration.flush(now);
}

// renderTime: the time shown and the timeline, which ends at the recorded
// end after a rewind, else at now.
function renderTime(app, st, full) {
  // (formatted only when the time or the language changed: a paused page
  // redrawn, or slow motion, writes nothing; the slider's input writes the
  // readout itself and forgets timeShown)
  if (app.timeShown !== st.now || app.timeT !== app.t) {
    app.timeShown = st.now;
    app.timeT = app.t;
    setText(app.timeOut, app.fmtTime(st.now));
  }
  const end = app.history.end ?? st.now;
  const rewound = app.history.rewound;
  if (!app.scrubbing) {
    // While it runs live the slider's end is now, which moves every frame;
    // its max and spoken text are refreshed a few times a second (a new
    // max relayouts the slider), so the thumb may sit a frame or two past
    // the end: the browser draws it at the end, where it is.
    const live = app.running && !rewound;
    const wall = performance.now();
    if (!live || full || wall - (app.tlAt || 0) >= TIMELINE_MS) {
      app.tlAt = wall;
      setAttr(app.timeline, "max", String(Math.max(end, 10)));
      setAttr(app.timeline, "aria-valuetext", rewound ? app.t("ctl.timeline.rewound", { now: app.fmtTime(st.now), end: app.fmtTime(end) }) : app.fmtTime(st.now));
      app.tlValue = undefined;
    }
    // (live, between those refreshes now is past the slider's max, where
    // the browser holds the thumb anyway: the value is written with the
    // max; the slider's input forgets tlValue)
    if (app.tlValue !== st.now && (!live || app.tlValue === undefined)) {
      app.tlValue = st.now;
      if (Number(app.timeline.value) !== st.now) app.timeline.value = String(st.now);
    }
  }
  app.tl.update(st.now, end, app.actionList);
  if (app.redoBtn.disabled !== !rewound) app.redoBtn.disabled = !rewound;
  toggleClass(app.el, "rs-rewound", rewound);
}

// renderBadge: green while every invariant holds; red, naming the invariant,
// when the checker caught a violation (said once, urgently).
function renderBadge(app, st) {
  const inv = st.invariants || { ok: true, violations: [] };
  toggleClass(app.badge, "ok", inv.ok);
  toggleClass(app.badge, "bad", !inv.ok);
  if (inv.ok) setText(app.badgeText, app.t("badge.ok"));
  else {
    const v = inv.violations[0] || {};
    setText(app.badgeText, app.t("badge.bad", { invariant: invariantName(app.t, v.invariant), detail: v.why ? whyText(app.t, v.why) : v.detail || "" }));
    if (!app.violationSaid) {
      app.violationSaid = true;
      app.say(app.badgeText.textContent, true);
    }
  }
  if (inv.ok) app.violationSaid = false;
  // the status line says a halted run stopped, and stops saying it
  if (!inv.ok !== !!app.haltedShown) {
    app.haltedShown = !inv.ok;
    app.notices.status(app.hintText());
  }
}

// renderBug: the chip next to the badge while one of the core's deliberate
// bugs is on ("" for none).
export function renderBug(app, bug) {
  app.bugChip.hidden = !bug;
  toggleClass(app.el, "rs-buggy", !!bug);
  if (bug) {
    setText(app.bugChip, app.t("bug.chip", { name: app.t("set.bug." + bug) }));
    app.bugChip.title = app.t("set.bug." + bug + ".about");
  }
}

// updatePlayButton: Play or Pause, by whether the run is running.
export function updatePlayButton(app) {
  const key = app.running ? "ctl.pause" : "ctl.play";
  app.playBtn.querySelector(".rs-icon").replaceWith(icon(app.running ? "pause" : "play"));
  app.playBtn.querySelector(".rs-btn-text").textContent = app.t(key);
  app.playBtn.title = app.t(key + ".title");
  app.playBtn.setAttribute("aria-pressed", app.running ? "true" : "false");
}
