package check

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// The picture budget inside workerd: the first /render.svg of a fresh
// isolate (workerd just started: the module compiles, a Go instance
// starts) and warm requests (each still a fresh Go instance: the glue
// starts one per request). tools/bench-worker.sh runs it.
//
//	go test -run '^$' -bench BenchmarkWorkerRender ./check/
var (
	benchOnce  sync.Once
	benchBase  string
	benchFirst time.Duration
)

const benchTarget = "/render.svg?scenario=partition&at=9000"

func BenchmarkWorkerRender(b *testing.B) {
	benchOnce.Do(func() {
		benchBase = workerd(b)
		start := time.Now()
		if a := remote(b, benchBase, request{"GET", benchTarget, nil}); a.code != http.StatusOK {
			b.Fatalf("status %d: %s", a.code, a.body)
		}
		benchFirst = time.Since(start)
	})
	b.ResetTimer()
	for range b.N {
		if a := remote(b, benchBase, request{"GET", benchTarget, nil}); a.code != http.StatusOK {
			b.Fatalf("status %d: %s", a.code, a.body)
		}
	}
	b.ReportMetric(float64(benchFirst.Microseconds())/1000, "first-ms")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "warm-ms")
}
