package assemble

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// goWasmExec reads the Go distribution's wasm_exec.js.
func goWasmExec(t *testing.T) []byte {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	root := strings.TrimSpace(string(out))
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		if b, err := os.ReadFile(filepath.Join(root, dir, "wasm_exec.js")); err == nil {
			return b
		}
	}
	t.Fatalf("no wasm_exec.js under %s", root)
	return nil
}

func TestPatchWasmExecGo(t *testing.T) {
	src := goWasmExec(t)
	out, err := PatchWasmExec(src)
	if err != nil {
		t.Fatalf("the Go distribution's wasm_exec.js does not patch: %v", err)
	}
	if n := bytes.Count(out, []byte("decodeGoString")); n != 2 {
		t.Errorf("decodeGoString appears %d times, want 2 (defined, called by loadString)", n)
	}
	if bytes.Contains(out, []byte("decoder.decode(new DataView(")) {
		t.Error("loadString still decodes with TextDecoder directly")
	}
	// the rest of the file is untouched
	if len(out) <= len(src) || !bytes.HasPrefix(out, src[:bytes.Index(src, []byte("const decoder"))]) {
		t.Error("the patch changed the start of the file")
	}
	again, err := PatchWasmExec(out)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("patching a patched file changed it (err %v)", err)
	}
}

func TestPatchWasmExecOther(t *testing.T) {
	// not Go's file: unchanged
	fake := []byte("// Go's support file\nglobalThis.Go = class {};\n")
	out, err := PatchWasmExec(fake)
	if err != nil || !bytes.Equal(out, fake) {
		t.Errorf("a file without loadString changed (err %v)", err)
	}
	// Go's file in an unknown shape: an error, not a silent skip
	changed := bytes.Replace(goWasmExec(t), []byte("new DataView(this._inst.exports.mem.buffer, saddr, len)"), []byte("view(saddr, len)"), 1)
	if _, err := PatchWasmExec(changed); err == nil || !strings.Contains(err.Error(), "update the patch") {
		t.Errorf("an unknown loadString: got error %v, want one that says to update the patch", err)
	}
}
