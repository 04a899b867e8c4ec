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
// the bytes allocated meanwhile, in all and by function ("name file:line").
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
		var walk func(n *heapprofiler.SamplingHeapProfileNode)
		walk = func(n *heapprofiler.SamplingHeapProfileNode) {
			if n == nil {
				return
			}
			total += n.SelfSize
			if n.SelfSize > 0 && n.CallFrame != nil {
				by[n.CallFrame.FunctionName+" "+path.Base(n.CallFrame.URL)+":"+strconv.Itoa(int(n.CallFrame.LineNumber)+1)] += n.SelfSize
			}
			for _, c := range n.Children {
				walk(c)
			}
		}
		if res.Profile != nil {
			walk(res.Profile.Head)
		}
		return total, by
	}
}
