//go:build !js

package e2e

// The timeline as a real timeline: a rewind keeps the rest of the run (drawn
// as a ghost), which plays again or is replayed to the end at once; an action
// taken while rewound forks the run and discards that future. And the export
// of the run as a Go test.

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// seekTimeline drags the timeline to ms (rounded down to the input's 10 ms
// step), as a person releasing the thumb there does (the input's value, then
// its change event), and waits for the page to get there. It returns where.
func seekTimeline(p *Page, ms int64) int64 {
	p.t.Helper()
	ms -= ms % 10
	p.Eval(fmt.Sprintf(`(() => {
		const tl = document.querySelector(".rs-timeline");
		tl.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true }));
		tl.value = String(%d);
		tl.dispatchEvent(new Event("input", { bubbles: true }));
		tl.dispatchEvent(new Event("change", { bubbles: true }));
	})()`, ms), nil)
	p.WaitFor(fmt.Sprintf(`window.__app.busy === null && window.sandbox.now === %d`, ms), 10*time.Second)
	return ms
}

func allX(p *Page, x int) string {
	return fmt.Sprintf(`window.sandbox.state().nodes.every(n => n.kv.x === %d)`, x)
}

// setAndWait sends "SET x" as the run's first action, waits until every
// node has x, then until later ms have passed; it returns when the request
// was made (virtual ms).
func setAndWait(p *Page, x int, later int64) int64 {
	p.t.Helper()
	sendRequest(p, fmt.Sprintf("SET %d", x))
	p.WaitFor(allX(p, x), 10*time.Second)
	var at int64
	p.Eval(`window.sandbox.actions()[0].at`, &at)
	p.WaitFor(fmt.Sprintf(`window.sandbox.now > %d`, at+later), 10*time.Second)
	return at
}

type timelineView struct {
	Ghost       float64 `json:"ghost"`
	Future      int     `json:"future"`
	Marks       int     `json:"marks"`
	RedoEnabled bool    `json:"redo"`
	Max         int64   `json:"max"`
	Hint        string  `json:"hint"`
}

func readTimeline(p *Page) timelineView {
	p.t.Helper()
	var v timelineView
	p.Eval(`({
		ghost: Number(document.querySelector(".rs-tl-ghost").getAttribute("width")),
		future: document.querySelectorAll(".rs-tl-mark.future:not([display=none])").length,
		marks: [...document.querySelectorAll(".rs-tl-mark")].filter(m => m.getAttribute("display") !== "none").length,
		redo: !document.querySelector(".rs-redo").disabled,
		max: Number(document.querySelector(".rs-timeline").max),
		hint: document.querySelector(".rs-hint").textContent,
	})`, &v)
	return v
}

type pageAction struct {
	At   int64    `json:"at"`
	Kind string   `json:"kind"`
	Args []string `json:"args"`
}

