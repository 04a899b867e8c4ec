// Messages in flight in the picture: each a shape by its kind travelling
// along its link from sender to receiver, placed by virtual time (or, with
// reduced motion, halfway with an arrow). Elements are pooled and reused.
//
// Interface: GLYPHS, KINDS, kindOf(m); new MessageLayer(view), g (the
// group), update(st, drawNow, layout), describe(on).
//
// For a screen reader each message is an image named by what it is ("Vote
// reply from A to B, term 2, granted", a11y.js msgName), but only while the
// run is paused (describe(true)): running at 10x a message lives a frame or
// two, too short to be read, and naming each new one would cost frame time.
// While running the group is hidden from assistive technology, and the
// elements do not carry their message's id (data-msg) either: a new message
// every frame or two made that attribute the frame's costliest write.

import { s, setAttr, setShown, setText, toggleClass } from "./dom.js";
import { msgName } from "./a11y.js";
import { messageKinds } from "../raft-sandbox.js";

// A glyph per message kind (paths centred on 0,0): the shape carries the
// kind, colour only helps. The kinds are Go's (sim.MessageKinds, sent as
// each message's "kind"); web/test/facts.test.mjs checks every one has a
// glyph and a name.
export const GLYPHS = {
  vote: "M0,-7L7,0L0,7L-7,0Z",
  prevote: "M0,-7L7,0L0,7L-7,0Z",
  "vote-resp": "M-4.5,0a4.5,4.5 0 1,0 9,0a4.5,4.5 0 1,0 -9,0",
  append: "M-7,-7h14v14h-14z",
  heartbeat: "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0",
  "append-resp": "M-3.5,0a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0",
  snapshot: "M-9,-9h18v18h-18zM-5,-5h10v10h-10z",
  timeoutnow: "M0,-8L8,6H-8Z",
  other: "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0",
};
// each kind's class attribute, written once
const CLASSES = Object.fromEntries(Object.keys(GLYPHS).map((k) => [k, "rs-msg kind-" + k]));
// the kinds the legend explains ("other" has no line of its own)
export const KINDS = messageKinds.filter((k) => k !== "other");

// kindOf is the kind a message is drawn as: the one Go sent, or "other".
export function kindOf(m) {
  return Object.hasOwn(GLYPHS, m.kind) ? m.kind : "other";
}

// bodyOf is the message element (its body, the button) an event reached,
// or null.
function bodyOf(target) {
  const body = target.closest && target.closest('[role="button"]');
  return body && body.__msgEl ? body : null;
}

// markId writes a message element's data-msg (null: takes it away) when it
// changes (el.idShown).
function markId(el, id) {
  if (el.idShown === id || (el.idShown === undefined && id === null)) return;
  el.idShown = id;
  if (id === null) el.body.removeAttribute("data-msg");
  else el.body.setAttribute("data-msg", id);
}

export class MessageLayer {
  // view: the ClusterView (its svg, translator t and reducedMotion)
  constructor(view) {
    this.view = view;
    this.pool = [];
    this.active = new Map(); // message id -> element
    this.g = s("g", { class: "rs-msgs", role: "group", "aria-hidden": "true" });
    this.described = false;
    // a message's tooltip is written when the pointer reaches it, not for
    // every message each frame (at 10x most live a frame or two)
    // hovering or focusing a message shows what it carries (msgpop.js)
    this.g.addEventListener("pointerover", (e) => this.reveal(e, "onMessageHover"));
    this.g.addEventListener("pointerout", (e) => {
      const body = bodyOf(e.target);
      if (body && !(e.relatedTarget && body.contains(e.relatedTarget))) this.view.hooks.onMessageLeave?.();
    });
    this.g.addEventListener("focusin", (e) => this.reveal(e, "onMessage"));
  }

  // reveal titles the message an event reached and calls the view's hook
  // (onMessageHover or onMessage) with its id and element.
  reveal(e, hook) {
    const body = bodyOf(e.target);
    if (!body || !body.__msgEl.msg) return;
    this.titleMsg(body.__msgEl);
    this.view.hooks[hook]?.(body.__msgEl.msg.id, body);
  }

