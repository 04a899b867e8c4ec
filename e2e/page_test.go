//go:build !js

package e2e

// The page, driven through its UI as a person would: buttons, the request
// box, the keyboard. The simulator's state (window.sandbox.state()) is read
// only to decide when something has happened and to check the outcome; every
// action goes through the page's controls.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"raftsandbox/sim/scenario"
	"raftsandbox/site"
)

// pageNode is the part of a node's state the tests look at.
type pageNode struct {
	ID          string           `json:"id"`
	Role        string           `json:"role"`
	Up          bool             `json:"up"`
	Term        int              `json:"term"`
	CommitIndex int              `json:"commitIndex"`
	Log         []pageEntry      `json:"log"`
	KV          map[string]int64 `json:"kv"`
}

type pageEntry struct {
	Index   int    `json:"index"`
	Term    int    `json:"term"`
	Command string `json:"command"`
}

type pageRequest struct {
	ID      int    `json:"id"`
	Command string `json:"command"`
	Status  string `json:"status"`
}

type pageState struct {
	Now        int64         `json:"now"`
	Leader     *string       `json:"leader"`
	Nodes      []pageNode    `json:"nodes"`
	Partition  [][]string    `json:"partition"`
	Requests   []pageRequest `json:"requests"`
	Invariants struct {
		OK bool `json:"ok"`
	} `json:"invariants"`
}

func readState(p *Page) pageState {
	p.t.Helper()
	var st pageState
	p.Eval(`window.sandbox.state()`, &st)
	return st
}

// openPage opens the main page at speed 10x and waits for a leader.
func openPage(t *testing.T, h *Harness, fragment string) *Page {
	t.Helper()
	p := h.Page(t, "/index.html#"+fragment)
	p.WaitFor(`window.sandbox && window.__frameStats`, 10*time.Second)
	return p
}

// waitLeader waits until the cluster has exactly one leader and returns it.
func waitLeader(p *Page) pageNode {
	p.t.Helper()
	p.WaitFor(`window.sandbox.state().nodes.filter(n => n.up && n.role === "leader").length === 1`, 10*time.Second)
	for _, n := range readState(p).Nodes {
		if n.Up && n.Role == "leader" {
			return n
		}
	}
	p.t.Fatal("no leader")
	return pageNode{}
}

// assertSafe checks the invariant badge is green and says so.
func assertSafe(p *Page) {
	p.t.Helper()
	var badge struct {
		OK   bool   `json:"ok"`
		Text string `json:"text"`
	}
	p.Eval(`(() => { const b = document.querySelector(".rs-badge"); return { ok: b.classList.contains("ok") && !b.classList.contains("bad"), text: b.textContent }; })()`, &badge)
	if !badge.OK || !readState(p).Invariants.OK {
		p.t.Fatalf("the safety badge is not green: %q", badge.Text)
	}
}

// sendRequest types a command into the (empty) request box and presses Enter.
func sendRequest(p *Page, command string) {
	p.t.Helper()
	p.WaitFor(`document.querySelector(".rs-req-input").value === ""`, 5*time.Second)
	p.Type(".rs-req-input", command)
	p.Press("Enter")
}

// sendTo picks the request's target in the "Send to" list ("" is the leader).
func sendTo(p *Page, id string) {
	p.t.Helper()
	p.Eval(fmt.Sprintf(`(() => { const s = document.querySelector(".rs-req-to"); s.value = %q; return s.value; })()`, id), nil)
}

// switchToChinese picks 中文 in the language list, as a person would, and
// waits until the page has switched.
func switchToChinese(p *Page) {
	p.t.Helper()
	p.Focus(".rs-lang") // reaching the select offers 中文 (controls.js buildLangSelect)
	p.SetValue(".rs-lang", "zh")
	p.Eval(`document.querySelector(".rs-lang").dispatchEvent(new Event("change"))`, nil)
	p.WaitFor(`document.documentElement.lang === "zh-CN"`, 5*time.Second)
}

// TestPageLangSelect: an English page offers 中文 once it is idle (not in
// its first layout: controls.js buildLangSelect) or as soon as the reader
// reaches the select; a Chinese page offers both languages from the start.
func TestPageLangSelect(t *testing.T) {
	h := Start(t)
	const options = `[...document.querySelector(".rs-lang").options].map((o) => o.value).join()`
	p := openPage(t, h, "seed=1&paused=1")
	p.WaitFor(options+` === "en,zh"`, 5*time.Second)
	var v string
	p.Eval(`document.querySelector(".rs-lang").value`, &v)
	if v != "en" {
		t.Errorf("English page: the select shows %q, want en", v)
	}
	switchToChinese(p)
	p.Close()

	// the focus path: a page whose idle moment has not come yet (the
	// option is removed again to stand for it) gets it back on focus,
	// from the select's own listener
	p = openPage(t, h, "seed=1&paused=1")
	p.WaitFor(options+` === "en,zh"`, 5*time.Second)
	p.Eval(`document.querySelector(".rs-lang").options[1].remove()`, nil)
	p.Focus(".rs-lang")
	p.WaitFor(options+` === "en,zh"`, 5*time.Second)
	p.Close()

	q := openPage(t, h, "seed=1&paused=1&lang=zh")
	var got struct{ Options, Value string }
	q.Eval(`({ options: `+options+`, value: document.querySelector(".rs-lang").value })`, &got)
	if got.Options != "en,zh" || got.Value != "zh" {
		t.Errorf("Chinese page: the select offers %q showing %q, want en,zh showing zh", got.Options, got.Value)
	}
}

