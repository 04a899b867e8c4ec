package scenario

import (
	"errors"
	"strconv"
	"strings"
)

// The value syntaxes shared by the parser, Action.Settings and the share
// codec. Each returns an error whose text completes "expected ..., found X"
// style messages; the parser adds the line, column and token.

var (
	errDuration = errors.New("expected a duration like 200ms or 1.5s")
	errRange    = errors.New("expected a range like 150-300ms")
	errPercent  = errors.New("expected a percentage like 10% or 0.5%")
)

// parseDuration reads "200ms", "1.5s", "2m", "1h" or "0" as milliseconds,
// rejecting negative values, fractions of a millisecond and anything above
// MaxTime.
func parseDuration(s string) (int64, error) {
	if s == "0" {
		return 0, nil
	}
	var unit int64
	var num string
	switch {
	case strings.HasSuffix(s, "ms"):
		unit, num = 1, s[:len(s)-2]
	case strings.HasSuffix(s, "s"):
		unit, num = 1000, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		unit, num = 60*1000, s[:len(s)-1]
	case strings.HasSuffix(s, "h"):
		unit, num = 3600*1000, s[:len(s)-1]
	default:
		return 0, errDuration
	}
	whole, frac, hasDot := strings.Cut(num, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, errDuration
	}
	if len(whole) > 9 {
		return 0, errors.New("this duration is too long (at most 24h)")
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	ms := w * unit
	// The fraction must come out as whole milliseconds: count its digits
	// against the unit instead of going through floating point.
	frac = strings.TrimRight(frac, "0")
	if frac != "" {
		if len(frac) > 7 {
			return 0, errors.New("durations are whole milliseconds: this one has a fraction of a millisecond")
		}
		f, _ := strconv.ParseInt(frac, 10, 64)
		scale := int64(1)
		for range len(frac) {
			scale *= 10
		}
		if (f*unit)%scale != 0 {
			return 0, errors.New("durations are whole milliseconds: this one has a fraction of a millisecond")
		}
		ms += f * unit / scale
	}
	if ms > MaxTime {
		return 0, errors.New("this duration is too long (at most 24h)")
	}
	return ms, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// formatDuration prints milliseconds canonically: "0ms", "250ms", "2s", "1.5s".
func formatDuration(ms int64) string {
	if ms < 1000 {
		return strconv.FormatInt(ms, 10) + "ms"
	}
	s := strconv.FormatInt(ms/1000, 10)
	if r := ms % 1000; r != 0 {
		f := strings.TrimRight(strconv.FormatInt(r+1000, 10)[1:], "0")
		s += "." + f
	}
	return s + "s"
}

// parseRange reads "150-300ms" or "150ms-300ms" (also "1-2s") as two
// durations; the first unit may be left out and is then the second's.
func parseRange(s string) (lo, hi int64, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok || a == "" || b == "" {
		return 0, 0, errRange
	}
	if allDigits(strings.Replace(a, ".", "", 1)) && a != "0" {
		// "150-300ms": borrow the unit of the upper bound.
		i := len(b)
		for i > 0 && (b[i-1] < '0' || b[i-1] > '9') {
			i--
		}
		a += b[i:]
	}
	if lo, err = parseDuration(a); err != nil {
		if err == errDuration {
			err = errRange
		}
		return 0, 0, err
	}
	if hi, err = parseDuration(b); err != nil {
		if err == errDuration {
			err = errRange
		}
		return 0, 0, err
	}
	return lo, hi, nil
}

// formatRange prints a range canonically, always in milliseconds: "150-300ms".
func formatRange(lo, hi int64) string {
	return strconv.FormatInt(lo, 10) + "-" + strconv.FormatInt(hi, 10) + "ms"
}

// parsePercent reads "10%", "0.5%" or "0.0001%" (at most four decimals,
// at most 100%) as a Rate.
func parsePercent(s string) (Rate, error) {
	num, ok := strings.CutSuffix(s, "%")
	if !ok {
		return 0, errPercent
	}
	whole, frac, hasDot := strings.Cut(num, ".")
	if !allDigits(whole) || (hasDot && !allDigits(frac)) {
		return 0, errPercent
	}
	if len(whole) > 3 {
		return 0, errors.New("a percentage is at most 100%")
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 4 {
		return 0, errors.New("a percentage has at most four decimals (0.0001%)")
	}
	w, _ := strconv.ParseUint(whole, 10, 32)
	f, _ := strconv.ParseUint((frac + "0000")[:4], 10, 32)
	r := w*10000 + f
	if r > uint64(RateOne) {
		return 0, errors.New("a percentage is at most 100%")
	}
	return Rate(r), nil
}

// parseOnOff reads "on" or "off".
func parseOnOff(s string) (bool, error) {
	switch s {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, errors.New("expected on or off")
}

// parseInt reads a decimal int64 (an optional leading '-').
func parseInt(s string) (int64, error) {
	d := strings.TrimPrefix(s, "-")
	if !allDigits(d) {
		return 0, errors.New("expected a whole number")
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("this number is out of range")
	}
	return v, nil
}

// parseCount reads a decimal number in [min, max].
func parseCount(s string, min, max int64) (int64, error) {
	if !allDigits(s) {
		return 0, errors.New("expected a whole number")
	}
	if len(s) > 18 {
		return 0, errors.New("this number is out of range (" + strconv.FormatInt(min, 10) + ".." + strconv.FormatInt(max, 10) + ")")
	}
	v, _ := strconv.ParseInt(s, 10, 64)
	if v < min || v > max {
		return 0, errors.New("this number is out of range (" + strconv.FormatInt(min, 10) + ".." + strconv.FormatInt(max, 10) + ")")
	}
	return v, nil
}

// expectKeywords are the words an expectation starts with; a key with one
// of these names cannot be the subject of `expect KEY = N` (it would read as
// the keyword), though requests may use it.
var expectKeywords = []string{"leader", "no", "term", "commit", "role", "down", "request", "logs", "invariants", "votes"}

// validKey reports whether s is a state machine key: a letter, then
// letters, digits or '_', at most MaxKeyBytes characters (keys are
// case-sensitive): exactly the keys the simulator's command parser accepts.
func validKey(s string) bool {
	if s == "" || len(s) > MaxKeyBytes || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseCommand validates a client command given as words and returns its
// canonical text: "SET 5", "SET k 5", "ADD 2", "ADD k 2", "GET", "GET k". The verb
// is case-insensitive. The returned int is the index of the offending word
// on error.
func parseCommand(words []string) (string, int, error) {
	if len(words) == 0 {
		return "", 0, errors.New("expected a command: SET 5, ADD 2, SET k 5, ADD k 2, GET or GET k")
	}
	verb := strings.ToUpper(words[0])
	switch verb {
	case "SET", "ADD":
		switch len(words) {
		case 2:
			v, err := parseInt(words[1])
			if err != nil {
				return "", 1, errors.New("expected a number")
			}
			return verb + " " + strconv.FormatInt(v, 10), 0, nil
		case 3:
			if _, err := parseInt(words[1]); err == nil {
				return "", 2, errors.New("expected the end of the command, or to and a node")
			}
			if !validKey(words[1]) {
				return "", 1, errors.New("expected a key (a letter, then letters, digits or _)")
			}
			v, err := parseInt(words[2])
			if err != nil {
				return "", 2, errors.New("expected a number")
			}
			return verb + " " + words[1] + " " + strconv.FormatInt(v, 10), 0, nil
		case 1:
			return "", 1, errors.New("expected a number (" + verb + " 5) or a key and a number (" + verb + " x 5)")
		}
		return "", 3, errors.New("expected the end of the command")
	case "GET":
		switch len(words) {
		case 2:
			if !validKey(words[1]) {
				return "", 1, errors.New("expected a key (a letter, then letters, digits or _)")
			}
			return verb + " " + words[1], 0, nil
		case 1:
			return verb, 0, nil // the default key
		}
		return "", 2, errors.New("expected the end of the command")
	}
	return "", 0, errors.New("expected a command: SET, ADD or GET")
}
