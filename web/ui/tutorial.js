// Tutorial: the seed's story as seven chapters, each a built-in scenario run
// on the real core. Text lives in the translation files (tut.N.title,
// tut.N.body, tut.N.try); the reader can leave the script at any moment
// because every control stays live.

import { h, setText } from "./dom.js";
import { CHAPTERS } from "./config.js";

export { CHAPTERS };

export class Tutorial {
  constructor(app) {
    this.app = app;
    this.chapter = -1;
    this.title = h("h2", { class: "rs-h" });
    this.count = h("span", { class: "rs-tut-count" });
    this.text = h("div", { class: "rs-tut-text" });
    this.tryText = h("p", { class: "rs-muted" });
    this.back = h("button", { type: "button", class: "rs-btn", onclick: () => this.open(this.chapter - 1) });
    this.next = h("button", { type: "button", class: "rs-btn rs-primary", onclick: () => this.open(this.chapter + 1) });
    this.replay = h("button", { type: "button", class: "rs-btn", onclick: () => this.open(this.chapter) });
    this.leave = h("button", { type: "button", class: "rs-btn", onclick: () => this.close() });
    this.list = h("ol", { class: "rs-tut-list" });
    this.items = CHAPTERS.map((_, i) => {
      const b = h("button", { type: "button", onclick: () => this.open(i) });
      const li = h("li", null, b);
      this.list.append(li);
      return { li, b };
    });
    this.listWrap = h("details", { class: "rs-tut-chapters" }, h("summary", { "data-i18n": "tut.chapters" }), this.list);
    this.el = h("section", { class: "rs-panel rs-tutorial", hidden: true, "aria-live": "polite" },
      h("div", { class: "rs-tut-head" }, this.title, this.count),
      this.text, this.tryText,
      h("div", { class: "rs-tut-nav" }, this.back, this.replay, this.next),
      this.listWrap,
      h("div", { class: "rs-tut-nav" }, this.leave));
  }

  get active() {
    return this.chapter >= 0;
  }

  async open(i) {
    if (i < 0 || i >= CHAPTERS.length) {
      if (i >= CHAPTERS.length) this.close();
      return;
    }
    this.chapter = i;
    this.el.hidden = false;
    this.relabel();
    const text = await this.app.scenarioText(CHAPTERS[i]);
    await this.app.open({ scenario: text });
    this.app.setSpeed(-60); // a quarter of real time: slow enough to follow the messages
    if (this.app.opts.main) history.replaceState(null, "", "#tutorial=" + (i + 1));
    this.app.setRunning(true);
  }

  close() {
    this.chapter = -1;
    this.el.hidden = true;
    if (this.app.opts.main && location.hash.startsWith("#tutorial")) history.replaceState(null, "", location.pathname + location.search);
  }

  relabel() {
    const t = this.app.t;
    this.back.textContent = t("tut.back");
    this.next.textContent = this.chapter === CHAPTERS.length - 1 ? t("tut.finish") : t("tut.continue");
    this.replay.textContent = t("tut.replay");
    this.leave.textContent = t("tut.leave");
    this.items.forEach((it, i) => {
      it.b.textContent = t(`tut.${i + 1}.title`);
      if (i === this.chapter) it.li.setAttribute("aria-current", "step");
      else it.li.removeAttribute("aria-current");
    });
    if (this.chapter < 0) return;
    const n = this.chapter + 1;
    setText(this.title, t(`tut.${n}.title`));
    setText(this.count, t("tut.count", { n, total: CHAPTERS.length }));
    this.text.replaceChildren(...t(`tut.${n}.body`).split("\n\n").map((p) => h("p", null, p)));
    setText(this.tryText, t(`tut.${n}.try`));
    this.back.disabled = this.chapter === 0;
  }

  update() {}
}
