package scenario

import (
	"fmt"
	"strings"
	"testing"
)

// Input at the edges that the mutation run of the parser found unchecked
// (docs/testing.md): a script of exactly the largest size, and operators or
// a "-" as the very last character of a line, where the lexer looks one
// character ahead.
func TestParseEdges(t *testing.T) {
	for _, src := range []string{strings.Repeat("#", MaxTextBytes), "at 1s drop message 2147483647"} {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%.40q): %v", src, err)
		}
	}
	for _, c := range []struct{ src, want string }{
		{"expect votes >", `line 1, column 15: expected a number, found the end of the line`},
		{"expect votes =", `line 1, column 15: expected a number, found the end of the line`},
		{"expect votes <", `line 1, column 15: expected a number, found the end of the line`},
		{"expect votes !", `line 1, column 14: expected != , found "!"`},
		{"cut A-", `line 1, column 5: expected a node name like A or C, found "A-"`},
		{"cut A->", `line 1, column 8: expected a node name like A or C, found the end of the line`},
		// "to B" alone pins a request that has no command
		{"request to B", `line 1, column 13: expected a command: SET 5, ADD 2, SET k 5, ADD k 2, GET or GET k, found the end of the line`},
		// message ids are 0 to 2^31-1 (they fit the queue's int32)
		{"at 1s drop message 2147483648", `line 1, column 20: "2147483648": this number is out of range (0..2147483647)`},
	} {
		_, err := Parse(c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("Parse(%q) = %v, want %s", c.src, err, c.want)
		}
	}
}

// The header's settings at the edges of their rules: a tick of 1ms, a
// heartbeat of exactly one tick, an election timeout one millisecond longer
// than the heartbeat, an election range of two values, a latency of one
// value, a title of exactly the largest size; and one step past each.
func TestHeaderEdges(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"tick 1ms\nheartbeat 1ms\nelection 2-3ms", ""},
		{"tick 10ms\nheartbeat 10ms", ""},
		{"tick 10ms\nheartbeat 9ms", "line 2, column 11: the heartbeat must be at least one tick"},
		{"heartbeat 50ms\nelection 51-300ms", ""},
		{"heartbeat 50ms\nelection 50-300ms", "line 2, column 10: the election timeout must be longer than the heartbeat"},
		{"election 150-151ms", ""},
		{"election 150-150ms", "line 1, column 10: the election range must not be empty (150-300ms: the first number is smaller)"},
		{"latency 20-20ms", ""},
		{"latency 21-20ms", "line 1, column 9: the latency range is backwards (20-40ms: the first number is not larger)"},
		{"title \"" + strings.Repeat("t", MaxTitleBytes) + "\"", ""},
		{"title \"" + strings.Repeat("t", MaxTitleBytes+1) + "\"", "line 1, column 7: the title is longer than 200 bytes"},
	} {
		_, err := Parse(c.src)
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("Parse(%.40q) = %v, want %q", c.src, err, c.want)
		}
	}
}

// Actions and expectations count together toward MaxItems.
func TestItemsCountTogether(t *testing.T) {
	half := MaxItems / 2
	src := strings.Repeat("heal\n", half) + strings.Repeat("expect leader\n", MaxItems-half+1)
	want := fmt.Sprintf("line %d, column 1: a script has at most %d actions and expectations", MaxItems+1, MaxItems)
	if _, err := Parse(src); err == nil || err.Error() != want {
		t.Errorf("%d actions and %d expectations: %v, want %s", half, MaxItems-half+1, err, want)
	}
}

