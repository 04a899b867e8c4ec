//go:build !js

package e2e

import (
	"fmt"
	"testing"
	"time"
)

// TestPageTimeSlicing: a frame never asks Go for more than its share. With
// the share lowered so far that one virtual millisecond fills it, the page
// at 10x advances one millisecond per frame (virtual time runs slower)
// instead of the 160 ms a frame at 10x would ask for.
func TestPageTimeSlicing(t *testing.T) {
	h := Start(t)
	p := openPage(t, h, "seed=1&speed=10")
	waitLeader(p)
	var before struct {
		Now       int64 `json:"now"`
		Frames    int   `json:"frames"`
		Throttled int   `json:"throttled"`
	}
	p.Eval(`(() => { window.__app.goFrameMs = 1e-9; return { now: window.sandbox.now, frames: window.__frameStats.frames, throttled: window.__frameStats.throttledFrames }; })()`, &before)
	p.WaitFor(fmt.Sprintf(`window.__frameStats.frames >= %d`, before.Frames+60), 20*time.Second)
	pause(p)
	var after struct {
		Now       int64 `json:"now"`
		Frames    int   `json:"frames"`
		Throttled int   `json:"throttled"`
	}
	p.Eval(`({ now: window.sandbox.now, frames: window.__frameStats.frames, throttled: window.__frameStats.throttledFrames })`, &after)
	frames := int64(after.Frames - before.Frames)
	advanced := after.Now - before.Now
	// one frame may have been computed before the share was lowered
	if advanced > frames+200 || advanced <= 0 {
		t.Fatalf("with a tiny Go share, %d frames advanced %d ms of virtual time; want about one ms per frame", frames, advanced)
	}
	if after.Throttled-before.Throttled < int(frames)/2 {
		t.Errorf("only %d of %d frames were throttled", after.Throttled-before.Throttled, frames)
	}
	assertSafe(p)
}
