// What the app watches in its surroundings: the keys (keyboard.js), the
// tab's visibility and the sandbox's place on screen (no animation frames
// while hidden or off-screen), the width of the logs (their columns), the
// phone width (where the tutorial's text goes), reduced motion, and the
// system's colour scheme for the "auto" theme.
//
// Interface: watch(app) starts it all; unwatch(app) stops what outlives the
// app (the observer and the colour-scheme listener).

import { listenKeys } from "./keyboard.js";

// The system's colour scheme, for the "auto" theme (null outside a browser).
export const DARK_QUERY = globalThis.matchMedia ? globalThis.matchMedia("(prefers-color-scheme: dark)") : null;

export function watch(app) {
  listenKeys(app, app.opts.main ? window : app.opts.keys || app.opts.host || app.el);
  document.addEventListener("visibilitychange", () => {
    app.visible = document.visibilityState !== "hidden";
    app.schedule();
  });
  if (app.opts.host && "IntersectionObserver" in window) {
    app.io = new IntersectionObserver((entries) => {
      for (const e of entries) app.onScreen = e.isIntersecting;
      app.schedule();
    });
    app.io.observe(app.opts.host);
  }
  if ("ResizeObserver" in window) {
    new ResizeObserver((entries) => {
      const w = entries[0].contentRect.width;
      if (w > 0 && app.logs.setWidth(w) && app.state) app.redraw();
    }).observe(app.logWrap);
  }
  matchMedia("(max-width: 760px)").addEventListener("change", () => {
    if (app.tutorial.chapter >= 0) app.placeTutorial();
  });
  const mq = matchMedia("(prefers-reduced-motion: reduce)");
  mq.addEventListener("change", () => {
    app.reducedMotion = mq.matches;
    app.cluster.reducedMotion = mq.matches;
    if (app.state) app.redraw();
  });
  app.onScheme = () => app.applyTheme();
  if (DARK_QUERY) DARK_QUERY.addEventListener("change", app.onScheme);
}

export function unwatch(app) {
  if (app.io) app.io.disconnect();
  if (DARK_QUERY) DARK_QUERY.removeEventListener("change", app.onScheme);
}