// stepUntilMessage clicks Step (on a paused page) until a message is drawn
// in flight.
func stepUntilMessage(p *Page) {
	p.t.Helper()
	p.WaitFor(`(() => { document.querySelector(".rs-step").click(); return document.querySelectorAll(".rs-msg [data-msg]").length > 0; })()`, 20*time.Second)
}

// pause clicks Pause and waits until the page stopped.
func pause(p *Page) {
	p.t.Helper()
	p.Click(`.rs-play`)
	p.WaitFor(`window.__app.running === false && document.querySelector(".rs-play").getAttribute("aria-pressed") === "false"`, 5*time.Second)
}

func TestPageElectsLeader(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "speed=10")
	l := waitLeader(p)
	// the picture draws it as the leader (solid border class), with its term
	p.WaitFor(fmt.Sprintf(`document.querySelector('[data-node="%s"]').classList.contains("role-leader")`, l.ID), 5*time.Second)
	var label string
	p.Eval(fmt.Sprintf(`document.querySelector('[data-node="%s"][role=button]').getAttribute("aria-label")`, l.ID), &label)
	if want := fmt.Sprintf("%s, leader, term %d", l.ID, l.Term); label != want {
		t.Errorf("leader node's label = %q, want %q", label, want)
	}
	p.WaitFor(`[...document.querySelectorAll(".rs-narration li")].some(li => /became leader of term/.test(li.textContent))`, 5*time.Second)
	assertSafe(p)
	// the note shown while the cluster starts is gone once it is drawn
	var loading struct {
		Hidden  bool
		Text    string
		Visible bool
	}
	p.Eval(`(() => { const n = document.querySelector(".rs-loading"); return { hidden: n.hidden, text: n.textContent, visible: n.getClientRects().length > 0 }; })()`, &loading)
	if !loading.Hidden || loading.Visible || loading.Text != "Starting the cluster…" {
		t.Errorf("the starting note after the first picture: %+v", loading)
	}
	p.Screenshot("leader")
}

