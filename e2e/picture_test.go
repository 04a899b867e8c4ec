package e2e

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// First paint without the wasm (issue 11): embed.html shows the
// pre-rendered picture of its starting moment, painted before the live
// cluster's first frame, and swaps in the live cluster; the Share dialog
// offers the moment's picture link (answered by the site handler) and a
// Markdown snippet, and "Download picture" gives a standalone SVG of the
// page's own picture. One page load for the embed, one for the page.
func TestFirstPaintAndPictureLinks(t *testing.T) {
	h := Start(t)

	t.Run("embed", func(t *testing.T) {
		p := h.Page(t, "/embed.html#scenario=partition&lang=zh&paused=1")
		defer p.Close()
		p.WaitFor(`window.__frameStats && window.__frameStats.firstRenderMs > 0`, 30*time.Second)
		var r struct {
			Painted []struct {
				URL        string  `json:"url"`
				RenderTime float64 `json:"renderTime"`
			}
			FirstFrame float64
			Left       int
		}
		p.Eval(`(async () => ({
			painted: await new Promise((res) => new PerformanceObserver((l) => res(l.getEntries().filter((e) => e.identifier === "rs-first-paint")
				.map((e) => ({ url: e.url, renderTime: e.renderTime || e.loadTime })))).observe({ type: "element", buffered: true }) || setTimeout(() => res([]), 3000)),
			firstFrame: window.__frameStats.firstRenderMs,
			left: document.querySelectorAll(".rs-first-paint").length,
		}))()`, &r)
		if len(r.Painted) == 0 {
			t.Fatal("no pre-rendered picture was painted")
		}
		if !strings.HasSuffix(r.Painted[0].URL, "/pictures/partition-0ms.zh.svg") {
			t.Errorf("painted %s, want the partition scenario's start in Chinese", r.Painted[0].URL)
		}
		if r.Painted[0].RenderTime <= 0 || r.Painted[0].RenderTime >= r.FirstFrame {
			t.Errorf("the picture was painted at %.0f ms, the live cluster at %.0f ms: the picture must come first", r.Painted[0].RenderTime, r.FirstFrame)
		}
		if r.Left != 0 {
			t.Errorf("%d pre-rendered pictures left after the live cluster's first frame", r.Left)
		}
	})

	t.Run("element", func(t *testing.T) {
		p := h.Page(t, "/examples.html")
		defer p.Close()
		p.Resize(900, 600)
		// #second is far below: not started, it shows its picture at once
		p.WaitFor(`(() => { const i = document.getElementById("second")?.shadowRoot?.querySelector(".rs-first-paint img");
			return !!i && i.complete && i.naturalWidth > 0 })()`, 20*time.Second)
		var src string
		p.Eval(`document.getElementById("second").shadowRoot.querySelector(".rs-first-paint img").src`, &src)
		if !strings.HasSuffix(src, "/pictures/partition-0ms.zh.svg") {
			t.Errorf("the element shows %s, want the partition scenario's start in Chinese", src)
		}
		p.Eval(`document.getElementById("second").scrollIntoView(), true`, nil)
		p.WaitFor(`(() => { const e = document.getElementById("second"); return !!e.sandbox && !e.shadowRoot.querySelector(".rs-first-paint") })()`, 30*time.Second)
	})

	t.Run("share", func(t *testing.T) {
		p := h.Page(t, "/index.html#scenario=replication&paused=1")
		defer p.Close()
		p.WaitFor(`window.sandbox != null && window.__frameStats.firstRenderMs > 0`, 30*time.Second)
		p.Eval(`window.sandbox.advance(1500), window.__app.refresh(), true`, nil)
		p.Press("s")
		p.WaitFor(`document.querySelector(".rs-share-dlg")?.open && document.querySelector(".rs-share-picture").value !== ""`, 5*time.Second)
		var v struct{ Picture, Markdown, Link string }
		p.Eval(`({ picture: document.querySelector(".rs-share-picture").value, markdown: document.querySelector(".rs-share-markdown").value,
			link: document.querySelector(".rs-share-link").value })`, &v)
		u, err := url.Parse(v.Picture)
		if err != nil || u.Path != "/render.svg" || u.Query().Get("share") == "" || u.Query().Get("at") == "" {
			t.Fatalf("picture link %q: want /render.svg?share=...&at=...", v.Picture)
		}
		if !strings.Contains(v.Markdown, "]("+v.Picture+")") || !strings.HasSuffix(v.Markdown, "]("+v.Link+")") {
			t.Errorf("Markdown %q does not show %q linked to %q", v.Markdown, v.Picture, v.Link)
		}
		res, err := http.Get(v.Picture)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(body), "x = ") {
			t.Errorf("the picture link answers %d %s, %d bytes (want the key-value state)", res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}
		// Download picture: the page's own picture, standalone
		var svg string
		p.Eval(`window.__app.share.pictureSVG()`, &svg)
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Fatalf("the downloaded picture is not XML: %v", err)
		}
		for _, want := range []string{"<svg", `viewBox="0 0 640 420"`, "x = ", "stroke-dasharray"} {
			if !strings.Contains(svg, want) {
				t.Errorf("the downloaded picture lacks %q", want)
			}
		}
	})
}
