package assetfs

import (
	"bytes"
	"crypto/sha256"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

// A packed folder serves every file of the site with its bytes, size,
// modification time and sum, stores equal contents once, and leaves
// dotfiles out.
func TestPackAndServe(t *testing.T) {
	dist := t.TempDir()
	mod := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	files := map[string]string{
		"index.html":                         "<!doctype html>",
		"raft-sandbox.wasm":                  "\x00asm same bytes",
		"raft-sandbox.0123456789abcdef.wasm": "\x00asm same bytes",
		"pictures/nodes-5.svg":               "<svg/>",
		".build-stamp.json":                  "{}",
	}
	for name, data := range files {
		p := filepath.Join(dist, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mod, mod)
	}
	out := filepath.Join(t.TempDir(), "assets")
	p, err := Pack(dist, out)
	if err != nil {
		t.Fatal(err)
	}
	if p.Files != 4 || p.Blobs != 3 {
		t.Errorf("packed %d files as %d blobs, want 4 as 3 (the dotfile left out, the two wasm stored once)", p.Files, p.Blobs)
	}
	f, err := New(os.DirFS(out), ".")
	if err != nil {
		t.Fatal(err)
	}
	// the same manifest as Go source, for the Worker (FromEntries)
	src, err := os.ReadFile(filepath.Join(filepath.Dir(out), GoName))
	if err != nil || !bytes.Contains(src, []byte(`{Name: "pictures/nodes-5.svg", Blob: "`)) || !bytes.Contains(src, []byte("var manifest = []assetfs.Entry{")) {
		t.Errorf("%s: %v\n%s", GoName, err, src)
	}
	want := fstest.MapFS{}
	for name, data := range files {
		if name[0] != '.' {
			want[name] = &fstest.MapFile{Data: []byte(data), ModTime: mod, Mode: 0o444}
		}
	}
	for name, w := range want {
		file, err := f.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(file)
		info, _ := file.Stat()
		if !bytes.Equal(b, w.Data) || info.Size() != int64(len(w.Data)) || !info.ModTime().Equal(mod) || info.IsDir() {
			t.Errorf("%s: %q, size %d, mod %v", name, b, info.Size(), info.ModTime())
		}
		if sum, ok := f.Sum(name); !ok || sum != sha256.Sum256(w.Data) {
			t.Errorf("%s: wrong sum", name)
		}
		if _, ok := file.(io.Seeker); !ok {
			t.Errorf("%s cannot seek (the site handler serves ranges)", name)
		}
	}
	if _, err := f.Open(".build-stamp.json"); !os.IsNotExist(err) {
		t.Errorf("a dotfile was packed: %v", err)
	}
	if _, err := f.Open("nope"); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := f.Open("../x"); err == nil {
		t.Error("an invalid path opened")
	}
	d, err := f.Open("pictures")
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := d.Stat(); !info.IsDir() {
		t.Error("pictures is not a directory")
	}
	if _, ok := f.Sum("nope"); ok {
		t.Error("a sum for a missing file")
	}
	if got := f.Names(); len(got) != 4 {
		t.Errorf("Names: %v", got)
	}
	var _ fs.FS = f
}

func TestDamagedManifest(t *testing.T) {
	for _, m := range []string{"nope", `[{"name":"../x","blob":"a"}]`} {
		if _, err := New(fstest.MapFS{ManifestName: {Data: []byte(m)}}, "."); err == nil {
			t.Errorf("manifest %q accepted", m)
		}
	}
}
