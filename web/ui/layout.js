// The page's layout: App's parts made and put together once (App.build).
// The control bar on top; the stage (tools, the cluster picture with the
// first paint, the loading note, the message popover and the tutorial's
// caption over it, the legend, the logs, and on the main page the client's
// view); the side panel (tutorial, requests, the bug hunt on the main page,
// inspector, narration); the dialogs (settings, help, share).
//
// Interface: buildLayout(app). It sets app.notices, narration, loadingNote,
// firstPaint, requests, cluster, logs, legend, logWrap, msgPop, inspector,
// tutorial, onStop, stage, side, settings, helpDlg, share, shareDlg and el,
// and appends app.el to app.root.

import { h } from "./dom.js";
import { ClusterView } from "./view.js";
import { LogView } from "./logview.js";
import { Tutorial } from "./tutorial.js";
import { buildBar, buildTools, buildLegend, buildHelp } from "./controls.js";
import { Narration } from "./narration.js";
import { MessagePopover } from "./msgpop.js";
import { Notices } from "./notices.js";
import { Settings } from "./settings.js";
import { Inspector } from "./inspector.js";
import { Requests } from "./requests.js";
import { Share } from "./share.js";
import { adoptFirstPaint, firstPaint } from "./first-paint.js";
import { mountLab } from "./hunt.js";

export function buildLayout(app) {
  app.notices = new Notices(() => app.t, () => app.hintText());
  app.narration = new Narration(() => app.t);
  const bar = buildBar(app);
  // until the first picture: what the page is doing
  app.loadingNote = h("p", { class: "rs-loading", role: "status", "data-i18n": "view.loading" });
  startPicture(app);
  app.requests = new Requests(app);
  app.cluster = new ClusterView(app.t, {
    onNode: (id) => app.clickNode(id),
    // a message shows what it carries; dropping it is the popover's button
    onMessage: (id, el) => app.msgPop.open(id, el),
    onMessageHover: (id, el) => app.msgPop.hover(id, el),
    onMessageLeave: () => app.msgPop.leave(),
    onBackground: () => app.msgPop.pinned && app.msgPop.close(false),
    onClient: () => app.requests.input.focus(),
    onDrop: (id, target) => app.dropNode(id, target),
  });
  app.cluster.reducedMotion = app.reducedMotion;
  app.logs = new LogView(app.t);
  app.legend = buildLegend(app);
  app.logWrap = h("div", { class: "rs-logwrap" }, h("h2", { class: "rs-h", "data-i18n": "log.title" }), app.logs.svg);
  // the stage: tools, picture, logs, client
  app.msgPop = new MessagePopover(app);
  const lab = app.opts.main ? mountLab(app) : null; // the bug hunt and the client's view (hunt.js)
  const stage = h("section", { class: "rs-stage", "data-i18n-attr": "aria-label:stage.aria" },
    buildTools(app), h("div", { class: "rs-picture" }, app.cluster.svg, app.firstPaint, app.loadingNote, app.msgPop.el), app.legend,
    app.logWrap, lab && lab.clientView);
  // side panel: tutorial, requests, inspector, narration
  app.inspector = new Inspector(app);
  app.tutorial = new Tutorial(app);
  app.onStop = () => app.tutorial.onStop();
  app.stage = stage;
  stage.querySelector(".rs-picture").append(app.tutorial.caption);
  const side = h("aside", { class: "rs-side" },
    app.tutorial.el,
    app.requests.el,
    lab && lab.hunt,
    app.inspector.el,
    h("section", { class: "rs-panel rs-story" }, h("h2", { class: "rs-h", "data-i18n": "narr.title" }), app.narration.el));
  app.settings = new Settings(app);
  app.helpDlg = buildHelp(app);
  app.share = new Share(app);
  app.shareDlg = app.share.dlg;
  app.side = side;
  app.el = h("div", { class: "rs", "data-controls": app.controls, lang: app.lang },
    bar, app.notices.box, h("div", { class: "rs-main" }, stage, side), app.narration.live, app.settings.el, app.helpDlg, app.shareDlg);
  app.applyTheme();
  app.root.append(app.el);
  app.setSpeed(app.speedExp);
  app.relabel();
}

// startPicture makes app.firstPaint: the picture of the starting moment,
// pre-rendered, over the empty cluster (first-paint.js). embed.html's is
// already there, whole (embed-paint.js): it moves in, cropped. None when
// the page knows the cluster follows at once (ui/main.js: the wasm compiled
// already). With opts.startPictureDelay (the main page), it is asked for
// only if the cluster is not drawn that many milliseconds after the
// controls: on a quick load the picture was fetched (at high priority,
// beside the wasm), parsed, laid out and painted on the main thread for the
// few tens of milliseconds before the cluster, and that work delayed the
// cluster (docs/page.md, "First frame"); a slow load still shows it.
function startPicture(app) {
  const picture = () => (app.opts.early ? adoptFirstPaint(app.opts.early) : firstPaint(app.opts, app.lang, "", true));
  const wanted = !app.opts.fake && !app.opts.noStartPicture;
  const delay = app.opts.startPictureDelay || 0;
  app.firstPaint = wanted && !(delay > 0) ? picture() : null;
  if (wanted && delay > 0) {
    app.firstPaintTimer = setTimeout(() => {
      app.firstPaintTimer = 0;
      if (app.stats.firstRenderMs || !app.loadingNote.isConnected || app.loadingNote.hidden) return;
      app.firstPaint = picture();
      if (app.firstPaint) app.loadingNote.before(app.firstPaint);
    }, delay);
  }
}
