package textf

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

type stringer struct{}

func (stringer) String() string { return "S" }

// TestSameAsFmt: for every verb and type the package supports, the text is
// fmt's.
func TestSameAsFmt(t *testing.T) {
	errA := errors.New("a failed")
	cases := []struct {
		format string
		args   []any
	}{
		{"plain", nil},
		{"100%% sure", nil},
		{"%d %d %d %d %d %d", []any{-3, int8(-4), int16(5), int32(-6), int64(-1 << 62), uint(7)}},
		{"%d %d %d %d %d", []any{uint8(8), uint16(9), uint32(10), uint64(1 << 63), uintptr(12)}},
		{"%s and %v", []any{"text", "more"}},
		{"%s %v %q", []any{errA, errA, errA}},
		{"%s %v %q", []any{stringer{}, stringer{}, stringer{}}},
		{"%q %q %q", []any{"a \"b\"\n", 'x', byte(7)}},
		{"%v %v %v", []any{true, 0.25, float32(0.5)}},
		{"%v %v", []any{1e21, 1e-7}},
		{"%v", []any{[]string{"A", "B", "C"}}},
		{"%v %v", []any{42, uint64(43)}},
		{"%U %U", []any{'\a', rune(0x1F600)}},
		{"%v", []any{nil}},
		{"end %", nil},
	}
	for _, c := range cases {
		if got, want := Sprintf(c.format, c.args...), fmt.Sprintf(c.format, c.args...); got != want {
			t.Errorf("Sprintf(%q, %v) = %q, fmt says %q", c.format, c.args, got, want)
		}
		if got, want := Errorf(c.format, c.args...).Error(), fmt.Errorf(c.format, c.args...).Error(); got != want {
			t.Errorf("Errorf(%q, %v) = %q, fmt says %q", c.format, c.args, got, want)
		}
	}
}

func TestErrorfWraps(t *testing.T) {
	errA, errB := errors.New("a"), io.EOF
	one := Errorf("x: %w", errA)
	if one.Error() != "x: a" || !errors.Is(one, errA) || errors.Is(one, errB) {
		t.Errorf("one %%w: %q, Is(a) %v", one, errors.Is(one, errA))
	}
	two := Errorf("%w: %d: %w", errA, 3, errB)
	if two.Error() != "a: 3: EOF" || !errors.Is(two, errA) || !errors.Is(two, errB) {
		t.Errorf("two %%w: %q", two)
	}
	if none := Errorf("n %d", 1); errors.Unwrap(none) != nil || none.Error() != "n 1" {
		t.Errorf("no %%w: %q wraps %v", none, errors.Unwrap(none))
	}
}

// TestUnsupportedIsMarked: what the package does not know is marked in the
// text, never a panic, and so are missing and extra arguments.
func TestUnsupportedIsMarked(t *testing.T) {
	type named int
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%d", []any{named(3)}, "%!d(unsupported)"},
		{"%v", []any{struct{}{}}, "%!v(unsupported)"},
		{"%d", []any{"x"}, "%!d(unsupported)"},
		{"%d %d", []any{1}, "1 %!d(MISSING)"},
		{"%d", []any{1, 2}, "1%!(EXTRA)"},
		{"%w", []any{nil}, "%!w(<nil>)"},
		{"%U", []any{-1}, "%!U(unsupported)"},
	} {
		var got string
		if c.format == "%w" {
			got = Errorf(c.format, c.args...).Error()
		} else {
			got = Sprintf(c.format, c.args...)
		}
		if got != c.want {
			t.Errorf("%q %v = %q, want %q", c.format, c.args, got, c.want)
		}
	}
}