func TestPageCrashLeaderElectsAnother(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "speed=10")
	old := waitLeader(p)
	p.Click(fmt.Sprintf(`[data-node="%s"]`, old.ID)) // opens the inspector
	p.WaitFor(`document.querySelector(".rs-insp .rs-act-crash") && !document.querySelector(".rs-insp .rs-act-crash").hidden`, 5*time.Second)
	p.Click(`.rs-insp .rs-act-crash`)
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().nodes.some(n => n.up && n.role === "leader" && n.id !== %q && n.term > %d)`, old.ID, old.Term), 10*time.Second)
	st := readState(p)
	for _, n := range st.Nodes {
		if n.ID == old.ID && n.Up {
			t.Errorf("%s is still up after Crash", old.ID)
		}
	}
	p.WaitFor(fmt.Sprintf(`document.querySelector('[data-node="%s"]').classList.contains("role-down")`, old.ID), 5*time.Second)
	assertSafe(p)
	p.Screenshot("new-leader")
}

func TestPageRequestReachesEveryNode(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "speed=10")
	waitLeader(p)
	sendRequest(p, "SET 5")
	p.WaitFor(`window.sandbox.state().nodes.every(n => n.kv.x === 5)`, 10*time.Second)
	// every node's picture says x = 5, and the request list says it is done
	p.WaitFor(`[...document.querySelectorAll(".rs-node .rs-kv")].filter(e => e.closest(".rs-node").getAttribute("display") !== "none").every(e => e.textContent === "x = 5")`, 5*time.Second)
	p.WaitFor(`document.querySelector(".rs-req-item.status-committed") !== null`, 5*time.Second)
	sendRequest(p, "ADD 2")
	p.WaitFor(`window.sandbox.state().nodes.every(n => n.kv.x === 7)`, 10*time.Second)
	assertSafe(p)
	p.Screenshot("x7")
}

func TestPagePartitionTwoLeadersThenHeal(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=7&speed=10")
	old := waitLeader(p)
	other := "A"
	if old.ID == "A" {
		other = "B"
	}
	// paused, as a teacher would: the partition tool, then click the old
	// leader and one more node across the wall; then a write pinned to the
	// old leader, on the minority side
	pause(p)
	p.Click(`.rs-part-btn`)
	p.Click(fmt.Sprintf(`[data-node="%s"]`, old.ID))
	p.Click(fmt.Sprintf(`[data-node="%s"]`, other))
	p.Press("Escape") // leave the tool
	p.WaitFor(`window.sandbox.state().partition && window.sandbox.state().partition.length === 2`, 5*time.Second)
	sendTo(p, old.ID)
	sendRequest(p, "SET 8")
	p.Click(`.rs-play`)
	p.WaitFor(`window.sandbox.state().nodes.filter(n => n.up && n.role === "leader").length === 2`, 10*time.Second)
	// a write to the majority's new leader
	sendTo(p, "")
	sendRequest(p, "SET 3")
	p.WaitFor(`(s => s.requests.length === 2 && s.requests[1].status === "committed")(window.sandbox.state())`, 10*time.Second)
	st := readState(p)
	if st.Requests[0].Status != "pending" {
		t.Fatalf("the minority's write is %s, want pending", st.Requests[0].Status)
	}
	for _, n := range st.Nodes {
		if n.ID != old.ID {
			continue
		}
		last := n.Log[len(n.Log)-1]
		if last.Command != "SET x 8" || last.Index <= n.CommitIndex {
			t.Fatalf("old leader %s: last entry %+v, commit index %d: want SET x 8 uncommitted", n.ID, last, n.CommitIndex)
		}
	}
	// the picture shows it: a dashed (uncommitted) cell in the old leader's row
	p.WaitFor(`document.querySelectorAll(".rs-cell.uncommitted").length > 0`, 5*time.Second)
	assertSafe(p)
	p.Screenshot("two-leaders")

	p.Click(`.rs-heal-btn`)
	p.WaitFor(`window.sandbox.state().partition === null`, 5*time.Second)
	// logs converge: every node holds the same entries, all committed, x = 3
	p.WaitFor(`(s => { const key = n => n.log.map(e => e.index + ":" + e.term).join(","); const k0 = key(s.nodes[0]);
	  return s.nodes.every(n => key(n) === k0 && n.commitIndex === n.log[n.log.length - 1].index && n.kv.x === 3); })(window.sandbox.state())`, 15*time.Second)
	st = readState(p)
	if st.Requests[0].Status == "committed" {
		t.Errorf("the minority's write committed after healing; it should have been rolled back")
	}
	assertSafe(p)
	p.Screenshot("healed")
}

func TestPageDragNodeAcrossTheWall(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "speed=10")
	waitLeader(p)
	pause(p)
	// drag A well away from the ring: it is cut off
	drag := func(id string, dx, dy float64, toward string) {
		t.Helper()
		var at [4]float64
		p.Eval(fmt.Sprintf(`(() => { const c = r => [r.x + r.width / 2, r.y + r.height / 2];
		  const a = c(document.querySelector('[data-node="%s"] .rs-body').getBoundingClientRect());
		  const b = %q ? c(document.querySelector('[data-node="%s"] .rs-body').getBoundingClientRect()) : [a[0] + %f, a[1] + %f];
		  return [...a, ...b]; })()`, id, toward, toward, dx, dy), &at)
		steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, at[0], at[1], chromedp.ButtonLeft)}
		for i := 1; i <= 8; i++ {
			f := float64(i) / 8
			steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at[0]+(at[2]-at[0])*f, at[1]+(at[3]-at[1])*f, chromedp.ButtonLeft))
		}
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, at[2], at[3], chromedp.ButtonLeft))
		if err := p.tab.do(10*time.Second, steps...); err != nil {
			t.Fatalf("dragging %s: %v", id, err)
		}
	}
	drag("A", 0, 140, "")
	p.WaitFor(`JSON.stringify(window.sandbox.state().partition) === '[["B","C","D","E"],["A"]]'`, 5*time.Second)
	// then B across the wall, onto A's side
	drag("B", 0, 0, "A")
	p.WaitFor(`JSON.stringify(window.sandbox.state().partition) === '[["C","D","E"],["A","B"]]'`, 5*time.Second)
	p.WaitFor(`document.querySelectorAll(".rs-wall:not([display=none])").length === 2`, 5*time.Second)
	assertSafe(p)
	p.Screenshot("dragged")
}

func TestPageShareLinkReopensSameState(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=11&speed=10")
	waitLeader(p)
	sendRequest(p, "SET 4")
	p.WaitFor(`window.sandbox.state().nodes.every(n => n.kv.x === 4)`, 10*time.Second)
	pause(p)
	p.Press("s")
	p.WaitFor(`document.querySelector(".rs-share-dlg").open && document.querySelector(".rs-share-link").value.includes("#share=")`, 5*time.Second)
	var link string
	p.Eval(`document.querySelector(".rs-share-link").value`, &link)
	var want json.RawMessage
	p.Eval(`window.sandbox.state()`, &want)
	p.Screenshot("share-dialog")

	q := Open(t, link)
	q.WaitFor(`window.sandbox && window.__frameStats`, 10*time.Second)
	var got json.RawMessage
	q.Eval(`window.sandbox.state()`, &got)
	if string(got) != string(want) {
		t.Fatalf("the share link reopened a different state:\nwant %s\n got %s", clip(string(want)), clip(string(got)))
	}
	var running bool
	q.Eval(`window.__app.running`, &running)
	if running {
		t.Errorf("a share link should open paused at the shared moment")
	}
	q.Screenshot("reopened")
}

func TestPageLanguageSwitch(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "lang=en&speed=10")
	waitLeader(p)
	var before string
	p.Eval(`document.querySelector(".rs-step").textContent`, &before)
	if !strings.Contains(before, "Step") {
		t.Fatalf("English step button says %q", before)
	}
	switchToChinese(p)
	var after struct {
		Step, Title, Badge, Narration string
	}
	p.Eval(`({ Step: document.querySelector(".rs-step").textContent, Title: document.title,
	  Badge: document.querySelector(".rs-badge").textContent,
	  Narration: document.querySelector(".rs-narration").textContent })`, &after)
	if after.Step != "单步" || !strings.Contains(after.Title, "沙盒") || !strings.Contains(after.Badge, "安全") {
		t.Fatalf("after switching to 中文: %+v", after)
	}
	if !strings.Contains(after.Narration, "领导者") {
		t.Errorf("the narration was not translated: %q", clip(after.Narration))
	}
	assertSafe(p)
	p.Screenshot("zh")
}

func TestPageKeyboardOnly(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "speed=10")
	l := waitLeader(p)
	p.Eval(`document.activeElement && document.activeElement.blur()`, nil)
	p.Press("Space") // pause
	p.WaitFor(`window.__app.running === false`, 5*time.Second)
	// paused means no animation frames: two frames of our own, none of the page's
	var frames int
	p.Eval(`(async () => { const before = window.__e2e.rafRequested;
	  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	  return window.__e2e.rafRequested - before - 2; })()`, &frames)
	if frames != 0 {
		t.Errorf("the paused page requested %d animation frames", frames)
	}
	now := readState(p).Now
	p.Press(".") // step
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().now > %d`, now), 5*time.Second)
	// Tab to the leader's node, Enter opens the inspector, Tab to Crash, Enter
	found := false
	for i := 0; i < 60 && !found; i++ {
		p.Press("Tab")
		var id string
		p.Eval(`document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.node || "" : ""`, &id)
		found = id == l.ID
	}
	if !found {
		t.Fatalf("could not reach node %s with Tab", l.ID)
	}
	p.Screenshot("focus-node")
	p.Press("Enter")
	p.WaitFor(fmt.Sprintf(`document.querySelector(".rs-insp .rs-h").textContent.includes(%q)`, l.ID), 5*time.Second)
	found = false
	for i := 0; i < 60 && !found; i++ {
		p.Press("Tab")
		p.Eval(`document.activeElement.classList.contains("rs-act-crash")`, &found)
	}
	if !found {
		t.Fatal("could not reach the Crash button with Tab")
	}
	p.Press("Enter")
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().nodes.find(n => n.id === %q).up === false`, l.ID), 5*time.Second)
	p.Eval(`document.activeElement.blur()`, nil)
	p.Press("Space") // play again: a new leader is elected
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().nodes.some(n => n.up && n.role === "leader" && n.term > %d)`, l.Term), 10*time.Second)
	p.Press("?")
	p.WaitFor(`document.querySelector(".rs-help").open`, 5*time.Second)
	p.Screenshot("help")
	p.Press("Escape")
	p.WaitFor(`!document.querySelector(".rs-help").open`, 5*time.Second)
	assertSafe(p)
}

