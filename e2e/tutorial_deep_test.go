//go:build !js

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestTutorialDeep walks "Raft in depth" (chapters 8 to 14) in English and
// in Chinese (two tabs at once), Continue at every pause: each pause is
// exactly at the beat's end, stays still for a second of real time (as in
// TestTutorialBeats), with the facts its text states true (and in
// two chapters Back replays the previous beat to exactly its state), in the
// page's language (in Chinese with no English word on the page), and the
// chapter list shows the two groups. Then, in English, a chapter's "Try
// it": in the reads chapter, choosing the bug read-without-read-index in
// the settings replays the chapter with it, and the read pinned to the
// cut-off leader returns the stale 7 while the safety badge stays green;
// in Figure 8, "commit old entries by counting" ends with the checker
// stopping the run (Leader Completeness).
// (The claims of every beat and of every "Try it" are also checked
// natively: TestBuiltinBeats, TestChapterFacts, TestChapterTries.)
//
// Most of a walk is its seconds of stillness, so each language walks in two
// tabs (chapters 8 to 11, 12 to 14), four at once (Main lets four parallel
// tests run whatever the number of cores).
func TestTutorialDeep(t *testing.T) {
	h := Start(t)
	for _, lang := range []string{"en", "zh"} {
		for _, part := range []deepPart{{8, 11}, {12, 14}} {
			t.Run(fmt.Sprintf("%s/%d-%d", lang, part.first, part.last), func(t *testing.T) {
				t.Parallel()
				walkDeep(t, h, lang, part)
			})
		}
	}
}

// deepPart is the chapters one tab walks, first to last (1-based).
type deepPart struct{ first, last int }

func walkDeep(t *testing.T, h *Harness, lang string, part deepPart) {
	p := h.Page(t, fmt.Sprintf("/index.html#tutorial=%d&speed=10&lang=%s", part.first, lang))
	p.Resize(1200, 820)
	if lang == "zh" || part.first != 8 {
		walkDeepChapters(t, p, lang, part)
		if lang == "en" {
			deepTries(t, p)
		}
		p.Close()
		return
	}
	var groups []string
	p.Eval(`[...document.querySelectorAll(".rs-tut-group")].map((g) => g.textContent)`, &groups)
	if len(groups) != 2 || groups[1] != "Raft in depth" {
		t.Errorf("chapter groups %q, want the story and Raft in depth", groups)
	}
	var deep int
	p.Eval(`document.querySelectorAll(".rs-tut-deep li").length`, &deep)
	if deep != 7 {
		t.Errorf("Raft in depth lists %d chapters, want 7", deep)
	}
	walkDeepChapters(t, p, lang, part)
	p.Close()
}

// deepTries: two chapters' "Try it", in English.
func deepTries(t *testing.T, p *Page) {
	t.Helper()
	// Try it: the reads chapter replays with the bug
	p.Eval(`window.__app.tutorial.open(12), true`, nil)
	if b := pausedAt(p); b.Chapter != 12 {
		t.Fatalf("opened chapter %d, want 13", b.Chapter+1)
	}
	chooseBug(p, "readWithoutReadIndex")
	p.WaitFor(`document.querySelector(".rs-tutorial").hidden && (window.sandbox.state().requests.find((r) => r.id === 4) || {}).status === "committed"`, 20*time.Second)
	var stale struct {
		Result string `json:"result"`
		OK     bool   `json:"ok"`
	}
	p.Eval(`({ result: window.sandbox.state().requests.find((r) => r.id === 4).result, ok: window.sandbox.state().invariants.ok })`, &stale)
	if stale.Result != "7" || !stale.OK {
		t.Errorf("with the bug, the read pinned to A returned %q (invariants ok %v), want the stale 7 and a green badge", stale.Result, stale.OK)
	}

	// and Figure 8 with its bug: the checker stops the run on the lost entry
	p.Eval(`window.__app.tutorial.open(7), true`, nil)
	if b := pausedAt(p); b.Chapter != 7 {
		t.Fatalf("opened chapter %d, want 8", b.Chapter+1)
	}
	chooseBug(p, "commitOldTermByCount")
	p.WaitFor(`document.querySelector(".rs-tutorial").hidden && window.sandbox.state().invariants.violations.length > 0`, 20*time.Second)
	var inv string
	p.Eval(`window.sandbox.state().invariants.violations[0].invariant`, &inv)
	if inv != "leader-completeness" {
		t.Errorf("Figure 8 with the bug: violation %q, want leader-completeness", inv)
	}
}

// deepTelling: chapter -> the beat pictured in docs/img (DOCS_IMG=1).
var deepTelling = map[int]int{8: 5, 9: 5, 10: 7, 11: 4, 12: 4, 13: 5, 14: 4}

