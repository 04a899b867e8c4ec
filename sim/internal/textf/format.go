// Package textf is the small part of fmt that the simulator's messages
// use: Sprintf and Errorf with the verbs %d, %s, %v, %q, %U, %w and %%,
// without flags or widths, on strings, errors, Stringers, booleans, floats,
// string slices and the built-in integer types.
//
// It exists for the size of the wasm: fmt brings reflect, os and its
// printer, about 130 KB brotli of the page's download (docs/benchmarks.md,
// "Where the size is"), and nothing in the wasm uses fmt once the
// simulator's packages (sim, sim/scenario, sim/export) format through this
// package. The output is fmt's for every supported case (format_test.go
// compares them); an argument it does not know prints as %!v(unsupported)
// instead of going through reflection.
package textf

import (
	"strconv"
	"unicode/utf8"
)

// Sprintf is fmt.Sprintf for the verbs and types above.
func Sprintf(format string, args ...any) string {
	b, _ := appendf(nil, format, args, false)
	return string(b)
}

// Errorf is fmt.Errorf for the verbs and types above: each %w operand is
// wrapped (errors.Is and errors.As see it).
func Errorf(format string, args ...any) error {
	b, wrapped := appendf(nil, format, args, true)
	switch len(wrapped) {
	case 0:
		return &plainError{string(b)}
	case 1:
		return &wrapError{string(b), wrapped[0]}
	default:
		return &wrapErrors{string(b), wrapped}
	}
}

type plainError struct{ msg string }

func (e *plainError) Error() string { return e.msg }

type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

type wrapErrors struct {
	msg  string
	errs []error
}

func (e *wrapErrors) Error() string   { return e.msg }
func (e *wrapErrors) Unwrap() []error { return e.errs }

func appendf(b []byte, format string, args []any, errorf bool) ([]byte, []error) {
	var wrapped []error
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+1 == len(format) {
			b = append(b, "%!(NOVERB)"...)
			continue
		}
		i++
		verb := format[i]
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if next >= len(args) {
			b = append(b, "%!"...)
			b = append(b, verb)
			b = append(b, "(MISSING)"...)
			continue
		}
		a := args[next]
		next++
		if verb == 'w' {
			if err, ok := a.(error); ok && errorf {
				wrapped = append(wrapped, err)
				b = append(b, err.Error()...)
				continue
			}
			if errorf {
				b = badVerb(b, verb, a)
				continue
			}
			verb = 'v' // Sprintf: %w is %!w(...) in fmt; keep it readable
		}
		b = appendArg(b, verb, a)
	}
	if next < len(args) {
		b = append(b, "%!(EXTRA)"...)
	}
	return b, wrapped
}

func appendArg(b []byte, verb byte, a any) []byte {
	var ok bool
	switch verb {
	case 'd':
		if n, u, signed, isInt := integer(a); isInt {
			return appendInt(b, n, u, signed)
		}
	case 's', 'v':
		if b, ok = appendValue(b, verb, a); ok {
			return b
		}
	case 'q':
		if s, isText := text(a); isText {
			return strconv.AppendQuote(b, s)
		}
		if n, u, signed, isInt := integer(a); isInt {
			if signed {
				u = uint64(n)
			}
			if u > utf8.MaxRune {
				return strconv.AppendQuoteRune(b, utf8.RuneError)
			}
			return strconv.AppendQuoteRune(b, rune(u))
		}
	case 'U':
		if b, ok = appendCodePoint(b, a); ok {
			return b
		}
	}
	return badVerb(b, verb, a)
}

// appendValue appends a for %s or %v: a text, (with %v) an integer or
// nil, a bool, a float or a list of strings; false for anything else.
func appendValue(b []byte, verb byte, a any) ([]byte, bool) {
	if s, ok := text(a); ok {
		return append(b, s...), true
	}
	if verb == 'v' {
		if n, u, signed, ok := integer(a); ok {
			return appendInt(b, n, u, signed), true
		}
		if a == nil {
			return append(b, "<nil>"...), true
		}
	}
	switch v := a.(type) {
	case bool:
		return strconv.AppendBool(b, v), true
	case float64:
		return strconv.AppendFloat(b, v, 'g', -1, 64), true
	case float32:
		return strconv.AppendFloat(b, float64(v), 'g', -1, 32), true
	case []string:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ' ')
			}
			b = append(b, s...)
		}
		return append(b, ']'), true
	}
	return b, false
}

// appendCodePoint appends a non-negative integer a as %U does (U+0041);
// false for anything else.
func appendCodePoint(b []byte, a any) ([]byte, bool) {
	n, u, signed, ok := integer(a)
	if !ok || signed && n < 0 {
		return b, false
	}
	if signed {
		u = uint64(n)
	}
	h := strconv.FormatUint(u, 16)
	b = append(b, "U+"...)
	for i := len(h); i < 4; i++ {
		b = append(b, '0')
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c >= 'a' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return b, true
}

func badVerb(b []byte, verb byte, a any) []byte {
	b = append(b, "%!"...)
	b = append(b, verb)
	if a == nil {
		return append(b, "(<nil>)"...)
	}
	return append(b, "(unsupported)"...)
}

// text is a's text for %s, %v and %q: a string, an error's message or a
// Stringer's String().
func text(a any) (string, bool) {
	switch v := a.(type) {
	case string:
		return v, true
	case error:
		return v.Error(), true
	case interface{ String() string }:
		return v.String(), true
	}
	return "", false
}

func integer(a any) (n int64, u uint64, signed, ok bool) {
	switch v := a.(type) {
	case int:
		return int64(v), 0, true, true
	case int8:
		return int64(v), 0, true, true
	case int16:
		return int64(v), 0, true, true
	case int32:
		return int64(v), 0, true, true
	case int64:
		return v, 0, true, true
	case uint:
		return 0, uint64(v), false, true
	case uint8:
		return 0, uint64(v), false, true
	case uint16:
		return 0, uint64(v), false, true
	case uint32:
		return 0, uint64(v), false, true
	case uint64:
		return 0, v, false, true
	case uintptr:
		return 0, uint64(v), false, true
	}
	return 0, 0, false, false
}

func appendInt(b []byte, n int64, u uint64, signed bool) []byte {
	if signed {
		return strconv.AppendInt(b, n, 10)
	}
	return strconv.AppendUint(b, u, 10)
}
