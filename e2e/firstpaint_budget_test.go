//go:build !js

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"testing"
	"time"

	"raftsandbox/site"
)

// staticPage is the yardstick of the embed's first paint: a static page with
// one <img> of the same pre-rendered picture.
const staticPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>One picture</title></head>
<body><img elementtiming="rs-first-paint" src="pictures/partition-0ms.svg" width="720" alt="Raft Sandbox: partition, at the start"></body></html>
`

// paintedAt is the render time (ms since navigation start) of the page's
// element-timed picture, waiting up to 20 s for it.
const paintedAt = `new Promise((res) => {
	new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.identifier === "rs-first-paint") res(e.renderTime || e.loadTime) })
		.observe({ type: "element", buffered: true });
	setTimeout(() => res(-1), 20000);
})`

// TestFirstPaintBudget: the first paint of an embed (its pre-rendered
// picture, before the wasm) within 1.2x of the first paint of a static page
// with one <img> of the same picture, loaded in turns, cold (a new browser
// context per load), side by side in the same run. Without BENCH=1 one pair
// of loads checks that both pictures paint; BENCH=1 (tools/bench-firstpaint.sh)
// takes the median of 7 pairs and judges the budget.
func TestFirstPaintBudget(t *testing.T) {
	full := os.Getenv("BENCH") == "1"
	pairs := 1
	if full {
		pairs = 7
	}
	needBrowser(t)
	h := site.New(os.DirFS(DistDir(t)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/static.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			io.WriteString(w, staticPage)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var static, embed []float64
	type load struct {
		path string
		into *[]float64
	}
	for i := range pairs {
		// in turns, each first every other pair (the first load of a run is slower)
		order := []load{{fmt.Sprintf("/static.html?v=%d", i), &static}, {fmt.Sprintf("/embed.html?v=%d#scenario=partition&paused=1", i), &embed}}
		if i%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		for _, c := range order {
			p := Open(t, srv.URL+c.path)
			p.AllowConsole(`favicon\.ico`)
			var ms float64
			p.Eval(paintedAt, &ms)
			if ms <= 0 {
				t.Fatalf("%s: the picture was not painted within 20 s", c.path)
			}
			*c.into = append(*c.into, ms)
			if c.path[1] == 'e' { // let the embed finish starting before it closes
				p.WaitFor(`window.__frameStats && window.__frameStats.firstRenderMs > 0`, 30*time.Second)
			}
			p.Close()
		}
	}
	s, e := medianOf(static), medianOf(embed)
	ratio := e / s
	verdict := "within budget"
	if ratio > 1.2 {
		verdict = "OVER BUDGET"
	}
	t.Logf("first paint of the picture, cold, median of %d loads each: static page with one <img> %.0f ms %v, embed.html %.0f ms %v: %.2fx (budget <= 1.2x): %s",
		pairs, s, round(static), e, round(embed), ratio, verdict)
}

func medianOf(v []float64) float64 {
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}
