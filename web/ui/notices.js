// Notices: the message box above the picture (errors, and what a link asked
// for that the page could not use) and the tool bar's status line (a hint
// that stays, or a short note that flashes and gives way to it).
//
// Interface: box and hint (the elements), showError(msg), showException(e), hideError(),
// showLinkProblems(problems), relabel(), flash(text), offer(text, label,
// action), status(text).
// t() is the translator of the moment; hintText() is what the status line
// says when no note is flashing.

import { h, setText } from "./dom.js";
import { errorText } from "./words.js";

const FLASH_MS = 6000;
const OFFER_MS = 12000; // how long Reset can be undone

export class Notices {
  constructor(t, hintText) {
    this.t = t;
    this.hintText = hintText;
    this.text = h("span", { class: "rs-error-text" });
    this.box = h("div", { class: "rs-error", role: "alert", hidden: true }, this.text,
      h("button", { type: "button", class: "rs-error-close", "data-i18n-attr": "title:err.dismiss;aria-label:err.dismiss", onclick: () => this.hideError() }, "×"));
    this.hint = h("p", { class: "rs-hint", role: "status" });
    this.linkProblems = null; // shown in the box: retranslated on a language switch
    this.exception = null; // likewise
    this.flashTimer = 0;
  }

  showError(msg) {
    this.box.hidden = false;
    this.text.textContent = msg;
    this.linkProblems = null;
    this.exception = null;
  }

  // showException says what went wrong in the reader's language: by the
  // error's code when the simulator gave one (words.js errorText); wrapKey
  // (optional) puts it in a sentence ({why}).
  showException(e, wrapKey) {
    const t = this.t();
    const why = errorText(t, e);
    this.showError(wrapKey ? t(wrapKey, { why }) : why);
    this.exception = e;
    this.exceptionKey = wrapKey;
  }

  hideError() {
    this.box.hidden = true;
  }

  // showLinkProblems says which settings of the link (or the element's
  // attributes) the page could not use and what it did instead
  // (config.js linkProblems); a language switch retranslates it.
  showLinkProblems(problems) {
    const t = this.t();
    this.showError(t("link.intro") + " " + problems.map((p) => t(p.key, p.params)).join(" · "));
    this.linkProblems = problems;
  }

  relabel() {
    if (this.linkProblems && !this.box.hidden) this.showLinkProblems(this.linkProblems);
    if (this.exception && !this.box.hidden) this.showException(this.exception, this.exceptionKey);
    this.status(this.hintText());
  }

  // flash shows a short note in the status line, then the hint again.
  flash(text) {
    setText(this.hint, text);
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => setText(this.hint, this.hintText()), FLASH_MS);
  }

  // offer shows a note with one action button (Reset, then Undo) for a
  // while (OFFER_MS), then the hint again.
  offer(text, label, action) {
    clearTimeout(this.flashTimer);
    const btn = h("button", { type: "button", class: "rs-btn rs-offer", onclick: () => {
      this.status(this.hintText());
      action();
    } }, label);
    this.hint.__text = undefined; // setText must write again after this
    this.hint.replaceChildren(text + " ", btn);
    this.flashTimer = setTimeout(() => this.status(this.hintText()), OFFER_MS);
    return btn;
  }

  // status shows text in the status line at once (a flashing note ends).
  status(text) {
    clearTimeout(this.flashTimer);
    setText(this.hint, text);
  }
}
