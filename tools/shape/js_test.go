package shape

import (
	"reflect"
	"testing"
)

// The scanner finds functions of every form, and is not fooled by braces
// in strings, templates, regular expressions, comments or control blocks.
func TestScanJS(t *testing.T) {
	src := `// a { in a comment
export function one(a) {
  if (a) {
    return "}";
  }
  const re = /[}{]\/x/g;
  return ` + "`${a ? { b: 1 }.b : `}`} }`" + `;
}
class K {
  method(x) {
    for (const y of x) { }
  }
  get size() { return 1; }
}
const arrow = (x) => {
  /* } */
  return x / 2;
};
const f = function () {
  return 1 / 3;
};
`
	funcs, err := scanJS("x.js", src)
	if err != nil {
		t.Fatal(err)
	}
	var got []Func
	for _, f := range funcs {
		got = append(got, Func{Name: f.Name, Line: f.Line, Lines: f.Lines})
	}
	want := []Func{
		{Name: "one", Line: 2, Lines: 7},
		{Name: "method", Line: 10, Lines: 3},
		{Name: "size", Line: 13, Lines: 1},
		{Name: "(arrow)", Line: 15, Lines: 4},
		{Name: "(function)", Line: 19, Lines: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if _, err := scanJS("bad.js", "function f() {\n"); err == nil {
		t.Error("an unbalanced text gave no error")
	}
}
