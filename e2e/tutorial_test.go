//go:build !js

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
)

// tutorialBeat is what the page says about the beat it shows.
type tutorialBeat struct {
	Chapter, Beat, Beats int
	Key                  string
	Now, End             int64
	AtEnd, Running       bool
	Text                 string
	Failed               []string // facts that do not hold now (sandbox.checkBeat)
	Dimmed, Nodes        int
	Shown                int // nodes the beat points at
}

const readBeat = `(() => {
  const tu = __app.tutorial, b = tu.beats[tu.beat] || {}, sb = window.sandbox;
  const shown = new Set([...(b.nodes || []), ...(b.entries || []).flatMap((e) => e.nodes)]);
  return { Chapter: tu.chapter, Beat: tu.beat, Beats: tu.beats.length, Key: b.key || "", Now: sb.now, End: b.end,
    AtEnd: tu.atEnd, Running: __app.running, Text: document.querySelector(".rs-tut-text").textContent,
    Failed: sb.checkBeat(tu.beat).filter((f) => !f.holds).map((f) => f.text),
    Dimmed: [...document.querySelectorAll(".rs-node.dim")].filter((g) => sb.state().nodes.some((n) => n.id === g.dataset.node)).length, Nodes: sb.state().nodes.length, Shown: shown.size };
})()`

// pausedAt waits until the tutorial rests at the end of a beat and returns it.
func pausedAt(p *Page) tutorialBeat {
	p.t.Helper()
	p.WaitFor(`__app.tutorial.atEnd && !__app.running && !__app.busy && window.sandbox.now === __app.tutorial.beats[__app.tutorial.beat].end`, 20*time.Second)
	var b tutorialBeat
	p.Eval(readBeat, &b)
	return b
}

// stillFor checks that virtual time does not move for a second of real
// time (read now, wait a second of the page's clock, read again); during
// the second it runs meanwhile, which must not move the run either.
func stillFor(p *Page, b tutorialBeat, meanwhile func()) {
	p.t.Helper()
	p.Eval(`window.__stillFrom = performance.now(), true`, nil)
	meanwhile()
	p.WaitFor(`performance.now() - window.__stillFrom >= 1000`, 5*time.Second)
	var now int64
	p.Eval(`window.sandbox.now`, &now)
	if now != b.Now {
		p.t.Errorf("beat %s: paused at %d ms, but a second later the run is at %d ms", b.Key, b.Now, now)
	}
}

// checkBeat: the text is the beat's (translated, not a key), its facts hold,
// and what it names stands out.
func checkBeat(t *testing.T, b tutorialBeat, lang string) {
	t.Helper()
	want := fmt.Sprintf("%d.%d", b.Chapter+1, b.Beat+1)
	if b.Key != want {
		t.Errorf("beat key %q, want %q", b.Key, want)
	}
	if b.Now != b.End {
		t.Errorf("beat %s: paused at %d ms, its end is %d ms", b.Key, b.Now, b.End)
	}
	if len(b.Failed) > 0 {
		t.Errorf("beat %s at %d ms: the text states what is not so: %v", b.Key, b.Now, b.Failed)
	}
	if strings.TrimSpace(b.Text) == "" || strings.Contains(b.Text, "tut.") {
		t.Errorf("beat %s: text %q", b.Key, b.Text)
	}
	han := strings.IndexFunc(b.Text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	if han != (lang == "zh") {
		t.Errorf("beat %s: not in %s: %q", b.Key, lang, b.Text)
	}
	if b.Shown > 0 && b.Shown < b.Nodes && b.Dimmed != b.Nodes-b.Shown {
		t.Errorf("beat %s names %d of %d nodes, but %d are dimmed", b.Key, b.Shown, b.Nodes, b.Dimmed)
	}
}

// TestTutorialBeats walks the whole tutorial in both languages, through
// the page, pressing Continue at every pause: at each one the run is
// paused exactly at the beat's end and stays still for a second of real
// time, the facts its text states hold, its text is shown in the page's
// language (in Chinese, with no English word anywhere on the page: the
// check of TestPageChineseOnly, run inside the second of stillness), and
// in each chapter Back replays the previous beat to exactly the state it
// had. The two languages walk in two tabs at once: most of a walk is the
// seconds of stillness, so the second language costs little. Telling
// beats are saved as docs/img/tutorial-N.<lang>.png (with DOCS_IMG=1).
func TestTutorialBeats(t *testing.T) {
	h := Start(t)
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			walkTutorial(t, h, lang)
		})
	}
}

