package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestBadLinksLeaveNoUncaughtErrors opens links the page cannot use: the
// message box says what is wrong (worded from the error's code, in the
// page's language), a fresh cluster runs instead of a broken share or
// scenario, and the console stays free of errors and uncaught exceptions
// (the harness fails a page on any). Before the fix, a
// malformed share link left "Uncaught (in promise) Error: loadSandbox:
// malformed share string" in the console.
func TestBadLinksLeaveNoUncaughtErrors(t *testing.T) {
	h := Start(t)
	for _, c := range []struct{ url, want string }{
		{"/index.html#share=<img", "this share link is damaged or incomplete"},
		{"/index.html#scenario=%3Cimg", "the scenario has a mistake at line 1, column 1"},
		{"/index.html#nosuchkey=1", "“nosuchkey” is not a setting of this page"},
		{"/embed.html#share=<img", "this share link is damaged or incomplete"},
	} {
		p := h.Page(t, c.url)
		p.WaitFor(`document.querySelector(".rs-error") && !document.querySelector(".rs-error").hidden`, 10*time.Second)
		var text string
		p.Eval(`document.querySelector(".rs-error-text").textContent`, &text)
		if !strings.Contains(text, c.want) {
			t.Errorf("%s: the message box says %q, want %q", c.url, text, c.want)
		}
		p.WaitFor(`window.sandbox && window.sandbox.state().nodes.length > 0`, 10*time.Second)
		p.Close() // checks the console: no errors, no uncaught exceptions
	}
	// The <raft-sandbox> element with a malformed share attribute, on a page
	// that does not wait for its ready promise.
	p := h.Page(t, "/examples.html")
	p.Eval(`(() => { const el = document.createElement("raft-sandbox"); el.id = "bad"; el.setAttribute("share", "<img"); document.body.prepend(el); el.scrollIntoView(); return true; })()`, nil)
	p.WaitFor(`(() => { const b = document.querySelector("#bad").shadowRoot?.querySelector(".rs-error"); return b && !b.hidden && b.textContent.includes("this share link is damaged or incomplete"); })()`, 10*time.Second)
}
