package scenario

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Format writes a wait line only when the script lasts longer than its last
// line and every window that line's time opens: a beat's until with a
// window implies its end, as an expectation's does.
func TestFormatWaitOnlyWhenNeeded(t *testing.T) {
	for _, c := range []struct {
		src  string
		wait bool
	}{
		{"nodes 3\nbeat one\nuntil leader within 2s\n", false},
		{"nodes 3\nbeat one\nuntil leader within 2s\nwait 3s\n", true},
		{"nodes 3\nexpect leader within 2s\n", false},
		{"nodes 3\nexpect leader within 2s\nwait 3s\n", true},
	} {
		s, err := Parse(c.src)
		if err != nil {
			t.Fatal(err)
		}
		out := Format(s)
		if got := strings.Contains(out, "wait"); got != c.wait {
			t.Errorf("Format(%q) = %q: wait line %v, want %v", c.src, out, got, c.wait)
		}
		back, err := Parse(out)
		if err != nil || back.End != s.End {
			t.Errorf("Format(%q) parses back to end %v (%v), want %d", c.src, back, err, s.End)
		}
	}
}

// A share link encodes an expectation's scope (all, majority) or its node
// list; one with neither, which no script gives, is refused rather than
// encoded as an empty node list (by the encoder itself, before the check
// that decodes the link).
func TestShareRefusesAnExpectationWithoutNodes(t *testing.T) {
	s, err := Parse("nodes 3\nexpect x = 5 on all\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EncodeShare(s); err != nil {
		t.Fatalf("EncodeShare of a valid script: %v", err)
	}
	s.Expects[0].Scope = ""
	if _, err := encodeShare(s); err == nil {
		t.Fatal("the encoder took an expectation without scope or nodes (only the check by decoding refused it)")
	}
}

// The share encoder refuses what no script holds, itself (before the check
// that decodes the link): an end before an expectation's window closes, a
// message id past 2^31-1, an unknown comparison or action; the decoder refuses a link
// longer than MaxShareLen before decoding it, and no shorter one for its
// length.
func TestShareEncoderRefusals(t *testing.T) {
	parse := func(src string) *Script {
		t.Helper()
		s, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := parse("nodes 3\nexpect leader within 2s\n")
	if _, err := encodeShare(s); err != nil {
		t.Fatalf("a valid script: %v", err)
	}
	s.End = 1999
	if _, err := encodeShare(s); err == nil {
		t.Error("encoded a script that ends before its expectation's window closes")
	}
	s = parse("nodes 3\nat 1s drop message 2147483647\n")
	if _, err := encodeShare(s); err != nil {
		t.Fatalf("drop message 2^31-1: %v", err)
	}
	s.Actions[0].Args = []string{"2147483648"}
	if _, err := encodeShare(s); err == nil {
		t.Error("encoded drop message 2^31")
	}
	s = parse("nodes 3\nexpect term >= 1 on all\n")
	s.Expects[0].Op = "~"
	if _, err := encodeShare(s); err == nil {
		t.Error("encoded an unknown comparison")
	}
	s = parse("nodes 3\nat 1s crash A\n")
	s.Actions[0].Kind = "explode"
	if _, err := encodeShare(s); err == nil {
		t.Error("encoded an unknown action")
	}
	if _, err := DecodeShare(strings.Repeat("A", MaxShareLen)); err == nil || strings.Contains(err.Error(), "too long") {
		t.Errorf("a link of MaxShareLen characters: %v, want refused for what it holds, not its length", err)
	}
	if _, err := DecodeShare(strings.Repeat("A", MaxShareLen+1)); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("a link of MaxShareLen+1 characters: %v, want too long", err)
	}
}

// A script may last exactly 24 hours (MaxTime), and its link opens.
func TestShareLastsUpTo24h(t *testing.T) {
	s, err := Parse("nodes 3\nat 1s crash A\nwait 86399s\n")
	if err != nil || s.End != MaxTime {
		t.Fatalf("Parse: end %v, %v; want %d", s, err, MaxTime)
	}
	link, err := EncodeShare(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeShare(link)
	if err != nil || back.End != MaxTime {
		t.Fatalf("DecodeShare: %v, %v; want the end at 24h", back, err)
	}
}

// A comparison with 0 is a valid expectation and has a link; a link naming
// message 2^31 (past the largest id) does not open.
func TestShareNumberEdges(t *testing.T) {
	s, err := Parse("nodes 3\nexpect term >= 0 on all\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EncodeShare(s); err != nil {
		t.Errorf("expect term >= 0: %v", err)
	}
	s, err = Parse("nodes 3\nat 1s drop message 2147483647\n")
	if err != nil {
		t.Fatal(err)
	}
	link, err := EncodeShare(s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := decodeBase64URL(link)
	i := bytes.Index(b, []byte{0xff, 0xff, 0xff, 0xff, 0x07}) // uvarint 2^31-1
	if i < 0 {
		t.Fatalf("no message id 2^31-1 in %x", b)
	}
	copy(b[i:], []byte{0x80, 0x80, 0x80, 0x80, 0x08}) // uvarint 2^31
	if _, err := DecodeShare(encodeBase64URL(b)); err == nil {
		t.Error("a link naming message 2^31 opened")
	}
}

// The text a link decodes to (ShareText) says no more than the script: no
// "within" for an expectation checked at once, no wait line for a script
// that ends at its last step.
func TestShareTextSaysNoMore(t *testing.T) {
	s, err := Parse("nodes 3\nat 1s crash A\nat 2s expect down A\n")
	if err != nil {
		t.Fatal(err)
	}
	text, err := ShareText(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "within") || strings.Contains(text, "wait") {
		t.Errorf("ShareText = %q, want neither within nor wait", text)
	}
	s, err = Parse("nodes 3\nat 1s crash A\nat 2s expect down A within 1s\nwait 2s\n")
	if err != nil {
		t.Fatal(err)
	}
	if text, err = ShareText(s); err != nil || !strings.Contains(text, "within 1s") || !strings.Contains(text, "wait 2s") {
		t.Errorf("ShareText = %q, %v; want within 1s and wait 2s", text, err)
	}
}

// An expectation may name every node of the largest cluster, and its link
// opens.
func TestShareScopeOfMaxNodes(t *testing.T) {
	names := make([]string, MaxNodes)
	for i := range names {
		names[i] = NodeName(i)
	}
	s, err := Parse(fmt.Sprintf("nodes %d\nexpect x = 0 on %s\n", MaxNodes, strings.Join(names, ",")))
	if err != nil {
		t.Fatal(err)
	}
	link, err := EncodeShare(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeShare(link)
	if err != nil || len(back.Expects) != 1 || len(back.Expects[0].Nodes) != MaxNodes {
		t.Fatalf("DecodeShare: %v; want the expectation on all %d nodes", err, MaxNodes)
	}
}
