//go:build !js

package e2e

// A safety violation, seen through the page: the "what if" setting switches
// on one of the core's deliberate bugs, a few clicks make the checker catch
// it, and the page pauses itself, turns the badge red with the invariant's
// name and outlines the nodes and log entries involved. Every action goes
// through the page's controls; window.sandbox is read only to decide when
// something happened and to check the outcome.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// chooseBug opens Settings and picks a "Break it (what if)" option ("" is
// none), as a person does with the select, then waits for the restarted run.
func chooseBug(p *Page, bug string) {
	p.t.Helper()
	p.Eval(`(() => { const s = document.querySelector("#rs-settings"); if (!s.matches(":popover-open")) document.querySelector(".rs-settings-btn").click(); })()`, nil)
	p.WaitFor(`document.querySelector("#rs-settings").matches(":popover-open")`, 5*time.Second)
	p.Eval(fmt.Sprintf(`(() => {
		const s = document.querySelector(".rs-bug-select");
		s.focus();
		s.value = %q;
		s.dispatchEvent(new Event("change", { bubbles: true }));
	})()`, bug), nil)
	// the run restarted with exactly that bug on (or none)
	p.WaitFor(fmt.Sprintf(`window.sandbox && Object.entries(window.sandbox.config().bugs).filter(([, on]) => on).map(([name]) => name).join() === %q`, bug), 10*time.Second)
	// the explanation shown is the chosen option's
	var about string
	p.Eval(`[...document.querySelectorAll(".rs-bug-about")].filter(e => !e.hidden).map(e => e.dataset.bug).join()`, &about)
	if about != bug {
		p.t.Errorf("the settings explain %q, want %q", about, bug)
	}
}

// closeSettings closes the settings popover with Escape.
func closeSettings(p *Page) {
	p.t.Helper()
	p.Press("Escape")
	p.WaitFor(`!document.querySelector("#rs-settings").matches(":popover-open")`, 5*time.Second)
}

type chipView struct {
	Visible bool   `json:"visible"`
	Text    string `json:"text"`
	Title   string `json:"title"`
}

func readChip(p *Page) chipView {
	p.t.Helper()
	var c chipView
	p.Eval(`(() => { const c = document.querySelector(".rs-bug-chip"); const r = c.getBoundingClientRect(); return { visible: !c.hidden && r.width > 0 && r.height > 0, text: c.textContent, title: c.title }; })()`, &c)
	return c
}

type violationView struct {
	Running    bool     `json:"running"`
	Pressed    string   `json:"pressed"`
	BadgeBad   bool     `json:"badgeBad"`
	BadgeText  string   `json:"badgeText"`
	Invariant  string   `json:"invariant"`
	Nodes      []string `json:"nodes"`
	Index      int      `json:"index"`
	BadNodes   []string `json:"badNodes"`
	BadCells   int      `json:"badCells"`
	BadCellRow []string `json:"badCellRows"`
	Error      bool     `json:"error"`
}

// readViolation reads the page (badge, play button, outlined nodes and log
// cells) and the checker's report.
func readViolation(p *Page) violationView {
	p.t.Helper()
	var v violationView
	p.Eval(`(() => {
		const b = document.querySelector(".rs-badge");
		const inv = window.sandbox.state().invariants;
		const first = inv.violations[0] || {};
		const cells = [...document.querySelectorAll(".rs-log-row .rs-cell.bad")].filter(c => c.closest(".rs-log-row").getAttribute("display") !== "none");
		return {
			running: window.__app.running,
			pressed: document.querySelector(".rs-play").getAttribute("aria-pressed"),
			badgeBad: b.classList.contains("bad") && !b.classList.contains("ok"),
			badgeText: b.textContent,
			invariant: first.invariant || "",
			nodes: first.nodes || [],
			index: first.index || 0,
			badNodes: [...document.querySelectorAll(".rs-node.bad")].map(n => n.dataset.node),
			badCells: cells.length,
			badCellRows: cells.map(c => c.closest(".rs-log-row").querySelector(".rs-log-id").textContent),
			error: !document.querySelector(".rs-error").hidden,
		};
	})()`, &v)
	return v
}

