//go:build !js

package e2e

// Accessibility: axe-core's WCAG 2.0/2.1 A and AA rules on every view a
// person meets (TestAccessibilityAxe), and the names a screen reader gets
// for the cluster picture, read from Chromium's accessibility tree
// (TestAccessibilityTree). docs/page.md "For everyone" describes both.

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

// axeExceptions are the axe-core rules the page knowingly breaks, each with
// its reason. Every one must also be written in docs/page.md's
// accessibility section. None today: keep it that way.
var axeExceptions = map[string]string{}

// axeCheck runs axe-core on the page as it is and fails the test for every
// rule broken that is not an exception. It logs one line per view: these
// lines are the accessibility report.
func axeCheck(t *testing.T, p *Page, view string) {
	t.Helper()
	t0 := time.Now()
	vs := p.Axe()
	took := time.Since(t0)
	var bad []string
	excused := 0
	for _, v := range vs {
		if _, ok := axeExceptions[v.ID]; ok {
			excused++
			continue
		}
		bad = append(bad, v.String())
	}
	t.Logf("axe %-34s %d violation(s)%s (%.1f s)", view+":", len(bad), map[bool]string{true: fmt.Sprintf(" (%d excused)", excused), false: ""}[excused > 0], took.Seconds())
	if len(bad) > 0 {
		p.Screenshot("axe-" + view)
		t.Errorf("axe-core (WCAG 2.1 A/AA) on %s:\n  %s", view, strings.Join(bad, "\n  "))
	}
}

// pauseApp stops the page's run (through the app, so that any control
// layout works) and waits until it has stopped.
func pauseApp(p *Page) {
	p.t.Helper()
	p.Eval(`window.__app.setRunning(false)`, nil)
	p.WaitFor(`window.__app.running === false`, 5*time.Second)
}

