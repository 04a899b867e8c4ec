// LogView: every node's log as a row of cells aligned by index, under the
// picture. Entries at the same index stand one above another, so a conflict
// is visible; committed entries are filled, uncommitted ones dashed, with the
// commit point and the leader's match/next index per follower.
//
// Interface: new LogView(t), svg, cols, setWidth(px), update(st, selected);
// shortCmd(command).
//
// For a screen reader each entry on screen is an image named by its node,
// index, term, command and whether that node knows it committed ("A, entry
// 3, term 2, SET x 5, committed", a11y.js entryName); a name is formatted
// only when its cell shows something else. The texts drawn in the cells
// are hidden from assistive technology (the names say them).

import { s, setAttr, setShown, setText } from "./dom.js";
import { entryName, goneName, rowName, snapName } from "./a11y.js";
import { entryCommand } from "./words.js";

// termHue gives each term a calm hue so conflicting entries differ.
function termHue(term) {
  return (Number(term) * 67 + 200) % 360;
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
    this.svg = s("svg", { class: "rs-logs", viewBox: "0 0 720 60", role: "group" });
    this.gHead = s("g", { class: "rs-log-head", "aria-hidden": "true" });
    this.gRows = s("g");
    // A row's empty slots after its last cell are one rect filled with this
    // pattern (one slot per tile), not a rect each: at the start every log
    // is empty, and the first picture built, styled and laid out 5 rects
    // instead of 5 x 24 (docs/page.md, "First frame"). The id is the
    // view's own: several sandboxes may share a page.
    this.patternId = "rs-empty-" + ++views;
    const tile = s("pattern", { id: this.patternId, patternUnits: "userSpaceOnUse", x: String(CELL_X0 - 2), y: "0", width: String(CELL_W), height: String(ROW_H) },
      s("rect", { class: "rs-cell empty", x: "2", y: "4", width: String(CELL_W - 4), height: "28", rx: "3" }));
    this.svg.append(s("defs", null, tile), this.gHead, this.gRows);
    this.height = 0;
    this.highlight = null; // a tutorial beat's entries: { entries: Map(node -> Set(index)) }
    // Rolled-back entries stay marked where they were (struck through) for
    // the rest of the run: seen remembers what each node held at each
    // index, ghosts what was overwritten or thrown away there.
    this.seen = new Map();
    this.ghosts = new Map();
    this.lastNow = -1;
    this.drawn = 0;
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
    const g = s("g", { class: "rs-log-row", role: "group" });
    const label = s("text", { class: "rs-log-id", x: "26", y: "21", "text-anchor": "middle", "aria-hidden": "true" });
    // the cells are made when first drawn (cell), and their texts when
    // first written (cellText): an empty log at the start is a rect per
    // column shown, not four elements for each of MAX_COLS (the first
    // picture built, styled and laid out ~500 elements fewer at 5 nodes:
    // docs/page.md, "First frame")
    const gc = s("g");
    const rest = s("rect", { class: "rs-log-rest", y: "2", height: "32", fill: `url(#${this.patternId})`, "aria-hidden": "true" });
    const match = s("path", { class: "rs-match", d: "M0,0l-5,7h10z" });
    const next = s("path", { class: "rs-next", d: "M0,0l-5,7h10z" });
    const commitBar = s("line", { class: "rs-commit", y1: "1", y2: "35" });
    g.append(label, rest, gc, commitBar, match, next);
    this.gRows.append(g);
    r = { g, label, gc, rest, cells: [], match, next, commitBar };
    this.rows.set(id, r);
    return r;
  }

  // cell returns column i's cell of row r, making the cells up to it.
  cell(r, i) {
    while (r.cells.length <= i) {
      const k = r.cells.length;
      const rect = s("rect", { class: "rs-cell", x: String(CELL_X0 + k * CELL_W), y: "4", width: String(CELL_W - 4), height: "28", rx: "3" });
      r.gc.append(rect);
      r.cells.push({ rect, term: null, cmd: null, ghost: null, i: k, gc: r.gc });
    }
    return r.cells[i];
  }

  update(st, selected) {
    const t = this.t;
    if (st.now < this.lastNow) {
      // a rewind or a new run: what was rolled back is not in this one
      this.seen.clear();
      this.ghosts.clear();
    }
    this.lastNow = st.now;
    const hl = this.highlight;
    let maxIndex = 0;
    // (indexed loops: an iterator is an object made each time in code not
    // yet optimized, and this runs every frame)
    const nodes = st.nodes;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const last = n.log.length ? n.log[n.log.length - 1].index : n.snapshotIndex || 0;
      if (last > maxIndex) maxIndex = last;
    }
    const first = Math.max(1, maxIndex - this.cols + 1);
    this.updateHeader(first);
    let leader;
    for (let i = 0; i < nodes.length; i++) if (nodes[i].id === st.leader && nodes[i].role === "leader" && !leader) leader = nodes[i];
    // (the map is the view's, emptied only when it holds something: a
    // Map's clear makes its table anew)
    const bad = this.badOf || (this.badOf = new Map());
    if (bad.size) bad.clear();
    if (st.invariants && !st.invariants.ok) for (const v of st.invariants.violations || []) for (const id of v.nodes || []) bad.set(id, v.index);
    const noop = t("log.noop");
    const snap = t("log.snap");
    let y = 20;
    const drawn = ++this.drawn; // (rows of this frame are marked with its number)
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const r = this.row(n.id);
      r.drawn = drawn;
      // (strings built only when what they say changes: every node, every frame)
      if (keep(r, "y", y)) setAttr(r.g, "transform", `translate(0,${y})`);
      setShown(r.g, true);
      const look = (n.up ? 0 : 1) | (selected === n.id ? 2 : 0) | (n.role === "leader" && n.up ? 4 : 0);
      if (keep(r, "look", look)) setAttr(r.g, "class", "rs-log-row" + (n.up ? "" : " down") + (selected === n.id ? " selected" : "") + (n.role === "leader" && n.up ? " leader" : ""));
      setText(r.label, n.id);
      y += ROW_H;
      // By Log Matching, the last entry's (index, term) pins the whole log;
      // a row whose picture cannot have changed is skipped.
      const lastE = n.log.length ? n.log[n.log.length - 1] : null;
      const pr = progressOf(leader, n.id);
      const marked = hl && hl.entries.get(n.id);
      const ghosts = this.ghosts.get(n.id);
      if (!rowChanged(r, t, first, this.cols, n, lastE, pr, bad.get(n.id), noop, snap, marked, ghosts)) continue;
      this.updateCells(r, n, first, bad.get(n.id), marked);
      this.updateMarks(r, n, first, pr);
      setAttr(r.g, "aria-label", rowName(t, n.id, n.commitIndex, n.role === "leader" ? null : pr));
    }
    this.finish(st, y, drawn);
  }

  // finish hides the rows of nodes that left (not drawn this frame), fits
  // the height to the rows and names the group.
  finish(st, y, drawn) {
    const t = this.t;
    if (this.rows.size > st.nodes.length) this.rows.forEach((r) => r.drawn === drawn || setShown(r.g, false));
    const height = y + 6;
    if (height !== this.height) {
      this.height = height;
      this.svg.setAttribute("viewBox", `0 0 ${this.width} ${height}`);
    }
    if (this.namedT !== t || this.namedCount !== st.nodes.length) {
      this.namedT = t;
      this.namedCount = st.nodes.length;
      setAttr(this.svg, "aria-label", t("log.aria", { count: st.nodes.length }));
    }
  }

  // updateHeader writes the index numbers over the columns.
  updateHeader(first) {
    while (this.header.length < this.cols) {
      const i = this.header.length;
      const tx = s("text", { class: "rs-log-index", x: String(CELL_X0 + i * CELL_W + (CELL_W - 4) / 2), y: "12", "text-anchor": "middle" });
      this.gHead.append(tx);
      this.header.push(tx);
    }
    if (this.headFirst === first && this.headCols === this.cols) return; // (the same numbers as the last frame's)
    this.headFirst = first;
    this.headCols = this.cols;
    for (let i = 0; i < this.header.length; i++) setText(this.header[i], i < this.cols ? String(first + i) : "");
  }

  // updateCells draws a node's entries from index first (badIndex: the
  // entry a violation names, outlined).
  updateCells(r, n, first, badIndex, marked) {
    const t = this.t;
    const offset = n.log.length ? n.log[0].index : (n.snapshotIndex || 0) + 1;
    let seen = this.seen.get(n.id);
    if (!seen) this.seen.set(n.id, (seen = new Map()));
    let ghosts = this.ghosts.get(n.id);
    // cells up to the last column that shows something; the empty slots
    // after it are the row's patterned rect
    const need = this.cellsNeeded(n, first, seen, ghosts, badIndex, marked);
    this.hideCellsFrom(r, need);
    this.placeRest(r, need);
    for (let i = 0; i < need; i++) {
      const idx = first + i;
      const c = this.cell(r, i);
      const e = n.log[idx - offset];
      const inSnap = idx <= (n.snapshotIndex || 0);
      // an entry this node held here before, now replaced or gone: a ghost
      const before = seen.get(idx);
      const held = e && e.index === idx;
      if (before && !inSnap && (!held || before.term !== e.term)) {
        if (!ghosts) this.ghosts.set(n.id, (ghosts = new Map()));
        ghosts.set(idx, before.command ? cellCommand(t, before.command) : t("log.noop"));
        seen.delete(idx);
      }
      if (held && before !== e) seen.set(idx, e); // (the entry itself: state()'s entries are frozen)
      const ghost = ghosts && ghosts.get(idx);
      const committed = held && idx <= n.commitIndex;
      if (cellSame(c, t, n, e, idx, first, ghost, committed, badIndex, marked)) continue;
      cellText(c, "ghost", ghost || "");
      const extra = (ghost ? " rolledback" : "") + (marked && marked.has(idx) ? " hl" : "");
      if (held) {
        setAttr(c.rect, "class", "rs-cell " + (committed ? "committed" : "uncommitted") + (badIndex === idx ? " bad" : "") + extra);
        const hue = termHue(e.term);
        if (c.rect.__hue !== hue) {
          c.rect.__hue = hue;
          c.rect.style.setProperty("--hue", String(hue));
        }
        cellText(c, "term", e.term);
        cellText(c, "cmd", e.command ? cellCommand(t, e.command) : t("log.noop"));
        setAttr(c.rect, "display", "inline");
        this.name(c, idx + "|" + e.term + "|" + e.command + "|" + committed + "|" + n.id + "|" + (ghost || ""), () => entryName(t, n.id, e, committed, ghost));
      } else if (inSnap) {
        setAttr(c.rect, "class", "rs-cell snap");
        cellText(c, "term", "");
        cellText(c, "cmd", i === 0 || idx === first ? t("log.snap") : "");
        setAttr(c.rect, "display", "inline");
        // the snapshot is named once, on its first cell shown
        if (i === 0) this.name(c, "snap|" + n.snapshotIndex + "|" + n.id, () => snapName(t, n.id, n.snapshotIndex));
        else this.name(c, "");
      } else {
        // a violation may name an entry the node lacks (a commit index
        // beyond its durable log): its empty slot is outlined
        setAttr(c.rect, "class", "rs-cell empty" + (badIndex === idx ? " bad" : "") + extra);
        cellText(c, "term", "");
        cellText(c, "cmd", "");
        if (ghost) this.name(c, "gone|" + idx + "|" + ghost + "|" + n.id, () => goneName(t, n.id, idx, ghost));
        else this.name(c, "");
      }
    }
  }

  // cellsNeeded is how many columns from first need a cell element: up to
  // the last that holds an entry of this node or lies in its snapshot,
  // shows an entry it held there before (one it saw: a ghost, or about to
  // become one) or is outlined (a violation's entry, a tutorial beat's).
  cellsNeeded(n, first, seen, ghosts, badIndex, marked) {
    const last = n.log.length ? n.log[n.log.length - 1].index : n.snapshotIndex || 0;
    for (let i = this.cols - 1; i >= 0; i--) {
      const idx = first + i;
      if (idx <= last || seen.has(idx) || (ghosts && ghosts.has(idx)) || idx === badIndex || (marked && marked.has(idx))) return i + 1;
    }
    return 0;
  }

  // placeRest puts the row's patterned rect over the empty slots from
  // column need on (none when every column has a cell).
  placeRest(r, need) {
    if (!(keep(r, "restAt", need) | keep(r, "restCols", this.cols))) return;
    setAttr(r.rest, "display", need < this.cols ? "inline" : "none");
    setAttr(r.rest, "x", CELL_X0 + need * CELL_W - 2);
    setAttr(r.rest, "width", (this.cols - need) * CELL_W);
  }

  // hideCellsFrom hides the cells of columns from on (made earlier, now
  // empty slots of the patterned rect or beyond the columns shown).
  hideCellsFrom(r, from) {
    if (r.hidFrom === from) return; // (hidden when last drawn)
    r.hidFrom = from;
    for (let i = from; i < r.cells.length; i++) {
      const c = r.cells[i];
      if (c.idx === -1) continue; // hidden already
      c.idx = -1; // drawn again when shown (cellSame)
      setAttr(c.rect, "class", "rs-cell gone");
      cellText(c, "term", "");
      cellText(c, "cmd", "");
      this.name(c, "");
      cellText(c, "ghost", "");
    }
  }

  // name gives a cell its role and accessible name when what it shows
  // (key) changed: an image named by name(), or nothing for an empty cell.
  // (c.t: the translator it was named with)
  name(c, key, name) {
    if (c.nameKey === key && (key === "" || c.t === this.t)) return;
    c.nameKey = key;
    c.t = this.t;
    if (key === "") {
      c.rect.removeAttribute("role");
      c.rect.removeAttribute("aria-label");
      return;
    }
    c.rect.setAttribute("role", "img");
    c.rect.setAttribute("aria-label", name());
  }

  // updateMarks places the commit bar (after the last committed cell) and
  // the leader's view of this follower (p): match and next, under the row.
  updateMarks(r, n, first, p) {
    const ci = n.commitIndex - first + 1;
    if (n.commitIndex >= first - 1 && ci <= this.cols && n.commitIndex > 0) {
      setAttr(r.commitBar, "x1", CELL_X0 + ci * CELL_W - 2);
      setAttr(r.commitBar, "x2", CELL_X0 + ci * CELL_W - 2);
      setAttr(r.commitBar, "display", "inline");
    } else setAttr(r.commitBar, "display", "none");
    const place = (el, index, yy) => {
      const col = index - first;
      if (!p || col < 0 || col >= this.cols) return setAttr(el, "display", "none");
      setAttr(el, "display", "inline");
      setAttr(el, "transform", `translate(${CELL_X0 + col * CELL_W + (CELL_W - 4) / 2},${yy})`);
    };
    place(r.match, p ? p.match : 0, 34);
    place(r.next, p ? p.next : 0, 34);
  }
}

