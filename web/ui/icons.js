// Line icons drawn as SVG (system fonts lack many symbols). 24x24 grid,
// stroked in the current text colour.

import { s } from "./dom.js";

const PATHS = {
  play: { fill: "M8 5.5v13l10.5-6.5z" },
  pause: { fill: "M7 5h3.6v14H7zM13.4 5h3.6v14h-3.6z" },
  step: { fill: "M5.5 5.5v13L14 12zM15.5 5.5h3v13h-3z" },
  reset: { stroke: "M5.6 9.2A7 7 0 1 1 5 13.5M5 4.5v5h5" },
  redo: { stroke: "M4 12h12M12 7l5 5l-5 5M20 5v14" },
  share: { stroke: "M14 4h6v6M20 4l-8.5 8.5M18 14v5.5H4.5V6H10" },
  settings: { stroke: "M4 7h9M17 7h3M4 17h3M11 17h9", circles: [[15, 7], [9, 17]] },
  theme: { stroke: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z", fill: "M12 4a8 8 0 0 1 0 16z" },
  help: { stroke: "M9.2 9.3a2.9 2.9 0 1 1 4.2 2.6c-.9.5-1.4 1.1-1.4 2.1v.6M12 17.6v.4" },
  partition: { stroke: "M12 3v4.2M12 10v4M12 16.8V21", circles: [[5.5, 12], [18.5, 12]] },
  heal: { stroke: "M8 12h8", circles: [[5, 12], [19, 12]] },
  add: { stroke: "M12 5v14M5 12h14" },
  book: { stroke: "M12 6.5C10 5 7 4.5 4 5v13c3-.5 6 0 8 1.5c2-1.5 5-2 8-1.5V5c-3-.5-6 0-8 1.5zM12 6.5V19" },
};

export function icon(name) {
  const p = PATHS[name];
  const svg = s("svg", { class: "rs-icon", viewBox: "0 0 24 24", width: "18", height: "18", "aria-hidden": "true", focusable: "false" });
  if (p.fill) svg.append(s("path", { d: p.fill, fill: "currentColor" }));
  if (p.stroke) svg.append(s("path", { d: p.stroke, fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round" }));
  for (const [cx, cy] of p.circles || []) svg.append(s("circle", { cx, cy, r: "2.4", fill: "none", stroke: "currentColor", "stroke-width": "2" }));
  return svg;
}

// logo is the favicon's picture: three nodes, one of them the leader.
export function logo() {
  return s("svg", { class: "rs-logo", viewBox: "0 0 32 32", width: "24", height: "24", "aria-hidden": "true", focusable: "false" },
    s("path", { d: "M16 12L9 19M16 12l7 7M12 23h8", stroke: "#5b7fa6", "stroke-width": "1.6", fill: "none" }),
    s("circle", { cx: "16", cy: "7", r: "5", fill: "#3b82c4" }),
    s("circle", { cx: "7", cy: "23", r: "5", fill: "#8fb3d9" }),
    s("circle", { cx: "25", cy: "23", r: "5", fill: "#8fb3d9" }));
}
