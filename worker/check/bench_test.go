package check

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// waitListening returns once workerd accepts connections.
func waitListening(b *testing.B, base string) {
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://")); err == nil {
			c.Close()
			return
		}
	}
	b.Fatal("workerd does not listen")
}

// The picture budget inside workerd: the first /render.svg of a fresh
// isolate (workerd just started: the module compiles, a Go instance
// starts) and warm requests (each still a fresh Go instance: the glue
// starts one per request). tools/bench-worker.sh runs it.
//
//	go test -run '^$' -bench BenchmarkWorkerRender ./check/
const benchTarget = "/render.svg?scenario=partition&at=9000"

func BenchmarkWorkerRender(b *testing.B) {
	// (each run of the benchmark function starts its own workerd: the
	// server is stopped when the run ends)
	base := workerd(b)
	// wait until it listens, without a Go instance: a path the test never asks
	waitListening(b, base)
	start := time.Now()
	if a := remote(b, base, request{"GET", benchTarget, nil}); a.code != http.StatusOK {
		b.Fatalf("status %d: %s", a.code, a.body)
	}
	first := time.Since(start)
	b.ResetTimer()
	for range b.N {
		if a := remote(b, base, request{"GET", benchTarget, nil}); a.code != http.StatusOK {
			b.Fatalf("status %d: %s", a.code, a.body)
		}
	}
	b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "warm-ms")
}
