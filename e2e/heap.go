//go:build !js

package e2e

import (
	"path"
	"strconv"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/chromedp"
)

// SampleHeap starts V8's sampling heap profiler on the page, counting the
// objects that collections have already discarded too (what a frame
// allocates, not only what it keeps). The returned stop ends it and gives
// the bytes the page's own scripts allocated meanwhile, in all and by
// function ("name file:line"). An allocation belongs to the nearest
// function on its stack that has a script URL (a builtin such as
// JSON.parse counts for the page function that called it); allocations
// with no such function are the test's own probes (init scripts and
// evaluations have no URL) or the browser's, and are left out.
func (p *Page) SampleHeap() (stop func() (total float64, byFunc map[string]float64)) {
	p.t.Helper()
	yes := true
	_, err := chromedp.Call(p.tab.ctx, heapprofiler.Enable, cdp.Empty{})
	if err == nil {
		_, err = chromedp.Call(p.tab.ctx, heapprofiler.StartSampling, heapprofiler.StartSamplingParams{
			SamplingInterval: 256, IncludeObjectsCollectedByMajorGC: &yes, IncludeObjectsCollectedByMinorGC: &yes})
	}
	p.must("start the heap profiler", err)
	return func() (float64, map[string]float64) {
		p.t.Helper()
		res, err := chromedp.Call(p.tab.ctx, heapprofiler.StopSampling, cdp.Empty{})
		p.must("stop the heap profiler", err)
		by := map[string]float64{}
		total := 0.0
		var walk func(n *heapprofiler.SamplingHeapProfileNode, owner string)
		walk = func(n *heapprofiler.SamplingHeapProfileNode, owner string) {
			if n == nil {
				return
			}
			if f := n.CallFrame; f != nil && f.URL != "" {
				owner = f.FunctionName + " " + path.Base(f.URL) + ":" + strconv.Itoa(int(f.LineNumber)+1)
			}
			if owner != "" && n.SelfSize > 0 {
				total += n.SelfSize
				by[owner] += n.SelfSize
			}
			for _, c := range n.Children {
				walk(c, owner)
			}
		}
		if res.Profile != nil {
			walk(res.Profile.Head, "")
		}
		return total, by
	}
}
