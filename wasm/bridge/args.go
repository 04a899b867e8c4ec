package bridge

import (
	"math"
	"raftsandbox/sim"
	"strconv"
	"strings"
)

// Kind is the JavaScript type of one argument as it crossed the boundary.
type Kind uint8

// The kinds of Arg. Other covers objects, arrays, functions, symbols and
// bigints: the glue does not convert them, it only names their type.
const (
	Undefined Kind = iota
	Null
	Number
	String
	Bool
	Other
)

// Arg is one argument of a call from JavaScript, already converted by the
// glue in wasm/main.go (so that this package needs no syscall/js and can be
// tested natively).
type Arg struct {
	Kind     Kind
	Num      float64
	Str      string
	Bool     bool
	TypeName string // for Other: "object", "function", "symbol", "bigint", ...
	Len      int    // for String when Str was not loaded because it was too long
}

// MaxStringArg is the longest string the glue converts; longer strings are
// rejected by length without copying them into Go memory. Scenario scripts
// and share strings are the long ones.
const MaxStringArg = 1 << 20

// Num, Str, ... build arguments (tests and the glue use them).
func Num(v float64) Arg     { return Arg{Kind: Number, Num: v} }
func Str(s string) Arg      { return Arg{Kind: String, Str: s} }
func BoolArg(b bool) Arg    { return Arg{Kind: Bool, Bool: b} }
func OtherArg(t string) Arg { return Arg{Kind: Other, TypeName: t} }

// describe renders an argument for an error message, the way JS would print it.
func describe(a Arg) string {
	switch a.Kind {
	case Undefined:
		return "undefined"
	case Null:
		return "null"
	case Number:
		return formatNumber(a.Num)
	case String:
		if a.Len > 0 && a.Str == "" {
			return "a string of " + strconv.Itoa(a.Len) + " characters"
		}
		return quote(a.Str)
	case Bool:
		if a.Bool {
			return "true"
		}
		return "false"
	default:
		if a.TypeName == "" {
			return "a value of unknown type"
		}
		return "a " + a.TypeName
	}
}

func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	case v == math.Trunc(v) && math.Abs(v) < 1e21:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// quote renders s in double quotes, shortened to 40 characters, with anything
// unprintable escaped, so that a huge or binary argument cannot flood a message.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
	}
	return strconv.Quote(s)
}

// intArg reads argument i as a whole number within [min, max].
func intArg(sig string, args []Arg, i int, name string, min, max int64) (int64, error) {
	a := arg(args, i)
	if a.Kind == Number && a.Num == math.Trunc(a.Num) && a.Num >= float64(min) && a.Num <= float64(max) {
		return int64(a.Num), nil
	}
	return 0, errorf(sig + ": " + name + " must be a whole number from " + strconv.FormatInt(min, 10) +
		" to " + strconv.FormatInt(max, 10) + ", got " + describe(a))
}

// stringArg reads argument i as a string of 1..maxLen bytes.
func stringArg(sig string, args []Arg, i int, name, what string, maxLen int) (string, error) {
	a := arg(args, i)
	if a.Kind == String && a.Len == 0 && len(a.Str) > 0 && len(a.Str) <= maxLen {
		return a.Str, nil
	}
	if a.Kind == String && (a.Len > maxLen || len(a.Str) > maxLen) {
		return "", errorf(sig + ": " + name + " is too long (" + strconv.Itoa(max(a.Len, len(a.Str))) +
			" characters; at most " + strconv.Itoa(maxLen) + ")")
	}
	return "", errorf(sig + ": " + name + " must be " + what + ", got " + describe(a))
}

func arg(args []Arg, i int) Arg {
	if i < len(args) {
		return args[i]
	}
	return Arg{Kind: Undefined}
}

// Error is an error meant for a person: the JS side throws new Error(msg),
// with code and args (Why) when the simulator said why, so that the page can
// word it in the reader's language.
type Error struct {
	msg string
	why sim.Why
}

func (e *Error) Error() string { return e.msg }

// Why is the error as a code and arguments (zero when there is none).
func (e *Error) Why() sim.Why { return e.why }

func errorf(msg string) error { return &Error{msg: msg} }

// errorWhy is errorf with a code and arguments.
func errorWhy(msg string, w sim.Why) error { return &Error{msg: msg, why: w} }

// WhyOf returns the code and arguments of an error from Call or Create.
func WhyOf(err error) sim.Why {
	if e, ok := err.(*Error); ok {
		return e.why
	}
	return sim.WhyOf(err)
}

// nodeList names the nodes for an error message: "A-E", or "A, B, D".
func nodeList(ids []string) string {
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && len(ids[j]) == 1 && len(ids[j+1]) == 1 && ids[j+1][0] == ids[j][0]+1 {
			j++
		}
		switch {
		case j-i >= 2:
			parts = append(parts, ids[i]+"-"+ids[j])
		case j == i+1:
			parts = append(parts, ids[i], ids[j])
		default:
			parts = append(parts, ids[i])
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// quoteID renders a node id as 'Z' (short printable ids) or quoted.
func quoteID(id string) string {
	if len(id) <= 8 {
		printable := true
		for i := 0; i < len(id); i++ {
			if id[i] < 0x21 || id[i] > 0x7e || id[i] == '\'' {
				printable = false
				break
			}
		}
		if printable && id != "" {
			return "'" + id + "'"
		}
	}
	return quote(id)
}

// ErrBadCall is returned when __raftSandbox is called without a numeric
// handle and operation (only a caller bypassing web/raft-sandbox.js can).
var ErrBadCall = errorf("__raftSandbox.call(handle, op, ...args): handle and op must be whole numbers; use web/raft-sandbox.js")
