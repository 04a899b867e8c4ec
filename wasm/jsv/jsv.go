//go:build js && wasm

// Package jsv is syscall/js with errors instead of panics: a JS exception
// thrown by a property access, a call or a constructor, or a value of the
// wrong type, comes back as an error, so that nothing a page does can stop
// the Go runtime. It is the part of github.com/hack-pad/safejs the sandbox
// used, with the same names, written here because safejs formats its errors
// with fmt: that alone brought fmt, reflect and os into the wasm, about
// 130 KB brotli of every visitor's download (docs/benchmarks.md, "Where the
// size is"). Only wasm/ uses it.
package jsv

import (
	"errors"
	"syscall/js"
)

// Value is a JS value.
type Value struct{ v js.Value }

// Type is a JS type, as typeof says it.
type Type = js.Type

// The JS types.
const (
	TypeUndefined = js.TypeUndefined
	TypeNull      = js.TypeNull
	TypeBoolean   = js.TypeBoolean
	TypeNumber    = js.TypeNumber
	TypeString    = js.TypeString
	TypeSymbol    = js.TypeSymbol
	TypeObject    = js.TypeObject
	TypeFunction  = js.TypeFunction
)

// Func is a Go function callable from JS.
type Func struct{ fn js.Func }

// Global is JS's globalThis.
func Global() Value { return Value{js.Global()} }

// Undefined is JS's undefined.
func Undefined() Value { return Value{js.Undefined()} }

// try runs fn and turns its panic into an error.
func try[T any](fn func() T) (result T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError(p)
		}
	}()
	return fn(), nil
}

func panicError(p any) error {
	switch v := p.(type) {
	case error:
		return v
	case js.Value:
		return js.Error{Value: v}
	case string:
		return errors.New(v)
	}
	return errors.New("a JS call failed")
}

// unwrap turns what Go hands to JS into what syscall/js takes: Values and
// Funcs become their js.Value, also inside maps and slices.
func unwrap(x any) any {
	switch v := x.(type) {
	case Value:
		return v.v
	case Func:
		return v.fn
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = unwrap(e)
		}
		return out
	case []any:
		return unwrapAll(v)
	}
	return x
}

func unwrapAll(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = unwrap(a)
	}
	return out
}

// ValueOf is js.ValueOf (numbers, strings, booleans, nil, maps and slices of them).
func ValueOf(x any) (Value, error) {
	return try(func() Value { return Value{js.ValueOf(unwrap(x))} })
}

// FuncOf wraps fn for JS; its result goes through unwrap.
func FuncOf(fn func(this Value, args []Value) any) (Func, error) {
	f, err := try(func() js.Func {
		return js.FuncOf(func(this js.Value, args []js.Value) any {
			vals := make([]Value, len(args))
			for i, a := range args {
				vals[i] = Value{a}
			}
			return unwrap(fn(Value{this}, vals))
		})
	})
	return Func{f}, err
}

// Value is the function as a JS value.
func (f Func) Value() Value { return Value{f.fn.Value} }

// Get reads a property.
func (v Value) Get(p string) (Value, error) {
	return try(func() Value { return Value{v.v.Get(p)} })
}

// Set writes a property.
func (v Value) Set(p string, x any) error {
	_, err := try(func() struct{} { v.v.Set(p, unwrap(x)); return struct{}{} })
	return err
}

// New calls v as a constructor.
func (v Value) New(args ...any) (Value, error) {
	args = unwrapAll(args)
	return try(func() Value { return Value{v.v.New(args...)} })
}

// Invoke calls v as a function with this undefined.
func (v Value) Invoke(args ...any) (Value, error) {
	args = unwrapAll(args)
	return try(func() Value { return Value{v.v.Invoke(args...)} })
}

// InstanceOf is JS's instanceof.
func (v Value) InstanceOf(t Value) (bool, error) {
	return try(func() bool { return v.v.InstanceOf(t.v) })
}

// Type is typeof v. It panics on a BigInt (syscall/js has no type for it):
// the caller recovers.
func (v Value) Type() Type { return v.v.Type() }

// Float is a number's value.
func (v Value) Float() (float64, error) { return try(v.v.Float) }

// Int is a number's value, truncated.
func (v Value) Int() (int, error) { return try(v.v.Int) }

// Bool is a boolean's value.
func (v Value) Bool() (bool, error) { return try(v.v.Bool) }

// String is a string's value (another type gives a description of it, as
// js.Value.String does).
func (v Value) String() (string, error) { return try(v.v.String) }

// Eval evaluates a JS expression (through the Function constructor) and
// returns its value: for tests that need a JS value of a given kind.
func Eval(expr string) (Value, error) {
	fn, err := Global().Get("Function")
	if err != nil {
		return Value{}, err
	}
	f, err := fn.New("return (" + expr + ")")
	if err != nil {
		return Value{}, err
	}
	return f.Invoke()
}