func TestPageRewindKeepsTheFutureAndForks(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=5&speed=10")
	waitLeader(p)

	// a run with two actions: SET 4, then (later) ADD 3
	setAndWait(p, 4, 400)
	sendRequest(p, "ADD 3")
	p.WaitFor(allX(p, 7), 10*time.Second)
	var acts []pageAction
	p.Eval(`window.sandbox.actions()`, &acts)
	p.WaitFor(fmt.Sprintf(`window.sandbox.now > %d`, acts[len(acts)-1].At+600), 10*time.Second)
	pause(p)
	p.Eval(`window.sandbox.actions()`, &acts)
	if len(acts) != 2 || acts[1].Args[0] != "ADD x 3" {
		t.Fatalf("actions before the rewind = %+v, want SET 4 then ADD 3", acts)
	}
	end := readState(p).Now
	var wantEnd string
	p.Eval(`JSON.stringify(window.sandbox.state())`, &wantEnd)

	// rewind to between the two actions: the later action is kept as a ghost
	mid := seekTimeline(p, (acts[0].At+acts[1].At)/2)
	p.WaitFor(allX(p, 4), 5*time.Second)
	v := readTimeline(p)
	if v.Ghost <= 0 || v.Future != 1 || v.Marks != 2 || !v.RedoEnabled || v.Max != end {
		t.Fatalf("after rewinding to %d ms of %d: timeline %+v, want a ghost future with 1 of 2 actions, redo enabled, max %d", mid, end, v, end)
	}
	assertSafe(p)
	p.Screenshot("rewound")

	// dragging forward replays the kept action: x becomes 7 again
	seekTimeline(p, acts[1].At+300)
	p.WaitFor(allX(p, 7), 5*time.Second)
	if v := readTimeline(p); v.Future != 0 || !v.RedoEnabled {
		t.Errorf("replayed past the second action: timeline %+v, want no future marks left and redo still enabled", v)
	}

	// "To the end" (End key) gives back exactly the run as it was
	p.Focus(".rs-play")
	p.Press("End")
	p.WaitFor(fmt.Sprintf(`window.sandbox.now === %d && document.querySelector(".rs-redo").disabled`, end), 5*time.Second)
	var gotEnd string
	p.Eval(`JSON.stringify(window.sandbox.state())`, &gotEnd)
	if gotEnd != wantEnd {
		t.Fatalf("after replaying to the end the state differs:\nwant %s\n got %s", clip(wantEnd), clip(gotEnd))
	}

	// rewind again and play: the future plays by itself
	seekTimeline(p, mid)
	p.WaitFor(allX(p, 4), 5*time.Second)
	p.Click(".rs-play")
	p.WaitFor(allX(p, 7), 10*time.Second)
	pause(p)

	// rewind, then act: the run forks, the ADD 3 of the old future is gone
	seekTimeline(p, mid)
	sendRequest(p, "SET 9")
	p.WaitFor(`document.querySelector(".rs-redo").disabled`, 5*time.Second)
	v = readTimeline(p)
	if v.Ghost != 0 || v.Future != 0 || v.Marks != 2 || v.RedoEnabled || !strings.Contains(v.Hint, "New branch") || !strings.Contains(v.Hint, "later action of the old run was discarded") {
		t.Fatalf("after acting while rewound: timeline %+v, want no ghost, 2 marks, redo disabled and a note about the new branch", v)
	}
	p.Eval(`window.sandbox.actions()`, &acts)
	if len(acts) != 2 || acts[0].Args[0] != "SET x 4" || acts[1].Args[0] != "SET x 9" || acts[1].At != mid {
		t.Fatalf("actions after the fork = %+v, want SET 4 then SET 9 at %d ms", acts, mid)
	}
	p.Screenshot("forked")
	p.Click(".rs-play")
	p.WaitFor(allX(p, 9), 10*time.Second)
	p.WaitFor(fmt.Sprintf(`window.sandbox.now > %d`, end+500), 10*time.Second)
	pause(p)
	for _, n := range readState(p).Nodes {
		if n.KV["x"] != 9 {
			t.Errorf("node %s has x = %d after the fork, want 9 (the discarded ADD 3 must not run)", n.ID, n.KV["x"])
		}
	}
	assertSafe(p)
}

// TestPageShareWhileRewound: a link made while rewound reopens the same
// moment, with the rest of the run as the ghost future.
func TestPageShareWhileRewound(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=6&speed=10")
	waitLeader(p)
	at := setAndWait(p, 2, 300)
	pause(p)
	end := readState(p).Now
	back := seekTimeline(p, at-20)
	var want string
	p.Eval(`JSON.stringify(window.sandbox.state())`, &want)
	p.Press("s")
	p.WaitFor(`document.querySelector(".rs-share-dlg").open && document.querySelector(".rs-share-link").value.includes("&at=")`, 5*time.Second)
	var link string
	p.Eval(`document.querySelector(".rs-share-link").value`, &link)

	q := Open(t, link)
	q.WaitFor(`window.sandbox && window.__app && window.__app.busy === null && window.sandbox.now === `+fmt.Sprint(back), 10*time.Second)
	var got string
	q.Eval(`JSON.stringify(window.sandbox.state())`, &got)
	if got != want {
		t.Fatalf("the link made while rewound reopened a different state:\nwant %s\n got %s", clip(want), clip(got))
	}
	if v := readTimeline(q); v.Max != end || !v.RedoEnabled || v.Ghost <= 0 {
		t.Errorf("reopened timeline %+v, want the ghost future up to %d ms", v, end)
	}
}

