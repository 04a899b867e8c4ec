// The picture: the cluster as a ring of nodes with messages travelling along
// the links (messages.js), a client beside it and the partition wall; every
// node's log under it is logview.js. Elements are created once and pooled;
// each update only changes attributes and text that moved.
//
// Interface: new ClusterView(t, hooks), svg, update(st, drawNow), and the
// fields selected, partitionMode, reducedMotion, layoutKey ("" lays the ring
// out again), t.

import { s, setAttr, setShown, setText } from "./dom.js";
import { MessageLayer } from "./messages.js";
import { nodeName, nameChanged } from "./a11y.js";

export { GLYPHS, KINDS, kindOf } from "./messages.js";
export { LogView, shortCmd } from "./logview.js";

const W = 640;
const H = 420;
const CX = 365;
const CY = 208;
const CLIENT_X = 62;

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

export class ClusterView {
  // t translates keys; hooks: onNode(id), onMessage(id).
  constructor(t, hooks) {
    this.t = t;
    this.hooks = hooks;
    this.reducedMotion = false;
    this.nodes = new Map(); // id -> pooled node elements
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
    this.messages = new MessageLayer(this);
    this.gClient = this.buildClient();
    this.svg.append(defs, this.gLinks, this.gWalls, this.gClient, this.gNodes, this.messages.g);
    this.wallPool = [];

    this.listenDrag();
    this.svg.addEventListener("click", (e) => {
      if (this.suppressClick) {
        this.suppressClick = false;
        return;
      }
      const m = e.target.closest("[data-msg]");
      if (m && m.dataset.msg) return this.hooks.onMessage(Number(m.dataset.msg), m);
      this.hooks.onBackground?.();
      const n = e.target.closest("[data-node]");
      if (n) return this.hooks.onNode(n.dataset.node);
      if (e.target.closest(".rs-client") && this.hooks.onClient) this.hooks.onClient();
    });
    this.svg.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") return;
      const m = e.target.closest("[data-msg]");
      if (m && m.dataset.msg) {
        e.preventDefault();
        e.stopPropagation();
        return this.hooks.onMessage(Number(m.dataset.msg), m);
      }
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
      this.drag = { id: n.dataset.node, x0: e.clientX, y0: e.clientY, moved: false, pointerId: e.pointerId, g: n.closest(".rs-node") };
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
    // The button is the node's circle and its letter, named with its whole
    // state (a11y.js nodeName); the term and the state machine written on
    // it are in that name, so they stay out of the button (a voice-control
    // user says the letter: the visible label must be in the name).
    const btn = s("g", { class: "rs-node-btn", tabindex: "0", role: "button", dataset: { node: id } }, timer, body, down, name, votes);
    const info = s("g", { class: "rs-node-info", "aria-hidden": "true" }, term, kv);
    const g = s("g", { class: "rs-node", dataset: { node: id } }, btn, info);
    this.gNodes.append(g);
    el = { g, btn, timer, body, name, term, kv, votes, voteDots: [], x: 0, y: 0 };
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

  // update draws state at virtual time drawNow (state.now plus the part of a
  // millisecond not yet simulated, so slow motion stays smooth): the nodes,
  // the messages in flight (messages.js) and the client.
  update(st, drawNow) {
    this.lastState = st;
    // (the key is built only when the nodes or the partition may have
    // changed: most frames compare the ids and groups in place)
    if (this.layoutKey === "" || !sameLayout(this.laidOut, st)) {
      const ids = st.nodes.map((n) => n.id);
      const key = ids.join(",") + "/" + (st.partition ? st.partition.map((g) => g.join(",")).join("|") : "");
      this.laidOut = { ids, partition: st.partition ? st.partition.map((g) => g.slice()) : null };
      if (key !== this.layoutKey) {
        this.layoutKey = key;
        this.layout = ringLayout(ids, st.partition);
        this.relayout(st);
      }
    }
    this.updateNodes(st);
    this.messages.highlight = this.highlight;
    this.messages.update(st, drawNow, this.layout);
    this.updateClient(st);
  }

  updateNodes(st) {
    const { pos } = this.layout;
    const bad = this.bad || (this.bad = new Set()); // the view's, emptied when it holds something
    if (bad.size) bad.clear();
    if (st.invariants && !st.invariants.ok) for (const v of st.invariants.violations || []) for (const id of v.nodes || []) bad.add(id);
    const nodes = st.nodes; // (an indexed loop: no iterator object)
    for (let i = 0; i < nodes.length; i++) this.updateNode(nodes[i], bad.has(nodes[i].id), nodes.length);
    if (this.nodes.size > st.nodes.length) this.nodes.forEach((el, id) => pos.has(id) || setShown(el.g, false));
  }

  // updateNode draws one node: role, term, election timer, state, votes
  // (bad: a violation names it; size: the cluster's).
  updateNode(n, bad, size) {
    const t = this.t;
    const { nr } = this.layout;
    const el = this.nodeEl(n.id);
    const role = n.up ? n.role : "down";
    const hl = this.highlight; // what a tutorial beat points at: the rest is dimmed
    // (the class string is built only when one of its parts changed)
    const look = (this.selected === n.id ? 1 : 0) | (bad ? 2 : 0) | (this.partitionMode ? 4 : 0) | (hl ? (hl.nodes.has(n.id) ? 8 : 16) : 0) | (n.removed ? 32 : 0);
    if (el.role !== role || el.look !== look) {
      el.role = role;
      el.look = look;
      // removed: out of the configuration; greyed, and, until it learns it, still running
      setAttr(el.g, "class", `rs-node role-${role}` + (look & 1 ? " selected" : "") + (bad ? " bad" : "") + (this.partitionMode ? " picking" : "") + (look & 8 ? " hl" : look & 16 ? " dim" : "") + (look & 32 ? " removed" : ""));
    }
    // names and texts are formatted only when what they say changed
    if (el.termOf !== n.term || el.termR !== nr || el.t !== t) {
      el.termOf = n.term;
      el.termR = nr;
      setText(el.term, nr >= 18 ? t("view.term", { term: n.term }) : String(n.term));
    }
    const named = el.named || (el.named = []);
    if (nameChanged(named, n, size, bad) || el.t !== t) setAttr(el.btn, "aria-label", nodeName(t, n, size, bad));
    el.t = t;
    setAttr(el.btn, "aria-pressed", this.selected === n.id ? "true" : "false");
    // election timer: a ring that drains from full to empty
    const showTimer = n.up && n.role !== "leader" && n.electionTimeout > 0;
    // (the dash pattern is set once per layout; a frame moves only the
    // offset, a number, cheaper than a new dasharray string to parse; as a
    // presentation attribute, which costs a frame much less than an inline
    // style, which the browser writes back into the style attribute)
    const circ = 2 * Math.PI * (nr + 6);
    const left = showTimer ? Math.max(0, 1 - n.electionElapsed / n.electionTimeout) : 0;
    const off = Math.round(circ * (1 - left) * 10) / 10; // what toFixed(1) writes, compared as a number
    if (el.timerOff !== off) {
      el.timerOff = off;
      el.timer.setAttribute("stroke-dashoffset", off.toFixed(1));
    }
    setAttr(el.timer, "display", showTimer ? "inline" : "none");
    if (nr < 12) {
      setText(el.kv, "");
      el.kvKeys = null; // written again when shown
    } else if (el.kvOf !== n.kv && kvChanged(el, n.kv)) setText(el.kv, kvText(n.kv));
    el.kvOf = nr < 12 ? null : n.kv; // (the page's frames keep a node's kv object while it does not change)
    // votes granted, one dot per voter, shown while campaigning
    const campaigning = n.up && (n.role === "candidate" || n.role === "precandidate");
    const votes = campaigning ? n.votes || [] : [];
    this.drawVotes(el, campaigning ? size : 0, votes.length, nr);
  }

  // updateClient: the client's latest request and where it went.
  updateClient(st) {
    const t = this.t;
    const reqs = st.requests || [];
    const last = reqs.length ? reqs[reqs.length - 1] : null;
    const target = last && last.status === "pending" ? this.layout.pos.get(last.to || st.leader) : null;
    // (a request's fields do not change under one object: texts are
    // written only when the request, the target or the language did)
    if (this.clientOf === last && this.clientT === t && this.clientTarget === target) return;
    this.clientOf = last;
    this.clientT = t;
    this.clientTarget = target;
    setText(this.clientLabel, t("view.client"));
    if (!last) {
      setText(this.clientBubble, "");
      setAttr(this.clientLine, "display", "none");
      return;
    }
    const status = last.status === "committed" ? t("client.ok", { command: last.command, result: last.result }) : last.status === "failed" ? t("client.failed", { command: last.command }) : t("client.pending", { command: last.command });
    setText(this.clientBubble, status);
    setAttr(this.clientBubble, "class", "rs-client-bubble status-" + last.status);
    if (target) {
      setAttr(this.clientLine, "x2", (target.x - CLIENT_X).toFixed(1));
      setAttr(this.clientLine, "y2", (target.y - CY).toFixed(1));
      setAttr(this.clientLine, "display", "inline");
    } else setAttr(this.clientLine, "display", "none");
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
      setShown(el.g, true);
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

// sameLayout says whether st has the nodes (in order) and the partition
// that the ring was laid out for (was: { ids, partition }).
function sameLayout(was, st) {
  if (!was || was.ids.length !== st.nodes.length) return false;
  for (let i = 0; i < st.nodes.length; i++) if (was.ids[i] !== st.nodes[i].id) return false;
  const p = st.partition, q = was.partition;
  if (!p || !q) return p === q || (!p && !q);
  if (p.length !== q.length) return false;
  for (let i = 0; i < p.length; i++) {
    if (p[i].length !== q[i].length) return false;
    for (let j = 0; j < p[i].length; j++) if (p[i][j] !== q[i][j]) return false;
  }
  return true;
}

// kvChanged says whether a node's key-value pairs differ from those last
// written under it (el.kvKeys, el.kvVals), and keeps them.
function kvChanged(el, kv) {
  let changed = !el.kvKeys;
  const keys = el.kvKeys || (el.kvKeys = []), vals = el.kvVals || (el.kvVals = []);
  let i = 0;
  for (const k in kv) {
    if (keys[i] !== k || vals[i] !== kv[k]) {
      keys[i] = k;
      vals[i] = kv[k];
      changed = true;
    }
    i++;
  }
  if (keys.length !== i) {
    keys.length = vals.length = i;
    changed = true;
  }
  return changed;
}

function sameGroup(partition, a, b) {
  if (!partition || partition.length < 2) return true;
  const ga = partition.findIndex((g) => g.includes(a));
  const gb = partition.findIndex((g) => g.includes(b));
  return ga === gb;
}

// kvPairs returns a node's key-value state as [key, value] pairs sorted by
// key (the state holds it as a list of {key, value} or as an object).
export function kvPairs(kv) {
  if (!kv) return [];
  const pairs = Array.isArray(kv) ? kv.map((p) => [p.key ?? p.Key, p.value ?? p.Value]) : Object.entries(kv);
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

// kvText: the state under a node, cut short.
function kvText(kv) {
  const pairs = kvPairs(kv);
  if (!pairs.length) return "";
  const text = pairs.map(([k, v]) => `${k} = ${v}`).join("  ");
  return text.length > 18 ? text.slice(0, 17) + "…" : text;
}
