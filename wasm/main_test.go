//go:build js && wasm

package main

// The glue's own tests, run under the js runtime:
//
//	PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm go test ./wasm/
//
// The JS API as a whole is tested by web/test/ (node --test).

import (
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"

	"raftsandbox/wasm/bridge"
)

func TestMain(m *testing.M) {
	if err := register(); err != nil {
		panic(err)
	}
	m.Run()
}

func jsEval(t *testing.T, expr string) safejs.Value {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	f, err := fn.New("return (" + expr + ")")
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Invoke()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestConvert(t *testing.T) {
	cases := []struct {
		expr string
		want bridge.Arg
	}{
		{"undefined", bridge.Arg{Kind: bridge.Undefined}},
		{"null", bridge.Arg{Kind: bridge.Null}},
		{"42.5", bridge.Num(42.5)},
		{"NaN", bridge.Arg{Kind: bridge.Number}}, // checked below: NaN != NaN
		{`"SET 5"`, bridge.Str("SET 5")},
		{`"中文"`, bridge.Str("中文")},
		{"true", bridge.BoolArg(true)},
		{"({})", bridge.OtherArg("object")},
		{"[1, 2]", bridge.OtherArg("object")},
		{"() => 1", bridge.OtherArg("function")},
		{"Symbol('s')", bridge.OtherArg("symbol")},
		{"5n", bridge.OtherArg("bigint")},
	}
	for _, c := range cases {
		got := convert([]safejs.Value{jsEval(t, c.expr)})[0]
		if c.expr == "NaN" {
			if got.Kind != bridge.Number || got.Num == got.Num {
				t.Errorf("NaN converted to %+v", got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("convert(%s) = %+v, want %+v", c.expr, got, c.want)
		}
	}
}

// A string longer than MaxStringArg is measured, not copied into Go.
func TestLongStringNotLoaded(t *testing.T) {
	got := convert([]safejs.Value{jsEval(t, `"x".repeat(`+strconv.Itoa(bridge.MaxStringArg+1)+`)`)})[0]
	if got.Kind != bridge.String || got.Str != "" || got.Len != bridge.MaxStringArg+1 {
		t.Errorf("long string converted to kind %d, %d bytes loaded, Len %d", got.Kind, len(got.Str), got.Len)
	}
}

// Errors and panics come back as JS Error objects, never as a panic.
func TestEntryReturnsErrors(t *testing.T) {
	isError := func(v any, want string) {
		t.Helper()
		val, ok := v.(safejs.Value)
		if !ok {
			t.Fatalf("result %T %v is not a JS value", v, v)
		}
		if is, err := val.InstanceOf(jsError); err != nil || !is {
			t.Fatalf("result is not an Error (%v)", err)
		}
		msg, _ := val.Get("message")
		s, _ := msg.String()
		if !strings.Contains(s, want) {
			t.Errorf("message %q, want it to contain %q", s, want)
		}
	}
	panicky := entry("call", func([]safejs.Value) (any, error) { panic("boom") })
	isError(panicky(safejs.Undefined(), nil), "internal error in call: boom")
	failing := entry("call", func([]safejs.Value) (any, error) { return nil, bridge.ErrBadCall })
	isError(failing(safejs.Undefined(), nil), "handle and op must be whole numbers")
	isError(entry("call", call)(safejs.Undefined(), []safejs.Value{jsEval(t, "5n")}), "handle and op must be whole numbers")
	isError(entry("destroy", destroy)(safejs.Undefined(), []safejs.Value{jsEval(t, "12345")}), "this sandbox was destroyed")
}

// A whole round trip through the three functions.
func TestCreateCallDestroy(t *testing.T) {
	h := entry("create", create)(safejs.Undefined(), []safejs.Value{jsEval(t, `"nodes=3;seed=4"`)})
	handle, ok := h.(float64)
	if !ok {
		t.Fatalf("create returned %T %v", h, h)
	}
	args := []safejs.Value{jsEval(t, strconv.Itoa(int(handle))), jsEval(t, strconv.Itoa(int(bridge.OpAdvance))), jsEval(t, "1000")}
	if r := entry("call", call)(safejs.Undefined(), args); r != nil {
		t.Fatalf("advance returned %v", r)
	}
	args = []safejs.Value{jsEval(t, strconv.Itoa(int(handle))), jsEval(t, strconv.Itoa(int(bridge.OpConfig)))}
	r := entry("call", call)(safejs.Undefined(), args)
	s, ok := r.(string)
	if !ok || !strings.HasPrefix(s, `{"nodes":3,"seed":4,`) {
		t.Fatalf("config returned %T %.80v", r, r)
	}
	// state() crosses in the frame form (wasm/bridge/frame.go), left in the
	// wasm's memory: callView returns address / 8 * 2^24 + length.
	args[1] = jsEval(t, strconv.Itoa(int(bridge.OpState)))
	if v, ok := entry("callView", callView)(safejs.Undefined(), args).(float64); !ok || v != math.Trunc(v) || math.Mod(v, 1<<24) < 13*8 {
		t.Fatalf("state through callView returned %v, want a view of a frame", v)
	}
	if r := entry("destroy", destroy)(safejs.Undefined(), args[:1]); r != nil {
		t.Fatalf("destroy returned %v", r)
	}
}

// collect runs a collection and returns nothing; it is registered with the
// other entry points.
func TestCollect(t *testing.T) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.NumGC
	if r := entry("collect", collect)(safejs.Undefined(), nil); r != nil {
		t.Fatalf("collect returned %v", r)
	}
	runtime.ReadMemStats(&m)
	if m.NumGC == before {
		t.Error("collect did not collect")
	}
	api, err := safejs.Global().Get("__raftSandbox")
	if err != nil {
		t.Fatal(err)
	}
	if fn, err := api.Get("collect"); err != nil || fn.Type() != safejs.TypeFunction {
		t.Errorf("__raftSandbox.collect is %v (%v), want a function", fn, err)
	}
}

// memStats gives four numbers: the heap now, the next collection's goal,
// the collections so far (which runtime.GC advances), their pause.
func TestMemStats(t *testing.T) {
	read := func() []float64 {
		v, ok := entry("memStats", memStats)(safejs.Undefined(), nil).(safejs.Value)
		if !ok {
			t.Fatal("memStats did not return a JS value")
		}
		out := make([]float64, 4)
		for i := range out {
			x, err := v.Get(strconv.Itoa(i))
			if err != nil {
				t.Fatal(err)
			}
			if out[i], err = x.Float(); err != nil {
				t.Fatalf("memStats()[%d]: %v", i, err)
			}
		}
		return out
	}
	before := read()
	runtime.GC()
	after := read()
	if before[0] <= 0 || before[1] <= 0 || after[2] != before[2]+1 {
		t.Errorf("memStats %v then, after one collection, %v", before, after)
	}
}
