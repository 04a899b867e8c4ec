// Reset with Undo: the run goes back to time zero, and for a while the
// status line offers Undo (notices.js offer), which reopens the whole run
// from its share string at the moment that was shown.
//
// Interface: resetRun(app). It works on the app's run through app.sb,
// app.history (whole, leave), app.open, app.seek and app.notices.

// resetRun goes back to time zero; for a while the status line offers
// Undo, which reopens the whole run (by its share string) at the moment
// shown.
export function resetRun(app) {
  if (app.notReady() || app.busy) return;
  let undo = null;
  try {
    if (app.sb.now > 0) undo = { share: app.history.whole.share(), at: app.sb.now };
  } catch {
    undo = null; // a run that cannot be shared (longer than 24 h) is reset without Undo
  }
  app.history.leave();
  app.sb.reset();
  app.actionList = [];
  app.acc = 0;
  app.partition.clear();
  app.narration.clear();
  app.refresh();
  app.say(app.t("note.reset"));
  if (undo) app.notices.offer(app.t("note.reset"), app.t("note.undo"), () => undoReset(app, undo));
}

async function undoReset(app, undo) {
  if (!app.sb || app.busy) return;
  const running = app.running;
  app.setRunning(false);
  await app.open({ share: undo.share });
  if (undo.at < app.sb.now) await app.seek(undo.at);
  app.refresh();
  app.say(app.t("note.resetUndone", { time: app.fmtTime(app.sb.now) }));
  if (running) app.setRunning(true);
}