// A beat is named by a translation key (letters, digits, '.', '-', '_',
// starting with a letter or digit, at most 64 bytes) or by its text in
// quotes (1 to MaxBeatTextBytes bytes); a script ends when the last beat's
// until line can last no longer (its time plus its within).
func TestBeatEdges(t *testing.T) {
	for _, c := range []struct{ beat, want string }{
		{"5.3", ""},
		{"a-b_c.d", ""},
		{strings.Repeat("k", 64), ""},
		{`"` + strings.Repeat("t", MaxBeatTextBytes) + `"`, ""},
		{".5", `line 1, column 6: expected a beat's translation key like 5.3 or its text in quotes, found ".5"`},
		{"-a", `line 1, column 6: expected a beat's translation key like 5.3 or its text in quotes, found "-a"`},
		{"_a", `line 1, column 6: expected a beat's translation key like 5.3 or its text in quotes, found "_a"`},
		{strings.Repeat("k", 65), `line 1, column 6: expected a beat's translation key like 5.3 or its text in quotes, found "` + strings.Repeat("k", 65) + `"`},
		{`"` + strings.Repeat("t", MaxBeatTextBytes+1) + `"`, "line 1, column 6: a beat's text is 1 to 1000 bytes"},
	} {
		_, err := Parse("beat " + c.beat + "\nuntil leader")
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("beat %.40s: %v, want %q", c.beat, err, c.want)
		}
	}
	s, err := Parse("beat 1\nat 2s heal\nuntil leader within 1s")
	if err != nil || s.End != 3000 {
		t.Fatalf("script end: %v, %v; want 3000 ms (2s + within 1s)", s, err)
	}
}

// Durations at the edges of their digits: a whole part of 9 digits (24h in
// milliseconds with a leading zero) is read, 10 are too many; a fraction of
// 7 digits that comes to whole milliseconds is read, 8 never do.
func TestDurationDigits(t *testing.T) {
	for _, c := range []struct {
		src  string
		at   int64
		want string
	}{
		{"at 086400000ms heal", 86400000, ""},
		{"at 0864000000ms heal", 0, `line 1, column 4: "0864000000ms": this duration is too long (at most 24h)`},
		{"at 0.0000025h heal", 9, ""},
		{"at 0.00000025h heal", 0, `line 1, column 4: "0.00000025h": durations are whole milliseconds: this one has a fraction of a millisecond`},
	} {
		s, err := Parse(c.src)
		switch {
		case c.want == "" && (err != nil || s.Actions[0].At != c.at):
			t.Errorf("Parse(%q) = %v, want at %d ms", c.src, err, c.at)
		case c.want != "" && fmt.Sprint(err) != c.want:
			t.Errorf("Parse(%q) = %v, want %s", c.src, err, c.want)
		}
	}
}

// A range borrows its upper bound's unit ("150-300ms"): the unit is what
// follows the last digit, 9 included; an upper bound without digits is no
// range.
func TestRangeUnitEdges(t *testing.T) {
	if lo, hi, err := parseRange("1-9s"); err != nil || lo != 1000 || hi != 9000 {
		t.Errorf("parseRange(1-9s) = %d, %d, %v; want 1000, 9000", lo, hi, err)
	}
	if _, _, err := parseRange("150-ms"); err == nil {
		t.Error("parseRange(150-ms) succeeded")
	}
	// A bound that is no duration makes the range wrong; a bound that is a
	// duration out of range says so.
	for in, want := range map[string]string{
		"1x-2ms":  "expected a range like 150-300ms",
		"1-2x":    "expected a range like 150-300ms",
		"25h-26h": "this duration is too long (at most 24h)",
		"1-25h":   "this duration is too long (at most 24h)",
	} {
		if _, _, err := parseRange(in); fmt.Sprint(err) != want {
			t.Errorf("parseRange(%q): %v, want %s", in, err, want)
		}
	}
}

// A request's key in a script: a letter, then letters, digits or '_', at
// most MaxKeyBytes characters, the simulator's bound for a command's key (a
// key a script let through would otherwise be refused only when the run
// sends it); the characters just outside each range are refused.
// A count of 18 digits is read (and then checked against its range).
func TestScriptKeyEdges(t *testing.T) {
	for _, key := range []string{"aZ09_", "z", "A", "Z", strings.Repeat("k", MaxKeyBytes)} {
		if _, err := Parse("request SET " + key + " 1"); err != nil {
			t.Errorf("key %q: %v", key, err)
		}
	}
	for _, key := range []string{strings.Repeat("k", MaxKeyBytes+1), "`a", "{a", "@a", "[a", "a/", "a:"} {
		want := `line 1, column 13: expected a key (a letter, then letters, digits or _), found "` + key + `"`
		if _, err := Parse("request SET " + key + " 1"); fmt.Sprint(err) != want {
			t.Errorf("key %q: %v, want %s", key, err, want)
		}
	}
	if _, err := Parse("beat 1\nshow entry 100000000000000000 on A\nuntil leader"); err != nil {
		t.Errorf("an entry number of 18 digits: %v", err)
	}
}
