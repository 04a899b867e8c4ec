//go:build !js

package e2e

// Every word in the reader's language (issue 9 item 7): with lang=zh, no
// English word reaches the reader, whatever the page is asked to say. Text
// that comes from Go (refusals, request failures, violations, errors) crosses
// as a code with arguments and is worded from web/i18n/zh.js; this test walks
// the page in Chinese and fails on any English word it can see or hear.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"raftsandbox/sim"
)

// allowedLatin are the Latin-script words a Chinese page may show: names
// (Raft, the paper's RPC names and ReadIndex, Go, JSON), the commands a reader types (SET,
// ADD, GET), key caps (Esc, Tab, Ctrl, End, Space), the language switch's
// "English", language and unit codes. Node ids and keys such as x are single
// letters and never count.
var allowedLatin = map[string]bool{
	"Raft": true, "AppendEntries": true, "RequestVote": true, "InstallSnapshot": true, "ReadIndex": true, "TimeoutNow": true,
	"SET": true, "ADD": true, "GET": true,
	"Go": true, "JSON": true, "JS": true, "API": true,
	"Esc": true, "Tab": true, "Ctrl": true, "End": true, "Space": true, "Enter": true,
	"English": true, "en": true, "zh": true, "ms": true, "Markdown": true,
}

// englishSeen returns the English words the reader can see or hear on the
// page, each with where it was: the visible text (but for command lines
// marked translate="no"), tooltips and accessible names (title,
// aria-label, placeholder, SVG titles) and the live region.
func englishSeen(p *Page) []string {
	p.t.Helper()
	var texts []struct {
		Where string `json:"where"`
		Text  string `json:"text"`
	}
	p.Eval(`(() => {
		// a command line to type (translate="no": the hunt's replay command) is not prose
		const code = [...document.querySelectorAll('[translate="no"]')].filter((e) => !e.hidden);
		for (const e of code) e.hidden = true;
		const out = [{ where: "visible text", text: document.body.innerText }];
		for (const e of code) e.hidden = false;
		for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt], [aria-description]"))
			for (const a of ["title", "aria-label", "placeholder", "alt", "aria-description"])
				if (el.hasAttribute(a)) out.push({ where: a + " of <" + el.tagName.toLowerCase() + " class=" + (el.getAttribute("class") || "") + ">", text: el.getAttribute(a) });
		for (const t of document.querySelectorAll("svg title")) out.push({ where: "SVG title", text: t.textContent });
		for (const r of document.querySelectorAll("[aria-live]")) out.push({ where: "live region", text: r.textContent });
		out.push({ where: "document title", text: document.title });
		return out;
	})()`, &texts)
	seen := map[string]bool{}
	var bad []string
	for _, x := range texts {
		for _, line := range strings.Split(x.Text, "\n") {
			for _, w := range latinWords(line) {
				if len(w) < 2 || allowedLatin[w] || seen[w+x.Where] {
					continue
				}
				seen[w+x.Where] = true
				bad = append(bad, fmt.Sprintf("%q in %s: %q", w, x.Where, clipLine(line)))
			}
		}
	}
	sort.Strings(bad)
	return bad
}

