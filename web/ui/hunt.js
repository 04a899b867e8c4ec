// The bug hunt: choose one of the core's deliberate bugs and press Hunt.
// Random chaos runs (the same search as `go run ./cmd/chaos -bug …`) run in
// the lab's Web Worker (lab.js), off the main thread, with a live count of
// runs and runs per second; at the first safety failure the hunt stops and
// the page opens that run at the moment of the failure: the checker's red
// badge with the nodes and entries involved outlined (a broken invariant),
// or the client's view with the operations that cannot be ordered (a
// history that is not linearizable). The timeline steps back through it.
//
// Interface: new Hunt(app), el, run(bug, { start, max }) (also what the
// button does, with a random start), stop(), relabel().

import { h, setText } from "./dom.js";
import { BUG_NAMES } from "./config.js";
import { Lab } from "./lab.js";
import { ClientView } from "./clientview.js";

// mountLab gives the page (not an embed) the lab: app.lab (the worker,
// started on first use), app.clientView (a timeline: under the logs, where
// it is as wide as they are) and app.hunt (in the side column).
export function mountLab(app) {
  app.lab = new Lab();
  app.clientView = new ClientView(app);
  app.hunt = new Hunt(app);
  return { clientView: app.clientView.el, hunt: app.hunt.el };
}

export class Hunt {
  constructor(app) {
    this.app = app;
    this.bug = h("select", { class: "rs-hunt-bug", id: "rs-hunt-bug" });
    this.button = h("button", { type: "button", class: "rs-btn rs-primary rs-hunt-go", onclick: () => (this.running ? this.stop() : this.run(this.bug.value, this.seeds)) });
    this.seeds = undefined; // { start, max } for the button instead of a random start (tests)
    this.count = h("p", { class: "rs-hunt-count rs-muted" });
    this.result = h("div", { class: "rs-hunt-result", role: "status" });
    this.el = h("details", { class: "rs-panel rs-hunt" },
      h("summary", { class: "rs-h", "data-i18n": "hunt.title" }),
      h("p", { class: "rs-muted", "data-i18n": "hunt.about" }),
      h("div", { class: "rs-hunt-row" }, h("label", { for: "rs-hunt-bug", "data-i18n": "hunt.bug" }), this.bug, this.button),
      this.count, this.result);
    this.running = false;
    this.last = null; // { kind: "found"|"none"|"error"|"unavailable", ... } for relabel
    this.relabel();
  }

  relabel() {
    const t = this.app.t;
    const keep = this.bug.value;
    this.bug.replaceChildren(...BUG_NAMES.map((b) => h("option", { value: b }, t("set.bug." + b))));
    if (BUG_NAMES.includes(keep)) this.bug.value = keep;
    setText(this.button, t(this.running ? "hunt.stop" : "hunt.go"));
    this.showProgress(this.progress);
    this.showResult();
  }

  // run hunts for bug from seed start (random by default), at most max
  // seeds; resolves when the hunt ends (found, stopped, or max reached).
  async run(bug, { start, max } = {}) {
    const app = this.app, lab = app.lab;
    if (!BUG_NAMES.includes(bug)) throw new Error(`unknown bug ${bug}`);
    const why = lab.unavailable();
    if (why) {
      this.last = { kind: "unavailable", why };
      return this.showResult();
    }
    this.el.open = true;
    this.bug.value = bug;
    if (!app.tutorial.active) app.highlight = null; // a previous finding's outline
    this.running = true;
    this.progress = { ran: 0, ms: 0, starting: true };
    this.last = null;
    this.relabel();
    app.say(app.t("hunt.started", { bug: app.t("set.bug." + bug) }));
    let hit = null;
    try {
      hit = await lab.hunt(bug, { start, max, onProgress: (p) => this.showProgress((this.progress = p)) });
    } catch (e) {
      this.last = { kind: "error", message: e.message };
    }
    this.running = false;
    if (hit) {
      this.last = { kind: "found", bug, ...hit };
      await this.open(hit.found);
    } else if (!this.last) {
      this.last = { kind: "none", ran: this.progress.ran };
    }
    this.relabel();
    if (hit) app.say(this.resultText(), true);
    return hit;
  }

  stop() {
    this.app.lab.stop();
  }

  // open shows the failing run in the page, at the moment of the failure.
  async open(found) {
    const app = this.app;
    app.setRunning(false);
    await app.open({ share: found.share });
    if (found.check === "linearizability") {
      // the run went on to its end (nothing halted it): show it where the
      // first operation that cannot be ordered returned, with the client's view
      const view = await app.clientView.show();
      const bad = view?.verdict?.bad;
      const op = bad && view.ops.find((o) => o.id === bad.blocked[0]);
      if (op && op.return >= 0 && op.return < app.sb.now) await app.seek(op.return);
      // outline the node that answered and the entries involved (a tutorial
      // chapter keeps its own highlight)
      if (!app.tutorial.active) app.highlight = app.clientView.hl = app.clientView.highlight(view);
    }
    app.refresh();
  }

  showProgress(p) {
    const t = this.app.t;
    if (!p) return setText(this.count, "");
    if (p.starting) return setText(this.count, t("hunt.starting"));
    const rate = p.ms > 0 ? (p.ran * 1000) / p.ms : 0;
    const params = { runs: p.ran.toLocaleString(this.app.lang), rate: rate.toFixed(rate < 10 ? 1 : 0), n: p.workers };
    setText(this.count, t(p.workers > 1 ? "hunt.countWorkers" : "hunt.count", params));
  }

  resultText() {
    const t = this.app.t, r = this.last;
    if (!r) return "";
    switch (r.kind) {
      case "unavailable": return t("hunt.unavailable." + r.why);
      case "error": return t("hunt.error", { message: r.message });
      case "none": return t("hunt.none", { runs: r.ran });
      default: {
        const f = r.found;
        const key = f.check === "linearizability" ? "hunt.found.lin" : "hunt.found.inv";
        return t(key, { seed: f.seed, runs: r.ran.toLocaleString(this.app.lang), time: this.app.fmtTime(f.at) });
      }
    }
  }

  showResult() {
    const r = this.last;
    const text = this.resultText();
    const kids = [h("p", { class: r && r.kind === "found" ? "rs-hunt-found" : "rs-muted" }, text)];
    if (r && r.kind === "found") {
      kids.push(h("p", { class: "rs-muted" }, this.app.t("hunt.replay")), h("code", { class: "rs-hunt-cmd", translate: "no" }, r.found.replay));
    }
    if (text === this.shown) return;
    this.shown = text;
    this.result.replaceChildren(...(text ? kids : []));
  }
}
