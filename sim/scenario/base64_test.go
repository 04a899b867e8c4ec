package scenario

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// The hand-written codec against encoding/base64's strict RawURLEncoding:
// random bytes encode the same, and random strings (valid, mutated, cut,
// with foreign characters) decode the same or are refused by both.
func TestBase64MatchesStdlib(t *testing.T) {
	std := base64.RawURLEncoding.Strict()
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 5000; i++ {
		b := make([]byte, rng.IntN(40))
		for j := range b {
			b[j] = byte(rng.UintN(256))
		}
		got, want := encodeBase64URL(b), base64.RawURLEncoding.EncodeToString(b)
		if got != want {
			t.Fatalf("encode %x: %q, want %q", b, got, want)
		}
		s := []byte(want)
		switch rng.IntN(4) {
		case 1:
			if len(s) > 0 {
				s[rng.IntN(len(s))] = "A_-9z+/=\n."[rng.IntN(10)]
			}
		case 2:
			s = s[:rng.IntN(len(s)+1)]
		case 3:
			s = append(s, base64URL[rng.IntN(64)])
		}
		dec, ok := decodeBase64URL(string(s))
		stdDec, err := std.DecodeString(string(s))
		// The standard decoder skips \n and \r; share strings never reach
		// the decoder with them (DecodeShare refuses them first).
		if bytes.ContainsAny(s, "\r\n") {
			continue
		}
		if ok != (err == nil) || (ok && !bytes.Equal(dec, stdDec)) {
			t.Fatalf("decode %q: %x, %v; encoding/base64: %x, %v", s, dec, ok, stdDec, err)
		}
	}
}

// Every byte decodes to its place in the alphabet, or is refused: the
// edges of each range ('A' 'Z' 'a' 'z' '0' '9') and their neighbours
// ('@' '[' '`' '{' '/' ':') included.
func TestBase64Values(t *testing.T) {
	for c := 0; c < 256; c++ {
		if got, want := base64Value(byte(c)), strings.IndexByte(base64URL, byte(c)); got != want {
			t.Errorf("base64Value(%q) = %d, want %d", rune(c), got, want)
		}
	}
}