// TestPageExportGoTest: the Go test export, from the settings and from the
// keyboard. The button works when the JS API has sandbox.exportGoTest();
// until then it stays disabled and its tooltip says why.
func TestPageExportGoTest(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=2&speed=10")
	waitLeader(p)
	sendRequest(p, "SET 5")
	p.WaitFor(allX(p, 5), 10*time.Second)
	pause(p)
	// catch the download: the blob's text and the file name
	p.Eval(`(() => {
		window.__downloads = [];
		const make = URL.createObjectURL.bind(URL);
		URL.createObjectURL = (blob) => { const url = make(blob); window.__downloads.push({ url, blob, name: null }); return url; };
		document.addEventListener("click", (e) => {
			const a = e.target.closest && e.target.closest("a[download]");
			if (!a) return;
			const d = window.__downloads.find((d) => d.url === a.href);
			if (d) d.name = a.download;
			e.preventDefault();
		}, true);
	})()`, nil)
	var has bool
	p.Eval(`typeof window.sandbox.exportGoTest === "function"`, &has)
	p.Click(".rs-settings-btn")
	p.WaitFor(`document.querySelector("#rs-settings").matches(":popover-open")`, 5*time.Second)
	var btn struct {
		Disabled string `json:"disabled"`
		Title    string `json:"title"`
	}
	p.Eval(`(() => { const b = document.querySelector(".rs-export-go"); return { disabled: b.getAttribute("aria-disabled"), title: b.title }; })()`, &btn)
	p.Screenshot("settings")
	if !has {
		t.Logf("sandbox.exportGoTest() is not in this build of the JS API: checking the disabled button")
		if btn.Disabled != "true" || !strings.Contains(btn.Title, "not available") {
			t.Fatalf("without exportGoTest the button should be disabled with a tooltip saying why; got %+v", btn)
		}
		p.Click(".rs-export-go")
		p.Press("Escape")
		p.Focus(".rs-play")
		p.Press("g")
		p.WaitFor(`document.querySelector(".rs-hint").textContent.includes("not available")`, 5*time.Second)
		var n int
		p.Eval(`window.__downloads.length`, &n)
		if n != 0 {
			t.Fatalf("a disabled export downloaded %d file(s)", n)
		}
		return
	}
	if btn.Disabled != "false" || !strings.Contains(btn.Title, "(G)") {
		t.Fatalf("with exportGoTest the button should be enabled with its shortcut in the tooltip; got %+v", btn)
	}
	p.Click(".rs-export-go")
	// the first export loads the lab's wasm (the exporter is not in the main one)
	p.WaitFor(`window.__downloads.length === 1 && window.__downloads[0].name !== null`, 30*time.Second)
	var got struct {
		Name string `json:"name"`
		Text string `json:"text"`
	}
	p.Eval(`(async () => ({ name: window.__downloads[0].name, text: await window.__downloads[0].blob.text() }))()`, &got)
	if got.Name != "raft_sandbox_test.go" || !strings.Contains(got.Text, "func Test") {
		t.Fatalf("the export downloaded %q with %q, want raft_sandbox_test.go holding a func Test", got.Name, clip(got.Text))
	}
	t.Logf("exported %d bytes, starting %q", len(got.Text), clip(got.Text[:min(len(got.Text), 120)]))
	// the keyboard shortcut downloads it again; rewound, it is the whole
	// recorded run (the same test)
	p.Press("Escape")
	var at int64
	p.Eval(`window.sandbox.actions()[0].at`, &at)
	seekTimeline(p, at-100)
	p.Focus(".rs-play")
	p.Press("g")
	p.WaitFor(`window.__downloads.length === 2`, 10*time.Second)
	var again string
	p.Eval(`window.__downloads[1].blob.text()`, &again)
	if again != got.Text {
		t.Errorf("exported while rewound: a different test than the whole run's:\n%s", clip(again))
	}
}
