package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// AxeTags are the axe-core rules the page is held to: WCAG 2.0 and 2.1,
// levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// AxeViolation is one rule axe-core found broken, with the elements that
// break it.
type AxeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []AxeNode `json:"nodes"`
}

// AxeNode is one element that breaks a rule: its selector (a list, one per
// shadow root on the way) and axe's explanation.
type AxeNode struct {
	Target  []any  `json:"target"`
	Summary string `json:"failureSummary"`
	HTML    string `json:"html"`
}

func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %d element(s)): %s", v.ID, v.Impact, len(v.Nodes), v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-5)
			break
		}
		target, _ := json.Marshal(n.Target)
		fmt.Fprintf(&b, "\n      %s %s\n        %s", target, short(n.HTML), strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n        "))
	}
	return b.String()
}

var axeSource struct {
	once sync.Once
	js   string
	err  error
}

// axeScript returns node_modules/axe-core/axe.min.js (installed by npm ci
// from package-lock.json; ./build.sh test runs it).
func axeScript() (string, error) {
	axeSource.once.Do(func() {
		file := filepath.Join(Root, "node_modules", "axe-core", "axe.min.js")
		b, err := os.ReadFile(file)
		if err != nil {
			axeSource.err = fmt.Errorf("axe-core is missing (%v): run `npm ci` at the repository root (./build.sh test does)", err)
			return
		}
		axeSource.js = string(b)
	})
	return axeSource.js, axeSource.err
}

// Axe runs axe-core's WCAG 2.0/2.1 A and AA rules (AxeTags) on the page as
// it is now and returns the rules broken, sorted by rule. axe-core is put
// into the page through the DevTools protocol (Runtime.evaluate), which the
// page's Content-Security-Policy does not govern: no <script> is added to
// the page. It stays in the page until the next navigation.
func (p *Page) Axe() []AxeViolation {
	p.t.Helper()
	var have bool
	p.Eval(`typeof window.axe === "object" && typeof window.axe.run === "function"`, &have)
	if !have {
		js, err := axeScript()
		if err != nil {
			p.t.Fatalf("e2e: %v", err)
		}
		// (ending in true so that its value, the axe object, is not serialised back)
		if err := p.TryEval(js+"\n;true", nil); err != nil {
			p.t.Fatalf("e2e: loading axe-core into %s: %v", p.URL, err)
		}
	}
	// To read a shadow root's stylesheets (for css-orientation-lock) axe
	// copies them into <style> elements, which the page's policy refuses
	// (style-src 'self'): axe's own doing, reported without a source URL.
	p.AllowConsole(`^error: Applying inline style violates the following Content Security Policy directive 'style-src 'self''.* The action has been blocked\.$`)
	p.AllowConsole(`^CSP violation: style-src-elem blocked inline at :\d+$`)
	tags, _ := json.Marshal(AxeTags)
	var out []AxeViolation
	p.Eval(`axe.run(document, { runOnly: { type: "tag", values: `+string(tags)+` }, resultTypes: ["violations"] })
		.then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => ({ target: n.target, failureSummary: n.failureSummary, html: n.html })) })))`, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
