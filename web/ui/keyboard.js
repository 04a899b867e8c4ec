// Keyboard: the shortcuts of the help dialog (press ?). Keys typed in a field
// go to the field; while a dialog is open only ? (help) works.
//
// Interface: listenKeys(app, target). The shortcuts call app.toggleRun,
// step, setSpeed, reset, openShare, exportGoTest, redo,
// togglePartitionMode, heal, openHelp and unselect.

// KEYS maps a key to its action; an action returning false leaves the key
// to the browser.
// In the tutorial, Space and → continue to the next beat and ← goes back.
const KEYS = {
  " ": (app, on) => (on.button ? false : app.tutorial.active ? app.tutorial.continue() : app.toggleRun()),
  ".": (app) => app.step(),
  ArrowRight: (app) => (app.tutorial.active ? app.tutorial.continue() : app.step()),
  ArrowLeft: (app) => (app.tutorial.active ? app.tutorial.back() : false),
  "+": (app) => app.setSpeed(app.speedExp + 20),
  "=": (app) => app.setSpeed(app.speedExp + 20),
  "-": (app) => app.setSpeed(app.speedExp - 20),
  _: (app) => app.setSpeed(app.speedExp - 20),
  r: (app) => app.reset(),
  s: (app) => app.openShare(),
  g: (app) => app.exportGoTest(),
  End: (app) => app.redo(),
  p: (app) => app.togglePartitionMode(),
  h: (app) => app.heal(),
  "?": (app) => app.openHelp(),
  d: (app) => app.msgPop.drop(),
  Delete: (app) => app.msgPop.drop(),
  Escape: (app) => escape(app),
};
for (const k of ["r", "s", "g", "p", "h", "d"]) KEYS[k.toUpperCase()] = KEYS[k];

// escape closes the message popover, else leaves the partition tool, else
// the selected node.
function escape(app) {
  if (app.msgPop.isOpen) app.msgPop.close(true);
  else if (app.partitionMode) app.togglePartitionMode(false);
  else if (app.selected) app.unselect();
  else return false;
  return true;
}

export function listenKeys(app, target) {
  target.addEventListener("keydown", (e) => onKey(app, e));
}

function onKey(app, e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const origin = e.composedPath()[0];
  const tag = (origin || e.target).tagName || "";
  const inField = /^(INPUT|SELECT|TEXTAREA)$/.test(tag);
  const button = tag === "BUTTON" || tag === "A" || tag === "SUMMARY" || !!(origin && origin.closest && origin.closest("[data-node]"));
  if (inField && e.key !== "Escape") return;
  if (app.helpDlg.open || app.shareDlg.open) {
    if (e.key === "?") {
      e.preventDefault();
      app.openHelp();
    }
    return;
  }
  const action = Object.hasOwn(KEYS, e.key) ? KEYS[e.key] : null;
  if (!action || action(app, { button }) === false) return;
  e.preventDefault();
  e.stopPropagation();
}
