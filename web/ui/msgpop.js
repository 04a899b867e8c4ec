// The message popover: what a message in flight carries, read without
// changing the run (sb.message(id) only reads). Hovering a message shows it
// while the pointer stays; focusing, clicking or tapping pins it until Esc,
// its close button or a click elsewhere. Dropping the message is an explicit
// button in it (and the D key while it is open), never a side effect of a
// click.
//
// Interface: new MessagePopover(app); el (the element, placed inside the
// picture), hover(id, anchor), leave(), open(id, anchor), close(), isOpen,
// drop(), update(st) (each frame: says when the message has arrived),
// relabel().

import { h, setText } from "./dom.js";
import { entryCommand, msgType, whyText } from "./words.js";

const HOVER_LINGER_MS = 400;

export class MessagePopover {
  constructor(app) {
    this.app = app;
    this.id = null;
    this.pinned = false;
    this.detail = null;
    this.gone = false;
    this.anchor = null;
    this.timer = 0;
    this.head = h("p", { class: "rs-msgpop-head" });
    this.rows = h("dl", { class: "rs-msgpop-rows" });
    this.status = h("p", { class: "rs-msgpop-status" });
    this.dropBtn = h("button", { type: "button", class: "rs-msgpop-drop", "data-i18n": "pop.drop", onclick: () => this.drop() });
    const close = h("button", { type: "button", class: "rs-msgpop-close", "data-i18n-attr": "title:pop.close;aria-label:pop.close", onclick: () => this.close(true) }, "×");
    this.el = h("div", { class: "rs-msgpop", role: "dialog", "data-i18n-attr": "aria-label:pop.aria", hidden: true },
      close, this.head, this.rows, this.status, this.dropBtn);
    this.el.addEventListener("pointerenter", () => clearTimeout(this.timer));
    this.el.addEventListener("pointerleave", () => this.leave());
  }

  get isOpen() {
    return this.id !== null;
  }

  // hover shows a message while the pointer is on it (a pinned one stays).
  hover(id, anchor) {
    clearTimeout(this.timer);
    if (this.pinned && this.id !== id) return;
    this.show(id, anchor, this.pinned && this.id === id);
  }

  // leave hides a hovered (not pinned) popover a moment after the pointer
  // left, so that it can move into the popover to reach Drop.
  leave() {
    if (this.pinned || this.id === null) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.pinned) this.close(false);
    }, HOVER_LINGER_MS);
  }

  // open pins the popover on a message (click, tap, focus).
  open(id, anchor) {
    clearTimeout(this.timer);
    this.show(id, anchor, true);
  }

  show(id, anchor, pinned) {
    const app = this.app;
    if (!app.sb) return;
    let d = null;
    try {
      d = app.sb.message(id);
    } catch {
      d = null;
    }
    if (!d) return this.close(false);
    this.id = id;
    this.pinned = pinned;
    this.detail = d;
    this.gone = false;
    this.anchor = anchor;
    this.fill();
    this.el.hidden = false;
    this.place();
  }

  close(refocus) {
    clearTimeout(this.timer);
    const id = this.id;
    this.id = null;
    this.pinned = false;
    this.detail = null;
    this.el.hidden = true;
    if (refocus && id !== null) {
      const body = this.app.cluster.svg.querySelector(`[data-msg="${id}"]`);
      if (body) body.focus();
    }
  }

  // drop drops the message shown (an action of the run, like any other).
  drop() {
    if (this.id === null || this.gone) return false;
    const id = this.id;
    this.close(false);
    this.app.act(() => this.app.sb.dropMessage(id), "note.dropped");
    return true;
  }

  // update notices, each frame, that the message has arrived (or was
  // dropped): the popover stays, saying so, without its Drop button.
  update(st) {
    if (this.id === null || this.gone) return;
    if (st.messages.some((m) => m.id === this.id)) return;
    this.gone = true;
    if (!this.pinned) return this.close(false);
    this.fillStatus();
  }

  relabel() {
    if (this.id !== null) this.fill();
  }

  place() {
    const pic = this.el.parentElement;
    const a = this.anchor && this.anchor.isConnected ? this.anchor : null;
    if (!pic || !a) return;
    const pr = pic.getBoundingClientRect();
    const ar = a.getBoundingClientRect();
    const w = this.el.offsetWidth || 240;
    let left = ar.right - pr.left + 8;
    if (left + w > pr.width) left = Math.max(0, ar.left - pr.left - w - 8);
    const top = Math.max(0, Math.min(ar.top - pr.top - 8, pr.height - (this.el.offsetHeight || 120)));
    this.el.style.left = left + "px";
    this.el.style.top = top + "px";
  }

  fill() {
    const t = this.app.t;
    const d = this.detail;
    setText(this.head, t("pop.head", { type: msgType(t, d.type), from: d.from, to: d.to, term: d.term }));
    const rows = [];
    const row = (k, v) => rows.push(h("dt", null, t(k)), h("dd", null, v));
    switch (d.type) {
      case "AppendEntries":
        row("pop.prev", t("pop.entryAt", { index: d.index, term: d.logTerm }));
        row("pop.entries", d.log.length ? h("ol", { class: "rs-msgpop-log" }, d.log.map((e) =>
          h("li", null, t("pop.entry", { index: e.index, term: e.term, command: e.command ? entryCommand(t, e.command) : t("ev.noop") })))) : t("pop.noEntries"));
        row("pop.commit", String(d.commit));
        break;
      case "Heartbeat":
        row("pop.commit", String(d.commit));
        break;
      case "RequestVote":
      case "PreVote":
        row("pop.candLast", t("pop.entryAt", { index: d.index, term: d.logTerm }));
        break;
      case "RequestVoteResp":
      case "PreVoteResp":
        row("pop.answer", d.reject ? t("pop.voteNo", { why: whyText(t, d.why, { node: d.to, peer: d.from }) || t("pop.noReason") }) : t("pop.voteYes"));
        break;
      case "AppendEntriesResp":
        row("pop.answer", d.reject || d.why ? t("pop.appNo", { why: whyText(t, d.why, { node: d.to, peer: d.from }) || t("pop.noReason") }) : t("pop.appYes", { index: d.index }));
        break;
      case "InstallSnapshot":
        row("pop.snapshot", t("pop.entryAt", { index: d.snapshotIndex, term: d.snapshotTerm }));
        break;
      case "TimeoutNow":
        row("pop.answer", t("pop.timeoutNow"));
        break;
    }
    this.rows.replaceChildren(...rows);
    this.fillStatus();
  }

  fillStatus() {
    const t = this.app.t;
    const d = this.detail;
    if (!d) return;
    const text = this.gone ? t("pop.gone") : d.held ? t("pop.held") : t("pop.times", { sent: this.app.fmtTime(d.sentAt), at: this.app.fmtTime(d.deliverAt) });
    setText(this.status, text);
    this.dropBtn.hidden = this.gone;
  }
}
