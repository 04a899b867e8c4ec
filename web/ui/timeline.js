// The timeline under the time readout: a range input (drag back to rewind,
// forward to replay) over a strip that shows the run. The part already played
// is a solid bar; after a rewind the rest of the recorded run (its "future")
// is a hatched ghost bar, and every action of the run is a tick: solid in the
// past, hollow in the ghost future. Taking an action while rewound forks the
// run and the ghost goes away.

import { h, s, setAttr } from "./dom.js";

export class TimelineView {
  constructor() {
    this.input = h("input", { type: "range", class: "rs-timeline", min: "0", max: "10", step: "10", value: "0", "data-i18n-attr": "aria-label:ctl.timeline.title;title:ctl.timeline.title" });
    this.past = s("rect", { class: "rs-tl-past", x: "0", y: "2", height: "4", width: "0", rx: "2" });
    this.ghost = s("rect", { class: "rs-tl-ghost", x: "0", y: "1", height: "6", width: "0", rx: "2" });
    this.gMarks = s("g", { class: "rs-tl-marks" });
    this.strip = s("svg", { class: "rs-tl-strip", viewBox: "0 0 1000 8", preserveAspectRatio: "none", "aria-hidden": "true" }, this.past, this.ghost, this.gMarks);
    this.el = h("div", { class: "rs-tl" }, this.strip, this.input);
    this.marks = [];
    this.key = "";
  }

  // update draws the run: time now, the recorded end (end > now after a
  // rewind: the ghost future), and the actions [{at, kind}]. Marks are
  // redrawn only when the actions or the scale change.
  update(now, end, actions) {
    const span = Math.max(end, now, 10);
    // (strings are made only when a width or place moves: live, the bar
    // is full width and most frames write nothing)
    const past = (1000 * Math.min(now, span)) / span, ghost = end > now ? (1000 * Math.min(end, span)) / span - past : -1;
    if (past !== this.pastAt || ghost !== this.ghostW) {
      this.pastAt = past;
      this.ghostW = ghost;
      setAttr(this.past, "width", past.toFixed(1));
      setAttr(this.ghost, "x", past.toFixed(1));
      setAttr(this.ghost, "width", ghost >= 0 ? ghost.toFixed(1) : "0");
    }
    // the scale moves every frame while running: redraw marks when a mark
    // would move by more than a unit, or crosses now
    let ahead = 0;
    for (let i = 0; i < actions.length; i++) if (actions[i].at > now) ahead++;
    const scale = Math.round(span / 50);
    if (this.key !== "" && actions.length === this.marksFor && scale === this.marksScale && ahead === this.marksAhead) return;
    this.key = "drawn";
    this.marksFor = actions.length;
    this.marksScale = scale;
    this.marksAhead = ahead;
    const x = (ms) => (1000 * Math.min(ms, span)) / span;
    while (this.marks.length < actions.length) {
      const m = s("line", { class: "rs-tl-mark", y1: "0", y2: "8" });
      this.gMarks.append(m);
      this.marks.push(m);
    }
    this.marks.forEach((m, i) => {
      const a = actions[i];
      if (!a) return setAttr(m, "display", "none");
      setAttr(m, "display", "inline");
      setAttr(m, "x1", x(a.at).toFixed(1));
      setAttr(m, "x2", x(a.at).toFixed(1));
      setAttr(m, "class", "rs-tl-mark" + (a.at > now ? " future" : ""));
    });
  }
}