func TestPageEmbeds(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/embed.html#nodes=3&lang=zh&controls=minimal&speed=10")
	p.WaitFor(`window.sandbox && window.sandbox.state().leader`, 10*time.Second)
	var info struct {
		Nodes int
		Lang  string
	}
	p.Eval(`({ Nodes: window.sandbox.state().nodes.length, Lang: document.querySelector(".rs").lang })`, &info)
	if info.Nodes != 3 || info.Lang != "zh-CN" {
		t.Errorf("embed.html#nodes=3&lang=zh: %+v", info)
	}
	p.Screenshot("embed")

	// two <raft-sandbox> elements on one page, each with its own cluster
	q := h.Page(t, "/examples.html")
	q.Eval(`document.getElementById("second").scrollIntoView()`, nil)
	q.WaitFor(`document.getElementById("second").sandbox && document.getElementById("second").sandbox.state().nodes.length === 5`, 10*time.Second)
	q.Eval(`document.getElementById("first").scrollIntoView()`, nil)
	q.WaitFor(`document.getElementById("first").sandbox && document.getElementById("first").sandbox.state().leader`, 10*time.Second)
	var differ bool
	q.Eval(`document.getElementById("first").sandbox !== document.getElementById("second").sandbox`, &differ)
	if !differ {
		t.Error("two elements share one sandbox")
	}
	q.Screenshot("elements")
}

