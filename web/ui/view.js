// The picture: the cluster as a ring of nodes with messages travelling along
// the links, a client beside it, the partition wall, and every node's log as
// a row of cells aligned by index. Elements are created once and pooled; each
// update only changes attributes and text that moved.

import { s, setAttr, setText, toggleClass } from "./dom.js";

const W = 640;
const H = 420;
const CX = 365;
const CY = 208;
const CLIENT_X = 62;

// Message kinds and their glyphs (paths centred on 0,0). The shape carries
// the type, colour only helps.
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
export const KINDS = ["vote", "prevote", "vote-resp", "append", "heartbeat", "append-resp", "snapshot", "timeoutnow"];

// kindOf maps a message's type name to a glyph kind. It reads the name
// loosely so that "MsgVote", "RequestVote" or "vote" all work.
export function kindOf(m) {
  const t = String(m.type || "").toLowerCase();
  const resp = /resp|reply|ack|granted|reject/.test(t);
  if (t.includes("snap")) return resp ? "append-resp" : "snapshot";
  if (t.includes("timeout")) return "timeoutnow";
  if (t.includes("prevote") || t.includes("pre-vote") || t.includes("pre_vote")) return resp ? "vote-resp" : "prevote";
  if (t.includes("vote")) return resp ? "vote-resp" : "vote";
  if (t.includes("heartbeat")) return resp ? "append-resp" : "heartbeat";
  if (t.includes("app")) return resp ? "append-resp" : m.entries > 0 ? "append" : "heartbeat";
  return "other";
}

// ringLayout places nodes on a ring. With a partition each group gets its own
// arc and a gap; the walls stand in the gaps.
export function ringLayout(ids, partition) {
  const n = ids.length;
  const R = n <= 3 ? 120 : n <= 7 ? 150 : 170;
  const nr = Math.max(6, Math.min(34, ((2 * Math.PI * R) / Math.max(n + (partition ? partition.length : 0), 1)) * 0.3));
  const pos = new Map();
  const walls = [];
  if (n === 1) {
    pos.set(ids[0], { x: CX, y: CY });
    return { pos, walls, nr: 34, R };
  }
  let order = ids.map((id) => [id]);
  let groups = null;
  if (partition && partition.length > 1) {
    const known = new Set(ids);
    groups = partition.map((g) => g.filter((id) => known.has(id))).filter((g) => g.length);
    const placed = new Set(groups.flat());
    const rest = ids.filter((id) => !placed.has(id));
    if (rest.length) groups.push(rest);
    // keep each group in id order so nodes do not jump more than needed
    groups = groups.map((g) => ids.filter((id) => g.includes(id)));
    order = groups;
  }
  const slots = n + (groups ? groups.length : 0);
  const step = (2 * Math.PI) / slots;
  // start at the top; with two groups start so that the wall is vertical-ish
  let a = -Math.PI / 2 + (groups ? step / 2 : 0);
  for (const g of order) {
    for (const id of g) {
      pos.set(id, { x: CX + R * Math.cos(a), y: CY + R * Math.sin(a) });
      a += step;
    }
    if (groups) {
      walls.push(a); // the empty slot after the group
      a += step;
    }
  }
  return { pos, walls, nr, R };
}

// termColour gives each term a calm hue so conflicting entries differ.
function termHue(term) {
  return (Number(term) * 67 + 200) % 360;
}

