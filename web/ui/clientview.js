// The client's view: the run's client history drawn as a timeline per
// client (each request a bar from its invocation to its answer, with the
// answer), checked for linearizability (porcupine's algorithm, in the lab's
// Web Worker: lab.js), and when the check fails, the requests no order can
// place are marked and explained. Collapsed by default; a scenario that says
// `clientview on` opens it (app.open: the reads chapter does), and so does a
// hunt that finds a history that is not linearizable.
//
// The history is not kept by the page's run (that would cost memory in every
// run): the worker rebuilds the run from its share string up to the moment
// shown, with the history recorder on, and checks it there. A "client" is a
// lane of requests that never overlap in time (chaos.Lanes): the page's
// requests come from one box, so each request takes the first free lane.
//
// Interface: new ClientView(app), el, render(st), show() (opens it, returns
// the view once checked), open, relabel().

import { h, s, setText, setAttr } from "./dom.js";

// MAX_DRAWN bounds the requests drawn (the last ones in the window); the
// check covers all. WINDOW_MS is the stretch of time drawn up to now.
const MAX_DRAWN = 400;
const WINDOW_MS = 10000;
// The drawing's width follows the panel's (text stays its size on a
// phone): at least MIN_W, WIDE before the panel was laid out.
const MIN_W = 320, WIDE = 720, LEFT = 64, RIGHT = 12, LANE = 28, TOP = 8, AXIS = 18;

export class ClientView {
  constructor(app) {
    this.app = app;
    this.svg = s("svg", { class: "rs-cv-svg", role: "img", viewBox: `0 0 ${WIDE} 60` });
    this.verdict = h("p", { class: "rs-cv-verdict", role: "status" });
    this.problems = h("ul", { class: "rs-cv-problems" });
    this.note = h("p", { class: "rs-muted rs-cv-note" });
    this.el = h("details", { class: "rs-panel rs-cv", ontoggle: () => this.toggled() },
      h("summary", { class: "rs-h", "data-i18n": "cv.title" }),
      h("p", { class: "rs-muted", "data-i18n": "cv.about" }),
      this.svg, this.verdict, this.problems, this.note);
    this.view = null; // the last view from the worker
    this.key = ""; // what the last request for a view was made for
    this.inflight = null;
    this.waiters = [];
    this.hl = null; // the outline a hunt's finding put on the picture
  }

  get open() {
    return this.el.open;
  }

  toggled() {
    if (this.open && this.app.state) this.render(this.app.state);
    if (!this.open) this.dropHighlight();
  }

  // dropHighlight ends the outline a hunt's finding put on the picture
  // (hunt.js), once the panel closes or the history no longer fails.
  dropHighlight() {
    if (this.hl && this.app.highlight === this.hl) {
      this.app.highlight = null;
      if (this.app.state) this.app.refresh();
    }
    this.hl = null;
  }

