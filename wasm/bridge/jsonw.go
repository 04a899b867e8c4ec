package bridge

import (
	"math"
	"strconv"
	"unicode/utf8"

	"raftsandbox/sim"
)

// jsonWriter appends JSON to a byte slice. It exists so that the wasm binary
// does not pull in encoding/json (and its reflection), which costs far more
// size than this file. The encoders write the punctuation (brackets, commas
// and keys) as literals, the writer the values, escaping strings.
type jsonWriter struct {
	b []byte

	// The tables of the frame form (frame.go), reused from frame to frame.
	entries []sim.EntryView // distinct log entries, in blocks of consecutive indexes
	blocks  []entryBlock
	lists   [][]string // distinct id lists (voters, learners)

	// What the JS side holds from the last state(): its entries and
	// requests, and the number that call gave them (frame.go).
	sent     []sim.EntryView
	sentReqs []sim.RequestView
	sentGen  float64

	runs []int      // one log's runs (encode.go, logRunsInto)
	fc   frameCache // what the page's last frame holds (frame.go)
}

// Every method is kept out of line (go:noinline): inlined, the appends of
// the encoders grew the wasm by about 150 KB for no measurable speed.

func (w *jsonWriter) reset() { w.b = w.b[:0] }

// appendString appends s as a JSON string. Most strings here (ids, roles,
// message types, commands) are plain ASCII: they are copied in one append.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return appendEscaped(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendEscaped appends s as a JSON string, escaping what must be: each
// byte below 0x20, '"' and '\\', and each byte of invalid UTF-8 as \ufffd.
//
//go:noinline
func appendEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c, size, esc := s[i], 1, ""
		switch {
		case c >= utf8.RuneSelf:
			if r, n := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || n != 1 {
				size = n
			} else {
				esc = `\ufffd`
			}
		case c == '"':
			esc = `\"`
		case c == '\\':
			esc = `\\`
		case c == '\n':
			esc = `\n`
		case c == '\r':
			esc = `\r`
		case c == '\t':
			esc = `\t`
		case c < 0x20:
			esc = controlEscapes[6*int(c) : 6*int(c)+6]
		}
		if esc != "" {
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			start = i + 1
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// controlEscapes are the escapes \u00XX of the bytes below 0x20, six
// bytes each.
const controlEscapes = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"

// Raw forms write a value with no comma handling: the encoders put the
// punctuation in their literal keys.

//go:noinline
func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

//go:noinline
func (w *jsonWriter) rawInt(v int64) { w.b = strconv.AppendInt(w.b, v, 10) }

//go:noinline
func (w *jsonWriter) rawUint(v uint64) { w.b = strconv.AppendUint(w.b, v, 10) }

//go:noinline
func (w *jsonWriter) rawBool(v bool) {
	if v {
		w.b = append(w.b, "true"...)
	} else {
		w.b = append(w.b, "false"...)
	}
}

//go:noinline
func (w *jsonWriter) rawString(s string) { w.b = appendString(w.b, s) }

// rawID writes a node id (or any optional string), or null for "".
//
//go:noinline
func (w *jsonWriter) rawID(id string) {
	if id == "" {
		w.b = append(w.b, "null"...)
		return
	}
	w.rawString(id)
}

// rawStrings writes a list of strings; nil is [].
//
//go:noinline
func (w *jsonWriter) rawStrings(list []string) {
	b := append(w.b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	w.b = append(b, ']')
}

// rawFloat writes a finite number; NaN and infinities (not JSON) become null.
//
//go:noinline
func (w *jsonWriter) rawFloat(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.b = append(w.b, "null"...)
		return
	}
	w.b = strconv.AppendFloat(w.b, v, 'g', -1, 64)
}
