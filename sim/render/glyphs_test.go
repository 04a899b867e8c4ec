package render

import (
	"os"
	"regexp"
	"runtime"
	"slices"
	"testing"

	"raftsandbox/sim"
)

// The picture links draw messages with the page's glyphs: glyphs mirrors
// GLYPHS of web/ui/messages.js, and both have one per kind the simulator
// sends (sim.MessageKinds).
func TestGlyphsMatchThePage(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("reads web/ui/messages.js: native only")
	}
	src, err := os.ReadFile("../../web/ui/messages.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)export const GLYPHS = \{(.*?)\n\};`).FindSubmatch(src)
	if block == nil {
		t.Fatal("web/ui/messages.js has no GLYPHS table")
	}
	page := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s*"?([a-z-]+)"?: "([^"]*)",`).FindAllSubmatch(block[1], -1) {
		page[string(m[1])] = string(m[2])
	}
	for kind, d := range glyphs {
		if page[kind] != d {
			t.Errorf("glyph %q: the page draws %q, picture links %q", kind, page[kind], d)
		}
	}
	for kind := range page {
		if _, ok := glyphs[kind]; !ok {
			t.Errorf("glyph %q is drawn by the page, not by picture links", kind)
		}
	}
	for _, kind := range sim.MessageKinds {
		if _, ok := glyphs[kind]; !ok {
			t.Errorf("kind %q has no glyph", kind)
		}
		if _, ok := glyphStyle[kind]; !ok {
			t.Errorf("kind %q has no style", kind)
		}
	}
	if !slices.Contains(sim.MessageKinds, "other") {
		t.Error(`sim.MessageKinds lacks "other", the glyph of anything else`)
	}
}