// Every string key the UI names exists in English and Chinese, and the two
// tables have the same keys.
func TestPageTranslationsComplete(t *testing.T) {
	keysOf := func(lang string) map[string]bool {
		src, err := os.ReadFile(filepath.Join(Root, "web", "i18n", lang+".js"))
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^\s*"([^"]+)":`).FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
		if len(keys) < 100 {
			t.Fatalf("%s.js: only %d keys found", lang, len(keys))
		}
		return keys
	}
	en, zh := keysOf("en"), keysOf("zh")
	for k := range en {
		if !zh[k] {
			t.Errorf("zh.js lacks %q", k)
		}
	}
	for k := range zh {
		if !en[k] {
			t.Errorf("en.js lacks %q", k)
		}
	}
	// keys named literally in the UI code
	used := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(Root, "web", "ui", "*.js"))
	lit := regexp.MustCompile(`(?:\bt\(|"data-i18n": |btn\(|\bb\(|num\(|check\()"([a-z][\w-]*(?:\.[\w-]+)+)"`)
	attr := regexp.MustCompile(`"data-i18n-attr": "([^"]+)"`)
	for _, f := range files {
		src, _ := os.ReadFile(f)
		for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], "-") { // a prefix ("why.scope-" + scope), not a key
				used[m[1]] = true
			}
		}
		for _, m := range attr.FindAllStringSubmatch(string(src), -1) {
			for _, pair := range strings.Split(m[1], ";") {
				if _, key, ok := strings.Cut(pair, ":"); ok && !strings.Contains(key, "$") {
					used[key] = true
				}
			}
		}
	}
	// keys built from data
	for _, r := range []string{"follower", "precandidate", "candidate", "leader", "down"} {
		used["role."+r] = true
		used["a11y.node."+r] = true // web/ui/a11y.js nodeName
		if r != "down" {
			used["a11y.live.role."+r] = true // the announcer
		}
	}
	used["a11y.node.follower.led"] = true
	for _, k := range []string{"vote", "prevote", "vote-resp", "append", "heartbeat", "append-resp", "snapshot", "timeoutnow", "other"} {
		used["kind."+k] = true
	}
	for i := 1; i <= len(scenario.Builtins()); i++ {
		for _, part := range []string{"title", "try"} {
			used[fmt.Sprintf("tut.%d.%s", i, part)] = true
		}
	}
	// every beat of the built-in scenarios is told in words: tut.<key>
	for _, b := range scenario.Builtins() {
		script, err := scenario.Parse(b.Text)
		if err != nil {
			t.Fatal(err)
		}
		for _, bt := range script.Beats {
			used["tut."+bt.Key] = true
		}
	}
	for _, s := range []string{"pending", "committed", "failed"} {
		used["req.status."+s] = true
	}
	var missing []string
	for k := range used {
		if !en[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("keys used by web/ui but missing from en.js: %s", strings.Join(missing, ", "))
	}
	if len(used) < 60 {
		t.Errorf("found only %d keys in web/ui: the pattern no longer matches the code", len(used))
	}
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// A link with values the page cannot use opens anyway, with the nearest
// values, and says which values it replaced and why, in the page's
// language; a clean link shows no such message.
func TestPageBadLinkValuesAreReported(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "nodes=0&seed=3&bug=nonsense&frob=1&speed=10")
	p.WaitFor(`!document.querySelector(".rs-error").hidden`, 5*time.Second)
	var msg string
	p.Eval(`document.querySelector(".rs-error-text").textContent`, &msg)
	for _, want := range []string{"nodes=0", "using 1", "bug=nonsense", "real Raft", "“frob”"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message %q does not mention %q", msg, want)
		}
	}
	if st := readState(p); len(st.Nodes) != 1 {
		t.Errorf("nodes=0 opened %d nodes, want 1 (the nearest value)", len(st.Nodes))
	}
	waitLeader(p) // it runs
	p.Screenshot("bad-link")
	switchToChinese(p)
	p.Eval(`document.querySelector(".rs-error-text").textContent`, &msg)
	if !strings.Contains(msg, "nodes=0 不是") || !strings.Contains(msg, "改用 1") {
		t.Errorf("after switching to 中文 the message is %q", msg)
	}
	assertSafe(p)
	// the message can be dismissed, with a labelled button
	var label string
	p.Eval(`document.querySelector(".rs-error-close").getAttribute("aria-label")`, &label)
	if label != "关闭此消息" {
		t.Errorf("the dismiss button's label is %q", label)
	}
	p.Click(".rs-error-close")
	p.WaitFor(`document.querySelector(".rs-error").hidden`, 5*time.Second)
	p.Close()

	q := openPage(t, h, "nodes=3&seed=3&speed=10")
	waitLeader(q)
	var hidden bool
	q.Eval(`document.querySelector(".rs-error").hidden`, &hidden)
	if !hidden {
		var text string
		q.Eval(`document.querySelector(".rs-error").textContent`, &text)
		t.Errorf("a clean link shows a message: %q", text)
	}
}

// A message's tooltip says what it is; it is written when the pointer
// reaches the message (not for every message every frame), in the page's
// language.
func TestPageMessageTooltip(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "nodes=5&seed=1&paused=1")
	// step (the button) until a message is in flight
	stepUntilMessage(p)
	hover := `(() => { const b = document.querySelector(".rs-msg [data-msg]"); b.dispatchEvent(new PointerEvent("pointerover", { bubbles: true })); return b.querySelector("title").textContent; })()`
	var title string
	p.Eval(hover, &title)
	if !regexp.MustCompile(`^.+ [A-E] → [A-E], term \d+\. Click, tap or press Enter to read what it carries\.$`).MatchString(title) {
		t.Errorf("the message's tooltip is %q", title)
	}
	switchToChinese(p)
	p.Eval(hover, &title)
	if title == "" || regexp.MustCompile(`Click`).MatchString(title) {
		t.Errorf("after switching to 中文 the tooltip is %q", title)
	}
}