// TestAccessibilityAxe holds every view a person meets to WCAG 2.1 A and AA
// as axe-core checks it: the main page (light and dark, English and
// Chinese, phone width) with the inspector, the message popover and each
// dialog open (and the client's view and the bug hunt; their findings in
// TestPageBugHunt), every tutorial chapter in
// both languages, the embed with each controls value and the custom
// element. One page per group keeps it quick.
func TestAccessibilityAxe(t *testing.T) {
	h := Start(t)
	if _, err := axeScript(); err != nil {
		t.Fatal(err)
	}

	t.Run("main", func(t *testing.T) {
		p := openPage(t, h, "seed=1&speed=10&lang=en")
		p.ColorScheme("light")
		waitLeader(p)
		sendRequest(p, "SET 5")
		p.WaitFor(`window.sandbox.state().requests.some(r => r.status === "committed")`, 10*time.Second)
		// enough narration to scroll, then a paused picture with messages in flight
		p.WaitFor(`document.querySelector(".rs-narration").scrollHeight > document.querySelector(".rs-narration").clientHeight`, 20*time.Second)
		pauseApp(p)
		stepUntilMessage(p)
		// the client's view (checked by the lab's worker) and the bug hunt
		// open, in every view below
		p.Eval(`document.querySelector(".rs-cv summary").click(), document.querySelector(".rs-hunt summary").click()`, nil)
		p.WaitFor(`document.querySelector(".rs-cv-verdict.ok") && document.querySelector(".rs-cv-op")`, 20*time.Second)
		var leader string
		p.Eval(`window.sandbox.state().leader`, &leader)
		// the page in each theme and language; the inspector and the
		// dialogs (the same colours and words) in two of the four
		views := func(theme, lang string, dialogs bool) {
			t.Helper()
			setTheme(p, theme)
			axeCheck(t, p, "main "+theme+" "+lang)
			if !dialogs {
				return
			}

			p.Click(fmt.Sprintf(`[data-node=%q]`, leader))
			p.WaitFor(`!document.querySelector(".rs-insp-body").hidden`, 5*time.Second)
			axeCheck(t, p, "inspector "+theme+" "+lang)
			p.Eval(`window.__app.selected = null, window.__app.refresh()`, nil)

			// a message's popover (a message is in flight: the run is paused on one)
			p.Click(`.rs-msg [data-msg]`)
			p.WaitFor(`!document.querySelector(".rs-picture > .rs-msgpop").hidden`, 5*time.Second)
			axeCheck(t, p, "message popover "+theme+" "+lang)
			p.Eval(`window.__app.msgPop.close(false)`, nil)

			p.Click(`.rs-settings-btn`)
			p.WaitFor(`document.querySelector("#rs-settings").matches(":popover-open")`, 5*time.Second)
			axeCheck(t, p, "settings "+theme+" "+lang)
			p.Eval(`document.querySelector("#rs-settings").hidePopover()`, nil)

			p.Click(`.rs-share`)
			p.WaitFor(`document.querySelector(".rs-share-dlg").open`, 5*time.Second)
			axeCheck(t, p, "share "+theme+" "+lang)
			p.Eval(`document.querySelector(".rs-share-dlg").close()`, nil)

			p.Click(`.rs-help-btn`)
			p.WaitFor(`document.querySelector(".rs-help").open`, 5*time.Second)
			axeCheck(t, p, "help "+theme+" "+lang)
			p.Eval(`document.querySelector(".rs-help").close()`, nil)
		}
		views("light", "en", true)
		views("dark", "en", false)
		switchToChinese(p)
		views("dark", "zh", true)
		views("light", "zh", false)

		p.Resize(390, 844)
		p.WaitFor(`window.innerWidth === 390`, 5*time.Second)
		axeCheck(t, p, "phone light zh")
		setTheme(p, "dark")
		axeCheck(t, p, "phone dark zh")
	})

	t.Run("tutorial", func(t *testing.T) {
		p := h.Page(t, "/index.html#tutorial=1&lang=en")
		p.ColorScheme("light")
		p.WaitFor(`window.sandbox && window.__app && !document.querySelector(".rs-tutorial").hidden`, 10*time.Second)
		for _, lang := range []string{"en", "zh"} {
			if lang == "zh" {
				switchToChinese(p)
			}
			for ch := 1; ch <= 7; ch++ {
				p.Eval(fmt.Sprintf(`window.__app.tutorial.open(%d).then(() => window.__app.setRunning(false))`, ch-1), nil)
				p.WaitFor(fmt.Sprintf(`window.__app.tutorial.chapter === %d && !window.__app.running && !window.__app.busy`, ch-1), 10*time.Second)
				axeCheck(t, p, fmt.Sprintf("tutorial %d %s", ch, lang))
			}
		}
	})

	t.Run("embed", func(t *testing.T) {
		var p *Page
		for i, controls := range []string{"full", "minimal", "none"} {
			// a new document each time (a changed fragment alone would not reload)
			// a scenario told beat by beat: its caption under the picture
			// (compact with minimal, none with none)
			url := fmt.Sprintf("/embed.html?v=%d#scenario=leader-crash&speed=10&controls=%s", i, controls)
			if p == nil {
				p = h.Page(t, url)
				p.ColorScheme("light")
			} else {
				p.Navigate(h.URL + url)
			}
			p.WaitFor(`window.sandbox && window.__app && window.sandbox.state().leader`, 10*time.Second)
			if controls != "none" {
				p.WaitFor(`!document.querySelector(".rs-caption").hidden && document.querySelector(".rs-caption-text").textContent !== ""`, 10*time.Second)
			}
			pauseApp(p)
			axeCheck(t, p, "embed controls="+controls)
		}
		// the custom element, in its shadow root (two on one page)
		p.Navigate(h.URL + "/examples.html")
		// (scrolled to again at each poll: until the elements above it have
		// started, their pictures and then their sandboxes move it down)
		p.WaitFor(`(document.getElementById("second").scrollIntoView(), document.getElementById("second").sandbox)`, 20*time.Second)
		p.Eval(`document.getElementById("first").scrollIntoView()`, nil)
		p.WaitFor(`document.getElementById("first").sandbox && document.getElementById("first").sandbox.state().leader`, 10*time.Second)
		p.Eval(`["first", "second"].forEach(id => document.getElementById(id).app.setRunning(false))`, nil)
		axeCheck(t, p, "<raft-sandbox> elements")
	})

	// every exception is written down, with its reason, in docs/page.md
	doc, err := os.ReadFile(filepath.Join(Root, "docs", "page.md"))
	if err != nil {
		t.Fatal(err)
	}
	for rule := range axeExceptions {
		if !strings.Contains(string(doc), "`"+rule+"`") {
			t.Errorf("axe rule %s is excused in the test but not explained in docs/page.md", rule)
		}
	}
}

