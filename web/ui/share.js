// Taking the run out of the page: the share dialog (a link that reopens the
// exact run at the exact moment, and an iframe to embed it), the trace as
// JSON and the run as a Go test.
//
// Interface: new Share(app), dlg, open(), exportTrace(), exportGoTest(),
// updateExportGo().

import { h, setText } from "./dom.js";

export class Share {
  constructor(app) {
    this.app = app;
    this.input = h("input", { type: "text", readonly: true, class: "rs-share-input rs-share-link", "data-i18n-attr": "aria-label:share.link" });
    this.status = h("p", { class: "rs-muted", role: "status" });
    this.embed = h("input", { type: "text", readonly: true, class: "rs-share-input", "data-i18n-attr": "aria-label:share.embed" });
    const copy = h("button", { type: "button", class: "rs-btn rs-primary", "data-i18n": "share.copy", onclick: () => this.copy() });
    const close = h("button", { type: "button", class: "rs-btn", "data-i18n": "dlg.close", onclick: () => this.dlg.close() });
    this.dlg = h("dialog", { class: "rs-dlg rs-share-dlg" },
      h("h2", { class: "rs-h", "data-i18n": "share.title" }),
      h("p", { "data-i18n": "share.intro" }),
      this.input,
      h("div", { class: "rs-dlg-actions" }, copy, close),
      this.status,
      h("h3", { class: "rs-h3", "data-i18n": "share.embedTitle" }),
      this.embed);
  }

  open() {
    const app = this.app;
    if (app.notReady()) return;
    let code;
    try {
      code = app.sb.share();
    } catch (e) {
      return app.notices.showException(e);
    }
    // rewound: the link holds the whole run and the moment shown (at)
    const at = app.history.rewound ? "&at=" + app.sb.now : "";
    const page = app.opts.main ? new URL(location.href) : new URL("../index.html", import.meta.url);
    page.hash = "share=" + code + at;
    this.input.value = page.href;
    const embed = new URL("../embed.html", import.meta.url);
    embed.hash = "share=" + code + at + "&lang=" + app.lang;
    this.embed.value = `<iframe src="${embed.href}" width="720" height="560" title="Raft Sandbox" loading="lazy"></iframe>`;
    setText(this.status, "");
    if (app.opts.main) history.replaceState(null, "", page.href);
    this.dlg.showModal();
    this.input.select();
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(this.input.value);
      setText(this.status, this.app.t("share.copied"));
    } catch {
      this.input.select();
      setText(this.status, this.app.t("share.copyManually"));
    }
  }

  exportTrace() {
    const app = this.app;
    if (app.notReady()) return;
    const trace = {
      format: "raft-sandbox-trace",
      version: 1,
      share: app.sb.share(),
      actions: app.actionList.filter((a) => a.at <= app.sb.now),
      events: app.sb.events(0),
      state: app.sb.state(),
    };
    download("raft-trace.json", "application/json", JSON.stringify(trace, null, 2));
  }

  // The Go test export needs sandbox.exportGoTest() (a newer JS API); without
  // it the button stays, disabled, and its tooltip says why.
  canExportGo() {
    return !!this.app.sb && typeof this.app.sb.exportGoTest === "function";
  }

  updateExportGo() {
    const ok = this.canExportGo();
    const btn = this.app.exportGoBtn;
    btn.setAttribute("aria-disabled", ok ? "false" : "true");
    btn.title = this.app.t(ok ? "set.exportGo.title" : "set.exportGo.missing");
  }

  // exportGoTest downloads the run as a Go test (the API writes it) and
  // returns its text.
  exportGoTest() {
    const app = this.app;
    if (app.notReady()) return null;
    if (!this.canExportGo()) {
      app.notices.flash(app.t("set.exportGo.missing"));
      return null;
    }
    try {
      // rewound: the whole recorded run, checked at its end (the replay
      // shown holds later actions than its present)
      const src = app.history.whole.exportGoTest();
      download("raft_sandbox_test.go", "text/x-go", src);
      app.say(app.t("note.exportedGo"));
      return src;
    } catch (e) {
      app.notices.showException(e);
      return null;
    }
  }
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
