// The partition tool: with it on, clicking nodes moves them to the other
// side of a wall (two groups); dragging a node moves it to the group it is
// dropped nearest to, or cuts it off; heal removes every wall.
//
// Interface: new PartitionTool(app), on, toggle(on), pick(id), drop(id,
// target), heal(), clear(). Changes go through app.act (sb.partition,
// sb.heal); the tool's button is app.partBtn.

export class PartitionTool {
  constructor(app) {
    this.app = app;
    this.on = false;
    this.farSide = new Set(); // with the tool on: the nodes clicked over to the other side
  }

  // clear forgets the nodes picked (a new cluster, a reset).
  clear() {
    this.farSide.clear();
  }

  toggle(on = !this.on) {
    const app = this.app;
    this.on = on;
    app.partBtn.setAttribute("aria-pressed", on ? "true" : "false");
    app.cluster.partitionMode = on;
    if (on && app.state && app.state.partition && app.state.partition.length === 2) this.farSide = new Set(app.state.partition[1]);
    app.notices.status(app.hintText());
    app.refresh();
  }

  // pick moves a clicked node to the other side of the wall (or back).
  pick(id) {
    const app = this.app;
    if (this.farSide.has(id)) this.farSide.delete(id);
    else this.farSide.add(id);
    const ids = memberIDs(app.state);
    const left = ids.filter((x) => !this.farSide.has(x));
    const right = ids.filter((x) => this.farSide.has(x));
    if (!left.length || !right.length) app.act(() => app.sb.heal());
    else app.act(() => app.sb.partition([left, right]));
  }

  // drop moves a dragged node to another group ("new": a group of its own).
  drop(id, target) {
    const app = this.app;
    const st = app.state;
    const ids = memberIDs(st);
    let groups = st.partition && st.partition.length > 1 ? st.partition.map((g) => g.filter((x) => x !== id)) : [ids.filter((x) => x !== id)];
    if (target === "new") groups.push([id]);
    else if (groups[target]) groups[target].push(id);
    groups = groups.filter((g) => g.length);
    if (groups.length < 2) this.heal();
    else app.act(() => app.sb.partition(groups));
  }

  heal() {
    this.farSide.clear();
    this.app.act(() => this.app.sb.heal(), "note.healed");
  }
}

// memberIDs lists the nodes still in the cluster: a partition may not name a
// removed node (the sandbox refuses it).
function memberIDs(st) {
  return st.nodes.filter((n) => !n.removed).map((n) => n.id);
}