  // show opens the panel and resolves with the view of the run now.
  show() {
    this.el.open = true;
    this.key = "";
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (this.app.state) this.render(this.app.state);
    });
  }

  relabel() {
    if (this.view) this.draw(this.view);
  }

  // render asks the worker for a new view when the requests changed (or the
  // moment shown, while paused); one request at a time.
  render(st) {
    if (!this.open || !this.app.sb) return;
    const why = this.app.lab.unavailable();
    if (why) {
      setText(this.verdict, this.app.t("cv.unavailable." + why));
      return;
    }
    const reqs = st.requests || [];
    let key = this.app.sb === this.sbSeen ? "" : "new";
    for (const r of reqs) key += r.id + r.status[0];
    key += "@" + (this.app.running ? Math.floor(st.now / 1000) : st.now);
    if (key === this.key) return;
    this.key = key;
    this.fetch();
  }

  async fetch() {
    if (this.inflight) {
      this.again = true;
      return;
    }
    const app = this.app, sb = app.sb;
    let share;
    try {
      share = sb.share();
    } catch (e) {
      return void setText(this.verdict, app.t("cv.error", { message: e.message }));
    }
    const at = sb.now;
    this.sbSeen = sb;
    if (!this.view) setText(this.verdict, app.t("cv.checking"));
    this.inflight = app.lab.view(share, at);
    try {
      this.view = await this.inflight;
      this.draw(this.view);
    } catch (e) {
      setText(this.verdict, app.t("cv.error", { message: e.message }));
    }
    this.inflight = null;
    if (this.again) {
      this.again = false;
      return this.fetch();
    }
    for (const w of this.waiters.splice(0)) w(this.view);
  }

  // window is the stretch of virtual time drawn: around the requests that
  // cannot be ordered (and the last one ordered before them), or the last
  // WINDOW_MS up to now.
  window(v, bad) {
    if (bad) {
      const ids = new Set([...bad.blocked, bad.ordered[bad.ordered.length - 1]]);
      const sel = v.ops.filter((o) => ids.has(o.id));
      if (sel.length) {
        let t0 = Math.min(...sel.map((o) => o.invoke));
        let t1 = Math.max(...sel.map((o) => (o.return >= 0 ? o.return : v.now)));
        const pad = Math.max(40, (t1 - t0) * 0.3);
        return [Math.max(0, t0 - pad), Math.min(Math.max(v.now, t1), t1 + pad)];
      }
    }
    return [Math.max(0, v.now - WINDOW_MS), Math.max(v.now, 1000)];
  }

  draw(v) {
    const t = this.app.t;
    const bad = v.verdict.bad;
    if (!bad) this.dropHighlight();
    const [t0, t1] = this.window(v, bad);
    const end = (o) => (o.return >= 0 ? o.return : v.now);
    const ops = v.ops.filter((o) => o.invoke <= t1 && end(o) >= t0).slice(-MAX_DRAWN);
    const blocked = new Set(bad ? bad.blocked : []);
    const order = new Map(bad ? bad.ordered.map((id, i) => [id, i + 1]) : []);
    const lanes = Math.max(1, v.lanes);
    const W = Math.max(MIN_W, Math.round(this.svg.clientWidth) || WIDE);
    const x = (ms) => LEFT + ((Math.min(t1, Math.max(t0, ms)) - t0) / Math.max(1, t1 - t0)) * (W - LEFT - RIGHT);
    const height = TOP + lanes * LANE + AXIS;
    setAttr(this.svg, "viewBox", `0 0 ${W} ${height}`);
    const kids = [];
    for (let l = 0; l < lanes; l++) {
      const y = TOP + l * LANE;
      kids.push(s("line", { class: "rs-cv-lane", x1: LEFT, x2: W - RIGHT, y1: y + LANE / 2, y2: y + LANE / 2 }),
        s("text", { class: "rs-cv-client", x: 4, y: y + LANE / 2 + 4 }, t("cv.client", { n: l + 1 })));
    }
    // where each bar starts and ends, and the room beside it in its lane
    const bars = new Map(ops.map((op) => [op.id, [x(op.invoke), Math.max(x(op.invoke) + 3, x(end(op)))]]));
    const room = new Map(); // id -> [free space before, free space after]
    const byLane = new Map();
    for (const op of ops) (byLane.get(op.lane) || byLane.set(op.lane, []).get(op.lane)).push(op);
    for (const lane of byLane.values()) {
      lane.forEach((op, i) => {
        const [x1, x2] = bars.get(op.id);
        const prev = i > 0 ? bars.get(lane[i - 1].id)[1] : LEFT;
        const next = i + 1 < lane.length ? bars.get(lane[i + 1].id)[0] : W - RIGHT;
        room.set(op.id, [x1 - prev, next - x2]);
      });
    }
    for (const op of ops) {
      const y = TOP + op.lane * LANE + 5;
      const [x1, x2] = bars.get(op.id);
      const cls = "rs-cv-op status-" + op.status + (blocked.has(op.id) ? " bad" : "") + (order.has(op.id) ? " ordered" : "");
      const label = this.opLabel(op);
      const g = s("g", { class: cls, "data-id": op.id },
        s("rect", { x: x1, y, width: x2 - x1, height: LANE - 10, rx: 3 }),
        s("title", null, t("cv.op", { id: op.id, op: label, from: this.app.fmtTime(op.invoke), to: op.return >= 0 ? this.app.fmtTime(op.return) : "…" })));
      // the label inside the bar, else beside it where its lane has room
      const width = label.length * 6.2 + 8;
      const [before, after] = room.get(op.id);
      if (x2 - x1 > width) g.append(s("text", { class: "rs-cv-label", x: x1 + 4, y: y + LANE / 2 - 1 }, label));
      else if (after > width || before > width || blocked.has(op.id)) {
        const right = after > width || (blocked.has(op.id) && after >= before);
        g.append(s("text", { class: "rs-cv-label", x: right ? x2 + 3 : x1 - 3, y: y + LANE / 2 - 1, "text-anchor": right ? "start" : "end" }, label));
      }
      if (order.has(op.id) && x2 - x1 > 14) g.append(s("text", { class: "rs-cv-order", x: x2 - 3, y: y - 1, "text-anchor": "end" }, String(order.get(op.id))));
      kids.push(g);
    }
    kids.push(s("text", { class: "rs-cv-axis", x: LEFT, y: height - 4 }, this.app.fmtTime(t0)),
      s("text", { class: "rs-cv-axis", x: W - RIGHT, y: height - 4, "text-anchor": "end" }, this.app.fmtTime(t1)));
    this.svg.replaceChildren(...kids);
    this.svg.setAttribute("aria-label", t("cv.aria", { n: v.ops.length, lanes, from: this.app.fmtTime(t0), to: this.app.fmtTime(t1) }));
    this.drawVerdict(v);
  }

  // highlight is what the picture outlines for a history that is not
  // linearizable (the rest is dimmed, as a tutorial beat does): the node
  // that answered the first request that cannot be ordered, with the entry
  // whose state it answered from, and the node and entry of the last
  // request ordered before it (the write it did not see). Null if none.
  highlight(v) {
    const bad = v && v.verdict.bad;
    if (!bad) return null;
    const byId = new Map(v.ops.map((o) => [o.id, o]));
    const nodes = new Set(), entries = new Map();
    for (const id of [bad.blocked[0], bad.ordered[bad.ordered.length - 1]]) {
      const op = byId.get(id);
      if (!op || !op.node) continue;
      nodes.add(op.node);
      if (op.index > 0) {
        if (!entries.has(op.node)) entries.set(op.node, new Set());
        entries.get(op.node).add(op.index);
      }
    }
    return nodes.size ? { nodes, entries } : null;
  }

  opLabel(op) {
    const t = this.app.t;
    if (op.status === "committed") return t("cv.answer", { command: op.command, value: op.value });
    if (op.status === "failed") return t("cv.failedOp", { command: op.command });
    return t("cv.pendingOp", { command: op.command });
  }

  drawVerdict(v) {
    const t = this.app.t, ver = v.verdict, bad = ver.bad;
    const n = v.ops.length;
    let text;
    if (n === 0) text = t("cv.empty");
    else if (bad) text = t("cv.bad", { key: bad.key });
    else if (ver.timedOut) text = t("cv.timedOut", { n });
    else text = t("cv.ok", { n, ms: ver.checkMs < 0.1 ? "< 0.1" : ver.checkMs.toFixed(ver.checkMs < 10 ? 1 : 0) });
    setAttr(this.verdict, "class", "rs-cv-verdict" + (bad ? " bad" : n ? " ok" : ""));
    setText(this.verdict, text);
    const items = [];
    if (bad) {
      const byId = new Map(v.ops.map((o) => [o.id, o]));
      const lastId = bad.ordered[bad.ordered.length - 1];
      const last = byId.get(lastId);
      bad.blocked.forEach((id, i) => {
        const op = byId.get(id);
        if (!op) return;
        const params = {
          id, client: op.lane + 1, op: this.opLabel(op), from: this.app.fmtTime(op.invoke), to: this.app.fmtTime(op.return), node: op.node || "?",
          got: bad.answers[i], want: bad.expect[i], key: bad.key, value: bad.value, n: bad.ordered.length,
          last: last ? last.id : "", lastOp: last ? this.opLabel(last) : "",
        };
        items.push(h("li", null, t(bad.ordered.length ? "cv.blocked" : "cv.blocked.first", params)));
        if (op.command.startsWith("GET")) items.push(h("li", { class: "rs-muted" }, t("cv.hint.read")));
      });
    }
    this.problems.replaceChildren(...items);
    const [t0, t1] = this.window(v, bad);
    setText(this.note, n ? t("cv.window", { from: this.app.fmtTime(t0), to: this.app.fmtTime(t1) }) : "");
  }
}