// axState is the part of sandbox.state() the accessible names tell.
type axState struct {
	Nodes []struct {
		ID          string   `json:"id"`
		Role        string   `json:"role"`
		Up          bool     `json:"up"`
		Term        int      `json:"term"`
		VotedFor    *string  `json:"votedFor"`
		Lead        *string  `json:"lead"`
		Votes       []string `json:"votes"`
		Voters      []string `json:"voters"`
		CommitIndex int      `json:"commitIndex"`
		Progress    []struct {
			ID    string `json:"id"`
			Match int    `json:"match"`
			Next  int    `json:"next"`
		} `json:"progress"`
		SnapshotIndex int `json:"snapshotIndex"`
		Log           []struct {
			Index   int    `json:"index"`
			Term    int    `json:"term"`
			Command string `json:"command"`
		} `json:"log"`
	} `json:"nodes"`
	Messages []struct {
		From    string `json:"from"`
		To      string `json:"to"`
		Type    string `json:"type"`
		Term    int    `json:"term"`
		Entries int    `json:"entries"`
		Reject  bool   `json:"reject"`
		Held    bool   `json:"held"`
	} `json:"messages"`
}

// axWords: how the names are worded, by language (web/i18n a11y.*, kind.*).
var axWords = map[string]struct {
	follower, followerOf, candidate, leader, down, notVoted, self, votedFor string
	msg, entries, entry, granted, rejected, held                            string
	committed, uncommitted, noop, row, rowProgress, commit, nothing         string
	kinds                                                                   map[string]string
}{
	"en": {
		follower: "%s, follower, term %d, %s", followerOf: "%s, follower of %s, term %d, %s",
		candidate: "%s, candidate, term %d, %s, %d of %d votes", leader: "%s, leader, term %d", down: "%s, crashed, term %d",
		notVoted: "has not voted", self: "voted for itself", votedFor: "voted for %s",
		msg: "%s from %s to %s, term %d", entries: ", %d entries", entry: ", 1 entry", granted: ", granted", rejected: ", rejected", held: ", held",
		committed: "%s, entry %d, term %d, %s, committed", uncommitted: "%s, entry %d, term %d, %s, not committed", noop: "no-op",
		row: "%s's log, %s", rowProgress: "%s's log, %s; the leader knows it stores up to %d and sends %d next",
		commit: "committed up to %d", nothing: "nothing committed yet",
		kinds: map[string]string{"vote": "Vote request", "prevote": "Pre-vote request", "vote-resp": "Vote reply", "append": "Entries (AppendEntries)",
			"heartbeat": "Heartbeat", "append-resp": "Append reply", "snapshot": "Snapshot", "timeoutnow": "Time out now"},
	},
	"zh": {
		follower: "%s，跟随者，任期 %d，%s", followerOf: "%s，%s 的跟随者，任期 %d，%s",
		candidate: "%s，候选人，任期 %d，%s，得到 %d 票，需要 %d 票", leader: "%s，领导者，任期 %d", down: "%s，已宕机，任期 %d",
		notVoted: "尚未投票", self: "投给了自己", votedFor: "投给了 %s",
		msg: "%s，从 %s 到 %s，任期 %d", entries: "，%d 个条目", entry: "，1 个条目", granted: "，同意", rejected: "，拒绝", held: "，被扣留",
		committed: "%s，条目 %d，任期 %d，%s，已提交", uncommitted: "%s，条目 %d，任期 %d，%s，未提交", noop: "空操作",
		row: "%s 的日志，%s", rowProgress: "%s 的日志，%s；领导者知道它存到了 %d，下一个发送 %d",
		commit: "已提交到 %d", nothing: "尚无已提交的条目",
		kinds: map[string]string{"vote": "请求投票", "prevote": "预投票请求", "vote-resp": "投票回复", "append": "日志条目（AppendEntries）",
			"heartbeat": "心跳", "append-resp": "追加回复", "snapshot": "快照", "timeoutnow": "立即超时"},
	},
}