// walkDeepChapters: Continue through chapters 8 to 14, checking each pause.
func walkDeepChapters(t *testing.T, p *Page, lang string, part deepPart) {
	t.Helper()
	chapters, beats := 0, 0
	for {
		b := pausedAt(p)
		checkBeat(t, b, lang)
		// every pause holds for a second of real time; the page's checks
		// run inside that second
		stillFor(p, b, func() {
			if lang == "zh" {
				checkChinese(t, p, "tutorial "+b.Key)
			}
			if b.Key == "12.8" {
				checkRemovedNodes(t, p, lang)
			}
			if b.Key == "8.1" && lang == "en" {
				var count string
				p.Eval(`document.querySelector(".rs-tut-count").textContent`, &count)
				if want := fmt.Sprintf("Step 1 of %d · Raft in depth 1 / 7", b.Beats); count != want {
					t.Errorf("chapter 8 counts %q, want %q (its place in Raft in depth)", count, want)
				}
			}
		})
		if b.Beat+1 == deepTelling[b.Chapter+1] {
			saveDocsImage(t, p, fmt.Sprintf("tutorial-%d.%s", b.Chapter+1, lang))
		}
		// Back replays the previous beat exactly: after the 70 requests of
		// Figure 8, and after a node joined (membership)
		if lang == "en" && (b.Key == "8.3" || b.Key == "12.3") {
			checkBack(t, p, b)
		}
		p.Eval(`window.__beatState = window.sandbox.state(), true`, nil)
		beats++
		if b.Beat == b.Beats-1 {
			chapters++
			var try string
			p.Eval(`document.querySelector(".rs-tut-try").textContent`, &try)
			if len(try) < 20 {
				t.Errorf("chapter %d ends without something to try: %q", b.Chapter+1, try)
			}
			if b.Chapter+1 == part.last {
				break
			}
		}
		p.Click(".rs-tut-next")
	}
	if chapters != part.last-part.first+1 || beats < 4*chapters {
		t.Errorf("%s: walked %d chapters, %d beats", lang, chapters, beats)
	}
	t.Logf("%s: walked %d beats in %d chapters, each still for a second", lang, beats, chapters)
}

// checkRemovedNodes: at beat 12.8, C (removed, and told so) is drawn greyed
// and shut down, B (removed while cut off, never told) greyed but still
// running: its election timer drawn, and screen readers told both.
func checkRemovedNodes(t *testing.T, p *Page, lang string) {
	t.Helper()
	var got struct {
		B, C          string // the node's classes
		BTimer        string
		BName, CName  string
		BUp, BRemoved bool
	}
	p.Eval(`(() => {
	  const g = (id) => document.querySelector(`+"`.rs-node[data-node=\"${id}\"]`"+`);
	  const b = g("B"), c = g("C"), n = window.sandbox.state().nodes.find((n) => n.id === "B");
	  return { B: b.getAttribute("class"), C: c.getAttribute("class"), BTimer: b.querySelector(".rs-timer").getAttribute("display"),
	    BName: b.querySelector("[aria-label]").getAttribute("aria-label"), CName: c.querySelector("[aria-label]").getAttribute("aria-label"),
	    BUp: n.up, BRemoved: n.removed };
	})()`, &got)
	if !strings.Contains(got.B, "removed") || strings.Contains(got.B, "role-down") || got.BTimer != "inline" || !got.BUp || !got.BRemoved {
		t.Errorf("12.8: B is drawn %q (timer %q; up %v, removed %v), want greyed as removed, running, its timer shown", got.B, got.BTimer, got.BUp, got.BRemoved)
	}
	if !strings.Contains(got.C, "removed") || !strings.Contains(got.C, "role-down") {
		t.Errorf("12.8: C is drawn %q, want removed and shut down", got.C)
	}
	running, gone := "removed from the cluster but not told so, still running", "C, removed from the cluster, shut down"
	if lang == "zh" {
		running, gone = "已被移出集群但它还不知道，仍在运行", "C，已被移出集群并关闭"
	}
	if !strings.Contains(got.BName, running) || !strings.HasPrefix(got.CName, gone) {
		t.Errorf("12.8: B named %q, C named %q; want %q and %q", got.BName, got.CName, running, gone)
	}
	// its inspector offers only Crash (a shut-down for good); C's nothing
	var acts []string
	p.Eval(`(() => {
	  const live = () => [...document.querySelectorAll(".rs-actions button")].filter((b) => !b.hidden && !b.disabled).map((b) => b.className);
	  __app.clickNode("B");
	  const b = live().join(" ");
	  __app.clickNode("C");
	  const c = live().join(" ");
	  __app.unselect();
	  return [b, c];
	})()`, &acts)
	if len(acts) != 2 || acts[0] != "rs-btn rs-act-crash" || acts[1] != "" {
		t.Errorf("12.8: the inspector offers %q for B and %q for C; want only Crash for B, nothing for C", acts[0], acts[1])
	}
}
