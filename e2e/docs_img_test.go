//go:build !js

package e2e

// The screenshots in docs/img, made from the real page. They are written
// only with DOCS_IMG=1 (go test ./e2e -run 'TestDocsScreenshots|TestPageViolationAckBeforeDurable'), so that a
// test run does not touch the docs; without it the test still drives the
// same moments and checks the page got there.

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// saveDocsImage takes a screenshot of p and, with DOCS_IMG=1, also writes it
// to docs/img/name.png. Other tests use it for the moments they reach.
func saveDocsImage(t *testing.T, p *Page, name string) {
	t.Helper()
	file := p.Screenshot("docs-" + name)
	if os.Getenv("DOCS_IMG") != "1" || file == "" {
		return
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(Root, "docs", "img", name+".png")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", dst)
}

func TestDocsScreenshots(t *testing.T) {
	h := Start(t)
	open := func(path string, width, height int64, theme string) *Page {
		t.Helper()
		p := h.Page(t, path)
		p.Resize(width, height)
		p.WaitFor(`window.sandbox`, 10*time.Second)
		setTheme(p, theme)
		return p
	}

	// light: a replicated request on its way, the leader inspected
	p := open("/index.html#seed=3&speed=1", 1400, 900, "light")
	l := waitLeader(p)
	sendRequest(p, "SET 5")
	p.WaitFor(allX(p, 5), 10*time.Second)
	sendRequest(p, "ADD 2")
	p.WaitFor(allX(p, 7), 10*time.Second)
	// Paused, then stepped one event at a time until the entry is on its
	// way: a running page may deliver it between two polls (flaky under load).
	pause(p)
	sendRequest(p, "SET y 3")
	p.Eval(`(() => { const inFlight = () => window.sandbox.state().messages.some(m => m.entries > 0); for (let i = 0; i < 500 && !inFlight(); i++) document.querySelector(".rs-step").click(); return inFlight(); })()`, nil)
	p.WaitFor(`window.sandbox.state().messages.some(m => m.entries > 0)`, 5*time.Second)
	p.Click(fmt.Sprintf(`[data-node=%q]`, l.ID))
	p.WaitFor(`!document.querySelector(".rs-insp-body").hidden`, 5*time.Second)
	saveDocsImage(t, p, "page-light")

	// rewound: the ghost future on the timeline
	var at int64
	p.Eval(`window.sandbox.actions()[1].at`, &at)
	seekTimeline(p, at-300)
	p.WaitFor(`!document.querySelector(".rs-redo").disabled`, 5*time.Second)
	saveDocsImage(t, p, "page-rewound")
	p.Close()

	// dark: a partition, two leaders
	p = open("/index.html#scenario=partition&speed=0.25", 1400, 900, "dark") // two leaders and both requests: 1.15-1.4 s of the run
	p.WaitFor(`window.sandbox.state().partition && window.sandbox.state().nodes.filter(n => n.up && n.role === "leader").length === 2 && window.sandbox.state().requests.length >= 2`, 30*time.Second)
	pause(p)
	saveDocsImage(t, p, "page-dark")
	p.Close()

	// phone
	p = open("/index.html#seed=3&speed=1", 390, 844, "light")
	waitLeader(p)
	sendRequest(p, "SET 5")
	p.WaitFor(allX(p, 5), 10*time.Second)
	pause(p)
	saveDocsImage(t, p, "page-phone")
	p.Close()
}