// axKind is the picture's kind of a core message type (web/ui/messages.js).
func axKind(typ string, entries int) string {
	switch typ {
	case "RequestVote":
		return "vote"
	case "PreVote":
		return "prevote"
	case "RequestVoteResp", "PreVoteResp":
		return "vote-resp"
	case "AppendEntries":
		if entries > 0 {
			return "append"
		}
		return "heartbeat"
	case "Heartbeat":
		return "heartbeat"
	case "AppendEntriesResp", "HeartbeatResp":
		return "append-resp"
	case "InstallSnapshot":
		return "snapshot"
	case "TimeoutNow":
		return "timeoutnow"
	}
	return "other"
}

// axExpected returns the names the page must give, by role in the
// accessibility tree: each node a button (and each message in flight: it
// opens its popover), each log entry on screen (indexes from..to) an image,
// each node's log row a group.
func axExpected(st axState, lang string, from, to int) (buttons, images, rows []string) {
	w := axWords[lang]
	progress := map[string][2]int{}
	for _, n := range st.Nodes {
		if n.Up && n.Role == "leader" {
			for _, p := range n.Progress {
				progress[p.ID] = [2]int{p.Match, p.Next}
			}
		}
	}
	for _, n := range st.Nodes {
		committed := w.nothing
		if n.CommitIndex > 0 {
			committed = fmt.Sprintf(w.commit, n.CommitIndex)
		}
		if p, ok := progress[n.ID]; ok && !(n.Up && n.Role == "leader") {
			rows = append(rows, fmt.Sprintf(w.rowProgress, n.ID, committed, p[0], p[1]))
		} else {
			rows = append(rows, fmt.Sprintf(w.row, n.ID, committed))
		}
		vote := w.notVoted
		if n.VotedFor != nil && *n.VotedFor == n.ID {
			vote = w.self
		} else if n.VotedFor != nil && *n.VotedFor != "" {
			vote = fmt.Sprintf(w.votedFor, *n.VotedFor)
		}
		var name string
		switch {
		case !n.Up:
			name = fmt.Sprintf(w.down, n.ID, n.Term)
		case n.Role == "leader":
			name = fmt.Sprintf(w.leader, n.ID, n.Term)
		case n.Role == "candidate":
			voters := len(n.Voters)
			if voters == 0 {
				voters = len(st.Nodes)
			}
			name = fmt.Sprintf(w.candidate, n.ID, n.Term, vote, len(n.Votes), voters/2+1)
		case n.Lead != nil && *n.Lead != "" && *n.Lead != n.ID:
			name = fmt.Sprintf(w.followerOf, n.ID, *n.Lead, n.Term, vote)
		default:
			name = fmt.Sprintf(w.follower, n.ID, n.Term, vote)
		}
		buttons = append(buttons, name)
		for _, e := range n.Log {
			if e.Index < from || e.Index > to {
				continue
			}
			cmd := e.Command
			if cmd == "" {
				cmd = w.noop
			}
			form := w.uncommitted
			if e.Index <= n.CommitIndex {
				form = w.committed
			}
			images = append(images, fmt.Sprintf(form, n.ID, e.Index, e.Term, cmd))
		}
	}
	for _, m := range st.Messages {
		kind := axKind(m.Type, m.Entries)
		name := fmt.Sprintf(w.msg, w.kinds[kind], m.From, m.To, m.Term)
		if kind == "append" && m.Entries == 1 {
			name += w.entry
		} else if kind == "append" {
			name += fmt.Sprintf(w.entries, m.Entries)
		}
		if kind == "vote-resp" && !m.Reject {
			name += w.granted
		} else if m.Reject {
			name += w.rejected
		}
		if m.Held {
			name += w.held
		}
		images = append(images, name)
	}
	sort.Strings(buttons)
	sort.Strings(images)
	sort.Strings(rows)
	return buttons, images, rows
}