// cellText writes one of a cell's texts ("term", "cmd" or "ghost"), making
// its element on the first text that is not empty.
function cellText(c, which, text) {
  let el = c[which];
  if (el === null) {
    if (text === "") return;
    const x = CELL_X0 + c.i * CELL_W;
    el = c[which] =
      which === "term"
        ? s("text", { class: "rs-cell-term", x: String(x + 4), y: "14", "aria-hidden": "true" })
        : which === "cmd"
          ? s("text", { class: "rs-cell-cmd", x: String(x + (CELL_W - 4) / 2), y: "27", "text-anchor": "middle", "aria-hidden": "true" })
          : s("text", { class: "rs-cell-ghost", x: String(x + CELL_W - 6), y: "14", "text-anchor": "end", "aria-hidden": "true" });
    c.gc.append(el);
  }
  setText(el, text);
}

const CELL_X0 = 52;
const CELL_W = 41;
const ROW_H = 44;
const MAX_COLS = 24;

let views = 0; // LogViews made on this page: each names its own pattern

// cellCommand: a membership change in words of the reader's language, a
// client command as shortCmd writes it.
function cellCommand(t, c) {
  const w = entryCommand(t, c, true);
  return w === c ? shortCmd(c) : w;
}

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

// rowChanged says whether a log row's picture may differ from the last
// one drawn, and keeps what it depends on. (The values are kept and
// compared one by one, no key string built: this runs for every node,
// every frame.)
function rowChanged(r, t, first, cols, n, lastE, pr, badIndex, noop, snap, marked, ghosts) {
  const kv = r.kv || (r.kv = []);
  const changed = (r.t !== t) | keep(kv, 0, first) | keep(kv, 1, cols) | keep(kv, 2, n.log.length) | keep(kv, 3, lastE ? lastE.index : -1) |
    keep(kv, 4, lastE ? lastE.term : -1) | keep(kv, 5, n.commitIndex) | keep(kv, 6, n.snapshotIndex) | keep(kv, 7, pr ? pr.match : -1) |
    keep(kv, 8, pr ? pr.next : -1) | keep(kv, 9, badIndex) | keep(kv, 10, noop) | keep(kv, 11, snap) | keep(kv, 12, marked) |
    keep(kv, 13, marked ? marked.size : 0) | keep(kv, 14, ghosts ? ghosts.size : 0);
  r.t = t;
  return changed !== 0;
}

