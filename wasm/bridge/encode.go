package bridge

import "raftsandbox/sim"

// The encoders below write the JSON shapes documented in docs/api.md. Field
// names are the JS API's contract (camelCase, see DESIGN.md "JS API"): change
// them only together with web/raft-sandbox.js, docs/api.md and web/test/.

func (w *jsonWriter) state(s *sim.State) {
	w.beginObject()
	w.kInt("now", s.Now)
	w.kInt("tickMs", s.TickMs)
	w.kID("leader", s.Leader)
	w.key("nodes")
	w.beginArray()
	for i := range s.Nodes {
		w.node(&s.Nodes[i])
	}
	w.endArray()
	w.key("messages")
	w.beginArray()
	for i := range s.Messages {
		w.message(&s.Messages[i])
	}
	w.endArray()
	w.key("partition")
	if s.Partition == nil {
		w.null()
	} else {
		w.beginArray()
		for _, g := range s.Partition {
			w.strings(g)
		}
		w.endArray()
	}
	w.key("requests")
	w.beginArray()
	for i := range s.Requests {
		w.request(&s.Requests[i])
	}
	w.endArray()
	w.key("invariants")
	w.beginObject()
	w.kBool("ok", s.Invariants.OK)
	w.key("violations")
	w.beginArray()
	for i := range s.Invariants.Violations {
		v := &s.Invariants.Violations[i]
		w.beginObject()
		w.kString("invariant", v.Invariant)
		w.kString("detail", v.Detail)
		w.kStrings("nodes", nonNil(v.Nodes))
		w.kUint("index", v.Index)
		w.kUint("term", v.Term)
		w.endObject()
	}
	w.endArray()
	w.endObject()
	w.endObject()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (w *jsonWriter) node(n *sim.NodeView) {
	w.beginObject()
	w.kString("id", n.ID)
	w.kString("role", n.Role)
	w.kBool("up", n.Up)
	w.kUint("term", n.Term)
	w.kID("votedFor", n.VotedFor)
	w.kUint("commitIndex", n.CommitIndex)
	w.kUint("lastApplied", n.LastApplied)
	w.kInt("electionElapsed", n.ElectionElapsed)
	w.kInt("electionTimeout", n.ElectionTimeout)
	w.key("log")
	w.beginArray()
	for i := range n.Log {
		e := &n.Log[i]
		w.beginObject()
		w.kUint("index", e.Index)
		w.kUint("term", e.Term)
		w.kString("command", e.Command)
		w.endObject()
	}
	w.endArray()
	w.kUint("snapshotIndex", n.SnapshotIndex)
	w.key("kv")
	w.beginObject()
	for _, kv := range n.KV {
		// Keys come from commands: escaped like any string.
		w.dynKey(kv.Key)
		w.int(kv.Value)
	}
	w.endObject()
	w.kStrings("votes", nonNil(n.Votes))
	w.key("progress")
	w.beginArray()
	for _, p := range n.Progress {
		w.beginObject()
		w.kString("id", p.ID)
		w.kUint("next", p.Next)
		w.kUint("match", p.Match)
		w.kInt("inflight", int64(p.Inflight))
		w.endObject()
	}
	w.endArray()
	w.kStrings("voters", nonNil(n.Voters))
	w.kStrings("learners", nonNil(n.Learners))
	w.endObject()
}

func (w *jsonWriter) message(m *sim.MessageView) {
	w.beginObject()
	w.kInt("id", int64(m.ID))
	w.kString("from", m.From)
	w.kString("to", m.To)
	w.kString("type", m.Type)
	w.kUint("term", m.Term)
	w.kInt("entries", int64(m.Entries))
	w.kInt("sentAt", m.SentAt)
	w.kInt("deliverAt", m.DeliverAt)
	w.kBool("held", m.Held)
	w.endObject()
}

func (w *jsonWriter) request(r *sim.RequestView) {
	w.beginObject()
	w.kInt("id", int64(r.ID))
	w.kString("command", r.Command)
	w.kID("to", r.To)
	w.kString("status", r.Status)
	w.kStringOrNull("result", r.Result)
	w.kStringOrNull("error", r.Error)
	w.endObject()
}

func (w *jsonWriter) stepResult(r *sim.StepResult) {
	w.beginObject()
	w.kInt("at", r.At)
	w.kString("kind", r.Kind)
	w.kID("node", r.Node)
	w.key("message")
	if r.Message == nil {
		w.null()
	} else {
		w.message(r.Message)
	}
	w.endObject()
}

func (w *jsonWriter) events(list []sim.Event) {
	w.beginArray()
	for i := range list {
		e := &list[i]
		w.beginObject()
		w.kUint("seq", e.Seq)
		w.kInt("at", e.At)
		w.kString("key", e.Key)
		w.kID("node", e.Node)
		w.kID("peer", e.Peer)
		w.kUint("term", e.Term)
		w.kUint("index", e.Index)
		w.kInt("value", e.Value)
		w.kString("detail", e.Detail)
		w.endObject()
	}
	w.endArray()
}

func (w *jsonWriter) actions(list []sim.Action) {
	w.beginArray()
	for i := range list {
		a := &list[i]
		w.beginObject()
		w.kInt("at", a.At)
		w.kString("kind", a.Kind)
		w.kStrings("args", nonNil(a.Args))
		w.endObject()
	}
	w.endArray()
}
