package scenario

import (
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics, and whatever parses round-trips through
// Format and the share codec.
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 30s ./sim/scenario/
func FuzzParse(f *testing.F) {
	f.Add(richScript)
	for _, b := range Builtins() {
		f.Add(b.Text)
	}
	for _, s := range []string{"", "at 1s crash A", "partition A,B | C", "cut A->B", "expect x = 7 on A,B",
		"wait 1.5s", "at 24h heal", "title \"\"", "title \"a\tb #c 分区\"\nrequest GET k to B", "request SET 5 to B", "election 1-2s", "expect leader within 1ms",
		"beat 1.1\nshow A,B\nshow entry 2 on A\nat 1s until leader within 1s\nholds term >= 1 on A\nbeat \"Two.\"\nuntil no leader"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		formatted := Format(s)
		again, err := Parse(formatted)
		if err != nil {
			t.Fatalf("Format output does not parse: %v\n%s", err, formatted)
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("Parse(Format(s)) != s\n%s", formatted)
		}
		if Format(again) != formatted {
			t.Fatalf("Format is not stable:\n%s", formatted)
		}
		share, err := EncodeShare(s)
		if err != nil {
			t.Fatalf("EncodeShare of a parsed script: %v\n%s", err, formatted)
		}
		back, err := DecodeShare(share)
		if err != nil {
			t.Fatalf("DecodeShare(EncodeShare(s)): %v\n%s", err, formatted)
		}
		if !reflect.DeepEqual(s.WithoutBeats(), back) { // a link carries the run, not its story
			t.Fatalf("share round trip differs\n%s", formatted)
		}
	})
}

// FuzzDecode: DecodeShare never panics; whatever it accepts is a valid script
// whose encoding is exactly the input (one encoding per script).
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 30s ./sim/scenario/
func FuzzDecode(f *testing.F) {
	for _, text := range []string{richScript, "", "wait 1s", "partition A | B"} {
		s, err := Parse(text)
		if err != nil {
			f.Fatal(err)
		}
		share, err := EncodeShare(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(share)
	}
	for _, b := range Builtins() {
		s, _ := Parse(b.Text)
		share, _ := EncodeShare(s)
		f.Add(share)
	}
	f.Add("AQ")
	f.Add("=")
	f.Fuzz(func(t *testing.T, share string) {
		s, err := DecodeShare(share)
		if err != nil {
			return
		}
		again, err := EncodeShare(s)
		if err != nil {
			t.Fatalf("EncodeShare of a decoded script: %v", err)
		}
		if again != share {
			t.Fatalf("decoded %q, re-encoded as %q", share, again)
		}
		if _, err := Parse(Format(s)); err != nil {
			t.Fatalf("decoded script does not format to a valid script: %v", err)
		}
	})
}