// progressOf is the leader's progress of node id (undefined if none).
function progressOf(leader, id) {
  if (!leader || !leader.progress) return undefined;
  const list = leader.progress;
  for (let i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
  return undefined;
}

// cellSame says whether a log cell would be drawn as it was the last time
// (same entry object, index, node, translator, commit, marks, ghost), and
// keeps what it depends on: a row that changed (a new entry, a commit)
// redraws only the cells that did.
function cellSame(c, t, n, e, idx, first, ghost, committed, badIndex, marked) {
  const look = (committed ? 1 : 0) | (badIndex === idx ? 2 : 0) | (marked && marked.has(idx) ? 4 : 0) | (idx === first ? 8 : 0) | (idx <= (n.snapshotIndex || 0) ? 16 : 0);
  if (c.e === e && c.idx === idx && c.look === look && c.ghostOf === ghost && c.drawnT === t && c.node === n.id && c.snapAt === n.snapshotIndex) return true;
  c.e = e;
  c.idx = idx;
  c.look = look;
  c.ghostOf = ghost;
  c.drawnT = t;
  c.node = n.id;
  c.snapAt = n.snapshotIndex;
  return false;
}

// keep stores v at kv[i] and says whether it differs from what was there.
function keep(kv, i, v) {
  if (kv[i] === v) return 0;
  kv[i] = v;
  return 1;
}
