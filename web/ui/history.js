// History: time travel on the timeline (rewind, the ghost future, fork).
//
// After a rewind the run is kept: future = { base, end, actions }, where base
// is the run as it was (paused at end, its actions still its own), and the
// sandbox shown is a replay of the whole run (loaded from base's share, so
// the later actions are scheduled in it) rewound to the chosen moment.
// Playing or dragging forward replays them; reaching end switches back to
// base; acting first forks: base is rewound to now, which forgets its later
// actions, and the replay is dropped.
//
// Interface: rewound, end, whole, busy, queue(f), moveTo(t), advanceBy(ms),
// step(), leave(), fork(), drop(). It works on the app's run through
// app.sb, app.swap(sb), app.api.loadSandbox, app.actionList, app.narration
// and app.acc.

export class History {
  constructor(app) {
    this.app = app;
    this.future = null;
    this.busy = null; // a pending rewind (it loads a sandbox)
  }

  // rewound: the run shown is a replay with a recorded future after it.
  get rewound() {
    return !!this.future;
  }

  // end is the recorded end after a rewind, else null.
  get end() {
    return this.future ? this.future.end : null;
  }

  // whole is the whole recorded run (the replay shown holds later actions
  // than its present).
  get whole() {
    return this.future ? this.future.base : this.app.sb;
  }

  // queue runs f after any pending move; busy is set until it is done.
  queue(f) {
    const p = (this.busy || Promise.resolve()).then(f);
    this.busy = p;
    return p.finally(() => {
      if (this.busy === p) this.busy = null;
    });
  }

  // moveTo moves to virtual time t: back replays the run to t and keeps what
  // came after as the ghost future; forward replays it.
  async moveTo(t) {
    const app = this.app;
    const now = app.sb.now;
    if (t < now) {
      if (typeof app.sb.rewindTo !== "function") throw new Error(app.t("err.norewind"));
      if (!this.future) {
        const base = app.sb;
        const share = base.share();
        const replay = await app.api.loadSandbox({ share });
        replay.rewindTo(t);
        this.future = { base, end: base.now, actions: base.actions() };
        app.swap(replay);
      } else app.sb.rewindTo(t);
      app.narration.clear();
      app.acc = 0;
    } else if (t > now) {
      this.advanceBy(t - now);
    }
  }

  // advanceBy moves virtual time forward; crossing the end of a recorded
  // future switches back to the original run (same state at that moment).
  advanceBy(ms) {
    const f = this.future;
    const sb = this.app.sb;
    if (f && sb.now + ms >= f.end) {
      const rest = sb.now + ms - f.end;
      this.leave();
      if (rest > 0) this.app.sb.advance(rest);
      return;
    }
    sb.advance(ms);
  }

  // step takes one event; at the recorded end, on the original run.
  step() {
    if (this.future && this.app.sb.now >= this.future.end) this.leave();
    const f = this.future;
    this.app.sb.step();
    // a step that jumps past the recorded end: nothing was left to happen
    // before it, so take the same step on the original run instead
    if (f && this.future === f && this.app.sb.now > f.end) {
      this.leave();
      this.app.sb.step();
    }
  }

  // leave leaves the replay for the original run, at its end.
  leave() {
    const f = this.future;
    if (!f) return;
    this.future = null;
    const app = this.app;
    const replay = app.sb;
    app.swap(f.base);
    app.actionList = f.actions;
    if (replay !== f.base) replay.destroy();
    // the narration is read again from the run now shown
    app.narration.clear();
  }

  // fork is called before any action: when the run was rewound, the
  // recorded future is discarded (the original run is rewound to now, which
  // forgets its later actions) and the action starts a new one. It returns
  // { at, dropped } (the moment and the actions forgotten), or null.
  fork() {
    const f = this.future;
    if (!f || this.busy) return null;
    const app = this.app;
    const at = app.sb.now;
    const dropped = f.actions.filter((a) => a.at > at).length;
    f.base.rewindTo(at);
    this.leave();
    app.actionList = app.sb.actions();
    return { at, dropped };
  }

  // drop forgets a recorded future without switching runs (a new cluster,
  // or a reset).
  drop() {
    const f = this.future;
    if (!f) return;
    this.future = null;
    if (f.base !== this.app.sb) f.base.destroy();
  }
}
