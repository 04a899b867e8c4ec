package bridge

import (
	"runtime"
	"strconv"
	"testing"
)

// The frame's allocation ceilings (issue 12, docs/benchmarks.md "Frame
// allocations"): not a timing test. A frame of the page is advance(16) then
// state(); what it costs in garbage is counted here, exactly enough to be
// repeatable, and compared with fixed ceilings a few times above today's
// figures, so that a change that multiplies them fails the build.
//
// Go allocations per simulated event (node ticks, deliveries, timers) over
// the advances, and per state() call; the bytes one state() carries across
// to JS (its wire form, which JS turns into a string and parses); and for
// the page's own frames, which read the frame form (frame.go), the
// allocations of an advance(16) and a frame together and the bytes of the
// largest frame.
var frameCeilings = []struct {
	nodes          int
	allocsPerEvent float64 // Go heap allocations per simulated event while advancing
	allocsPerState float64 // Go heap allocations per state() call
	stateBytes     int     // bytes of one state()'s wire form
	allocsPerFrame float64 // Go heap allocations per advance(16) and frame form (frame.go) together
	frameBytes     int     // bytes of the largest frame form over 50 frames
}{
	// measured 2026-12-03: 0.062 / 61 / 6,917 B at 5 nodes; 0.010 / 61 / 37,169 B at 51;
	// the frame form: 63 allocations (advance and frame) / 3,264 B at 5 nodes, 69 / 26,314 B at 51
	{nodes: 5, allocsPerEvent: 0.25, allocsPerState: 200, stateBytes: 16 << 10, allocsPerFrame: 200, frameBytes: 12 << 10},
	{nodes: 51, allocsPerEvent: 0.05, allocsPerState: 200, stateBytes: 80 << 10, allocsPerFrame: 250, frameBytes: 96 << 10},
}

// frameRun makes the bench's run (tools/bench-wasm.mjs): 2 s of virtual
// time, then frames of advance(16) with a request every 20 frames.
func frameRun(t *testing.T, nodes int) (*Registry, int) {
	t.Helper()
	r := NewRegistry()
	h, err := r.Create([]Arg{Str("nodes=" + strconv.Itoa(nodes) + ";seed=7")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Call(h, OpAdvance, []Arg{Num(2000)}); err != nil {
		t.Fatal(err)
	}
	return r, h
}

func frame(t *testing.T, r *Registry, h, i int) {
	if i%20 == 0 {
		if _, err := r.Call(h, OpRequest, []Arg{Str("SET " + strconv.Itoa(i))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Call(h, OpAdvance, []Arg{Num(16)}); err != nil {
		t.Fatal(err)
	}
}

func TestFrameAllocationsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("counts allocations over a few hundred frames")
	}
	for _, c := range frameCeilings {
		t.Run(strconv.Itoa(c.nodes)+"nodes", func(t *testing.T) {
			r, h := frameRun(t, c.nodes)
			s := r.sandboxes[h].sim
			for i := 0; i < 100; i++ { // warm up: buffers reach their size
				frame(t, r, h, i)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			events0 := s.EventCount()
			const frames = 400
			for i := 0; i < frames; i++ {
				frame(t, r, h, i)
			}
			runtime.ReadMemStats(&after)
			events := s.EventCount() - events0
			if events == 0 {
				t.Fatal("no events in 400 frames")
			}
			perEvent := float64(after.Mallocs-before.Mallocs) / float64(events)

			var size int
			perState := testing.AllocsPerRun(50, func() {
				res, err := r.Call(h, OpState, nil)
				if err != nil {
					t.Fatal(err)
				}
				size = len(res.(JSON))
			})
			// the page's own frames: the frame form (frame.go), each after
			// an advance, passing the last frame's numbers as the page does
			w := &r.sandboxes[h].w
			var frameSize int
			i := 0
			perFrame := testing.AllocsPerRun(50, func() {
				frame(t, r, h, i)
				i++
				res, err := r.Call(h, OpState, []Arg{Num(16), Num(w.sentGen), Num(w.fc.gen)})
				if err != nil {
					t.Fatal(err)
				}
				frameSize = max(frameSize, len(res.(JSON)))
			})
			t.Logf("%d nodes: %.3f allocations per event (%d events in %d frames), %.0f allocations and %d bytes per state(); %.0f allocations per advance and frame, at most %d bytes a frame",
				c.nodes, perEvent, events, frames, perState, size, perFrame, frameSize)
			if perFrame > c.allocsPerFrame {
				t.Errorf("%d nodes: %.0f Go allocations per advance(16) and frame, ceiling %.0f", c.nodes, perFrame, c.allocsPerFrame)
			}
			if frameSize > c.frameBytes {
				t.Errorf("%d nodes: a frame carries up to %d bytes, ceiling %d", c.nodes, frameSize, c.frameBytes)
			}
			if perEvent > c.allocsPerEvent {
				t.Errorf("%d nodes: %.3f Go allocations per simulated event, ceiling %.2f", c.nodes, perEvent, c.allocsPerEvent)
			}
			if perState > c.allocsPerState {
				t.Errorf("%d nodes: %.0f Go allocations per state(), ceiling %.0f", c.nodes, perState, c.allocsPerState)
			}
			if size > c.stateBytes {
				t.Errorf("%d nodes: state() carries %d bytes, ceiling %d", c.nodes, size, c.stateBytes)
			}
		})
	}
}