// invariantName is the invariant as the page names it in English: its
// inv.* sentence in web/i18n/en.js (read there, not copied here).
func invariantName(t *testing.T, invariant string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(Root, "web", "i18n", "en.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"inv\.` + regexp.QuoteMeta(invariant) + `": "([^"]+)"`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("web/i18n/en.js has no inv.%s", invariant)
	}
	return string(m[1])
}

// checkViolation checks that the page shows the violation the checker
// reported: paused by itself, red badge naming the invariant, and the
// nodes (and, when it names an index, their log entries) outlined.
func checkViolation(t *testing.T, p *Page, invariant string, nodes []string) violationView {
	t.Helper()
	v := readViolation(p)
	if v.Running || v.Pressed != "false" {
		t.Errorf("the page did not pause itself on the violation: running=%v, play aria-pressed=%q", v.Running, v.Pressed)
	}
	if v.Invariant != invariant {
		t.Fatalf("the checker reported %q, want %q (badge %q)", v.Invariant, invariant, v.BadgeText)
	}
	if !v.BadgeBad || !strings.Contains(v.BadgeText, invariantName(t, invariant)) {
		t.Errorf("the badge is not red with the invariant's name: bad=%v text=%q", v.BadgeBad, v.BadgeText)
	}
	sort.Strings(v.Nodes)
	sort.Strings(v.BadNodes)
	sort.Strings(nodes)
	if strings.Join(v.Nodes, ",") != strings.Join(nodes, ",") {
		t.Errorf("the violation names nodes %v, want %v", v.Nodes, nodes)
	}
	if strings.Join(v.BadNodes, ",") != strings.Join(v.Nodes, ",") {
		t.Errorf("outlined nodes %v, want the nodes involved %v", v.BadNodes, v.Nodes)
	}
	if v.Error {
		t.Errorf("the page shows an error box next to the violation")
	}
	// the status line says how to go on
	var hint string
	p.Eval(`document.querySelector(".rs-hint").textContent`, &hint)
	if !strings.Contains(hint, "rewind or reset") {
		t.Errorf("the status line does not say the run stopped: %q", hint)
	}
	return v
}

// crashFollowerCommitRestart clicks through the run that catches
// ack-before-durable: crash a follower (from the inspector), send SET 5 and
// wait until the others applied it, then restart the follower. It returns
// the follower.
func crashFollowerCommitRestart(p *Page) string {
	p.t.Helper()
	leader := waitLeader(p)
	assertSafe(p)
	victim := ""
	for _, n := range readState(p).Nodes {
		if n.ID != leader.ID {
			victim = n.ID
		}
	}
	// The victim must hold the leader's first entry on its disk before it
	// crashes: with ack-before-durable on, an entry reaches the disk one tick
	// after it is acknowledged, and a crash in that tick loses it; the leader,
	// which counted the acknowledgement, then never sends it again (the
	// follower stays behind, no violation). Its commit index reaches 1 with
	// an append after the leader committed, and then two more ticks pass.
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().nodes.some(n => n.id === %q && n.commitIndex >= 1)`, victim), 10*time.Second)
	var since float64
	p.Eval(`window.sandbox.now`, &since)
	p.WaitFor(fmt.Sprintf(`window.sandbox.now >= %f + 2 * window.sandbox.config().tickMs`, since), 10*time.Second)
	p.Click(fmt.Sprintf(`[data-node="%s"]`, victim))
	p.WaitFor(`document.querySelector(".rs-insp .rs-act-crash") && !document.querySelector(".rs-insp .rs-act-crash").hidden`, 5*time.Second)
	// (a click computed before the page moved, as when the note of a restart
	// with a bug appears, can miss: a person would click again)
	down := fmt.Sprintf(`window.sandbox.state().nodes.some(n => n.id === %q && !n.up)`, victim)
	p.Click(`.rs-insp .rs-act-crash`)
	if !p.Within(down, 2*time.Second) {
		p.Click(`.rs-insp .rs-act-crash`)
	}
	p.WaitFor(down, 5*time.Second)
	sendRequest(p, "SET 5")
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().nodes.filter(n => n.id !== %q).every(n => n.kv.x === 5)`, victim), 10*time.Second)
	assertSafe(p)
	p.WaitFor(`!document.querySelector(".rs-insp .rs-act-restart").hidden`, 5*time.Second)
	p.Click(`.rs-insp .rs-act-restart`)
	return victim
}

// The ack-before-durable bug, chosen in Settings: a follower that was down
// while a request committed comes back, and the append that catches it up
// carries the leader's commit index, which it adopts before the entry is on
// its disk. Whatever the real-time interleaving, the order of the clicks
// decides the outcome: the entry commits while the follower is down, so the
// first append that reaches it after the restart brings it with a commit
// index covering it. The same clicks on the real Raft first: the follower
// catches up and the badge stays green.
func TestPageViolationAckBeforeDurable(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=1&speed=10")
	p.Resize(1280, 1000) // tall enough for every log row in the screenshot

	victim := crashFollowerCommitRestart(p)
	p.WaitFor(`window.sandbox.state().nodes.every(n => n.up && n.kv.x === 5)`, 10*time.Second)
	assertSafe(p)
	var running bool
	p.Eval(`window.__app.running`, &running)
	if !running {
		t.Fatalf("the real Raft stopped after %s caught up", victim)
	}

	chooseBug(p, "ackBeforeDurable")
	closeSettings(p)
	if c := readChip(p); !c.Visible || !strings.Contains(c.Text, "bug:") {
		t.Fatalf("no bug chip while the bug is on: %+v", c)
	}
	victim = crashFollowerCommitRestart(p)
	// nobody presses Pause: the page stops by itself
	p.WaitFor(`window.__app.running === false && !window.sandbox.state().invariants.ok`, 15*time.Second)
	// the picture of the halted state is drawn by the same frame that paused
	p.WaitFor(`document.querySelector(".rs-badge").classList.contains("bad")`, 5*time.Second)
	v := checkViolation(t, p, "commit-within-durable-log", []string{victim})
	if v.Index <= 0 || v.BadCells != 1 || len(v.BadCellRow) != 1 || v.BadCellRow[0] != victim {
		t.Errorf("want exactly one outlined log entry, in %s's row (index %d): %d cells in rows %v", victim, v.Index, v.BadCells, v.BadCellRow)
	}
	if c := readChip(p); !c.Visible {
		t.Errorf("the bug chip disappeared at the violation")
	}
	saveDocsImage(t, p, "page-violation")

	// Reset goes back to time 0 of the same run: green again, bug still on
	p.Click(`.rs-reset`)
	p.WaitFor(`window.sandbox.now === 0 && document.querySelector(".rs-badge").classList.contains("ok") && !/rewind or reset/.test(document.querySelector(".rs-hint").textContent)`, 5*time.Second)
	if c := readChip(p); !c.Visible {
		t.Errorf("Reset dropped the bug chip, but the run still has the bug")
	}
}

// A failing chaos run (forget-vote-on-restart, crashy profile, seed 11:
// `go run ./cmd/chaos -seed 11 -v -bug forget-vote-on-restart -profile
// crashy`) opened from its share string at time 0: the badge is green,
// Play replays the run, and at 97 ms two leaders of term 1 stop it.
const forgetVoteShare = "AaOcAQULBxUdCgkFBQFjCAAVBgEABgIBBQQBYYYBAAgFBgFiACgABAABBAAAAAABAAsAAgc"

func TestPageViolationFromChaosShare(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "share="+forgetVoteShare+"&at=0&speed=0.1")
	p.Resize(1280, 1000)
	p.WaitFor(`window.__app.busy === null && window.sandbox.now === 0`, 10*time.Second)
	assertSafe(p)
	if c := readChip(p); !c.Visible || !strings.Contains(c.Title, "vote") {
		t.Errorf("the shared run has the bug on, the chip should say so: %+v", c)
	}
	// (the settings' fields are built when the page is first idle, or when
	// they open: here the idle moment)
	p.WaitFor(`document.querySelector(".rs-bug-select") !== null`, 5*time.Second)
	var bugSetting string
	p.Eval(`document.querySelector(".rs-bug-select").value`, &bugSetting)
	if bugSetting != "forgetVoteOnRestart" {
		t.Errorf("the settings' bug choice is %q, want forgetVoteOnRestart", bugSetting)
	}
	p.Click(`.rs-play`)
	p.WaitFor(`window.__app.running === false && !window.sandbox.state().invariants.ok`, 20*time.Second)
	p.WaitFor(`document.querySelector(".rs-badge").classList.contains("bad")`, 5*time.Second)
	v := checkViolation(t, p, "election-safety", []string{"C", "B"})
	if v.BadCells != 0 {
		t.Errorf("election safety names no entry, yet %d log cells are outlined", v.BadCells)
	}
	var now int64
	p.Eval(`window.sandbox.now`, &now)
	if now != 97 {
		t.Errorf("stopped at %d ms, want 97 (where the chaos run failed)", now)
	}
	p.Screenshot("two-leaders")
}

// The chip is there exactly while a bug is on, follows the language, and
// the share link carries the bug to a new page.
func TestPageWhatIfChipOnAndOff(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=3&speed=10")
	if c := readChip(p); c.Visible {
		t.Fatalf("a chip without any bug: %+v", c)
	}
	chooseBug(p, "voteWithoutLogCheck")
	p.Screenshot("settings")
	c := readChip(p)
	if !c.Visible || !strings.Contains(c.Text, "bug:") || c.Title == "" {
		t.Fatalf("the chip is not shown with the bug on: %+v", c)
	}
	var hint string
	p.Eval(`document.querySelector(".rs-hint").textContent`, &hint)
	if !strings.Contains(hint, "Restarted") {
		t.Errorf("the page does not say it restarted the run: %q", hint)
	}
	closeSettings(p)
	waitLeader(p)
	p.Screenshot("chip")

	// the share link reopens the run with the bug, chip and setting included
	pause(p)
	p.Press("s")
	p.WaitFor(`document.querySelector(".rs-share-dlg").open && document.querySelector(".rs-share-link").value.includes("#share=")`, 5*time.Second)
	var link string
	p.Eval(`document.querySelector(".rs-share-link").value`, &link)
	p.Press("Escape")
	q := Open(t, link)
	q.WaitFor(`window.sandbox && window.__frameStats`, 10*time.Second)
	var shared struct {
		Bug    bool   `json:"bug"`
		Select string `json:"select"`
	}
	// the settings opened: built then if the page was not idle yet
	q.Click(".rs-settings-btn")
	q.WaitFor(`document.querySelector("#rs-settings").matches(":popover-open")`, 5*time.Second)
	q.Eval(`({ bug: window.sandbox.config().bugs.voteWithoutLogCheck, select: document.querySelector(".rs-bug-select").value })`, &shared)
	if !shared.Bug || shared.Select != "voteWithoutLogCheck" {
		t.Errorf("the share link lost the bug: %+v", shared)
	}
	if c := readChip(q); !c.Visible {
		t.Errorf("no chip on the page opened from the share link")
	}
	// in Chinese too
	switchToChinese(q)
	if c := readChip(q); !c.Visible || strings.Contains(c.Text, "bug:") || !strings.Contains(c.Text, "缺陷") {
		t.Errorf("the chip is not translated: %+v", c)
	}
	q.Close()

	// back to none: the chip goes, the run is the real Raft again
	chooseBug(p, "")
	if c := readChip(p); c.Visible {
		t.Errorf("the chip stays after switching back to none: %+v", c)
	}
	var bugs map[string]bool
	p.Eval(`window.sandbox.config().bugs`, &bugs)
	for name, on := range bugs {
		if on {
			t.Errorf("bug %s still on after choosing none", name)
		}
	}
	closeSettings(p)
	p.Click(`.rs-play`) // paused for the share link; a restart keeps that
	waitLeader(p)
	assertSafe(p)
}
