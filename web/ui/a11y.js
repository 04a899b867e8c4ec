// The cluster for a screen reader: the accessible names of nodes, messages
// and log entries (what each is and its state, in the page's language), and
// the announcer behind the live region, which coalesces what happened into
// at most one announcement a second. No DOM here: the view writes the names
// (only when they change), and the app gives the announcer its region.

import { entryCommand } from "./words.js";

// majority is the number of votes a candidate needs.
function majority(n, size) {
  const voters = n.voters && n.voters.length ? n.voters.length : size;
  return Math.floor(voters / 2) + 1;
}

// nodeName says what a node is and its state:
// "B, candidate, term 2, voted for itself, 1 of 3 votes".
// size is the cluster's size (when the node does not list its voters), bad
// whether the safety checker names it in a violation.
export function nodeName(t, n, size, bad) {
  const role = n.up === false ? (n.removed ? "gone" : "down") : n.role;
  const vote = !n.votedFor ? t("a11y.vote.none") : n.votedFor === n.id ? t("a11y.vote.self") : t("a11y.vote.peer", { peer: n.votedFor });
  const params = { id: n.id, term: n.term, next: n.term + 1, vote, granted: (n.votes || []).length, needed: majority(n, size), lead: n.lead || "" };
  let key = "a11y.node." + role;
  if (role === "follower" && n.lead && n.lead !== n.id) key += ".led";
  let name = t(key, params);
  if (n.removed && n.up !== false) name = t("a11y.node.removed", { name });
  return bad ? t("a11y.node.bad", { name }) : name;
}

// nameChanged says whether what nodeName depends on changed since it was
// last kept in kept (an array of the element's): the name is formatted
// again only when it changes (a role change, a new term, a vote), not every
// frame. (The values are compared one by one, no key string built: this
// runs for every node every frame.)
export function nameChanged(kept, n, size, bad) {
  return (keep(kept, 0, n.role) | keep(kept, 1, n.term) | keep(kept, 2, n.votedFor) | keep(kept, 3, n.lead) |
    keep(kept, 4, n.votes ? n.votes.length : 0) | keep(kept, 5, n.voters ? n.voters.length : size) | keep(kept, 6, n.up) | keep(kept, 7, bad) | keep(kept, 8, n.removed)) !== 0;
}

function keep(kv, i, v) {
  if (kv[i] === v) return 0;
  kv[i] = v;
  return 1;
}

// msgName says what a message is: "Vote reply from B to A, term 2, granted".
// kind is the view's glyph kind (view.js kindOf).
export function msgName(t, kind, m) {
  const params = { type: t("kind." + kind), from: m.from, to: m.to, term: m.term, count: m.entries };
  let name = t("a11y.msg", params);
  if (kind === "append" && m.entries > 0) name += m.entries === 1 ? t("a11y.msg.entry") : t("a11y.msg.entries", params);
  if (kind === "vote-resp") name += t(m.reject ? "a11y.msg.rejected" : "a11y.msg.granted");
  else if (m.reject) name += t("a11y.msg.rejected");
  if (m.held) name += t("a11y.msg.held");
  return name;
}

// entryName says what a log entry is, on which node, and whether that node
// knows it committed: "A, entry 3, term 2, SET x 5, committed"; ghost: what
// the node held there before, rolled back (drawn struck through).
export function entryName(t, node, e, committed, ghost) {
  const command = e.command ? entryCommand(t, e.command) : t("a11y.entry.noop");
  const name = t(committed ? "a11y.entry.committed" : "a11y.entry.uncommitted", { node, index: e.index, term: e.term, command });
  return ghost ? name + t("a11y.entry.replaced", { ghost }) : name;
}

// goneName names an empty slot where the node held an entry that was
// rolled back: "B, entry 3: x=9 was rolled back".
export function goneName(t, node, index, ghost) {
  return t("a11y.entry.gone", { node, index, ghost });
}

// rowName names a node's log row: where its commit point is and, for a
// follower, what the leader knows of it (its match and next index, drawn
// as triangles under the row). p: the leader's progress for it, or null.
export function rowName(t, node, commit, p) {
  const committed = commit > 0 ? t("a11y.log.commit", { commit }) : t("a11y.log.nothing");
  return p ? t("a11y.log.rowProgress", { node, committed, match: p.match, next: p.next }) : t("a11y.log.row", { node, committed });
}

