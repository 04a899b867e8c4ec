// Narration: the run's events as sentences, newest first, in the side panel,
// and the screen-reader announcements: a polite live region, fed by an
// Announcer (a11y.js) that coalesces role changes, commits and the other
// important events into at most one announcement a second (a violation at
// once).
//
// Interface: el (the list), live (the live region), clear(), poll(sb, now,
// full), say(text, urgent), flush(now), relabel(). t() is the translator of
// the moment (the language can change).

import { h } from "./dom.js";
import { hasKey } from "./i18n.js";
import { Announcer } from "./a11y.js";
import { whyText, msgType, invariantName, settingText, entryCommand } from "./words.js";

const NARRATION_KEEP = 150;
const EVENT_POLL_MS = 200;
const ANNOUNCE_MS = 1000;

// events spoken as their sentence (role changes and commits are coalesced;
// the rest are in the visible log only)
// (a request's answer is said by requests.js)
const IMPORTANT = new Set(["invariant-violated", "node-restarted", "partitioned", "healed", "entries-truncated", "node-added", "node-removed", "node-left"]);
const ROLES = { "became-leader": "leader", "became-candidate": "candidate", "became-precandidate": "precandidate", "became-follower": "follower", "leader-stepped-down": "follower" };

// refusals, kept per node for the inspector
const REFUSALS = new Set(["vote-rejected", "prevote-rejected", "append-rejected"]);

// fmtTime writes a virtual time (ms) as seconds, in the page's language.
// (the translation is split around {s} once per translator: a running
// page writes the time every frame)
const TIME_PARTS = new WeakMap();
export function fmtTime(t, ms) {
  let parts = TIME_PARTS.get(t);
  if (!parts) {
    const marked = t("time.value", { s: "\u0000" });
    const at = marked.indexOf("\u0000");
    TIME_PARTS.set(t, (parts = at < 0 ? null : [marked.slice(0, at), marked.slice(at + 1)]));
  }
  const s = (ms / 1000).toFixed(ms < 10000 ? 2 : 1);
  return parts ? parts[0] + s + parts[1] : t("time.value", { s });
}

export class Narration {
  constructor(t) {
    this.t = t;
    // it scrolls: focusable, so that the keyboard can scroll it too
    this.el = h("ol", { class: "rs-narration", reversed: true, tabindex: "0", "data-i18n-attr": "aria-label:narr.title" });
    this.live = h("div", { class: "rs-sr", "aria-live": "polite", "aria-atomic": "true" });
    this.lastSeq = 0;
    this.lastPoll = 0;
    this.announcer = new Announcer((text) => (this.live.textContent = text), t, { minGapMs: ANNOUNCE_MS });
    this.quiet = false;
    // node id -> the latest refusal it gave or got (vote or append), for
    // the inspector
    this.refusals = new Map();
  }

  // clear forgets the lines shown: the narration is read again from the
  // start of the run now shown (a new cluster, a reset, a rewind).
  clear() {
    this.lastSeq = 0;
    this.lastPoll = 0;
    this.refusals.clear();
    this.el.replaceChildren();
    this.quiet = true; // the run's past, read again, is not news
  }

  // poll reads the events since the last one shown, at most every
  // EVENT_POLL_MS while running (full: now).
  poll(sb, now, full) {
    if (!full && now - this.lastPoll <= EVENT_POLL_MS) return;
    this.lastPoll = now;
    let evs;
    try {
      evs = sb.events(this.lastSeq) || [];
    } catch {
      return;
    }
    if (!evs.length) {
      this.quiet = false;
      return;
    }
    this.lastSeq = evs[evs.length - 1].seq;
    this.show(this.fold(evs));
    this.quiet = false;
  }

  // hear gives an event to the announcer: a role change or a commit to
  // coalesce, or an important event's sentence. (A violation is said at
  // once by the badge, render.js, and its event's details follow.)
  hear(ev) {
    if (this.quiet) return;
    const a = this.announcer;
    if (ROLES[ev.key]) a.role(ev.node, ROLES[ev.key], ev.term);
    else if (ev.key === "entry-committed") a.commit(ev.index);
    else if (ev.key === "node-crashed") a.down(ev.node, this.sentence(ev));
    else if (IMPORTANT.has(ev.key)) a.note(this.sentence(ev));
  }