// latinWords splits s into runs of Latin letters (with inner ' and -).
func latinWords(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		inner := start >= 0 && (r == '\'' || r == '-') && i+1 < len(s) && isLatin(s[i+1])
		switch {
		case letter || inner:
			if start < 0 {
				start = i
			}
		case start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	return out
}

func isLatin(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func clipLine(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

// checkChinese fails the test if the page shows English at this moment.
func checkChinese(t *testing.T, p *Page, moment string) {
	t.Helper()
	if bad := englishSeen(p); len(bad) > 0 {
		p.Screenshot("english-" + strings.ReplaceAll(moment, " ", "-"))
		t.Errorf("%s: English on the Chinese page:\n  %s", moment, strings.Join(bad, "\n  "))
	}
}

// One page load in Chinese: a bad share link (a fresh cluster opens, and
// says why); a message's popover; a failed request and a
// command that does not parse; the help, the settings; a node's inspector;
// and a Break-it violation caught by the checker. At each moment no English
// word is on the page. Every tutorial chapter, beat by beat, is walked in
// Chinese by TestTutorialBeats/zh with the same check. (The checker itself
// is checked to fail: it reports the English of the same page switched to
// English.)
func TestPageChineseOnly(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#lang=zh&share=not-a-share-string")
	p.WaitFor(`!document.querySelector(".rs-error").hidden && document.documentElement.lang === "zh-CN"`, 15*time.Second)
	checkChinese(t, p, "a bad share link")

	// the tutorial, beat after beat, is checked the same way at every
	// pause by TestTutorialBeats/zh (while it checks that the run is still)

	// free play: a leader, then a message's popover
	p.Eval(`window.__app.setSpeed(0)`, nil)
	var running bool
	if p.Eval(`window.__app.running`, &running); !running {
		p.Click(".rs-play")
	}
	waitLeader(p)
	pause(p)
	stepUntilMessage(p)
	p.Click(".rs-msg [data-msg]")
	p.WaitFor(`!document.querySelector(".rs-msgpop").hidden`, 5*time.Second)
	checkChinese(t, p, "a message popover")
	p.Press("Escape")

	// a request that fails (pinned to a follower) and one that does not parse
	var follower string
	p.Eval(`window.sandbox.state().nodes.find((n) => n.up && n.role === "follower").id`, &follower)
	sendTo(p, follower)
	sendRequest(p, "SET 7")
	p.WaitFor(`window.sandbox.state().requests.some((r) => r.status === "failed")`, 5*time.Second)
	sendTo(p, "")
	p.Type(".rs-req-input", "SET 1 2 3")
	p.Press("Enter")
	p.WaitFor(`document.querySelector(".rs-req-err").textContent !== ""`, 5*time.Second)
	p.Click(`[data-node="` + follower + `"]`)
	p.Click(".rs-step")
	checkChinese(t, p, "a failed request, a bad command, the inspector")
	p.Press("Escape") // unselect the node
	p.Eval(`document.querySelector(".rs-req-input").value = ""`, nil)

	// the help and the settings
	p.Press("?")
	p.WaitFor(`document.querySelector(".rs-help").open`, 5*time.Second)
	checkChinese(t, p, "the help")
	p.Press("Escape")
	p.WaitFor(`!document.querySelector(".rs-help").open`, 5*time.Second)
	p.Click(".rs-settings-btn")
	p.WaitFor(`document.querySelector("#rs-settings").matches(":popover-open")`, 5*time.Second)
	checkChinese(t, p, "the settings")
	p.Click(`#rs-settings input[type="checkbox"]`) // pre-vote on: a settings change, narrated
	p.WaitFor(`[...document.querySelectorAll(".rs-narration li")].some((li) => li.className === "ev-settings-changed")`, 5*time.Second)
	closeSettings(p)
	checkChinese(t, p, "a settings change")

	// Break it: the checker catches a deliberate bug
	p.Click(".rs-play")
	chooseBug(p, "ackBeforeDurable")
	closeSettings(p)
	crashFollowerCommitRestart(p)
	p.WaitFor(`window.__app.running === false && !window.sandbox.state().invariants.ok && document.querySelector(".rs-badge").classList.contains("bad")`, 15*time.Second)
	checkChinese(t, p, "a safety violation")
	p.Screenshot("violation")

	// an embed telling a scenario's story, in Chinese too
	e := h.Page(t, "/embed.html#scenario=partition&lang=zh&speed=10")
	e.WaitFor(`window.sandbox && window.__app && !document.querySelector(".rs-caption").hidden`, 20*time.Second)
	for i := 0; i < 6; i++ { // a few beats, each run to its end
		e.WaitFor(`!window.__app.busy`, 10*time.Second)
		e.Eval(`document.querySelector(".rs-caption-next").click()`, nil)
	}
	e.WaitFor(`!window.__app.busy && document.querySelectorAll(".rs-narration li").length > 0`, 10*time.Second)
	checkChinese(t, e, "an embed of the partition story")
	e.Close()

	// the check can fail: the same page in English has English in it
	p.SetValue(".rs-lang", "en")
	p.Eval(`document.querySelector(".rs-lang").dispatchEvent(new Event("change"))`, nil)
	p.WaitFor(`document.documentElement.lang === "en"`, 5*time.Second)
	if bad := englishSeen(p); len(bad) < 20 {
		t.Errorf("the same page in English shows only %d English words: the check does not see the page: %v", len(bad), bad)
	}
}

// Every reason code the Go side sends (sim's why("code", ...) and Code:
// "code", the core's refusal names, a beat's conditions) has its sentence in English and Chinese
// (why.<code>), so the page never falls back to "the sandbox could not do
// that" for a reason it was given.
func TestWhyCodesWorded(t *testing.T) {
	keys := map[string]map[string]bool{}
	for _, lang := range []string{"en", "zh"} {
		src, err := os.ReadFile(filepath.Join(Root, "web", "i18n", lang+".js"))
		if err != nil {
			t.Fatal(err)
		}
		keys[lang] = map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^\s*"why\.([\w-]+)":`).FindAllStringSubmatch(string(src), -1) {
			keys[lang][m[1]] = true
		}
	}
	codes := map[string]string{}
	var files []string
	for _, dir := range []string{"sim", filepath.Join("wasm", "bridge")} {
		fs, _ := filepath.Glob(filepath.Join(Root, dir, "*.go"))
		files = append(files, fs...)
	}
	code := regexp.MustCompile(`(?:\bwhy\(|Code: |\bcode = |, code = )"([a-z][\w-]*)"|reason, code = "[^"]*", "([a-z][\w-]*)"|leaderLost\(n, "[^"]*", "([a-z][\w-]*)"|stopNode\(n, "[^"]*", "([a-z][\w-]*)"|storyError\("([a-z][\w-]*)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range code.FindAllStringSubmatch(string(src), -1) {
			for _, c := range m[1:] {
				if c != "" {
					codes[c] = filepath.Base(f)
				}
			}
		}
	}
	// a beat's conditions (checkBeat, a story that does not hold)
	for _, c := range sim.ConditionCodes() {
		codes[c] = "sim.ConditionCodes"
	}
	// the core's refusal names reach the page through refusalWhy (sim/why.go)
	for _, c := range []string{"voted", "has-leader", "stale-term", "no-entry", "term-mismatch", "in-lease"} {
		codes[c] = "raft"
	}
	t.Logf("%d reason codes checked", len(codes))
	if len(codes) < 40 {
		t.Fatalf("found only %d codes: the pattern no longer matches the Go code", len(codes))
	}
	for c, where := range codes {
		for _, lang := range []string{"en", "zh"} {
			if !keys[lang][c] {
				t.Errorf("reason %q (%s) has no sentence why.%s in web/i18n/%s.js", c, where, c, lang)
			}
		}
	}
}
