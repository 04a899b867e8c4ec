package harness

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPayloadsAreDistinctAndSized(t *testing.T) {
	ps := Payloads(1000)
	seen := map[string]bool{}
	for i, p := range ps {
		if len(p) != PayloadSize || cap(p) != PayloadSize {
			t.Fatalf("payload %d: len %d cap %d, want %d (capped so an append cannot spill into the next)", i, len(p), cap(p), PayloadSize)
		}
		if seen[string(p)] {
			t.Fatalf("payload %d repeats an earlier one", i)
		}
		seen[string(p)] = true
	}
}

func TestHashDependsOnOrder(t *testing.T) {
	ps := Payloads(3)
	if Expected(ps) == Expected([][]byte{ps[1], ps[0], ps[2]}) {
		t.Error("swapping two payloads left the hash unchanged")
	}
	if Expected(ps) == Expected(ps[:2]) {
		t.Error("dropping a payload left the hash unchanged")
	}
}

func TestDriveRejectsBadBatch(t *testing.T) {
	if err := Drive(nil, Payloads(1), 0); err == nil {
		t.Error("batch 0 accepted")
	}
}

func TestSummarizeTakesMediansAndRatios(t *testing.T) {
	run := func(core, mode string, ms int, mallocs uint64) Result {
		return Result{Core: core, Mode: mode, Proposals: 1000, Elapsed: time.Duration(ms) * time.Millisecond, Mallocs: mallocs, Bytes: mallocs * 10}
	}
	results := []Result{
		run("ours", Batched.Name, 10, 1000), run("etcd", Batched.Name, 20, 4000),
		run("ours", OneAtATime.Name, 10, 2000), run("etcd", OneAtATime.Name, 40, 8000),
		run("ours", OneAtATime.Name, 20, 2000), run("etcd", OneAtATime.Name, 20, 8000),
		run("ours", OneAtATime.Name, 100, 2000), run("etcd", OneAtATime.Name, 10, 8000),
	}
	sums := Summarize(results)
	if len(sums) != 4 || sums[0].Mode != OneAtATime.Name || sums[0].Core != "ours" {
		t.Fatalf("summaries %+v: want one-at-a-time first, ours before etcd", sums)
	}
	if sums[0].PerSecond != 50000 || sums[0].MinPerSec != 10000 || sums[0].MaxPerSec != 100000 || sums[0].Allocs != 2 {
		t.Errorf("ours one-at-a-time %+v: want median 50000/s, range 10000-100000, 2 allocs", sums[0])
	}
	var buf bytes.Buffer
	WriteTable(&buf, sums, "etcd")
	out := buf.String()
	for _, want := range []string{"ours/etcd", "1.00x", "0.25x", "2.00x", "50,000"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
