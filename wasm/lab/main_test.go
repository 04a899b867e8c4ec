//go:build js && wasm

package main

// The lab's glue, run under the js runtime:
//
//	PATH="$(go env GOROOT)/lib/wasm:$PATH" GOOS=js GOARCH=wasm go test ./wasm/lab/
//
// It calls globalThis.__raftLab as the worker does: a hunt that finds a
// bug (so the chaos search and porcupine run in wasm, goroutines and all),
// the client's view of its run, and bad arguments returned as Errors.

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"
)

func TestMain(m *testing.M) {
	if err := register(); err != nil {
		panic(err)
	}
	m.Run()
}

func jsEval(t *testing.T, expr string) safejs.Value {
	t.Helper()
	eval, err := safejs.Global().Get("eval")
	if err != nil {
		t.Fatal(err)
	}
	v, err := eval.Invoke(expr)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jsString(t *testing.T, expr string) string {
	t.Helper()
	v := jsEval(t, expr)
	if typ, _ := typeOf(v); typ != safejs.TypeString {
		msg, _ := jsEval(t, "String("+expr+")").String()
		t.Fatalf("%s returned %s, not a string", expr, msg)
	}
	s, err := v.String()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHuntAndViewInWasm(t *testing.T) {
	var bugs []struct{ Name, JSName, Profile string }
	if err := json.Unmarshal([]byte(jsString(t, "__raftLab.bugs()")), &bugs); err != nil || len(bugs) < 4 {
		t.Fatalf("bugs(): %v %v", bugs, err)
	}
	var rep struct {
		Ran   int
		Found *struct {
			Seed  uint64
			Check string
			Share string
		}
	}
	out := jsString(t, `__raftLab.hunt("ackBeforeDurable", 1, 20, 10000)`)
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Found == nil || rep.Found.Share == "" {
		t.Fatalf("hunt: %s (%v)", out, err)
	}
	t.Logf("found at seed %d by %s", rep.Found.Seed, rep.Found.Check)
	var v struct {
		Now     int64
		Ops     []struct{ ID int }
		Verdict struct {
			OK  bool
			Ops int
		}
	}
	out = jsString(t, `__raftLab.view(`+strings.ReplaceAll(string(mustJSON(rep.Found.Share)), "\n", "")+`, -1)`)
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Now == 0 || len(v.Ops) == 0 {
		t.Fatalf("view: %s (%v)", out, err)
	}
	share := strings.ReplaceAll(string(mustJSON(rep.Found.Share)), "\n", "")
	src := jsString(t, `__raftLab.exportGoTest(`+share+`, `+strconv.FormatInt(v.Now, 10)+`, "found by the hunt", "", "regress", "", true)`)
	for _, want := range []string{"package regress\n", "func TestFoundByTheHunt(t *testing.T) {", "const share = `" + rep.Found.Share + "`"} {
		if !strings.Contains(src, want) {
			t.Errorf("exportGoTest: the source lacks %q:\n%s", want, src)
		}
	}
	out = jsString(t, `__raftLab.bench(2000, 5)`)
	if !strings.Contains(out, `"ok":true`) {
		t.Errorf("bench: %s", out)
	}
}

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}

func TestBadArgumentsAreErrors(t *testing.T) {
	for _, expr := range []string{
		`__raftLab.hunt()`,
		`__raftLab.hunt("typo", 1, 1, 0)`,
		`__raftLab.hunt("ackBeforeDurable", 0.5, 1, 0)`,
		`__raftLab.hunt("ackBeforeDurable", 1n, 1, 0)`,
		`__raftLab.view(42, 0)`,
		`__raftLab.view("garbage", 0)`,
		`__raftLab.bench(0, 5)`,
		`__raftLab.exportGoTest("garbage", 0, "", "", "", "")`,
		`__raftLab.exportGoTest("x", -1, "", "", "", "")`,
		`__raftLab.exportGoTest("x", 0, 5, "", "", "")`,
		`__raftLab.exportGoTest("x", 0, "", "", "", "", "yes")`,
	} {
		if isErr, _ := jsEval(t, "("+expr+") instanceof Error").Bool(); !isErr {
			got, _ := jsEval(t, "String("+expr+")").String()
			t.Errorf("%s returned %q, want an Error", expr, got)
		}
	}
}