// The controls come before the cluster (they are built while the wasm
// compiles): used then, each says the cluster is still starting, nothing
// throws, and the page starts normally once the wasm is in.
func TestPageControlsBeforeReady(t *testing.T) {
	needBrowser(t)
	inner := site.New(os.DirFS(DistDir(t)))
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			select { // hold the wasm back until the test has used the controls
			case <-release:
			case <-time.After(20 * time.Second):
			}
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)

	p := Open(t, srv.URL+"/index.html#speed=10")
	p.WaitFor(`document.querySelector(".rs-loading") && !document.querySelector(".rs-loading").hidden`, 10*time.Second)
	// while the wasm is on its way the starting picture shows, asked for a
	// moment after the controls (ui/main.js startPictureDelay)
	p.WaitFor(`document.querySelector(".rs-picture .rs-first-paint img")?.complete === true`, 10*time.Second)
	p.Screenshot("starting")
	for _, sel := range []string{".rs-step", ".rs-play", ".rs-part-btn", ".rs-heal-btn", ".rs-add-btn", ".rs-reset", ".rs-share", ".rs-redo", ".rs-tut-btn"} {
		p.Click(sel)
	}
	p.Type(".rs-req-input", "SET 5")
	p.Press("Enter")
	for _, k := range []string{" ", ".", "r", "h", "s", "g", "End", "ArrowLeft"} {
		p.Press(k)
	}
	var hint string
	p.Eval(`document.querySelector(".rs-hint").textContent`, &hint)
	if hint != "The cluster is still starting: try again in a moment." {
		t.Errorf("the hint after using the controls early: %q", hint)
	}
	free()
	p.WaitFor(`window.sandbox && document.querySelector(".rs-loading").hidden`, 20*time.Second)
	if p.Within(`document.querySelector(".rs-first-paint") !== null`, 0) {
		t.Error("the starting picture is still there after the cluster was drawn")
	}
	waitLeader(p)
	assertSafe(p)
}

// Clicking a message in flight shows what it carries and changes nothing;
// dropping it is the popover's button (or D): it leaves the picture and the
// network, the run records the drop, and the page says so.
func TestPageMessagePopover(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "nodes=5&seed=1&paused=1")
	// (the test finds the message with sb.message, which only reads)
	findAppend := `window.sandbox.state().messages.find((m) => m.type === "AppendEntries" && m.entries > 0 && window.sandbox.message(m.id).log.some((e) => e.command === "SET x 5"))`
	waitForAppend := `!!` + findAppend
	// a leader, then a request: step (the button) until its append is on its way
	p.WaitFor(`(() => { document.querySelector(".rs-step").click(); return !!window.sandbox.state().leader; })()`, 20*time.Second)
	sendRequest(p, "SET 5")
	p.WaitFor(`(() => { if (!(`+waitForAppend+`)) document.querySelector(".rs-step").click(); return `+waitForAppend+`; })()`, 20*time.Second)
	var id int
	p.Eval(findAppend+`.id`, &id)
	sel := fmt.Sprintf(`.rs-msg [data-msg="%d"]`, id)
	p.WaitFor(fmt.Sprintf(`!!document.querySelector('%s')`, sel), 5*time.Second)
	// the dot is drawn on its way: near the line between its two nodes
	var off float64
	p.Eval(fmt.Sprintf(`(() => {
		const m = window.sandbox.state().messages.find((m) => m.id === %d);
		const c = (el) => { const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
		const [px, py] = c(document.querySelector('.rs-msg [data-msg="%d"] .rs-msg-shape'));
		const [ax, ay] = c(document.querySelector('[data-node="' + m.from + '"] .rs-body'));
		const [bx, by] = c(document.querySelector('[data-node="' + m.to + '"] .rs-body'));
		const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy);
		const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (len * len)));
		return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
	})()`, id, id), &off)
	if off > 20 {
		t.Errorf("message %d is drawn %.0f px off the line between its nodes", id, off)
	}
	var before string
	p.Eval(`JSON.stringify([window.sandbox.state(), window.sandbox.actions()])`, &before)
	p.Click(sel) // a real click, where the dot is drawn
	p.WaitFor(`!document.querySelector(".rs-msgpop").hidden`, 5*time.Second)
	var pop struct {
		Text    string `json:"text"`
		Entries string `json:"entries"`
		Visible bool   `json:"visible"`
	}
	readPop := `(() => { const e = document.querySelector(".rs-msgpop"); const r = e.getBoundingClientRect();
		return { text: e.innerText, entries: [...e.querySelectorAll(".rs-msgpop-log li")].map((li) => li.textContent).join("|"), visible: r.width > 0 && r.height > 0 }; })()`
	p.Eval(readPop, &pop)
	if !pop.Visible || !strings.Contains(pop.Entries, "SET x 5") || !strings.Contains(pop.Text, "Previous entry") || !strings.Contains(pop.Text, "commit index") {
		t.Errorf("the popover of append %d does not show its entries, previous entry and commit index: %+v", id, pop)
	}
	p.Screenshot("message-popover")
	p.Press("Escape")
	p.WaitFor(`document.querySelector(".rs-msgpop").hidden`, 5*time.Second)
	var after string
	p.Eval(`JSON.stringify([window.sandbox.state(), window.sandbox.actions()])`, &after)
	if after != before {
		t.Fatalf("reading message %d changed the run:\nbefore %s\nafter  %s", id, clip(before), clip(after))
	}
	// hovering shows it too (and changes nothing); the Drop button drops it
	p.Eval(fmt.Sprintf(`document.querySelector('%s').dispatchEvent(new PointerEvent("pointerover", { bubbles: true }))`, sel), nil)
	p.WaitFor(`!document.querySelector(".rs-msgpop").hidden`, 5*time.Second)
	p.Click(`.rs-msgpop-drop`)
	p.WaitFor(fmt.Sprintf(`!window.sandbox.state().messages.some((m) => m.id === %d)`, id), 5*time.Second)
	p.WaitFor(fmt.Sprintf(`!document.querySelector('%s')`, sel), 5*time.Second)
	var dropped bool
	p.Eval(fmt.Sprintf(`window.sandbox.actions().some((a) => a.kind === "drop" && a.args[0] === "%d")`, id), &dropped)
	if !dropped {
		t.Errorf("the Drop button recorded no drop of message %d: %s", id, clip(after))
	}
	// announced (the aria-live region speaks at most every 2 s)
	p.WaitFor(`document.querySelector(".rs-sr").textContent.includes("Message dropped")`, 5*time.Second)
	// the inspector of a node that refused a vote says so (or the refusal
	// it got since), and why
	var refuser string
	p.Eval(`(window.sandbox.events(0).find((e) => e.key === "vote-rejected" && e.why) || {}).peer || ""`, &refuser)
	if refuser == "" {
		t.Fatal("the election had no refused vote to look at (seed 1 has one)")
	}
	p.Click(fmt.Sprintf(`[data-node="%s"]`, refuser))
	p.WaitFor(`!document.querySelector(".rs-insp-refusal").hidden`, 5*time.Second)
	var refusal string
	p.Eval(`document.querySelector(".rs-insp-refusal").textContent`, &refusal)
	// (the latest refusal it gave or got)
	if !regexp.MustCompile(`^[\d.]+ s: (` + refuser + ` refused to vote for [A-E]|[A-E] refused to vote for ` + refuser + `) in term \d+: .+`).MatchString(refusal) {
		t.Errorf("the inspector of %s says %q, want its latest refusal and why", refuser, refusal)
	}
	p.Press("Escape")
	// the keyboard: focus a message (Tab reaches it), D drops it
	stepUntilMessage(p)
	var next int
	p.Eval(`Number(document.querySelector(".rs-msg [data-msg]").dataset.msg)`, &next)
	p.Focus(fmt.Sprintf(`.rs-msg [data-msg="%d"]`, next))
	p.WaitFor(`!document.querySelector(".rs-msgpop").hidden`, 5*time.Second)
	p.Press("d")
	p.WaitFor(fmt.Sprintf(`window.sandbox.actions().some((a) => a.kind === "drop" && a.args[0] === "%d")`, next), 5*time.Second)
	assertSafe(p)
}

