package render

import (
	"strconv"
	"strings"

	"raftsandbox/sim"
)

// labelSet is the text of a picture in one language. The strings the page
// also shows are the page's own (web/i18n/en.js and zh.js, keys in the
// comments); TestLabelsMatchPage holds them equal.
type labelSet struct {
	app      string // app.title
	timeFmt  string // time.value
	termFmt  string // view.term
	client   string // view.client
	okFmt    string // client.ok
	failFmt  string // client.failed
	pendFmt  string // client.pending
	noop     string // log.noop
	snap     string // log.snap
	roles    map[string]string
	leadFmt  string // the picture's own: "leader {id}, term {term}"
	noLeader string
	nodeFmt  string // "{id}: {role}, term {term}, {n} log entries ({c} committed)"
	parted   string // "partition: "
	flight   string // "{n} messages in flight"
	violated string // "safety violated: "
	sep      string // between clauses
	removed  string // after a removed node's description
}

var english = labelSet{
	app: "Raft Sandbox", timeFmt: "{s} s", termFmt: "term {term}", client: "Client",
	okFmt: "{command} → {result}", failFmt: "{command} failed", pendFmt: "{command} …",
	noop: "·", snap: "snap",
	roles: map[string]string{"follower": "Follower", "precandidate": "Pre-candidate", "candidate": "Candidate",
		"leader": "Leader", "down": "Crashed"},
	removed: " (removed from the cluster)",
	leadFmt: "leader {id}, term {term}", noLeader: "no leader",
	nodeFmt: "{id}: {role}, term {term}, {n} log entries ({c} committed)",
	parted:  "partition: ", flight: "{n} messages in flight", violated: "safety violated: ", sep: "; ",
}

var chinese = labelSet{
	app: "Raft 沙盒", timeFmt: "{s} 秒", termFmt: "任期 {term}", client: "客户端",
	okFmt: "{command} → {result}", failFmt: "{command} 失败", pendFmt: "{command} …",
	noop: "·", snap: "快照",
	roles: map[string]string{"follower": "跟随者", "precandidate": "预候选人", "candidate": "候选人",
		"leader": "领导者", "down": "已宕机"},
	removed: "（已被移出集群）",
	leadFmt: "领导者 {id}，任期 {term}", noLeader: "没有领导者",
	nodeFmt: "{id}：{role}，任期 {term}，日志 {n} 条（已提交 {c} 条）",
	parted:  "网络分区：", flight: "{n} 条消息在途中", violated: "安全性被违反：", sep: "；",
}

func labels(lang string) *labelSet {
	if lang == "zh" {
		return &chinese
	}
	return &english
}

// fill replaces {name} with values, given as name, value pairs.
func fill(f string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		f = strings.ReplaceAll(f, "{"+kv[i]+"}", kv[i+1])
	}
	return f
}

func u(n uint64) string { return strconv.FormatUint(n, 10) }

// time formats a moment as the page's clock does (two decimals under 10 s).
func (l *labelSet) time(ms int64) string {
	prec := 2
	if ms >= 10000 {
		prec = 1
	}
	return fill(l.timeFmt, "s", strconv.FormatFloat(float64(ms)/1000, 'f', prec, 64))
}

func (l *labelSet) term(t uint64) string { return fill(l.termFmt, "term", u(t)) }
func (l *labelSet) ok(cmd, result string) string {
	return fill(l.okFmt, "command", cmd, "result", result)
}
func (l *labelSet) failed(cmd string) string  { return fill(l.failFmt, "command", cmd) }
func (l *labelSet) pending(cmd string) string { return fill(l.pendFmt, "command", cmd) }

// summary is the picture's title: the run, the moment and the leader.
func summary(st sim.State, title string, l *labelSet) string {
	lead := l.noLeader
	for _, n := range st.Nodes {
		if n.ID == st.Leader && n.Up && n.Role == "leader" {
			lead = fill(l.leadFmt, "id", n.ID, "term", u(n.Term))
		}
	}
	return title + l.sep + l.time(st.Now) + l.sep + lead
}

// describe says in words what the picture shows, node by node (the
// picture's <desc>, read by screen readers and shown where images are off).
func describe(st sim.State, l *labelSet) string {
	var parts []string
	for _, n := range st.Nodes {
		role := n.Role
		if !n.Up {
			role = "down"
		}
		committed := min(n.CommitIndex, n.LastIndex)
		s := fill(l.nodeFmt, "id", n.ID, "role", l.roles[role], "term", u(n.Term), "n", u(n.LastIndex), "c", u(committed))
		if n.Removed {
			s += l.removed
		}
		if kv := kvText(n.KV); kv != "" {
			s += ", " + kv
		}
		parts = append(parts, s)
	}
	if len(st.Partition) > 1 {
		groups := make([]string, len(st.Partition))
		for i, g := range st.Partition {
			groups[i] = strings.Join(g, ",")
		}
		parts = append(parts, l.parted+strings.Join(groups, " | "))
	}
	if len(st.Messages) > 0 {
		parts = append(parts, fill(l.flight, "n", strconv.Itoa(len(st.Messages))))
	}
	for _, v := range st.Invariants.Violations {
		parts = append(parts, l.violated+v.Invariant+" "+v.Detail)
	}
	return strings.Join(parts, l.sep)
}