// snapName names the part of a log compacted into a snapshot.
export function snapName(t, node, index) {
  return t("a11y.entry.snapshot", { node, index });
}

// Announcer collects what happened (the narration's events and the page's
// own notes) and speaks it through the live region at most once a second
// (minGapMs), coalesced: each node's latest role (or, past three, how many
// changed and who leads), the rest in order, the entries committed as one
// range; at most maxSentences, dropping the oldest of the rest. A safety
// violation is spoken at once.
//   speak(text)   writes the region
//   t()           the current translator (the language may change)
//   clock()       milliseconds (performance.now)
//   setTimer(f, ms), clearTimer(id)  schedule the next flush: a paused page
//                 draws no frames, and what is queued must still be said
export class Announcer {
  constructor(speak, t, { minGapMs = 1000, maxSentences = 6, clock = () => performance.now(), setTimer = (f, ms) => setTimeout(f, ms), clearTimer = (id) => clearTimeout(id) } = {}) {
    this.speak = speak;
    this.t = t;
    this.minGapMs = minGapMs;
    this.maxSentences = maxSentences;
    this.clock = clock;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.last = -Infinity;
    this.timer = 0;
    this.clear();
  }

  // clear forgets what is pending (a new run: its past is not news).
  clear() {
    this.roles = new Map(); // node -> { role, term }: the latest
    this.committed = null; // { from, to }: entries committed since the last announcement
    this.notes = []; // other sentences, in order
    this.urgent = false;
  }

  get pending() {
    return this.roles.size > 0 || this.committed !== null || this.notes.length > 0;
  }

  // role records a node's new role ("leader", "candidate", "follower",
  // "precandidate"); only its latest counts.
  role(node, role, term) {
    this.roles.delete(node); // in the order of the latest changes
    this.roles.set(node, { role, term });
  }

  // down records that a node crashed (text says so): its role changes
  // before the crash are no longer news.
  down(node, text) {
    this.roles.delete(node);
    this.note(text);
  }

  // commit records that the entry at index is committed.
  commit(index) {
    if (this.committed === null) this.committed = { from: index, to: index };
    else {
      this.committed.from = Math.min(this.committed.from, index);
      this.committed.to = Math.max(this.committed.to, index);
    }
  }

  // note records a sentence (a request's answer, a crash, a partition, what
  // a control did); an urgent one (a violation) is spoken at once.
  note(text, urgent) {
    if (!text) return;
    if (!this.notes.includes(text)) this.notes.push(text);
    if (urgent) this.urgent = true;
  }

  // text composes what is pending.
  text() {
    const t = this.t();
    const head = [];
    const roles = [...this.roles];
    if (roles.length > 3) {
      // a big election: how many changed, and who leads now
      head.push(t("a11y.live.roles", { count: roles.length }));
      for (const [node, r] of roles) if (r.role === "leader") head.push(t("a11y.live.role.leader", { node, term: r.term }));
    } else {
      for (const [node, r] of roles) head.push(t("a11y.live.role." + r.role, { node, term: r.term }));
    }
    const tail = [];
    if (this.committed) {
      const { from, to } = this.committed;
      tail.push(from === to ? t("a11y.live.commit", { index: to }) : t("a11y.live.commits", { from, to }));
    }
    // the newest of the rest fit in what is left (a violation is the newest)
    const room = Math.max(1, this.maxSentences - head.length - tail.length);
    // (each a sentence of its own: a pause after it)
    const stop = t("a11y.live.stop");
    const notes = this.notes.slice(-room).map((n) => (/[.!?。！？]$/.test(n) ? n : n + stop));
    const more = this.notes.length - notes.length;
    return [...(more ? [t("a11y.live.more", { count: more })] : []), ...head, ...notes, ...tail].join(" ");
  }

  // flush speaks what is pending if minGapMs has passed since the last
  // announcement (at once when urgent), else makes sure it is spoken when
  // the time is up. It returns whether it spoke.
  flush() {
    if (!this.pending) return false;
    const now = this.clock();
    const wait = this.urgent ? 0 : this.last + this.minGapMs - now;
    if (wait > 0) {
      if (!this.timer) {
        this.timer = this.setTimer(() => {
          this.timer = 0;
          this.flush();
        }, wait);
      }
      return false;
    }
    if (this.timer) {
      this.clearTimer(this.timer);
      this.timer = 0;
    }
    const text = this.text();
    this.clear();
    this.last = now;
    this.speak(text);
    return true;
  }
}
