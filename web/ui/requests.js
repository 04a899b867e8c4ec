// The client's request box: a command (SET 5, ADD 2, GET x) sent to the
// leader or pinned to one node, and the last requests with their status.
//
// Interface: new Requests(app), el, input, render(st), send().

import { errorText, whyText } from "./words.js";
import { h, setAttr, setText } from "./dom.js";

const SHOWN = 4;

export class Requests {
  constructor(app) {
    this.app = app;
    this.input = h("input", { type: "text", class: "rs-req-input", autocomplete: "off", spellcheck: "false", "data-i18n-attr": "placeholder:req.placeholder;aria-label:req.label" });
    this.to = h("select", { class: "rs-req-to", "data-i18n-attr": "aria-label:req.to" });
    this.err = h("p", { class: "rs-req-err", role: "alert" });
    this.list = h("ul", { class: "rs-req-list", "data-i18n-attr": "aria-label:req.list" });
    this.items = [];
    this.el = h("form", { class: "rs-req", onsubmit: (e) => { e.preventDefault(); this.send(); } },
      h("label", { class: "rs-req-title", "data-i18n": "req.title" }),
      h("div", { class: "rs-req-row" }, this.input, this.to, h("button", { type: "submit", class: "rs-btn rs-primary rs-req-send", "data-i18n": "req.send" })),
      this.err, this.list);
  }

  send() {
    const app = this.app;
    const cmd = this.input.value.trim() || this.input.placeholder;
    const to = this.to.value;
    if (app.notReady() || app.busy) return;
    try {
      app.fork();
      app.sb.request(cmd, to ? { to } : undefined);
      setText(this.err, "");
      this.input.value = "";
    } catch (e) {
      setText(this.err, app.t("req.error", { message: errorText(app.t, e) }));
    }
    app.actionsChanged();
    app.refresh();
  }

  render(st) {
    this.renderList(st.requests || []);
    this.renderTargets(st);
  }

  renderList(reqs) {
    const t = this.app.t;
    // (state() hands back the same frozen object for a request that did
    // not change: the same objects in the same language draw the same list)
    if (sameObjects(this.drawnReqs, reqs) && this.drawnLang === this.app.lang) return;
    const drawn = this.drawnReqs || (this.drawnReqs = []);
    drawn.length = 0;
    for (let i = 0; i < reqs.length; i++) drawn.push(reqs[i]);
    this.drawnLang = this.app.lang;
    const shown = reqs.slice(-SHOWN).reverse();
    // most frames change nothing here: compare what is shown and said first
    let quick = this.app.lang + "|" + reqs.length;
    for (const r of shown) quick += "|" + r.id + r.status + r.command + (r.result ?? "");
    if (reqs.length > SHOWN) for (const r of reqs) quick += r.status[0];
    if (quick === this.quick) return;
    this.quick = quick;
    while (this.items.length < shown.length) {
      const status = h("span", { class: "rs-req-status" });
      const text = h("span", { class: "rs-req-text" });
      const li = h("li", null, status, text);
      this.list.append(li);
      this.items.push({ li, status, text });
    }
    this.items.forEach((it, i) => {
      const r = shown[i];
      it.li.hidden = !r;
      if (!r) return;
      setAttr(it.li, "class", "rs-req-item status-" + r.status);
      setText(it.status, t("req.status." + r.status));
      const to = r.to ? t("req.toNode", { id: r.to }) : "";
      const text = r.status === "committed" ? t("req.result", { command: r.command, result: r.result, to }) : r.status === "failed" ? t("req.failedText", { command: r.command, error: r.why ? whyText(t, r.why) : r.error || "", to }) : t("req.pendingText", { command: r.command, to });
      setText(it.text, text);
    });
    this.sayOutcome(reqs);
  }

  // sayOutcome speaks the outcome of every request whose status changed to
  // an answer since the last picture (two requests answered in one frame are
  // both said; the run's requests at the first picture are not news).
  sayOutcome(reqs) {
    const t = this.app.t;
    const first = this.statuses === undefined;
    const before = this.statuses || new Map();
    this.statuses = new Map();
    for (const r of reqs) {
      this.statuses.set(r.id, r.status);
      if (first || r.status === "pending" || before.get(r.id) === r.status) continue;
      this.app.say(t("req.said", { command: r.command, result: r.result || "", status: t("req.status." + r.status) }));
    }
  }

  // the "to" list follows the cluster's nodes
  renderTargets(st) {
    const t = this.app.t;
    if (this.targetsLang === this.app.lang && this.targetIds && this.targetIds.length === st.nodes.length && st.nodes.every(this.sameTarget || (this.sameTarget = (n, i) => n.id === this.targetIds[i]))) return;
    this.targetsLang = this.app.lang;
    this.targetIds = st.nodes.map((n) => n.id);
    const key = this.targetIds.join() + this.app.lang;
    if (key === this.targetsKey) return;
    this.targetsKey = key;
    const keep = this.to.value;
    this.to.replaceChildren(h("option", { value: "" }, t("req.toLeader")), ...st.nodes.map((n) => h("option", { value: n.id }, t("req.toNode", { id: n.id }))));
    this.to.value = st.nodes.some((n) => n.id === keep) ? keep : "";
  }
}

// sameObjects says whether two lists hold the same objects in order.
function sameObjects(a, b) {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