  // fold keeps the log readable: a run of lost messages (a partition drops
  // every heartbeat) folds into one counting line. It returns the new lines.
  fold(evs) {
    const fresh = [];
    for (const ev of evs) {
      const prev = fresh.length ? fresh[fresh.length - 1] : this.el.firstElementChild && this.el.firstElementChild.__ev;
      if (ev.key === "message-dropped" && prev && prev.key === "message-dropped") {
        prev.count = (prev.count || 1) + 1;
        prev.at = ev.at;
        prev.node = ev.node;
        prev.peer = ev.peer;
        if (!fresh.includes(prev)) this.updateLine(this.el.firstElementChild);
        continue;
      }
      fresh.push({ ...ev });
      this.hear(ev);
      if (REFUSALS.has(ev.key)) {
        this.refusals.set(ev.peer, ev);
        this.refusals.set(ev.node, ev);
      }
    }
    return fresh;
  }

  show(fresh) {
    const frag = document.createDocumentFragment();
    // only the lines that will stay are built (a 51-node election says a lot)
    for (let i = fresh.length - 1; i >= Math.max(0, fresh.length - NARRATION_KEEP); i--) {
      const li = h("li", { class: "ev-" + fresh[i].key }, h("time"), h("span"));
      li.__ev = fresh[i];
      this.updateLine(li);
      frag.append(li);
    }
    this.el.prepend(frag);
    while (this.el.children.length > NARRATION_KEEP) this.el.lastChild.remove();
  }

  // relabel retranslates the lines already shown.
  relabel() {
    for (const li of this.el.children) if (li.__ev) this.updateLine(li);
  }

  updateLine(li) {
    li.firstChild.textContent = fmtTime(this.t(), li.__ev.at);
    li.lastChild.textContent = this.sentence(li.__ev);
  }

  sentence(ev) {
    return eventSentence(this.t(), ev);
  }

  // say queues a sentence for screen readers (urgent: spoken at once).
  say(text, urgent) {
    this.announcer.note(text, urgent);
    this.announcer.flush();
  }

  // flush speaks what is queued, at most once every ANNOUNCE_MS (the
  // announcer keeps its own clock; now is unused).
  flush() {
    this.announcer.flush();
  }
}

// eventSentence words one event in the reader's language: the key's
// sentence, with the reason (why), message type, invariant, setting and
// membership change worded from their codes, and the right plural.
export function eventSentence(t, ev) {
  const noop = (ev.key === "entry-appended" || ev.key === "entry-committed") && !ev.detail;
  const params = { node: ev.node || "", peer: ev.peer || "", term: ev.term, index: ev.index, value: ev.value, detail: noop ? t("ev.noop") : (ev.key === "entry-appended" || ev.key === "entry-committed") && ev.detail ? entryCommand(t, ev.detail) : ev.detail || "", count: ev.count || 1 };
  // a candidate refusing another: it voted for itself
  const selfVote = ev.why && ev.why.code === "voted" && ev.why.args && ev.why.args.other === ev.peer;
  params.why = whyText(t, selfVote ? { code: "voted-self", args: {} } : ev.why, params);
  params.kind = msgType(t, ev.detail);
  params.kindA = t(hasKey("mta." + ev.detail) ? "mta." + ev.detail : "mta.other");
  params.KindA = capitalize(params.kindA);
  params.invariant = invariantName(t, ev.detail);
  params.retry = hasKey("retry." + ev.reason) ? t("retry." + ev.reason) : "";
  params.change = hasKey("conf." + ev.detail) ? t("conf." + ev.detail, params) : "";
  params.setting = settingText(t, ev.detail);
  let key = "ev." + ev.key;
  if (ev.count > 1 && hasKey(key + ".many")) key += ".many";
  else if (ev.key === "message-dropped" && hasKey(key + "." + ev.reason)) key += "." + ev.reason;
  else if (ev.key === "append-rejected" && ev.detail === "Heartbeat") key += ".heartbeat";
  else if (ev.value === 1 && hasKey(key + ".one")) key += ".one";
  else if (ev.key === "request-failed" || ev.key === "action-failed" ? !params.why : !params.detail && hasKey(key + ".nodetail")) key += ".nodetail";
  return hasKey(key) ? t(key, params) : t("ev.other", params);
}

// capitalize starts a sentence with a capital letter (a no-op in Chinese).
function capitalize(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
