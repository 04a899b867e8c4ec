//go:build !js

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
		// the parser's detail, in English; in Chinese the script's own
		// text where it is wrong, and the end of a line that stops short
		{"/index.html#scenario=%3Cimg", "the scenario has a mistake at line 1, column 1: expected a header line (nodes 5), an action (at 1s crash B) or an expectation (expect leader), found \"<\""},
		{"/index.html#lang=zh&scenario=%3Cimg", "场景在第 1 行第 1 列有错误：问题出在“<”"},
		{"/index.html#lang=zh&scenario=nodes%203%0Acrash", "场景第 2 行不完整：第 6 列处还缺少内容"},
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
		if strings.Contains(c.url, "lang=zh") {
			checkChinese(t, p, c.url)
		}
		p.Close() // checks the console: no errors, no uncaught exceptions
	}
	// The <raft-sandbox> element with a malformed share attribute, on a page
	// that does not wait for its ready promise.
	p := h.Page(t, "/examples.html")
	p.Eval(`(() => { const el = document.createElement("raft-sandbox"); el.id = "bad"; el.setAttribute("share", "<img"); document.body.prepend(el); el.scrollIntoView(); return true; })()`, nil)
	p.WaitFor(`(() => { const b = document.querySelector("#bad").shadowRoot?.querySelector(".rs-error"); return b && !b.hidden && b.textContent.includes("this share link is damaged or incomplete"); })()`, 10*time.Second)
}