// TestPageLogSlots: a log row's empty slots after its last cell are one
// patterned rect (logview.js), not a rect each: at the start the logs have
// no cell at all; later each row has a cell per entry shown and the rect
// starts after the last; a rolled-back entry keeps its cell (a ghost).
func TestPageLogSlots(t *testing.T) {
	h := Start(t)
	type row struct {
		ID            string
		Cells, Ghosts int
		RestX, RestW  float64
		RestShown     bool
		Entries       int
	}
	const rowsJS = `(() => {
	  const st = window.sandbox.state();
	  const svg = document.querySelector(".rs-logs");
	  const cols = svg.querySelectorAll(".rs-log-head text").length;
	  return { cols, pattern: !!svg.querySelector("defs pattern .rs-cell.empty"), rows: [...svg.querySelectorAll(".rs-log-row")].filter((g) => g.getAttribute("display") !== "none").map((g) => {
	    const id = g.querySelector(".rs-log-id").textContent;
	    const rest = g.querySelector(".rs-log-rest");
	    const n = st.nodes.find((x) => x.id === id);
	    return { id, cells: [...g.querySelectorAll(".rs-cell")].filter((c) => !c.classList.contains("gone")).length,
	      ghosts: g.querySelectorAll(".rs-cell.rolledback").length,
	      restX: Number(rest.getAttribute("x")), restW: Number(rest.getAttribute("width")), restShown: rest.getAttribute("display") !== "none",
	      entries: n.log.length };
	  }) };
	})()`
	var got struct {
		Cols    int
		Pattern bool
		Rows    []row
	}
	p := openPage(t, h, "seed=1&paused=1")
	p.Eval(rowsJS, &got)
	if !got.Pattern || got.Cols < 4 || len(got.Rows) != 5 {
		t.Fatalf("the log view: pattern %v, %d columns, %d rows; want the empty slot's pattern, at least 4 columns, 5 rows", got.Pattern, got.Cols, len(got.Rows))
	}
	for _, r := range got.Rows {
		if r.Cells != 0 || r.RestX != 50 || r.RestW != float64(got.Cols*41) || !r.RestShown {
			t.Errorf("empty log %s: %d cells, slots rect at x=%v width %v (shown %v); want no cell and one rect at 50 of %d", r.ID, r.Cells, r.RestX, r.RestW, r.RestShown, got.Cols*41)
		}
	}
	p.Eval(`(() => { const sb = window.sandbox; sb.advance(1500); sb.request("SET x 1"); sb.request("SET y 2"); sb.advance(400); return 1; })()`, nil)
	p.Click(".rs-step")
	p.WaitFor(`window.sandbox.state().nodes.every((n) => n.log.length >= 3)`, 5*time.Second)
	p.Click(".rs-step")
	p.Eval(rowsJS, &got)
	for _, r := range got.Rows {
		if r.Entries < 3 || r.Cells != r.Entries || r.RestX != float64(50+r.Entries*41) || r.RestW != float64((got.Cols-r.Entries)*41) {
			t.Errorf("log %s with %d entries: %d cells, slots rect at x=%v width %v; want a cell per entry and the rect at %d", r.ID, r.Entries, r.Cells, r.RestX, r.RestW, 50+r.Entries*41)
		}
	}
	p.Close()

	// the partition chapter: A and B roll back SET 8 at index 2
	p = openPage(t, h, "scenario=partition&paused=1")
	// (the view marks an entry rolled back once it has drawn it: a frame
	// while A and B hold SET 8, then the heal)
	p.Eval(`(() => { window.sandbox.advance(1300); return 1; })()`, nil)
	p.Click(".rs-step")
	p.WaitFor(`document.querySelectorAll(".rs-logs .rs-cell.uncommitted").length >= 2`, 5*time.Second)
	p.Eval(`(() => { window.sandbox.advance(2700); return 1; })()`, nil)
	p.Click(".rs-step")
	p.WaitFor(`document.querySelectorAll(".rs-logs .rs-cell.rolledback").length >= 2`, 5*time.Second)
	p.Eval(rowsJS, &got)
	for _, r := range got.Rows {
		wantGhost := r.ID == "A" || r.ID == "B"
		if (r.Ghosts > 0) != wantGhost || r.Cells != r.Entries {
			t.Errorf("after the partition, log %s: %d ghosts, %d cells for %d entries; want ghosts only on A and B, a cell per entry", r.ID, r.Ghosts, r.Cells, r.Entries)
		}
	}
}

