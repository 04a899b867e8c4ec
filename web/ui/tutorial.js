// Tutorial: the seed's story, chapter by chapter and beat by beat, on the
// real core. Each chapter is a built-in scenario whose beats
// (docs/scenarios.md, "Beats") say where the run pauses: sb.beats() gives
// each beat's start and end in virtual ms (the run is deterministic), the
// runner pauses exactly at the end (app.stopAt), Continue runs to the next
// end, Back rewinds by replay to the previous beat's start and plays it
// again. "Play through" continues by itself after a pause long enough to
// read the text. A beat's text is tut.<key> in the translation files; the
// nodes and log entries it names are highlighted in the picture.
//
// The same Story drives a <raft-sandbox scenario=...> embed: there it plays
// through by itself and shows each beat's text as a caption (controls
// "full" and "minimal"; none with "none").
//
// Interface: new Tutorial(app), el, caption, active, open(i, beat),
// openStory(), close(), continue(), back(), onStop(), relabel(), update(st).

import { h, setText } from "./dom.js";
import { CHAPTERS, DEEP_FROM } from "./config.js";

export { CHAPTERS };

// groupOf: the chapters' group (0: the seed's story, 1: Raft in depth), its
// first chapter and its size, for chapter i (0-based).
function groupOf(i) {
  return i < DEEP_FROM ? { first: 0, size: DEEP_FROM } : { first: DEEP_FROM, size: CHAPTERS.length - DEEP_FROM };
}

