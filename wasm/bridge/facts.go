package bridge

import (
	"strconv"
	"strings"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

// The facts the JS side needs before or besides the wasm (the op numbers,
// the limits, the deliberate bugs' names, the message kinds) are defined
// here in Go, once. JSFacts writes them as JavaScript: the block of
// web/sandbox/facts.js between FactsBegin and FactsEnd, which the build
// (tools/build) rewrites when it differs and whose test fails when it is
// stale. raft-sandbox.js re-exports the public ones, and the page's modules import them from it.

// The lines that open and close the generated block.
const (
	FactsBegin = "// ---- facts from Go (wasm/bridge/facts.go), written by the build: do not edit"
	FactsEnd   = "// ---- end of the facts from Go"
)

// jsLimits names the limits the JS side checks before crossing into Go (the
// keys of raft-sandbox.js's exported limits), in their order.
var jsLimits = []struct {
	name  string
	value int64
}{
	{"maxNodes", sim.MaxNodes},
	{"maxTicks", MaxTicks},
	{"maxAdvanceMs", MaxAdvanceMs},
	{"maxCommandLength", MaxCommandLen},
	{"maxIdLength", MaxIDLen},
	{"maxMessageId", MaxMessageID},
	{"maxShareLength", MaxShareLen},
	{"maxScenarioLength", MaxScenarioLen},
	{"maxExportName", MaxExportName},
	{"maxExportComment", MaxExportNote},
	{"maxImportPath", MaxImportPath},
}

// JSFacts returns the generated block, FactsBegin to FactsEnd, each line
// ending in a newline.
func JSFacts() string {
	var b strings.Builder
	b.WriteString(FactsBegin + "\n\n")
	b.WriteString("// Operation numbers of __raftSandbox.call (wasm/bridge/bridge.go, Op).\n")
	b.WriteString("const OP = Object.freeze({\n")
	line := " "
	for op := Op(1); op < opCount; op++ {
		name, _, _ := strings.Cut(signatures[op], "(")
		item := " " + name + ": " + strconv.Itoa(int(op)) + ","
		if len(line)+len(item) > 100 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += item
	}
	b.WriteString(line + "\n")
	b.WriteString("});\n\n")
	b.WriteString("/** Limits of the API (the Go side enforces the same ones). */\n")
	b.WriteString("export const limits = Object.freeze({\n")
	for _, l := range jsLimits {
		b.WriteString("  " + l.name + ": " + strconv.FormatInt(l.value, 10) + ",\n")
	}
	b.WriteString("});\n\n")
	b.WriteString("/** The ranges of the whole-number options, by their key in the options string (options.go). */\n")
	b.WriteString("export const optionRanges = Object.freeze({\n")
	for _, o := range options {
		if !o.isBool && !o.isFloat {
			b.WriteString("  " + o.name + ": Object.freeze([" + jsNumber(o.min) + ", " + jsNumber(o.max) + "]),\n")
		}
	}
	b.WriteString("});\n\n")
	d := sim.DefaultConfig()
	b.WriteString("/** A new cluster's defaults, with the option names of loadSandbox (scenario.Defaults). */\n")
	b.WriteString("export const defaults = Object.freeze({\n")
	b.WriteString("  nodes: " + strconv.Itoa(d.Nodes) + ",\n")
	b.WriteString("  seed: " + strconv.FormatUint(d.Seed, 10) + ",\n")
	b.WriteString("  tickMs: " + strconv.FormatInt(d.TickMs, 10) + ",\n")
	b.WriteString("  electionTimeoutMs: Object.freeze([" + strconv.FormatInt(d.ElectionMinMs, 10) + ", " + strconv.FormatInt(d.ElectionMaxMs, 10) + "]),\n")
	b.WriteString("  heartbeatMs: " + strconv.FormatInt(d.HeartbeatMs, 10) + ",\n")
	b.WriteString("  latencyMs: Object.freeze([" + strconv.FormatInt(d.LatencyMinMs, 10) + ", " + strconv.FormatInt(d.LatencyMaxMs, 10) + "]),\n")
	b.WriteString("  snapshotEvery: " + strconv.Itoa(d.SnapshotEvery) + ",\n")
	b.WriteString("});\n\n")
	b.WriteString("/** The core's deliberate bugs, the keys of the `bugs` option (raft.BugList). */\n")
	names := make([]string, len(raft.BugList))
	for i, g := range raft.BugList {
		names[i] = g.JSName()
	}
	b.WriteString("export const bugNames = Object.freeze(" + jsStrings(names) + ");\n\n")
	b.WriteString("/** What a message in flight is drawn as: state().messages[].kind (sim.MessageKinds). */\n")
	b.WriteString("export const messageKinds = Object.freeze(" + jsStrings(sim.MessageKinds) + ");\n\n")
	b.WriteString(FactsEnd + "\n")
	return b.String()
}

func jsNumber(v float64) string { return strconv.FormatInt(int64(v), 10) }

func jsStrings(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// ReplaceJSFacts returns src (web/sandbox/facts.js) with its generated block
// replaced by JSFacts, and whether that changed it. It fails when src has no
// such block.
func ReplaceJSFacts(src string) (string, bool, error) {
	i := strings.Index(src, FactsBegin)
	j := strings.Index(src, FactsEnd)
	if i < 0 || j < i {
		return "", false, errorf("web/sandbox/facts.js has no block of facts from Go (" + FactsBegin + " ... " + FactsEnd + ")")
	}
	end := j + len(FactsEnd)
	if end < len(src) && src[end] == '\n' {
		end++
	}
	out := src[:i] + JSFacts() + src[end:]
	return out, out != src, nil
}