export class ClusterView {
  // t translates keys; hooks: onNode(id), onMessage(id).
  constructor(t, hooks) {
    this.t = t;
    this.hooks = hooks;
    this.reducedMotion = false;
    this.nodes = new Map(); // id -> pooled node elements
    this.msgPool = [];
    this.msgActive = new Map(); // message id -> element
    this.links = new Map(); // "A|B" -> line
    this.selected = null;
    this.partitionMode = false;
    this.layoutKey = "";
    this.layout = null;

    this.svg = s("svg", { class: "rs-cluster", viewBox: `0 0 ${W} ${H}`, role: "group", "aria-roledescription": "cluster" });
    const defs = s("defs", null,
      s("marker", { id: "rs-arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" },
        s("path", { d: "M0,0L10,5L0,10z", class: "rs-arrowhead" })));
    this.gLinks = s("g", { class: "rs-links" });
    this.gWalls = s("g", { class: "rs-walls" });
    this.gNodes = s("g", { class: "rs-nodes" });
    this.gMsgs = s("g", { class: "rs-msgs" });
    this.gClient = this.buildClient();
    this.svg.append(defs, this.gLinks, this.gWalls, this.gClient, this.gNodes, this.gMsgs);
    this.wallPool = [];

    this.listenDrag();
    this.svg.addEventListener("click", (e) => {
      if (this.suppressClick) {
        this.suppressClick = false;
        return;
      }
      const m = e.target.closest("[data-msg]");
      if (m && m.dataset.msg) return this.hooks.onMessage(Number(m.dataset.msg));
      const n = e.target.closest("[data-node]");
      if (n) return this.hooks.onNode(n.dataset.node);
      if (e.target.closest(".rs-client") && this.hooks.onClient) this.hooks.onClient();
    });
    // a message's tooltip is written when the pointer reaches it, not for
    // every message each frame (at 10x most live a frame or two)
    this.gMsgs.addEventListener("pointerover", (e) => {
      const body = e.target.closest("[data-msg]");
      if (body && body.__msgEl && body.__msgEl.msg) this.titleMsg(body.__msgEl);
    });
    this.svg.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") return;
      const n = e.target.closest("[data-node]");
      if (n) {
        e.preventDefault();
        e.stopPropagation();
        this.hooks.onNode(n.dataset.node);
      }
    });
  }

  // Dragging a node splits the network: away from the ring (with no
  // partition) cuts it off; across the wall moves it to the group it is
  // dropped nearest to. hooks.onDrop(id, groupIndex or "new").
  listenDrag() {
    const toSvg = (e) => {
      const m = this.svg.getScreenCTM();
      if (!m) return { x: 0, y: 0 };
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
      return { x: p.x, y: p.y };
    };
    this.svg.addEventListener("pointerdown", (e) => {
      const n = e.target.closest("[data-node]");
      if (!n || e.button !== 0 || !this.hooks.onDrop) return;
      this.drag = { id: n.dataset.node, x0: e.clientX, y0: e.clientY, moved: false, pointerId: e.pointerId, g: n };
    });
    this.svg.addEventListener("pointermove", (e) => {
      const d = this.drag;
      if (!d || e.pointerId !== d.pointerId) return;
      if (!d.moved) {
        if (Math.hypot(e.clientX - d.x0, e.clientY - d.y0) < 12) return;
        d.moved = true;
        try {
          this.svg.setPointerCapture(e.pointerId);
        } catch {
          // a synthetic pointer cannot be captured; the drag still works
        }
        d.g.classList.add("dragging");
      }
      const p = toSvg(e);
      d.g.setAttribute("transform", `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
      if (d.g.__attrs) delete d.g.__attrs.transform;
    });
    const end = (e) => {
      const d = this.drag;
      if (!d || e.pointerId !== d.pointerId) return;
      this.drag = null;
      if (!d.moved) return;
      this.suppressClick = true;
      d.g.classList.remove("dragging");
      const drop = toSvg(e);
      const target = this.dropTarget(d.id, drop);
      this.layoutKey = ""; // snap back; the next update lays the ring out again
      if (e.type === "pointerup" && target !== null) this.hooks.onDrop(d.id, target);
      else if (this.lastState) this.update(this.lastState, this.lastState.now);
    };
    this.svg.addEventListener("pointerup", end);
    this.svg.addEventListener("pointercancel", end);
  }

  dropTarget(id, drop) {
    const st = this.lastState;
    if (!st || !this.layout) return null;
    const { pos, R } = this.layout;
    const from = pos.get(id);
    if (!st.partition || st.partition.length < 2) {
      // no wall yet: a node pulled well away from where it stood is cut off
      return from && Math.hypot(drop.x - from.x, drop.y - from.y) > R * 0.45 ? "new" : null;
    }
    let best = null;
    let bestD = Infinity;
    st.partition.forEach((g, i) => {
      const others = g.filter((x) => x !== id && pos.has(x));
      if (!others.length) return;
      const cx = others.reduce((a, x) => a + pos.get(x).x, 0) / others.length;
      const cy = others.reduce((a, x) => a + pos.get(x).y, 0) / others.length;
      const dd = Math.hypot(drop.x - cx, drop.y - cy);
      if (dd < bestD) {
        bestD = dd;
        best = i;
      }
    });
    const mine = st.partition.findIndex((g) => g.includes(id));
    return best === null || best === mine ? null : best;
  }

  buildClient() {
    const g = s("g", { class: "rs-client", transform: `translate(${CLIENT_X},${CY})` });
    this.clientLabel = s("text", { class: "rs-client-label", y: "44", "text-anchor": "middle" });
    this.clientBubble = s("text", { class: "rs-client-bubble", y: "-40", "text-anchor": "middle" });
    this.clientLine = s("line", { class: "rs-client-line", x1: "0", y1: "0", x2: "0", y2: "0" });
    g.append(
      this.clientLine,
      s("rect", { class: "rs-client-screen", x: "-22", y: "-22", width: "44", height: "30", rx: "4" }),
      s("path", { class: "rs-client-base", d: "M-28,12h56l-6,8h-44z" }),
      this.clientLabel,
      this.clientBubble,
    );
    return g;
  }

  nodeEl(id) {
    let el = this.nodes.get(id);
    if (el) return el;
    const timer = s("circle", { class: "rs-timer", r: "0" });
    const body = s("circle", { class: "rs-body", r: "0" });
    const name = s("text", { class: "rs-name", "text-anchor": "middle" });
    const term = s("text", { class: "rs-term", "text-anchor": "middle" });
    const kv = s("text", { class: "rs-kv", "text-anchor": "middle" });
    const votes = s("g", { class: "rs-votes" });
    const down = s("path", { class: "rs-down", d: "" });
    const g = s("g", { class: "rs-node", tabindex: "0", role: "button", dataset: { node: id } }, timer, body, down, name, term, kv, votes);
    this.gNodes.append(g);
    el = { g, timer, body, name, term, kv, votes, voteDots: [], x: 0, y: 0 };
    this.nodes.set(id, el);
    return el;
  }

  link(a, b) {
    const key = a < b ? a + "|" + b : b + "|" + a;
    let l = this.links.get(key);
    if (!l) {
      l = s("line", { class: "rs-link" });
      this.gLinks.append(l);
      this.links.set(key, l);
    }
    return l;
  }

  msgEl() {
    const el = this.msgPool.pop();
    if (el) return el; // shown again by update's setAttr (which knows it is hidden)
    const hit = s("circle", { class: "rs-msg-hit", r: "11" });
    const shape = s("path", { class: "rs-msg-shape" });
    const label = s("text", { class: "rs-msg-label", "text-anchor": "middle", y: "3.5" });
    const arrow = s("line", { class: "rs-msg-arrow", "marker-end": "url(#rs-arrow)" });
    const title = s("title");
    const body = s("g", null, hit, shape, label, title);
    const g = s("g", { class: "rs-msg" }, arrow, body);
    this.gMsgs.append(g);
    const made = { g, body, hit, shape, label, arrow, title, kind: "" };
    body.__msgEl = made; // for the tooltip, written on hover
    return made;
  }

  // titleMsg writes the tooltip of a message element (its type, ends, term).
  // (el.titled is the translator it was written with: a language switch
  // makes the next hover write it again)
  titleMsg(el) {
    if (el.titled === this.t) return;
    const m = el.msg, t = (el.titled = this.t);
    setText(el.title, t("msg.title", { type: t("kind." + el.kind), from: m.from, to: m.to, term: m.term }));
  }

  // update draws state at virtual time drawNow (state.now plus the part of a
  // millisecond not yet simulated, so slow motion stays smooth).
  update(st, drawNow) {
    const t = this.t;
    this.lastState = st;
    const ids = st.nodes.map((n) => n.id);
    const key = ids.join(",") + "/" + (st.partition ? st.partition.map((g) => g.join(",")).join("|") : "");
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      this.layout = ringLayout(ids, st.partition);
      this.relayout(st);
    }
    const { pos, nr } = this.layout;
    const bad = new Set();
    if (st.invariants && !st.invariants.ok) for (const v of st.invariants.violations || []) for (const id of v.nodes || []) bad.add(id);
    const size = st.nodes.length;

    for (const n of st.nodes) {
      const el = this.nodeEl(n.id);
      const role = n.up ? n.role : "down";
      setAttr(el.g, "class", `rs-node role-${role}` + (this.selected === n.id ? " selected" : "") + (bad.has(n.id) ? " bad" : "") + (this.partitionMode ? " picking" : ""));
      // labels and texts are formatted only when what they say changed
      const labelKey = role + "|" + n.term + "|" + nr;
      if (el.labelKey !== labelKey || el.t !== t) {
        el.labelKey = labelKey;
        el.t = t;
        setAttr(el.g, "aria-label", t("view.nodeLabel", { id: n.id, role: t("role." + role), term: n.term }));
        setText(el.term, nr >= 18 ? t("view.term", { term: n.term }) : String(n.term));
      }
      setAttr(el.g, "aria-pressed", this.selected === n.id ? "true" : "false");
      // election timer: a ring that drains from full to empty
      const showTimer = n.up && n.role !== "leader" && n.electionTimeout > 0;
      // (the dash pattern is set once per layout; a frame moves only the
      // offset, a number, cheaper than a new dasharray string to parse)
      const circ = 2 * Math.PI * (nr + 6);
      const left = showTimer ? Math.max(0, 1 - n.electionElapsed / n.electionTimeout) : 0;
      const off = (circ * (1 - left)).toFixed(1);
      if (el.timerOff !== off) {
        el.timerOff = off;
        el.timer.style.strokeDashoffset = off;
      }
      setAttr(el.timer, "display", showTimer ? "inline" : "none");
      setText(el.kv, nr >= 12 ? kvText(n.kv) : "");
      // votes granted, one dot per voter, shown while campaigning
      const campaigning = n.up && (n.role === "candidate" || n.role === "precandidate");
      const votes = campaigning ? n.votes || [] : [];
      this.drawVotes(el, campaigning ? size : 0, votes.length, nr);
    }
    for (const [id, el] of this.nodes) {
      if (!pos.has(id)) setAttr(el.g, "display", "none");
    }

    // messages in flight; the elements of messages that left since the last
    // frame go to the new ones first (one of the same kind if there is),
    // still shown: at 10x most messages live for a frame or two, and hiding
    // an element only to show it again is two style changes for nothing
    const seen = new Set();
    for (const m of st.messages) seen.add(m.id);
    const freed = [];
    for (const [id, el] of this.msgActive) {
      if (seen.has(id)) continue;
      this.msgActive.delete(id);
      delete el.body.dataset.msg;
      freed.push(el);
    }
    for (const m of st.messages) {
      let el = this.msgActive.get(m.id);
      if (!el) {
        const kind = kindOf(m);
        let i = freed.findIndex((f) => f.kind === kind);
        if (i < 0) i = freed.length - 1;
        el = i >= 0 ? freed.splice(i, 1)[0] : this.msgEl();
        this.msgActive.set(m.id, el);
        el.body.dataset.msg = String(m.id);
        el.kind = kind;
        setAttr(el.g, "class", `rs-msg kind-${kind}`);
        el.g.__c_held = undefined; // the class attribute may have dropped "held": let toggleClass look again
        setAttr(el.shape, "d", GLYPHS[kind] || GLYPHS.other);
        setText(el.label, kind === "append" && m.entries > 0 ? String(m.entries) : "");
        el.msg = m;
        el.titled = null;
      }
      const a = pos.get(m.from);
      const b = pos.get(m.to);
      if (!a || !b) {
        setAttr(el.g, "display", "none");
        continue;
      }
      setAttr(el.g, "display", "inline");
      // offset to the right of the direction of travel, so A->B and B->A differ
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
      if (this.reducedMotion) {
        p = 0.5;
        setAttr(el.arrow, "x1", x0.toFixed(1));
        setAttr(el.arrow, "y1", y0.toFixed(1));
        setAttr(el.arrow, "x2", x1.toFixed(1));
        setAttr(el.arrow, "y2", y1.toFixed(1));
        setAttr(el.arrow, "display", "inline");
      } else {
        const span = m.deliverAt - m.sentAt;
        p = span > 0 ? (drawNow - m.sentAt) / span : 1;
        p = Math.max(0, Math.min(1, p));
        setAttr(el.arrow, "display", "none");
      }
      const x = x0 + (x1 - x0) * p;
      const y = y0 + (y1 - y0) * p;
      // the SVG DOM's own transform, moved in place: no string to build and parse
      const rx = Math.round(x * 10) / 10, ry = Math.round(y * 10) / 10;
      if (el.tx !== rx || el.ty !== ry) {
        el.tx = rx;
        el.ty = ry;
        if (!el.move) {
          el.move = this.svg.createSVGTransform();
          el.body.transform.baseVal.initialize(el.move);
        }
        el.move.setTranslate(rx, ry);
      }
      toggleClass(el.g, "held", !!m.held);
    }
    for (const el of freed) {
      setAttr(el.g, "display", "none");
      this.msgPool.push(el);
    }

    // the client: its latest request and where it went
    const reqs = st.requests || [];
    const last = reqs.length ? reqs[reqs.length - 1] : null;
    setText(this.clientLabel, t("view.client"));
    if (last) {
      const status = last.status === "committed" ? t("client.ok", { command: last.command, result: last.result }) : last.status === "failed" ? t("client.failed", { command: last.command }) : t("client.pending", { command: last.command });
      setText(this.clientBubble, status);
      setAttr(this.clientBubble, "class", "rs-client-bubble status-" + last.status);
      const target = last.status === "pending" ? pos.get(last.to || st.leader) : null;
      if (target) {
        setAttr(this.clientLine, "x2", (target.x - CLIENT_X).toFixed(1));
        setAttr(this.clientLine, "y2", (target.y - CY).toFixed(1));
        setAttr(this.clientLine, "display", "inline");
      } else setAttr(this.clientLine, "display", "none");
    } else {
      setText(this.clientBubble, "");
      setAttr(this.clientLine, "display", "none");
    }
  }

  drawVotes(el, total, granted, nr) {
    // not campaigning (most nodes, most frames): hide the group, touch no dot
    if (total === 0) {
      setAttr(el.votes, "display", "none");
      return;
    }
    setAttr(el.votes, "display", "inline");
    while (el.voteDots.length < total) {
      const d = s("circle", { class: "rs-vote", r: "3.2" });
      el.votes.append(d);
      el.voteDots.push(d);
    }
    const spread = Math.min(Math.PI * 0.9, total * 0.32);
    for (let i = 0; i < el.voteDots.length; i++) {
      const d = el.voteDots[i];
      if (i >= total) {
        setAttr(d, "display", "none");
        continue;
      }
      const a = -Math.PI / 2 - spread / 2 + (total > 1 ? (spread * i) / (total - 1) : spread / 2);
      const r = nr + 15;
      setAttr(d, "display", "inline");
      setAttr(d, "cx", (r * Math.cos(a)).toFixed(1));
      setAttr(d, "cy", (r * Math.sin(a)).toFixed(1));
      setAttr(d, "class", i < granted ? "rs-vote granted" : "rs-vote");
    }
  }

  relayout(st) {
    const { pos, nr, walls, R } = this.layout;
    for (const n of st.nodes) {
      const el = this.nodeEl(n.id);
      const p = pos.get(n.id);
      setAttr(el.g, "display", "inline");
      if (!this.drag || this.drag.id !== n.id || !this.drag.moved) setAttr(el.g, "transform", `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`);
      setAttr(el.body, "r", nr);
      setAttr(el.timer, "r", nr + 6);
      setAttr(el.timer, "transform", "rotate(-90)");
      const circ = (2 * Math.PI * (nr + 6)).toFixed(1);
      setAttr(el.timer, "stroke-dasharray", `${circ} ${circ}`);
      setText(el.name, n.id);
      setAttr(el.name, "y", nr >= 18 ? -2 : 4);
      setAttr(el.name, "font-size", Math.max(8, Math.min(22, nr * 0.62)).toFixed(1));
      setAttr(el.term, "y", nr * 0.5);
      setAttr(el.term, "display", nr >= 10 ? "inline" : "none");
      setAttr(el.kv, "y", nr + 24);
      setAttr(el.kv, "display", nr >= 12 ? "inline" : "none");
      const cross = nr * 0.45;
      el.g.querySelector(".rs-down").setAttribute("d", `M${-cross},${-cross}L${cross},${cross}M${cross},${-cross}L${-cross},${cross}`);
    }
    // links between every pair (a faint web the messages travel on)
    const ids = st.nodes.map((n) => n.id);
    const used = new Set();
    if (ids.length <= 12) {
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const l = this.link(ids[i], ids[j]);
          const a = pos.get(ids[i]);
          const b = pos.get(ids[j]);
          l.setAttribute("x1", a.x.toFixed(1));
          l.setAttribute("y1", a.y.toFixed(1));
          l.setAttribute("x2", b.x.toFixed(1));
          l.setAttribute("y2", b.y.toFixed(1));
          l.removeAttribute("display");
          l.setAttribute("class", sameGroup(st.partition, ids[i], ids[j]) ? "rs-link" : "rs-link cut");
          used.add(l);
        }
      }
    }
    for (const l of this.links.values()) if (!used.has(l)) l.setAttribute("display", "none");
    // walls: a thick band through each gap, from the centre outwards
    while (this.wallPool.length < walls.length) {
      const w = s("line", { class: "rs-wall" });
      this.gWalls.append(w);
      this.wallPool.push(w);
    }
    this.wallPool.forEach((w, i) => {
      if (i >= walls.length) return w.setAttribute("display", "none");
      const a = walls[i];
      w.removeAttribute("display");
      w.setAttribute("x1", String(CX));
      w.setAttribute("y1", String(CY));
      w.setAttribute("x2", (CX + (R + nr + 30) * Math.cos(a)).toFixed(1));
      w.setAttribute("y2", (CY + (R + nr + 30) * Math.sin(a)).toFixed(1));
    });
  }
}

function sameGroup(partition, a, b) {
  if (!partition || partition.length < 2) return true;
  const ga = partition.findIndex((g) => g.includes(a));
  const gb = partition.findIndex((g) => g.includes(b));
  return ga === gb;
}

function kvText(kv) {
  if (!kv) return "";
  const pairs = Array.isArray(kv) ? kv.map((p) => [p.key ?? p.Key, p.value ?? p.Value]) : Object.entries(kv);
  if (!pairs.length) return "";
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const text = pairs.map(([k, v]) => `${k} = ${v}`).join("  ");
  return text.length > 18 ? text.slice(0, 17) + "…" : text;
}

// LogView draws each node's log as a row of cells aligned by index: entries
// at the same index stand one above another, so a conflict is visible.
export class LogView {
  constructor(t) {
    this.t = t;
    this.rows = new Map();
    this.cols = 16;
    this.width = CELL_X0 + 16 * CELL_W + 6;
    this.header = [];
    this.svg = s("svg", { class: "rs-logs", viewBox: "0 0 720 60", role: "img" });
    this.gHead = s("g", { class: "rs-log-head" });
    this.gRows = s("g");
    this.svg.append(this.gHead, this.gRows);
    this.height = 0;
  }

  // setWidth fits the number of columns to the space available (in CSS px),
  // so cells keep their size on a phone and on a projector alike.
  setWidth(px) {
    const cols = Math.max(4, Math.min(MAX_COLS, Math.floor((px - CELL_X0 - 6) / CELL_W)));
    if (cols === this.cols) return false;
    this.cols = cols;
    this.width = CELL_X0 + cols * CELL_W + 6;
    this.height = 0;
    return true;
  }

  row(id) {
    let r = this.rows.get(id);
    if (r) return r;
    const g = s("g", { class: "rs-log-row" });
    const label = s("text", { class: "rs-log-id", x: "26", y: "21", "text-anchor": "middle" });
    const cells = [];
    const gc = s("g");
    for (let i = 0; i < MAX_COLS; i++) {
      const rect = s("rect", { class: "rs-cell", x: String(CELL_X0 + i * CELL_W), y: "4", width: String(CELL_W - 4), height: "28", rx: "3" });
      const term = s("text", { class: "rs-cell-term", x: String(CELL_X0 + i * CELL_W + 4), y: "14" });
      const cmd = s("text", { class: "rs-cell-cmd", x: String(CELL_X0 + i * CELL_W + (CELL_W - 4) / 2), y: "27", "text-anchor": "middle" });
      gc.append(rect, term, cmd);
      cells.push({ rect, term, cmd });
    }
    const match = s("path", { class: "rs-match", d: "M0,0l-5,7h10z" });
    const next = s("path", { class: "rs-next", d: "M0,0l-5,7h10z" });
    const commitBar = s("line", { class: "rs-commit", y1: "1", y2: "35" });
    g.append(label, gc, commitBar, match, next);
    this.gRows.append(g);
    r = { g, label, cells, match, next, commitBar };
    this.rows.set(id, r);
    return r;
  }

  update(st, selected) {
    const t = this.t;
    let maxIndex = 0;
    for (const n of st.nodes) {
      const last = n.log.length ? n.log[n.log.length - 1].index : n.snapshotIndex || 0;
      if (last > maxIndex) maxIndex = last;
    }
    const first = Math.max(1, maxIndex - this.cols + 1);
    // header: index numbers
    while (this.header.length < MAX_COLS) {
      const i = this.header.length;
      const tx = s("text", { class: "rs-log-index", x: String(CELL_X0 + i * CELL_W + (CELL_W - 4) / 2), y: "12", "text-anchor": "middle" });
      this.gHead.append(tx);
      this.header.push(tx);
    }
    this.header.forEach((tx, i) => setText(tx, i < this.cols ? String(first + i) : ""));
    const leader = st.nodes.find((n) => n.id === st.leader && n.role === "leader");
    const progress = new Map();
    if (leader && leader.progress) for (const p of leader.progress) progress.set(p.id, p);
    const bad = new Map();
    if (st.invariants && !st.invariants.ok) for (const v of st.invariants.violations || []) for (const id of v.nodes || []) bad.set(id, v.index);

    const noop = t("log.noop");
    const snap = t("log.snap");
    let y = 20;
    for (const n of st.nodes) {
      const r = this.row(n.id);
      setAttr(r.g, "transform", `translate(0,${y})`);
      setAttr(r.g, "display", "inline");
      setAttr(r.g, "class", "rs-log-row" + (n.up ? "" : " down") + (selected === n.id ? " selected" : "") + (n.role === "leader" && n.up ? " leader" : ""));
      setText(r.label, n.id);
      // By Log Matching, the last entry's (index, term) pins the whole log;
      // a row whose picture cannot have changed is skipped.
      const lastE = n.log.length ? n.log[n.log.length - 1] : null;
      const pr = progress.get(n.id);
      const rowKey = [first, this.cols, n.log.length, lastE ? lastE.index + ":" + lastE.term : "", n.commitIndex, n.snapshotIndex, pr ? pr.match + ":" + pr.next : "", bad.get(n.id) ?? "", noop, snap].join("|");
      if (r.key === rowKey) {
        y += ROW_H;
        continue;
      }
      r.key = rowKey;
      const offset = n.log.length ? n.log[0].index : (n.snapshotIndex || 0) + 1;
      for (let i = this.cols; i < MAX_COLS; i++) {
        const c = r.cells[i];
        setAttr(c.rect, "class", "rs-cell gone");
        setText(c.term, "");
        setText(c.cmd, "");
      }
      for (let i = 0; i < this.cols; i++) {
        const idx = first + i;
        const c = r.cells[i];
        const e = n.log[idx - offset];
        const inSnap = idx <= (n.snapshotIndex || 0);
        if (e && e.index === idx) {
          const committed = idx <= n.commitIndex;
          setAttr(c.rect, "class", "rs-cell " + (committed ? "committed" : "uncommitted") + (bad.get(n.id) === idx ? " bad" : ""));
          const hue = termHue(e.term);
          if (c.rect.__hue !== hue) {
            c.rect.__hue = hue;
            c.rect.style.setProperty("--hue", String(hue));
          }
          setText(c.term, e.term);
          setText(c.cmd, e.command ? shortCmd(e.command) : t("log.noop"));
          setAttr(c.rect, "display", "inline");
        } else if (inSnap) {
          setAttr(c.rect, "class", "rs-cell snap");
          setText(c.term, "");
          setText(c.cmd, i === 0 || idx === first ? t("log.snap") : "");
          setAttr(c.rect, "display", "inline");
        } else {
          // a violation may name an entry the node lacks (a commit index
          // beyond its durable log): its empty slot is outlined
          setAttr(c.rect, "class", "rs-cell empty" + (bad.get(n.id) === idx ? " bad" : ""));
          setText(c.term, "");
          setText(c.cmd, "");
        }
      }
      // commit point: a bar after the last committed cell
      const ci = n.commitIndex - first + 1;
      if (n.commitIndex >= first - 1 && ci <= this.cols && n.commitIndex > 0) {
        setAttr(r.commitBar, "x1", CELL_X0 + ci * CELL_W - 2);
        setAttr(r.commitBar, "x2", CELL_X0 + ci * CELL_W - 2);
        setAttr(r.commitBar, "display", "inline");
      } else setAttr(r.commitBar, "display", "none");
      // the leader's view of this follower: match (triangle below) and next (above)
      const p = progress.get(n.id);
      const place = (el, index, yy) => {
        const col = index - first;
        if (!p || col < 0 || col >= this.cols) return setAttr(el, "display", "none");
        setAttr(el, "display", "inline");
        setAttr(el, "transform", `translate(${CELL_X0 + col * CELL_W + (CELL_W - 4) / 2},${yy})`);
      };
      place(r.match, p ? p.match : 0, 34);
      place(r.next, p ? p.next : 0, 34);
      y += ROW_H;
    }
    for (const [id, r] of this.rows) if (!st.nodes.some((n) => n.id === id)) setAttr(r.g, "display", "none");
    const height = y + 6;
    if (height !== this.height) {
      this.height = height;
      this.svg.setAttribute("viewBox", `0 0 ${this.width} ${height}`);
    }
    setAttr(this.svg, "aria-label", t("log.aria", { count: st.nodes.length }));
  }
}

const CELL_X0 = 52;
const CELL_W = 41;
const ROW_H = 44;
const MAX_COLS = 24;

// shortCmd writes a command compactly enough for a log cell:
// SET x 5 -> x=5, ADD x 2 -> x+2, GET x -> x?
export function shortCmd(c) {
  const m = /^\s*(SET|ADD|GET)\s+(?:([A-Za-z_]\w*)\s*)?(-?\d+)?\s*$/i.exec(c);
  if (m) {
    const key = m[2] || "x";
    const op = m[1].toUpperCase();
    if (op === "SET" && m[3] !== undefined) return `${key}=${m[3]}`;
    if (op === "ADD" && m[3] !== undefined) return Number(m[3]) < 0 ? `${key}${m[3]}` : `${key}+${m[3]}`;
    if (op === "GET") return `${key}?`;
  }
  return c.length > 6 ? c.replace(/\s+/g, "").slice(0, 6) : c;
}