// kebab: a bug's JS name as a scenario writes it ("readWithoutReadIndex" ->
// "read-without-read-index").
function kebab(name) {
  return name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

// readingMs: how long play-through waits on a paused beat (text length).
export function readingMs(text, lang) {
  const perChar = lang === "zh" ? 170 : 45;
  return Math.min(15000, 1500 + text.length * perChar);
}

export class Tutorial {
  constructor(app) {
    this.app = app;
    this.chapter = -1; // the chapter shown (0-based), -1: none
    this.story = false; // an embed's scenario told as captions
    this.beats = [];
    this.beat = 0;
    this.atEnd = false; // paused at the end of the beat shown
    this.playThrough = false;
    this.timer = 0;
    this.title = h("h2", { class: "rs-h" });
    this.count = h("span", { class: "rs-tut-count" });
    this.text = h("p", { class: "rs-tut-text", "aria-live": "polite" });
    this.tryText = h("p", { class: "rs-muted rs-tut-try" });
    this.backBtn = h("button", { type: "button", class: "rs-btn rs-tut-back", onclick: () => this.back() });
    this.nextBtn = h("button", { type: "button", class: "rs-btn rs-primary rs-tut-next", onclick: () => this.continue() });
    this.playBox = h("input", { type: "checkbox", role: "switch", class: "rs-tut-play", onchange: () => this.setPlayThrough(this.playBox.checked) });
    this.playLabel = h("span");
    this.play = h("label", { class: "rs-tut-playthrough" }, this.playBox, this.playLabel);
    this.leave = h("button", { type: "button", class: "rs-btn", onclick: () => this.close() });
    // the chapters in two groups: the seed's story, then Raft in depth
    this.list = h("ol", { class: "rs-tut-list" });
    this.deepList = h("ol", { class: "rs-tut-list rs-tut-deep", start: String(DEEP_FROM + 1) });
    this.items = CHAPTERS.map((_, i) => {
      const b = h("button", { type: "button", onclick: () => this.open(i) });
      const li = h("li", null, b);
      (i < DEEP_FROM ? this.list : this.deepList).append(li);
      return { li, b };
    });
    this.listWrap = h("details", { class: "rs-tut-chapters" }, h("summary", { "data-i18n": "tut.chapters" }),
      h("h3", { class: "rs-tut-group", "data-i18n": "tut.group.story" }), this.list,
      h("h3", { class: "rs-tut-group", "data-i18n": "tut.group.deep" }), this.deepList);
    this.el = h("section", { class: "rs-panel rs-tutorial", hidden: true },
      h("div", { class: "rs-tut-head" }, this.title, this.count),
      this.text, this.tryText,
      h("div", { class: "rs-tut-nav" }, this.backBtn, this.play, this.nextBtn),
      this.listWrap,
      h("div", { class: "rs-tut-nav" }, this.leave));
    // an embed's caption: the beat's text over the picture, and Continue
    this.capText = h("span", { class: "rs-caption-text", "aria-live": "polite" });
    this.capNext = h("button", { type: "button", class: "rs-btn rs-caption-next", onclick: () => this.continue() });
    this.caption = h("p", { class: "rs-caption", hidden: true }, this.capText, this.capNext);
  }

  get active() {
    return this.chapter >= 0 || this.story;
  }

  // open shows chapter i (0-based) from beat b (0-based); starting: the
  // page opens with it (else a cluster must be there already).
  async open(i, b = 0, starting = false) {
    if (i < 0 || i >= CHAPTERS.length) {
      if (i >= CHAPTERS.length) this.close();
      return;
    }
    this.cancelTimer();
    const app = this.app;
    if (!starting && app.notReady()) return; // the page is still starting
    this.chapter = i;
    this.el.hidden = false;
    app.el.classList.add("rs-touring");
    if (app.placeTutorial) app.placeTutorial();
    app.stopAt = 0; // nothing runs until the beat is set up
    app.setRunning(false);
    const text = await app.scenarioText(CHAPTERS[i]);
    await app.open({ scenario: text });
    // a quarter of real time, slow enough to follow the messages (a link's
    // speed, when it gives one, wins)
    app.setSpeed(app.opts.speedExp ?? -60);
    this.loadBeats();
    await this.goTo(Math.max(0, Math.min(this.beats.length - 1, b)));
  }

  // openStory tells the scenario already loaded (an embed) as captions.
  async openStory() {
    this.story = true;
    this.loadBeats();
    if (!this.beats.length) {
      this.story = false;
      return false;
    }
    this.playThrough = true;
    this.caption.hidden = this.app.controls === "none";
    this.app.el.classList.add("rs-storied");
    // the story's own pace: a quarter of real time, unless the embed says
    if (this.app.opts.speedExp === undefined) this.app.setSpeed(-60);
    // a paused embed shows its first beat and waits for Play
    await this.goTo(0, this.app.opts.autoplay !== false);
    return true;
  }

  loadBeats() {
    const sb = this.app.sb;
    this.beats = typeof sb.beats === "function" ? sb.beats() : [];
    this.beat = 0;
    this.atEnd = false;
  }

  // goTo shows beat b and runs the cluster from the beat's start to its
  // end: back by replay when the run is later, forward at once when it is
  // earlier (a link to a beat), then played at the chosen speed.
  async goTo(b, run = true) {
    const app = this.app;
    const bt = this.beats[b];
    if (!bt) return;
    this.cancelTimer();
    this.beat = b;
    this.atEnd = false;
    app.stopAt = bt.end;
    app.setRunning(false);
    if (app.sb.now > bt.start) {
      // back by replay, on the chapter's own run (it knows its beats; the
      // timeline's rewind would show a replay loaded from a share link)
      if (app.history.rewound) app.history.leave();
      app.sb.rewindTo(bt.start);
      app.narration.clear();
      app.acc = 0;
      app.actionsChanged();
    }
    // forward to the start at once (a link to a later beat); at the start
    // itself this applies the scenario's actions of that millisecond, as
    // the run's own pause there did
    app.history.advanceBy(Math.max(0, bt.start - app.sb.now));
    app.highlight = highlightOf(bt);
    this.relabel();
    this.updateHash();
    app.refresh();
    if (app.sb.now >= bt.end) this.onStop();
    else if (run) app.setRunning(true);
  }

  // onStop: the runner paused at the end of the beat shown.
  onStop() {
    if (!this.active || !this.beats.length) return;
    this.cancelTimer();
    this.atEnd = true;
    this.relabel();
    if (this.playThrough && !this.lastOfAll()) {
      this.timer = setTimeout(() => {
        this.timer = 0;
        if (this.atEnd && this.playThrough) this.continue();
      }, readingMs(this.beatText(this.beats[this.beat]), this.app.lang));
    }
  }

  lastOfAll() {
    const lastBeat = this.beat >= this.beats.length - 1;
    return lastBeat && (this.story || this.chapter >= CHAPTERS.length - 1);
  }

  // continue: to the end of this beat at once when it is still running,
  // else to the next beat (the next chapter after the last).
  async continue() {
    if (!this.active || !this.app.sb || this.app.busy) return;
    this.cancelTimer();
    const app = this.app;
    const bt = this.beats[this.beat];
    if (!this.atEnd && bt && app.sb.now < bt.end) {
      app.setRunning(false);
      app.history.advanceBy(bt.end - app.sb.now);
      app.acc = 0;
      app.refresh();
      this.onStop();
      return;
    }
    if (this.beat < this.beats.length - 1) return this.goTo(this.beat + 1);
    if (this.story) return this.goTo(0); // an embed starts its story again
    return this.open(this.chapter + 1);
  }

  // back: the previous beat, replayed from its start; from a chapter's
  // first beat, the previous chapter's last beat.
  async back() {
    if (!this.active || !this.app.sb || this.app.busy) return;
    this.cancelTimer();
    if (this.beat > 0) return this.goTo(this.beat - 1);
    if (this.story) return this.goTo(0);
    if (this.chapter > 0) return this.open(this.chapter - 1, Infinity);
    return this.goTo(0);
  }

  // replayWith: a chapter's "Try it" (a bug, pre-vote or check-quorum
  // chosen in the settings while it is open) replays the chapter's run with
  // that change, as a free run (its beats told the run without it); line is
  // a header line, "bug read-without-read-index" or "prevote on" (built-in
  // variants, sim/scenario Builtin). Returns false when no chapter is open.
  async replayWith(line) {
    const i = this.chapter;
    if (i < 0) return false;
    const app = this.app;
    if (app.busy) await app.busy;
    const name = CHAPTERS[i];
    this.close();
    await app.open({ scenario: await app.scenarioText(name + " with " + line) });
    app.setRunning(true);
    return true;
  }

  // replayWithBug: the same for a bug of the settings' choice ("" for none:
  // the chapter itself, told in beats again).
  async replayWithBug(bug) {
    if (this.chapter < 0) return false;
    if (!bug) {
      await this.open(this.chapter);
      return true;
    }
    return this.replayWith("bug " + kebab(bug));
  }

  setPlayThrough(on) {
    this.playThrough = on;
    this.playBox.checked = on;
    this.cancelTimer();
    if (on && this.atEnd) this.onStop();
  }

  cancelTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = 0;
  }

  close() {
    this.cancelTimer();
    this.chapter = -1;
    this.story = false;
    this.beats = [];
    this.el.hidden = true;
    this.caption.hidden = true;
    const app = this.app;
    app.stopAt = null;
    app.highlight = null;
    app.el.classList.remove("rs-touring", "rs-storied");
    if (app.opts.main && location.hash.startsWith("#tutorial")) history.replaceState(null, "", location.pathname + location.search);
    if (app.state) app.refresh();
  }

  updateHash() {
    const app = this.app;
    if (!app.opts.main || this.chapter < 0) return;
    history.replaceState(null, "", `#tutorial=${this.chapter + 1}.${this.beat + 1}&lang=${app.lang}`);
  }

  beatText(bt) {
    if (!bt) return "";
    return bt.key ? this.app.t("tut." + bt.key) : bt.text;
  }

  relabel() {
    const t = this.app.t;
    const last = this.beat >= this.beats.length - 1;
    const lastChapter = this.chapter === CHAPTERS.length - 1;
    this.backBtn.textContent = t("tut.back");
    this.backBtn.title = t("tut.back.title");
    this.backBtn.setAttribute("aria-keyshortcuts", "ArrowLeft");
    this.nextBtn.textContent = !this.atEnd || !last ? t("tut.continue") : lastChapter ? t("tut.finish") : t("tut.nextChapter");
    this.nextBtn.title = t("tut.continue.title");
    this.nextBtn.setAttribute("aria-keyshortcuts", "Space ArrowRight");
    setText(this.playLabel, t("tut.playThrough"));
    this.play.title = t("tut.playThrough.title");
    this.leave.textContent = t("tut.leave");
    this.items.forEach((it, i) => {
      it.b.textContent = t(`tut.${i + 1}.title`);
      if (i === this.chapter) it.li.setAttribute("aria-current", "step");
      else it.li.removeAttribute("aria-current");
    });
    const bt = this.beats[this.beat];
    if (this.story) {
      setText(this.capText, this.beatText(bt));
      this.capNext.textContent = "›";
      this.capNext.title = t("tut.continue.title");
      this.capNext.setAttribute("aria-label", t("tut.continue"));
    }
    if (this.chapter < 0) return;
    const n = this.chapter + 1;
    // the chapter's place in its group ("Raft in depth" counts from 1 again)
    const g = groupOf(this.chapter);
    const place = t(g.first ? "tut.countDeep" : "tut.count", { n: this.chapter - g.first + 1, total: g.size });
    setText(this.title, t(`tut.${n}.title`));
    setText(this.count, this.beats.length ? t("tut.step", { i: this.beat + 1, n: this.beats.length }) + " · " + place : place);
    setText(this.text, this.beatText(bt));
    setText(this.tryText, last && this.atEnd ? t(`tut.${n}.try`) : "");
    this.tryText.hidden = !(last && this.atEnd);
    this.backBtn.disabled = this.chapter === 0 && this.beat === 0;
    this.nextBtn.classList.toggle("rs-waiting", !this.atEnd);
  }

  update() {}
}

// highlightOf: what a beat points at, for the picture and the logs:
// { nodes: Set, entries: Map(node -> Set(index)) }, or null for nothing.
function highlightOf(bt) {
  const nodes = new Set(bt.nodes || []);
  const entries = new Map();
  for (const e of bt.entries || []) {
    for (const id of e.nodes) {
      if (!entries.has(id)) entries.set(id, new Set());
      entries.get(id).add(e.index);
      nodes.add(id);
    }
  }
  if (!nodes.size) return null;
  return { nodes, entries };
}