// checkAXNames reads Chromium's accessibility tree of the paused page and
// checks that every node, message in flight, log row and log entry on
// screen is there with the name sandbox.state() calls for, and nothing more (no stale
// name of a message that has left). withEntries: the logs hold entries.
func checkAXNames(t *testing.T, p *Page, lang, when string, withEntries bool) {
	t.Helper()
	var view struct {
		State axState `json:"state"`
		First int     `json:"first"`
		Cols  int     `json:"cols"`
	}
	p.Eval(`(() => { const st = window.sandbox.state(); const cols = window.__app.logs.cols;
		const last = Math.max(0, ...st.nodes.map(n => n.log.length ? n.log[n.log.length - 1].index : n.snapshotIndex || 0));
		return { state: st, cols, first: Math.max(1, last - cols + 1) }; })()`, &view)
	wantButtons, wantImages, wantRows := axExpected(view.State, lang, view.First, view.First+view.Cols-1)
	var gotButtons, gotImages, gotRows []string
	rowOf := map[string]string{"en": "'s log", "zh": " 的日志"}[lang]
	ids := map[string]bool{}
	for _, n := range view.State.Nodes {
		ids[n.ID] = true
	}
	for _, n := range p.AXTree() {
		if n.Ignored {
			continue
		}
		id, _, _ := strings.Cut(n.Name, map[string]string{"en": ",", "zh": "，"}[lang])
		switch {
		case n.Role == "button" && ids[id]:
			gotButtons = append(gotButtons, n.Name)
		case n.Role == "image" && ids[id]: // a log entry
			gotImages = append(gotImages, n.Name)
		case n.Role == "group" && strings.Contains(n.Name, rowOf): // a log row
			gotRows = append(gotRows, n.Name)
		case n.Role == "button" && strings.Contains(n.Name, map[string]string{"en": " from ", "zh": "，从 "}[lang]): // a message (it opens its popover)
			gotImages = append(gotImages, n.Name)
		}
	}
	sort.Strings(gotButtons)
	sort.Strings(gotImages)
	sort.Strings(gotRows)
	if len(wantButtons) != 5 || len(view.State.Messages) == 0 || withEntries != (len(wantImages) > len(view.State.Messages)) {
		t.Fatalf("%s: the test wants 5 nodes, messages in flight and log entries: %d nodes, %d messages, %d images", when, len(wantButtons), len(view.State.Messages), len(wantImages))
	}
	if d := diffNames(wantButtons, gotButtons); d != "" {
		t.Errorf("%s (%s): the nodes' names in the accessibility tree differ from sandbox.state():\n%s", when, lang, d)
	}
	if d := diffNames(wantRows, gotRows); d != "" {
		t.Errorf("%s (%s): the log rows' names in the accessibility tree differ from sandbox.state():\n%s", when, lang, d)
	}
	if d := diffNames(wantImages, gotImages); d != "" {
		t.Errorf("%s (%s): the messages' and log entries' names in the accessibility tree differ from sandbox.state():\n%s", when, lang, d)
	}
	t.Logf("%s (%s): %d messages and log entries named, e.g. %q; the nodes: %q; the rows: %q", when, lang, len(gotImages), gotImages[0], gotButtons, gotRows)
}

// diffNames lists the names wanted but missing and those present but not
// wanted (both sorted).
func diffNames(want, got []string) string {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	var b strings.Builder
	for _, w := range want {
		if count[w] > 0 {
			fmt.Fprintf(&b, "  missing: %q\n", w)
			count[w]--
		}
	}
	for _, g := range got {
		if count[g] < 0 {
			fmt.Fprintf(&b, "  unexpected: %q\n", g)
			count[g]++
		}
	}
	return b.String()
}

// TestAccessibilityTree is a screen reader's pass over the picture: in
// Chromium's accessibility tree of a paused 5-node cluster every node is a
// button named with its role, term, vote and votes ("B, candidate, term 1,
// voted for itself, 1 of 3 votes"), every message in flight a button (it
// opens the message's popover) and every log entry on screen an image, each
// named with what it is, all as sandbox.state()
// says, in English and in Chinese. While the run plays, the messages (each
// a frame or two long at speed) are hidden from assistive technology.
func TestAccessibilityTree(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#seed=1&paused=1&lang=en")
	p.WaitFor(`window.sandbox && window.__app`, 10*time.Second)
	// an election under way: a candidate with a vote, messages in flight
	p.WaitFor(`(() => { const st = window.sandbox.state();
		if (st.nodes.some(n => n.role === "candidate" && n.votes.length >= 2) && st.messages.length > 0) return true;
		document.querySelector(".rs-step").click(); return false; })()`, 20*time.Second)
	checkAXNames(t, p, "en", "an election", false)

	// a leader, entries committed and not, a crashed follower
	p.Click(".rs-play")
	waitLeader(p)
	sendRequest(p, "SET 5")
	p.WaitFor(`window.sandbox.state().requests.some(r => r.status === "committed")`, 10*time.Second)
	var hidden bool
	p.Eval(`window.__app.running && document.querySelector(".rs-msgs").getAttribute("aria-hidden") === "true"`, &hidden)
	if !hidden {
		t.Error("while the run plays, the messages are not hidden from assistive technology")
	}
	pauseApp(p)
	var victim string
	p.Eval(`window.sandbox.state().nodes.find(n => n.role === "follower").id`, &victim)
	p.Click(fmt.Sprintf(`[data-node=%q]`, victim))
	p.Click(`.rs-act-crash`)
	p.WaitFor(fmt.Sprintf(`!window.sandbox.state().nodes.find(n => n.id === %q).up`, victim), 5*time.Second)
	sendRequest(p, "ADD 2")
	p.WaitFor(`window.sandbox.state().requests.length === 2`, 5*time.Second)
	stepUntilMessage(p)
	checkAXNames(t, p, "en", "a leader, a crashed follower, a request on its way", true)

	switchToChinese(p)
	checkAXNames(t, p, "zh", "the same in Chinese", true)
}

