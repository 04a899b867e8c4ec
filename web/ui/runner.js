// Runner: the run loop. It asks for an animation frame only when something
// will move (running, tab visible, sandbox on screen: paused means zero
// frames), advances virtual time by the speed, time-sliced so that Go takes
// at most goFrameMs of a frame, and draws the state. App extends it.
//
// Interface: running, stats, goFrameMs, stopAt (a virtual moment to pause
// exactly at, then call onStop()), setRunning(on), toggleRun(), schedule(). The app provides sb, history, logs, opts, speedValue,
// notReady(), runError(e) and playBtn.

import { render, updatePlayButton } from "./render.js";

// Go's share of one animation frame. advance() is time-sliced to it: when the
// machine cannot simulate the requested speed in that time, virtual time runs
// slower instead of the frame running long (no long tasks at 10x, 51 nodes).
const GO_FRAME_MS = 4;

// the Sandbox's method for the page's frames (web/sandbox/sandbox.js)
const FRAME = Symbol.for("raft-sandbox.frame");

export class Runner {
  constructor(opts) {
    this.running = false;
    this.speedExp = opts.speedExp ?? -100;
    this.acc = 0;
    this.lastTs = 0;
    this.raf = 0;
    this.visible = typeof document === "undefined" || document.visibilityState !== "hidden";
    this.onScreen = !opts.host; // the page itself is on screen; elements wait for the observer
    this.goFrameMs = GO_FRAME_MS; // Go's share of a frame (a test may lower it)
    this.stats = { frames: 0, lastFrameMs: 0, avgFrameMs: 0, firstRenderMs: 0, goMsPerVirtualMs: 0.002, throttledFrames: 0, advanceMs: 0, stateMs: 0, drawMs: 0 };
  }

  setRunning(on) {
    this.running = on;
    this.lastTs = 0;
    updatePlayButton(this);
    // messages are named for assistive technology only while paused
    if (this.cluster) this.cluster.messages.describe(!on);
    this.schedule();
  }

  toggleRun() {
    if (this.notReady()) return;
    this.setRunning(!this.running);
  }

  // schedule asks for an animation frame only when something will move.
  schedule() {
    if (this.raf || !this.running || !this.visible || !this.onScreen || !this.sb) return;
    this.raf = requestAnimationFrame(this.onFrame || (this.onFrame = (ts) => this.frame(ts)));
  }

  // frame: one advance (time-sliced), one state() with only the log columns
  // drawn, one in-place update of the picture.
  frame(ts) {
    this.raf = 0;
    if (!this.running || !this.visible || !this.onScreen || !this.sb) {
      this.lastTs = 0;
      return;
    }
    if (this.busy) return void this.busy.then(() => this.schedule());
    const t0 = performance.now();
    const whole = this.due(ts);
    try {
      this.advanceAndDraw(whole);
    } catch (e) {
      this.setRunning(false);
      this.runError(e);
    }
    const s = this.stats;
    const ms = performance.now() - t0;
    s.frames++;
    s.lastFrameMs = ms;
    s.avgFrameMs = s.avgFrameMs + (ms - s.avgFrameMs) / Math.min(s.frames, 120);
    this.schedule();
  }

  // due returns the whole virtual milliseconds this frame simulates: the
  // time since the last frame at the speed chosen, at most GO_FRAME_MS of Go
  // by the measured cost (the backlog is dropped: virtual time runs slower).
  due(ts) {
    const dt = this.lastTs ? Math.min(ts - this.lastTs, 100) : 16;
    this.lastTs = ts;
    this.acc += dt * this.speedValue;
    let whole = Math.floor(this.acc);
    const s = this.stats;
    const cap = Math.max(1, Math.floor(this.goFrameMs / s.goMsPerVirtualMs));
    if (whole > cap) {
      whole = cap;
      this.acc = 0;
      s.throttledFrames++;
    } else this.acc -= whole;
    return whole;
  }

  // advanceAndDraw advances, reads the state and draws it, timing each
  // phase (smoothed over the last frames: docs/page.md).
  advanceAndDraw(whole) {
    const s = this.stats;
    // stopAt: a moment the run pauses exactly at (the end of a tutorial
    // beat); it is drawn there, with no fraction of a millisecond beyond
    let stop = false;
    if (this.stopAt !== null && this.stopAt !== undefined && this.sb.now + whole >= this.stopAt) {
      whole = Math.max(0, this.stopAt - this.sb.now);
      this.acc = 0;
      stop = true;
    }
    const g0 = performance.now();
    if (whole > 0) {
      this.history.advanceBy(whole);
      const per = (performance.now() - g0) / whole;
      s.goMsPerVirtualMs += (Math.max(per, 0.0001) - s.goMsPerVirtualMs) * 0.2;
    }
    const g1 = performance.now();
    const st = this.frameState();
    const g2 = performance.now();
    render(this, st, st.now + this.acc, false);
    s.advanceMs += (g1 - g0 - s.advanceMs) * 0.05;
    s.stateMs += (g2 - g1 - s.stateMs) * 0.05;
    s.drawMs += (performance.now() - g2 - s.drawMs) * 0.05;
    if (st.invariants && !st.invariants.ok) this.setRunning(false);
    if (stop) {
      this.setRunning(false);
      if (this.onStop) this.onStop();
    }
  }

  // frameState asks Go only for what is drawn: the log columns on screen,
  // read into the objects of the last frame (web/sandbox/wire.js readFrame:
  // the picture is read only within the frame).
  frameState() {
    const sb = this.sb;
    return typeof sb[FRAME] === "function" ? sb[FRAME](this.logs.cols) : sb.state({ logTail: this.logs.cols });
  }
}
