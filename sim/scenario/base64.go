package scenario

// Share strings are base64url without padding (RFC 4648 §5), written and
// read here rather than with encoding/base64: the package costs the wasm
// ~13 KB of code and tables for two small loops. TestBase64MatchesStdlib
// holds these to encoding/base64's RawURLEncoding (strict when decoding).

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// encodeBase64URL encodes b: every 3 bytes become 4 characters, a last 1 or
// 2 bytes become 2 or 3.
func encodeBase64URL(b []byte) string {
	out := make([]byte, 0, (len(b)*8+5)/6)
	for i := 0; i < len(b); i += 3 {
		n := min(3, len(b)-i)
		var v uint32
		for j := 0; j < n; j++ {
			v |= uint32(b[i+j]) << (16 - 8*j)
		}
		for j := 0; j <= n; j++ {
			out = append(out, base64URL[v>>(18-6*j)&63])
		}
	}
	return string(out)
}

// decodeBase64URL decodes s strictly: only the 64 characters, no padding, no
// length that leaves a lone character, and zero bits in the unused low bits
// of a last group (so that every string has one decoding and back).
func decodeBase64URL(s string) ([]byte, bool) {
	if len(s)%4 == 1 {
		return nil, false
	}
	out := make([]byte, 0, len(s)*3/4)
	for i := 0; i < len(s); i += 4 {
		n := min(4, len(s)-i)
		var v uint32
		for j := 0; j < n; j++ {
			d := base64Value(s[i+j])
			if d < 0 {
				return nil, false
			}
			v |= uint32(d) << (18 - 6*j)
		}
		for j := 0; j < n-1; j++ {
			out = append(out, byte(v>>(16-8*j)))
		}
		if v&(1<<(24-8*(n-1))-1) != 0 {
			return nil, false
		}
	}
	return out, true
}

func base64Value(c byte) int {
	if c >= 'A' && c <= 'Z' {
		return int(c - 'A')
	}
	if c >= 'a' && c <= 'z' {
		return int(c-'a') + 26
	}
	if c >= '0' && c <= '9' {
		return int(c-'0') + 52
	}
	if c == '-' {
		return 62
	}
	if c == '_' {
		return 63
	}
	return -1
}
