// The theme: auto (the system's colour scheme), light or dark. The chosen
// theme is data-theme and the scheme it resolves to is data-dark (present
// or not), which the styles use, on the sandbox and, for the main page, on
// <html>; the main page remembers the choice.
//
// Interface: applyTheme(app), cycleTheme(app) (app.theme is the choice).

import { DARK_QUERY } from "./watch.js";

const ORDER = ["auto", "light", "dark"];

export function applyTheme(app) {
  const dark = app.theme === "dark" || (app.theme === "auto" && !!DARK_QUERY && DARK_QUERY.matches);
  const targets = app.opts.main ? [app.el, document.documentElement] : [app.el];
  for (const el of targets) {
    el.dataset.theme = app.theme;
    el.toggleAttribute("data-dark", dark);
  }
}

export function cycleTheme(app) {
  app.theme = ORDER[(ORDER.indexOf(app.theme) + 1) % ORDER.length];
  applyTheme(app);
  if (app.opts.main) localStorage.setItem("rs-theme", app.theme);
  app.say(app.t("theme." + app.theme));
}
