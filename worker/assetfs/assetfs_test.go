package assetfs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
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

// A file with a .gz sibling that decompresses to its bytes is stored only as
// the sibling and served decompressed, byte for byte, with its own size,
// time and sum; a sibling that does not match leaves the file stored as it
// is; a damaged blob is an error at read time, not wrong bytes.
func TestPackStoresGzippedFilesOnce(t *testing.T) {
	dist := t.TempDir()
	mod := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	big := bytes.Repeat([]byte("\x00asm the lab's wasm, compressible "), 2000)
	other := []byte("console.log('not what the .gz holds')")
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	files := map[string][]byte{
		"raft-lab.wasm":                     big,
		"raft-lab.wasm.gz":                  gz(big),
		"raft-lab.0123456789abcdef.wasm":    big,
		"raft-lab.0123456789abcdef.wasm.gz": gz(big),
		"ui/x.js":                           other,
		"ui/x.js.gz":                        gz([]byte("something else")),
	}
	for name, data := range files {
		p := filepath.Join(dist, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mod, mod)
	}
	out := filepath.Join(t.TempDir(), "assets")
	p, err := Pack(dist, out)
	if err != nil {
		t.Fatal(err)
	}
	// blobs: the wasm's gzip once, x.js, x.js.gz
	if p.Files != 6 || p.Blobs != 3 || p.Gunzipped != 2 || p.BlobBytes != int64(len(gz(big))+len(other)+len(files["ui/x.js.gz"])) {
		t.Errorf("packed %+v, want 6 files as 3 blobs, 2 of them served from their .gz", p)
	}
	if _, err := os.Stat(filepath.Join(out, BlobDir, hex.EncodeToString(sha(big)))); !os.IsNotExist(err) {
		t.Errorf("the wasm's own bytes were stored (%v)", err)
	}
	src, _ := os.ReadFile(filepath.Join(filepath.Dir(out), GoName))
	if !bytes.Contains(src, []byte(`{Name: "raft-lab.wasm", Blob: "`+hex.EncodeToString(sha(big))+`", Gzip: "`)) {
		t.Errorf("%s has no Gzip field for raft-lab.wasm:\n%s", GoName, src)
	}
	f, err := New(os.DirFS(out), ".")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		file, err := f.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := file.Stat()
		rs := file.(io.ReadSeeker)
		if n, err := rs.Seek(0, io.SeekEnd); err != nil || n != int64(len(want)) {
			t.Errorf("%s: seek to the end: %d, %v", name, n, err)
		}
		rs.Seek(0, io.SeekStart)
		b, err := io.ReadAll(rs)
		if err != nil || !bytes.Equal(b, want) || info.Size() != int64(len(want)) || !info.ModTime().Equal(mod) {
			t.Errorf("%s: %d bytes (want %d), size %d, mod %v, %v", name, len(b), len(want), info.Size(), info.ModTime(), err)
		}
		if sum, ok := f.Sum(name); !ok || sum != sha256.Sum256(want) {
			t.Errorf("%s: wrong sum", name)
		}
	}
	// a damaged gzip blob: reading fails
	gzBlob := filepath.Join(out, BlobDir, hex.EncodeToString(sha(gz(big))))
	bad := gz(big)
	bad[len(bad)-9] ^= 1 // the CRC-32
	os.WriteFile(gzBlob, bad, 0o644)
	file, err := f.Open("raft-lab.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(file.(io.Reader)); err == nil {
		t.Error("a damaged gzip blob read without error")
	}
}

func sha(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