// walkTutorial is TestTutorialBeats in one language.
func walkTutorial(t *testing.T, h *Harness, lang string) {
	telling := map[int]int{1: 3, 2: 6, 3: 3, 4: 4, 5: 2, 6: 8, 7: 7} // chapter -> beat pictured in docs/img
	p := h.Page(t, "/index.html#tutorial=1&speed=10&lang="+lang)
	p.Resize(1200, 820)
	chapters, beats := 0, 0
	for {
		b := pausedAt(p)
		checkBeat(t, b, lang)
		stillFor(p, b, func() {
			if lang == "zh" {
				checkChinese(t, p, "tutorial "+b.Key)
			}
		})
		if b.Beat+1 == telling[b.Chapter+1] {
			saveDocsImage(t, p, fmt.Sprintf("tutorial-%d.%s", b.Chapter+1, lang))
		}
		beats++
		// Back, once per chapter: the previous beat is replayed to
		// exactly the state it paused on
		if lang == "en" && b.Beat == 2 {
			checkBack(t, p, b)
		}
		p.Eval(`window.__beatState = window.sandbox.state(), true`, nil)
		if b.Beat == b.Beats-1 {
			chapters++
			if b.Chapter == 6 {
				break
			}
		}
		if lang == "en" && b.Key == "2.3" {
			checkPlayThrough(t, p, b)
			continue
		}
		p.Click(".rs-tut-next") // Continue
	}
	if chapters != 7 || beats < 40 {
		t.Errorf("%s: walked %d chapters, %d beats", lang, chapters, beats)
	}
	t.Logf("%s: walked %d beats in %d chapters, each still for a second", lang, beats, chapters)
	assertSafe(p)
	p.Close()
}

// checkBack: Back from beat b replays the previous beat to exactly the
// state it paused on (window.__beatState), and Continue returns to b.
func checkBack(t *testing.T, p *Page, b tutorialBeat) {
	t.Helper()
	var before string
	p.Eval(`JSON.stringify(window.__beatState)`, &before)
	p.Press("ArrowLeft")
	back := pausedAt(p)
	if back.Beat != 1 || back.Chapter != b.Chapter {
		t.Fatalf("Back from %s went to chapter %d beat %d", b.Key, back.Chapter+1, back.Beat+1)
	}
	var again string
	p.Eval(`JSON.stringify(window.sandbox.state())`, &again)
	if again != before {
		t.Errorf("Back to beat %s: the state differs from the first time it paused there", back.Key)
	}
	p.Press("ArrowRight")
	if b2 := pausedAt(p); b2.Key != b.Key || b2.Now != b.Now {
		t.Fatalf("Continue after Back: at %s %d ms, want %s %d ms", b2.Key, b2.Now, b.Key, b.Now)
	}
}

// checkPlayThrough: "play through" goes on by itself after a pause to read
// the text (1.5 s + 45 ms a character), then is switched off again at the
// next beat.
func checkPlayThrough(t *testing.T, p *Page, b tutorialBeat) {
	t.Helper()
	p.Eval(`window.__playFrom = performance.now(), true`, nil)
	p.Click(".rs-tut-play")
	p.WaitFor(`__app.tutorial.beat === 3`, 15*time.Second)
	var waited float64
	p.Eval(`performance.now() - window.__playFrom`, &waited)
	if min := 1500 + 45*float64(len(b.Text)); waited < min-100 {
		t.Errorf("play through went on after %.0f ms, before the reading pause of %.0f ms", waited, min)
	}
	p.Click(".rs-tut-play")
}

// TestTutorialPhone: at 390 px a chapter's text and its picture are on
// screen together, the Tutorial button says so in words, and the terms
// inside the nodes are at least 10 px tall.
func TestTutorialPhone(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#tutorial=5.2&lang=zh")
	p.Resize(390, 844)
	b := pausedAt(p)
	if b.Key != "5.2" {
		t.Fatalf("a link to beat 5.2 opened %s", b.Key)
	}
	var m struct {
		TextTop, TextBottom, PicTop, PicBottom, ViewH float64
		Label                                         string
		TermPx                                        float64
	}
	p.Eval(`(() => {
	  const r = (sel) => document.querySelector(sel).getBoundingClientRect();
	  const term = document.querySelector(".rs-node .rs-term");
	  const px = parseFloat(getComputedStyle(term).fontSize) * term.getScreenCTM().a;
	  const label = document.querySelector(".rs-tut-btn .rs-btn-text");
	  return { TextTop: r(".rs-tut-text").top, TextBottom: r(".rs-tut-text").bottom, PicTop: r(".rs-cluster").top, PicBottom: r(".rs-cluster").bottom,
	    ViewH: innerHeight, Label: label.offsetWidth > 0 ? label.textContent : "", TermPx: px };
	})()`, &m)
	if m.TextTop < 0 || m.TextBottom > m.ViewH || m.PicTop < 0 || m.PicBottom > m.ViewH {
		t.Errorf("at 390x844 the beat's text (%.0f-%.0f px) and the picture (%.0f-%.0f px) are not both on screen (%.0f px)", m.TextTop, m.TextBottom, m.PicTop, m.PicBottom, m.ViewH)
	}
	if m.Label != "教程" {
		t.Errorf("the Tutorial button's visible label is %q, want 教程", m.Label)
	}
	if m.TermPx < 10 {
		t.Errorf("a node's term is drawn %.1f px tall, want at least 10", m.TermPx)
	}
	saveDocsImage(t, p, "tutorial-phone.zh")
	// Back from a chapter's first beat goes to the previous chapter's last
	p.Press("ArrowLeft")
	p.WaitFor(`__app.tutorial.beat === 0 && __app.tutorial.atEnd`, 10*time.Second)
	p.Press("ArrowLeft")
	if b := pausedAt(p); b.Chapter != 3 || b.Beat != b.Beats-1 {
		t.Errorf("Back from 5.1 went to %s, want chapter 4's last beat", b.Key)
	}
}