  // update draws the messages of st at virtual time drawNow. The elements
  // of messages that left since the last frame go to the new ones first
  // (one of the same kind if there is), still shown: at 10x most messages
  // live for a frame or two, and hiding an element only to show it again is
  // two style changes for nothing.
  update(st, drawNow, layout) {
    // (the elements of this frame's messages are marked with its number,
    // no set made or emptied; the list is the layer's, emptied each frame)
    const frame = (this.frame = (this.frame || 0) + 1);
    const msgs = st.messages; // (indexed loops: no iterator objects)
    for (let i = 0; i < msgs.length; i++) {
      const el = this.active.get(msgs[i].id);
      if (el) el.frame = frame;
    }
    const freed = this.freed || (this.freed = []);
    freed.length = 0;
    // (forEach with a function made once: no entry arrays, no closure a frame)
    this.active.forEach(this.freeGone || (this.freeGone = (el, id) => el.frame === this.frame || this.free(el, id)));
    const hl = this.highlight;
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i];
      const el = this.active.get(m.id) || this.take(m, freed);
      el.msg = m;
      this.place(el, m, drawNow, layout);
      // a tutorial beat points at some nodes: messages between others dim
      toggleClass(el.g, "dim", !!hl && !hl.nodes.has(m.from) && !hl.nodes.has(m.to));
    }
    // (an element taken for a new message got its id over the old one;
    // those left are hidden and lose it)
    for (let i = 0; i < freed.length; i++) {
      this.show(freed[i], false);
      markId(freed[i], null);
      this.pool.push(freed[i]);
    }
    if (this.described) this.name();
  }

  // free takes the element of a message that left off the picture, for
  // the new ones of this frame (deleting the current entry is safe in
  // Map.prototype.forEach).
  free(el, id) {
    this.active.delete(id);
    this.freed.push(el);
  }

  // describe shows the messages to assistive technology, named (on: the
  // run is paused), or hides them (running).
  describe(on) {
    this.described = on;
    setAttr(this.g, "aria-hidden", on ? "false" : "true");
    if (on) {
      // (the elements' own aria-hidden follows their display only while
      // described: running, the group hides them all)
      for (const el of this.active.values()) setShown(el.g, !el.g.__attrs || el.g.__attrs.display !== "none");
      for (const el of this.pool) setShown(el.g, false);
      this.name();
    } else {
      for (const el of this.active.values()) {
        setAttr(el.body, "tabindex", "-1");
        markId(el, null);
      }
    }
  }

  // name writes the names of the messages in flight that lack theirs (in
  // the language of the moment).
  name() {
    const t = this.view.t;
    if (this.namedT !== t) {
      this.namedT = t;
      setAttr(this.g, "aria-label", t("a11y.msgs"));
    }
    for (const el of this.active.values()) {
      setAttr(el.body, "tabindex", "0");
      markId(el, el.msg.id);
      const key = el.msg.id + "|" + !!el.msg.held;
      if (el.named === key && el.namedT === t) continue;
      el.named = key;
      el.namedT = t;
      setAttr(el.body, "aria-label", msgName(t, el.kind, el.msg));
    }
  }

  // take gives a new message an element: a freed one (of its kind if there
  // is), else one from the pool.
  take(m, freed) {
    const kind = kindOf(m);
    let i = 0;
    while (i < freed.length && freed[i].kind !== kind) i++;
    if (i === freed.length) i = freed.length - 1;
    let el;
    if (i >= 0) {
      // (taken out in place, the rest kept in order: splice would make an array)
      el = freed[i];
      for (let j = i + 1; j < freed.length; j++) freed[j - 1] = freed[j];
      freed.length--;
    } else el = this.msgEl();
    this.active.set(m.id, el);
    markId(el, this.described ? m.id : null);
    el.kind = kind;
    if (!el.g.__attrs || el.g.__attrs.class !== CLASSES[kind]) {
      setAttr(el.g, "class", CLASSES[kind]);
      el.g.__c_held = false; // the class attribute dropped "held" and "dim": toggleClass knows
      el.g.__c_dim = false;
    }
    setAttr(el.shape, "d", GLYPHS[kind]);
    setText(el.label, kind === "append" && m.entries > 0 ? String(m.entries) : "");
    el.msg = m;
    el.titled = null;
    return el;
  }

  // place puts a message on its way, offset to the right of the direction
  // of travel (so A->B and B->A differ).
  place(el, m, drawNow, { pos, nr }) {
    const a = pos.get(m.from);
    const b = pos.get(m.to);
    if (!a || !b) {
      this.show(el, false);
      return;
    }
    this.show(el, true);
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const ox = -uy * 6;
    const oy = ux * 6;
    const x0 = a.x + ux * (nr + 4) + ox;
    const y0 = a.y + uy * (nr + 4) + oy;
    const x1 = b.x - ux * (nr + 4) + ox;
    const y1 = b.y - uy * (nr + 4) + oy;
    let p;
    if (this.view.reducedMotion) p = this.arrow(el, x0, y0, x1, y1);
    else {
      // (worked out here, not in a call: a double handed to a function is
      // a number object made each time)
      const span = m.deliverAt - m.sentAt;
      p = Math.max(0, Math.min(1, span > 0 ? (drawNow - m.sentAt) / span : 1));
      setAttr(el.arrow, "display", "none");
    }
    const rx = Math.round((x0 + (x1 - x0) * p) * 10) / 10, ry = Math.round((y0 + (y1 - y0) * p) * 10) / 10;
    if (el.tx !== rx || el.ty !== ry) this.move(el, rx, ry);
    toggleClass(el.g, "held", !!m.held);
  }

  // show shows or hides a message's element (setShown while described;
  // running, only its display).
  show(el, on) {
    if (this.described) setShown(el.g, on);
    else setAttr(el.g, "display", on ? "inline" : "none");
  }

  // arrow: with reduced motion a message stands halfway (0.5 of its way)
  // with an arrow from end to end.
  arrow(el, x0, y0, x1, y1) {
    setAttr(el.arrow, "x1", x0.toFixed(1));
    setAttr(el.arrow, "y1", y0.toFixed(1));
    setAttr(el.arrow, "x2", x1.toFixed(1));
    setAttr(el.arrow, "y2", y1.toFixed(1));
    setAttr(el.arrow, "display", "inline");
    return 0.5;
  }

  // move: the SVG DOM's own transform, moved in place (to x, y rounded to
  // tenths): no string to build and parse.
  move(el, rx, ry) {
    el.tx = rx;
    el.ty = ry;
    if (!el.move) {
      el.move = this.view.svg.createSVGTransform();
      el.body.transform.baseVal.initialize(el.move);
    }
    el.move.setTranslate(rx, ry);
  }

  msgEl() {
    const el = this.pool.pop();
    if (el) return el; // shown again by place's setAttr (which knows it is hidden)
    const hit = s("circle", { class: "rs-msg-hit", r: "11" });
    const shape = s("path", { class: "rs-msg-shape" });
    const label = s("text", { class: "rs-msg-label", "text-anchor": "middle", y: "3.5" });
    const arrow = s("line", { class: "rs-msg-arrow", "marker-end": "url(#rs-arrow)" });
    const title = s("title");
    // a button (it opens the popover); in the tab order only while the
    // messages are described (paused), never inside the aria-hidden group
    const body = s("g", { role: "button", tabindex: "-1" }, hit, shape, label, title);
    const g = s("g", { class: "rs-msg" }, arrow, body);
    this.g.append(g);
    const made = { g, body, hit, shape, label, arrow, title, kind: "" };
    body.__msgEl = made; // for the tooltip, written on hover
    return made;
  }

  // titleMsg writes the tooltip of a message element (its type, ends, term).
  // (el.titled is the translator it was written with: a language switch
  // makes the next hover write it again)
  titleMsg(el) {
    if (el.titled === this.view.t) return;
    const m = el.msg, t = (el.titled = this.view.t);
    setText(el.title, t("msg.title", { type: t("kind." + el.kind), from: m.from, to: m.to, term: m.term }));
  }
}
