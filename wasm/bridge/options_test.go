package bridge

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// parseNumber against strconv.ParseFloat (fine in a test: it is not in the
// wasm): exact for the doubles' bits and for every short decimal.
func TestParseNumber(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		v := rng.Float64()
		if i%7 == 0 {
			v = math.Ldexp(v, -rng.IntN(1000)) // tiny rates, subnormals
		}
		hex := fmt.Sprintf("0x%016x", math.Float64bits(v))
		if got, ok := parseNumber(hex); !ok || got != v {
			t.Fatalf("parseNumber(%q) = %v, %v; want %v", hex, got, ok, v)
		}
		// A decimal of up to 15 significant digits.
		dec := strconv.FormatFloat(v, 'f', rng.IntN(15), 64)
		want, _ := strconv.ParseFloat(dec, 64)
		if got, ok := parseNumber(dec); !ok || got != want {
			t.Fatalf("parseNumber(%q) = %v, %v; want %v", dec, got, ok, want)
		}
	}
	for _, s := range []string{"0", "1", "5", "0.1", "0.25", "600000", "18446744", "0.000000000000000000001", "000123.4500"} {
		want, _ := strconv.ParseFloat(s, 64)
		if got, ok := parseNumber(s); !ok || got != want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", ".", "1.", ".5", "-1", "+1", "1e5", "1..2", "1.2.3", "NaN", "Infinity", "0x", "0x3fb999999999999", "0x3fb999999999999aa",
		"0xzzzzzzzzzzzzzzzz", "1234567890123456", "0.00000000000000000000001", " 1", "1 "} {
		if got, ok := parseNumber(s); ok {
			t.Errorf("parseNumber(%q) = %v, want a refusal", s, got)
		}
	}
}