// TestTutorialEmbedStory: a <raft-sandbox scenario=...> tells its story as
// captions: its first beat runs, with its text shown, within 2 s of being
// scrolled into view; controls="none" shows no caption.
func TestTutorialEmbedStory(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/examples.html")
	p.WaitFor(`document.getElementById("first").sandbox`, 15*time.Second) // the runtime is loaded
	var ms float64
	p.Eval(`window.__t0 = performance.now(), document.getElementById("second").scrollIntoView(), 0`, nil)
	p.WaitFor(`(() => { const a = document.getElementById("second").app; return a && a.tutorial.story && a.tutorial.beat === 0 && a.sb.now > 0 &&
	  a.tutorial.capText.textContent.length > 0 && !a.tutorial.caption.hidden && (window.__story = performance.now() - window.__t0); })()`, 10*time.Second)
	p.Eval(`window.__story`, &ms)
	if ms > 2000 {
		t.Errorf("the scenario embed started its first beat %.0f ms after it was scrolled into view, want at most 2000", ms)
	}
	var caption string
	p.Eval(`document.getElementById("second").app.tutorial.capText.textContent`, &caption)
	if !strings.Contains(caption, "分") { // chapter 7's first beat, in Chinese (lang="zh")
		t.Errorf("caption %q", caption)
	}
	t.Logf("first beat running %.0f ms after scrolling into view: %q", ms, caption)
	p.Screenshot("story")

	q := h.Page(t, "/embed.html#scenario=split-vote&controls=none")
	q.WaitFor(`__app.tutorial.story && __app.sb.now > 0`, 15*time.Second)
	var hidden bool
	q.Eval(`__app.tutorial.caption.hidden`, &hidden)
	if !hidden {
		t.Error(`controls=none shows a caption`)
	}
}

// TestEmbedFitsColumns: embed.html, as the README's iframe snippet sizes it,
// has no sideways scrolling in a 680 px column or on a 360 px phone, and in
// the column the logs are in view.
func TestEmbedFitsColumns(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/embed.html#scenario=partition&lang=zh&paused=1")
	for _, size := range []struct{ w, h int64 }{{680, 850}, {360, 640}} {
		p.Resize(size.w, size.h) // the README's height: clamp(640px, 125vw, 900px) of the page
		p.WaitFor(`window.sandbox && document.querySelector(".rs-logs")`, 15*time.Second)
		var m struct {
			Scroll, Width float64
			LogsBottom    float64
		}
		p.Eval(`({ Scroll: document.documentElement.scrollWidth, Width: innerWidth,
		  LogsBottom: document.querySelector(".rs-logwrap").getBoundingClientRect().top + 60 })`, &m)
		if m.Scroll > m.Width {
			t.Errorf("at %d px the embed scrolls sideways (%.0f px wide)", size.w, m.Scroll)
		}
		if size.w == 680 && m.LogsBottom > float64(size.h) {
			t.Errorf("at %dx%d the logs start below the frame (%.0f px)", size.w, size.h, m.LogsBottom)
		}
		p.Screenshot(fmt.Sprintf("embed-%d", size.w))
	}
}

// TestResetUndo: Reset offers Undo for a while, and Undo brings back the
// whole run at the moment it was reset.
func TestResetUndo(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#seed=3&speed=10")
	p.WaitFor(`window.sandbox && window.sandbox.state().leader`, 15*time.Second)
	p.Eval(`__app.setRunning(false), true`, nil) // paused: nothing moves but what the test does
	p.WaitFor(`!__app.running && !__app.busy`, 5*time.Second)
	p.Eval(`window.sandbox.request("SET 5"), window.sandbox.advance(300), __app.actionsChanged(), __app.refresh(), true`, nil)
	var before string
	p.Eval(`JSON.stringify(window.sandbox.state())`, &before)
	p.Press("r")
	p.WaitFor(`window.sandbox.now === 0 && document.querySelector(".rs-hint .rs-offer")`, 5*time.Second)
	p.Click(".rs-hint .rs-offer") // Undo
	p.WaitFor(`window.sandbox.now > 0 && !document.querySelector(".rs-hint .rs-offer") && !__app.busy && !__app.running`, 10*time.Second)
	var after string
	p.Eval(`JSON.stringify(window.sandbox.state())`, &after)
	if after != before {
		t.Errorf("after Reset and Undo the run is %s, want %s", after, before)
	}
}
