// A tiny stand-in for the real Sandbox, used only while developing the view
// (open the page with ?dev-fake). It is NOT the simulator: a few dozen lines
// of Raft-like behaviour that produce plausible state() objects to draw.
// The page never loads it unless asked to.

const TICK = 10;

function rng(seed) {
  let s = (Number(seed) || 1) >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function loadFakeSandbox(opts = {}) {
  let cfg = { nodes: opts.nodes || 5, seed: opts.seed || 1, preVote: !!opts.preVote, checkQuorum: !!opts.checkQuorum, latencyMs: opts.latencyMs || [20, 40], dropRate: opts.dropRate || 0, bugs: { ...opts.bugs } };
  let rand, now, nodes, msgs, nextMsg, events, seq, requests, partition, actions;

  function init() {
    rand = rng(cfg.seed);
    now = 0; nextMsg = 1; seq = 0; events = []; requests = []; partition = null; actions = [];
    msgs = [];
    nodes = [];
    for (let i = 0; i < cfg.nodes; i++) nodes.push(mkNode(String.fromCharCode(65 + i)));
  }
  function mkNode(id) {
    return { id, role: "follower", up: true, term: 0, votedFor: "", commitIndex: 0, lastApplied: 0,
      electionElapsed: 0, electionTimeout: 150 + Math.floor(rand() * 15) * 10, log: [], votes: [],
      next: {}, match: {}, kv: {}, hb: 0 };
  }
  const node = (id) => {
    const n = nodes.find((x) => x.id === id);
    if (!n) throw new Error(`unknown node "${id}"`);
    return n;
  };
  const emit = (key, n, extra = {}) => events.push({ seq: ++seq, at: now, key, node: n ? n.id : "", peer: "", term: n ? n.term : 0, index: 0, value: 0, detail: "", ...extra });
  const lastIndex = (n) => n.log.length;
  const lastTerm = (n) => (n.log.length ? n.log[n.log.length - 1].term : 0);
  const connected = (a, b) => !partition || partition.some((g) => g.includes(a) && g.includes(b));
  function send(from, to, type, body) {
    if (!connected(from.id, to)) return;
    if (cfg.dropRate && rand() < cfg.dropRate) return;
    const lat = cfg.latencyMs[0] + Math.floor(rand() * (cfg.latencyMs[1] - cfg.latencyMs[0] + 1));
    msgs.push({ id: nextMsg++, from: from.id, to, type, term: from.term, entries: (body.entries || []).length, sentAt: now, deliverAt: now + lat, body });
  }
  function resetTimer(n) { n.electionElapsed = 0; n.electionTimeout = 150 + Math.floor(rand() * 15) * 10; }
  function becomeFollower(n, term) {
    if (term > n.term) { n.term = term; n.votedFor = ""; }
    if (n.role !== "follower") emit("became-follower", n);
    n.role = "follower"; n.votes = [];
  }
  function campaign(n) {
    n.role = "candidate"; n.term++; n.votedFor = n.id; n.votes = [n.id]; resetTimer(n);
    emit("became-candidate", n);
    for (const p of nodes) if (p !== n) send(n, p.id, "RequestVote", { lastIndex: lastIndex(n), lastTerm: lastTerm(n) });
    maybeWin(n);
  }
  function maybeWin(n) {
    if (n.role === "candidate" && n.votes.length * 2 > nodes.length) {
      n.role = "leader"; emit("became-leader", n);
      for (const p of nodes) { n.next[p.id] = lastIndex(n) + 1; n.match[p.id] = 0; }
      n.log.push({ index: lastIndex(n) + 1, term: n.term, command: "" });
      n.match[n.id] = lastIndex(n);
      broadcast(n);
    }
  }
  function broadcast(n) {
    n.hb = 0;
    for (const p of nodes) {
      if (p === n) continue;
      const next = n.next[p.id] || 1;
      const prev = next - 1;
      send(n, p.id, "AppendEntries", { prevIndex: prev, prevTerm: prev ? n.log[prev - 1].term : 0, entries: n.log.slice(prev), commit: n.commitIndex });
    }
  }
  function apply(n) {
    while (n.lastApplied < n.commitIndex) {
      const e = n.log[n.lastApplied++];
      const m = /^(SET|ADD)\s+(?:([a-z]+)\s+)?(-?\d+)$/i.exec(e.command || "");
      if (m) {
        const k = m[2] || "x";
        n.kv[k] = m[1].toUpperCase() === "SET" ? Number(m[3]) : (n.kv[k] || 0) + Number(m[3]);
      }
      if (n.role === "leader") for (const r of requests) if (r.status === "pending" && r.index === e.index && r.term === e.term) {
        r.status = "committed";
        const gm = /^GET\s+([a-z]+)$/i.exec(r.command);
        r.result = String(gm ? n.kv[gm[1]] || 0 : n.kv[(m && m[2]) || "x"]);
        emit("request-committed", n, { index: e.index, detail: r.command });
      }
    }
  }
  function deliver(m) {
    const n = node(m.to);
    if (!n.up) return;
    const b = m.body;
    if (m.term > n.term) becomeFollower(n, m.term);
    const from = node(m.from);
    switch (m.type) {
      case "RequestVote": {
        const ok = m.term >= n.term && (n.votedFor === "" || n.votedFor === m.from) &&
          (b.lastTerm > lastTerm(n) || (b.lastTerm === lastTerm(n) && b.lastIndex >= lastIndex(n)));
        if (ok) { n.votedFor = m.from; resetTimer(n); emit("voted", n, { peer: m.from }); }
        send(n, m.from, "RequestVoteResponse", { granted: ok });
        break;
      }
      case "RequestVoteResponse":
        if (n.role === "candidate" && m.term === n.term && b.granted && !n.votes.includes(m.from)) { n.votes.push(m.from); maybeWin(n); }
        break;
      case "AppendEntries": {
        if (m.term < n.term) { send(n, m.from, "AppendEntriesResponse", { ok: false, index: 0 }); break; }
        if (n.role !== "follower") becomeFollower(n, m.term);
        resetTimer(n);
        const okPrev = b.prevIndex === 0 || (n.log[b.prevIndex - 1] && n.log[b.prevIndex - 1].term === b.prevTerm);
        if (!okPrev) { send(n, m.from, "AppendEntriesResponse", { ok: false, index: Math.min(b.prevIndex - 1, lastIndex(n)) }); break; }
        for (const e of b.entries) {
          const cur = n.log[e.index - 1];
          if (cur && cur.term !== e.term) n.log.length = e.index - 1;
          if (!n.log[e.index - 1]) n.log.push({ ...e });
        }
        const last = b.prevIndex + b.entries.length;
        n.commitIndex = Math.max(n.commitIndex, Math.min(b.commit, last));
        apply(n);
        send(n, m.from, "AppendEntriesResponse", { ok: true, index: last });
        break;
      }
      case "AppendEntriesResponse":
        if (n.role !== "leader" || m.term !== n.term) break;
        if (b.ok) {
          n.match[m.from] = Math.max(n.match[m.from] || 0, b.index); n.next[m.from] = n.match[m.from] + 1;
          const sorted = nodes.map((p) => (p === n ? lastIndex(n) : n.match[p.id] || 0)).sort((a, c) => c - a);
          const q = sorted[Math.floor(nodes.length / 2)];
          if (q > n.commitIndex && n.log[q - 1].term === n.term) { n.commitIndex = q; apply(n); }
        } else {
          n.next[m.from] = Math.max(1, b.index + 1);
        }
        break;
    }
    void from;
  }
  function tickAll() {
    for (const n of nodes) {
      if (!n.up) continue;
      if (n.role === "leader") {
        n.hb += TICK;
        if (n.hb >= 50) broadcast(n);
      } else {
        n.electionElapsed += TICK;
        if (n.electionElapsed >= n.electionTimeout) campaign(n);
      }
    }
  }
  function advance1() {
    now++;
    const due = msgs.filter((m) => m.deliverAt <= now && !m.held);
    msgs = msgs.filter((m) => !(m.deliverAt <= now && !m.held));
    for (const m of due) deliver(m);
    if (now % TICK === 0) tickAll();
    return due.length > 0 || now % TICK === 0;
  }
  const act = (kind, ...args) => actions.push({ at: now, kind, args });

  init();
  const sb = {
    tick(n = 1) { for (let i = 0; i < n * TICK; i++) advance1(); },
    advance(ms) { for (let i = 0; i < ms; i++) advance1(); },
    step() { for (let i = 0; i < 10000; i++) if (advance1()) return { at: now, kind: "event" }; return null; },
    partition(groups) { partition = groups.map((g) => [...g]); const all = groups.flat(); const rest = nodes.map((n) => n.id).filter((i) => !all.includes(i)); if (rest.length) partition.push(rest); act("partition"); emit("partitioned", null); },
    heal() { partition = null; act("heal"); emit("healed", null); },
    crash(id) { const n = node(id); n.up = false; n.role = "follower"; n.commitIndex = 0; n.lastApplied = 0; n.kv = {}; n.votes = []; act("crash", id); emit("crashed", n); },
    restart(id) { const n = node(id); n.up = true; resetTimer(n); act("restart", id); emit("restarted", n); },
    timeout(id) { const n = node(id); if (n.up && n.role !== "leader") campaign(n); act("timeout", id); },
    request(cmd, o = {}) {
      const id = requests.length + 1;
      const to = o.to || (nodes.find((n) => n.role === "leader" && n.up) || {}).id || "";
      const r = { id, command: cmd, to, status: "pending", result: "", error: "" };
      requests.push(r);
      if (!/^(SET|ADD)\s+([a-z]+\s+)?-?\d+$|^GET\s+[a-z]+$/i.test(cmd.trim())) { r.status = "failed"; r.error = "bad command"; throw new Error(`cannot parse "${cmd}"`); }
      const l = to && node(to);
      if (l && l.role === "leader" && l.up) { l.log.push({ index: lastIndex(l) + 1, term: l.term, command: cmd }); r.index = lastIndex(l); r.term = l.term; l.match[l.id] = lastIndex(l); }
      act("request", cmd);
      return id;
    },
    addNode() { const n = mkNode(String.fromCharCode(65 + nodes.length)); nodes.push(n); act("add"); return n.id; },
    removeNode(id) { nodes = nodes.filter((n) => n.id !== id); act("remove", id); },
    transferLeadership(id) { sb.timeout(id); },
    dropMessage(id) { msgs = msgs.filter((m) => m.id !== id); emit("message-dropped", null, { value: id }); },
    holdMessage(id, hold = true) { const m = msgs.find((x) => x.id === id); if (m) m.held = hold; },
    configure(c) { Object.assign(cfg, c); },
    rewindTo(t) {
      const keep = actions.filter((a) => a.at <= t);
      init();
      for (const a of keep) { while (now < a.at) advance1(); }
      while (now < t) advance1();
    },
    state() {
      const leader = nodes.find((n) => n.role === "leader" && n.up);
      return {
        now, tickMs: TICK, leader: leader ? leader.id : null,
        nodes: nodes.map((n) => ({
          id: n.id, role: n.up ? n.role : "follower", up: n.up, term: n.term, votedFor: n.votedFor,
          commitIndex: n.commitIndex, lastApplied: n.lastApplied, electionElapsed: n.electionElapsed,
          electionTimeout: n.electionTimeout, log: n.log.map((e) => ({ ...e })), snapshotIndex: 0,
          kv: { ...n.kv }, votes: n.role === "candidate" ? [...n.votes] : [],
          progress: n.role === "leader" ? nodes.filter((p) => p !== n).map((p) => ({ id: p.id, next: n.next[p.id] || 1, match: n.match[p.id] || 0, inflight: 0 })) : [],
          voters: nodes.map((p) => p.id), learners: [],
        })),
        messages: msgs.map((m) => ({ id: m.id, from: m.from, to: m.to, type: m.type, term: m.term, entries: m.entries, sentAt: m.sentAt, deliverAt: m.deliverAt, held: !!m.held })),
        partition: partition ? partition.map((g) => [...g]) : null,
        requests: requests.map((r) => ({ id: r.id, command: r.command, to: r.to, status: r.status, result: r.result, error: r.error })),
        invariants: { ok: true, violations: [] },
      };
    },
    events(since = 0) { return events.filter((e) => e.seq > since); },
    actions() { return actions.slice(); },
    share() { return btoa(JSON.stringify({ cfg, actions })).replace(/=+$/, ""); },
    reset() { init(); },
    destroy() {},
    config() { return { ...cfg }; },
  };
  return Promise.resolve(sb);
}