// TestAccessibilityLiveRegion: the live region says role changes, commits,
// crashes and the requests' answers while the run plays at 10x, coalesced,
// never more than once a second, each thing once.
func TestAccessibilityLiveRegion(t *testing.T) {
	h := Start(t)
	p := h.Page(t, "/index.html#seed=2&paused=1&speed=10&lang=en")
	p.WaitFor(`window.sandbox && window.__app`, 10*time.Second)
	p.Eval(`(() => { const live = document.querySelector(".rs-sr[aria-live]"); window.__said = [];
		new MutationObserver(() => window.__said.push({ at: performance.now(), text: live.textContent })).observe(live, { childList: true, characterData: true, subtree: true });
		return true; })()`, nil)
	p.Click(".rs-play")
	l := waitLeader(p)
	// (a person hears the news before acting on it)
	p.WaitFor(fmt.Sprintf(`window.__said.some(s => s.text.includes(%q))`, fmt.Sprintf("%s is the leader of term %d.", l.ID, l.Term)), 5*time.Second)
	p.Click(fmt.Sprintf(`[data-node=%q]`, l.ID))
	p.Click(`.rs-act-crash`)
	p.WaitFor(fmt.Sprintf(`window.sandbox.state().nodes.some(n => n.up && n.role === "leader" && n.term > %d)`, l.Term), 10*time.Second)
	p.WaitFor(`window.__said.some(s => /crashed/.test(s.text))`, 5*time.Second)
	// both requests sent while paused go out in one append and are answered
	// in the same frame: each answer must still be said
	p.Click(".rs-play")
	p.WaitFor(`window.__app.running === false`, 5*time.Second)
	sendRequest(p, "SET 5")
	sendRequest(p, "ADD 2")
	p.Click(".rs-play")
	p.WaitFor(`window.sandbox.state().requests.filter(r => r.status === "committed").length === 2`, 10*time.Second)
	p.WaitFor(`window.__said.some(s => /ADD x 2/.test(s.text))`, 5*time.Second)
	var said []struct {
		At   float64 `json:"at"`
		Text string  `json:"text"`
	}
	p.Eval(`window.__said`, &said)
	all := ""
	for i, s := range said {
		t.Logf("%7.0f ms  %s", s.At, s.Text)
		all += s.Text + "\n"
		// (the observer notes a change when its microtask runs, after the
		// rest of the task that spoke, a frame's work at most: on a busy
		// machine the first of two may be noted ~15 ms late, so the gap
		// seen is up to that much shorter than the announcer's own second)
		if i > 0 && s.At-said[i-1].At < 950 {
			t.Errorf("two announcements %.0f ms apart: %q, then %q", s.At-said[i-1].At, said[i-1].Text, s.Text)
		}
	}
	if n := strings.Count(all, "crashed"); n != 1 {
		t.Errorf("the crash was said %d times, want once", n)
	}
	for _, want := range []string{
		fmt.Sprintf(`%s is the leader of term %d\.`, l.ID, l.Term),
		`is the leader of term \d+\.`,
		fmt.Sprintf(`%s crashed`, l.ID),
		`Entr(y \d+|ies \d+ to \d+) committed\.`,
		`Done: SET x 5 5`,
		`Done: ADD x 2 7`,
	} {
		if !regexp.MustCompile(want).MatchString(all) {
			t.Errorf("the live region never said %s", want)
		}
	}
}
