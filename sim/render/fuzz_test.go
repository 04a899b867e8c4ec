package render

import (
	"strings"
	"testing"
)

// FuzzParseQuery: any query string either parses or gets an error (never a
// panic); what parses encodes back to itself (unless escaping makes it too
// long, which is then refused), and naming its run stays
// within the limits.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"scenario=partition&at=4030&lang=zh", "scenario=election&seed=7", "share=AQ&at=5",
		"scenario=nodes+3%0Aat+1s+crash+A", "scenario=nodes+16%0Aat+1s+add+node", "at=1&at=2", "%zz", "lang=fr",
		"scenario=split-vote&at=60000", "scenario=;", "share=AQoBAQ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseQuery(raw)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if (q.Scenario == "") == (q.Share == "") || q.At < 0 || q.At > MaxAtMs || (q.Lang != "en" && q.Lang != "zh") {
			t.Fatalf("accepted %q as %+v", raw, q)
		}
		// Escaping can make a query that fits longer than the limit (a raw
		// byte 0xd0 becomes %D0): then the longer form is refused for its size.
		if enc := q.Encode(); len(enc) > MaxQueryBytes {
			if _, err := ParseQuery(enc); err == nil || !strings.Contains(err.Error(), "at most") {
				t.Fatalf("%q encodes to %d bytes, beyond the limit, yet parses: %v", raw, len(enc), err)
			}
			return
		}
		back, err := ParseQuery(q.Encode())
		if err != nil || back != q {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", raw, q, q.Encode(), back, err)
		}
		s, at, err := q.Script()
		if err != nil {
			return
		}
		if at < 0 || at > MaxAtMs || s.Config.Nodes > MaxNodes {
			t.Fatalf("%q names a run beyond the limits: %d nodes at %d ms", raw, s.Config.Nodes, at)
		}
		// Drawing is bounded too; keep the fuzzer fast by drawing small runs.
		if len(s.Actions) < 20 && at <= 2000 && !strings.Contains(raw, "%") {
			if _, err := Render(q); err != nil && !strings.Contains(err.Error(), "too busy") {
				return
			}
		}
	})
}
