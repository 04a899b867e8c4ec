// The inspector: the selected node's full state (role, term, vote, commit,
// log, snapshot, timer, key-value state, the leader's progress per peer) and
// its actions (crash / restart, time out now, make leader, remove).
//
// Interface: new Inspector(app), el, render(st). The actions go through
// app.act on app.selected.

import { h, setText } from "./dom.js";
import { kvPairs } from "./view.js";
import { eventSentence } from "./narration.js";

const FIELDS = ["role", "term", "votedFor", "commit", "applied", "log", "snapshot", "timer", "kv"];

export class Inspector {
  constructor(app) {
    this.app = app;
    this.title = h("h2", { class: "rs-h" });
    this.empty = h("p", { class: "rs-muted", "data-i18n": "insp.empty" });
    this.dd = {};
    const dl = h("dl", { class: "rs-dl" });
    for (const f of FIELDS) {
      this.dd[f] = h("dd");
      dl.append(h("dt", { "data-i18n": "insp." + f }), this.dd[f]);
    }
    this.progTitle = h("h3", { class: "rs-h3", "data-i18n": "insp.progress" });
    this.progBody = h("tbody");
    this.prog = h("table", { class: "rs-prog" },
      h("thead", null, h("tr", null, h("th", { "data-i18n": "insp.peer" }), h("th", { "data-i18n": "insp.match" }), h("th", { "data-i18n": "insp.next" }))), this.progBody);
    this.rows = [];
    const actions = this.buildActions();
    // the node's latest refusal, given or received, with its reason
    this.refusalTitle = h("h3", { class: "rs-h3", "data-i18n": "insp.refusal" });
    this.refusal = h("p", { class: "rs-insp-refusal" });
    this.body = h("div", { class: "rs-insp-body", hidden: true }, dl, this.refusalTitle, this.refusal, this.progTitle, this.prog, actions);
    this.el = h("section", { class: "rs-panel rs-insp", "aria-live": "off" }, this.title, this.empty, this.body);
  }

  buildActions() {
    const app = this.app;
    // (key.done is said when it exists: Crash and Restart have none, their
    // events are announced, narration.js)
    const b = (key, f) => h("button", { type: "button", class: "rs-btn rs-" + key.replace(".", "-"), "data-i18n": key, onclick: () => app.act(() => f(app.selected), key + ".done") });
    this.crash = b("act.crash", (id) => app.sb.crash(id));
    this.restart = b("act.restart", (id) => app.sb.restart(id));
    this.timeout = b("act.timeout", (id) => app.sb.timeout(id));
    this.transfer = b("act.transfer", (id) => app.sb.transferLeadership(id));
    this.remove = b("act.remove", (id) => {
      app.sb.removeNode(id);
      app.selected = null;
    });
    return h("div", { class: "rs-actions" }, this.crash, this.restart, this.timeout, this.transfer, this.remove);
  }

  render(st) {
    const app = this.app;
    const t = app.t;
    const n = app.selected && st.nodes.find((x) => x.id === app.selected);
    if (!n) {
      if (app.selected) app.selected = null;
      this.body.hidden = true;
      this.empty.hidden = false;
      setText(this.title, t("insp.title"));
      return;
    }
    this.body.hidden = false;
    this.empty.hidden = true;
    setText(this.title, t("insp.node", { id: n.id }));
    this.renderFields(n, t);
    this.renderProgress(n.role === "leader" && n.up ? n.progress || [] : []);
    const ref = app.narration.refusals.get(n.id);
    this.refusalTitle.hidden = this.refusal.hidden = !ref;
    if (ref) setText(this.refusal, t("insp.refusalAt", { time: app.fmtTime(ref.at), text: eventSentence(t, ref) }));
    // a removed node: only Crash, while it still runs (it shuts it down for good)
    const gone = !!n.removed;
    this.crash.hidden = !n.up;
    this.restart.hidden = n.up || gone;
    this.timeout.disabled = !n.up || n.role === "leader" || gone;
    this.transfer.disabled = !n.up || n.role === "leader" || !st.leader || gone;
    this.remove.disabled = st.nodes.length <= 1 || gone;
  }

  renderFields(n, t) {
    const dd = this.dd;
    const role = n.up ? n.role : "down";
    setText(dd.role, t("role." + role));
    setText(dd.term, n.term);
    setText(dd.votedFor, n.votedFor || t("insp.nobody"));
    setText(dd.commit, n.commitIndex);
    setText(dd.applied, n.lastApplied);
    const last = n.log.length ? n.log[n.log.length - 1] : null;
    // (a frame's state holds only the log's tail: count from the indexes)
    const count = n.lastIndex !== undefined ? n.lastIndex - (n.snapshotIndex || 0) : n.log.length;
    setText(dd.log, !last ? t("insp.logempty") : count === 1 ? t("insp.logval1", { index: last.index, term: last.term }) : t("insp.logval", { count, index: last.index, term: last.term }));
    setText(dd.snapshot, n.snapshotIndex || 0);
    setText(dd.timer, n.role === "leader" || !n.up ? "—" : t("insp.timerval", { elapsed: Math.round(n.electionElapsed), timeout: n.electionTimeout }));
    setText(dd.kv, kvLine(n.kv) || "—");
  }

  // renderProgress fills the leader's match/next table (rows are pooled).
  renderProgress(prog) {
    this.prog.hidden = !prog.length;
    this.progTitle.hidden = !prog.length;
    while (this.rows.length < prog.length) {
      const cells = [h("td"), h("td"), h("td")];
      const tr = h("tr", null, cells);
      this.progBody.append(tr);
      this.rows.push({ tr, cells });
    }
    this.rows.forEach((r, i) => {
      r.tr.hidden = i >= prog.length;
      if (i < prog.length) {
        setText(r.cells[0], prog[i].id);
        setText(r.cells[1], prog[i].match);
        setText(r.cells[2], prog[i].next);
      }
    });
  }
}

function kvLine(kv) {
  return kvPairs(kv).map(([k, v]) => `${k} = ${v}`).join(", ");
}