// TestPageBuiltWhenNeeded: the settings' fields and the legend's items are
// hidden until opened, so they are made when the page is first idle or when
// opened, not for the first frame (settings.js build, controls.js
// buildLegend); what the settings were told before is shown once they are.
func TestPageBuiltWhenNeeded(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=1&paused=1&lang=zh")
	// a second Settings of the page's app, opened before the page is idle
	// (its constructor and the opening in one script: no idle moment
	// between them); the app's own export buttons are put back after
	var got struct {
		BuiltAtFirst bool
		Fields       int
		Seed, Nodes  string
		PreVote      bool
		Bug          string
		About        string
		Title        string
	}
	p.Eval(`(() => {
	  const app = window.__app, keep = [app.exportJsonBtn, app.exportGoBtn];
	  const s = new app.settings.constructor(app);
	  const builtAtFirst = s.built || s.el.querySelector("input") !== null;
	  s.sync({ seed: 7, preVote: true, latencyMs: [20, 40] }, {}, 3);
	  s.showBug("ackBeforeDurable");
	  s.el.id = "";
	  document.body.append(s.el);
	  s.el.showPopover(); // beforetoggle builds it
	  const r = { builtAtFirst, fields: s.el.querySelectorAll("input").length, seed: s.seed.input.value, nodes: s.nodes.input.value,
	    preVote: s.preVote.input.checked, bug: s.el.querySelector(".rs-bug-select").value,
	    about: [...s.el.querySelectorAll(".rs-bug-about")].filter((e) => !e.hidden).map((e) => e.dataset.bug).join(),
	    title: s.el.querySelector(".rs-bug-set legend").textContent };
	  s.el.hidePopover();
	  s.el.remove();
	  [app.exportJsonBtn, app.exportGoBtn] = keep;
	  return r;
	})()`, &got)
	if got.BuiltAtFirst || got.Fields < 7 || got.Seed != "7" || got.Nodes != "3" || !got.PreVote || got.Bug != "ackBeforeDurable" || got.About != "ackBeforeDurable" {
		t.Errorf("settings opened before the page was idle: %+v; want no fields until opened, then 7 of them showing seed 7, 3 nodes, pre-vote on and ackBeforeDurable explained", got)
	}
	if !regexp.MustCompile(`\p{Han}`).MatchString(got.Title) {
		t.Errorf("the settings built later are not in the page's language: %q", got.Title)
	}

	// the legend: filled when the page is idle; emptied again (standing for
	// a page not yet idle), filled by the summary's click, in Chinese
	const items = `document.querySelectorAll(".rs-legend li").length`
	p.WaitFor(items+` >= 15`, 5*time.Second)
	p.Eval(`document.querySelector(".rs-legend ul").replaceChildren()`, nil)
	p.Click(".rs-legend summary")
	var legend struct {
		Open  bool
		Items int
		Text  string
	}
	p.Eval(`({ open: document.querySelector(".rs-legend").open, items: `+items+`, text: document.querySelector(".rs-legend ul").textContent })`, &legend)
	if !legend.Open || legend.Items < 15 || !strings.Contains(legend.Text, "领导者") {
		t.Errorf("the legend opened: %+v; want it open with its items, in Chinese", legend)
	}
}
