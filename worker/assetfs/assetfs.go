// Package assetfs is the Worker's copy of dist/: an fs.FS over files packed
// by ../pack into one folder that the Worker embeds. Files with the same
// bytes are stored once (dist/ holds the wasm twice, under its stable and
// its content-hashed name, each with .br and .gz siblings), and every file
// keeps the size, modification time and SHA-256 it had in dist/, so that
// package site answers from it exactly as `go run serve.go` answers from
// dist/ (same Last-Modified, same ETag), without hashing a file on each
// request of a fresh Go instance.
package assetfs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"path"
	"sort"
	"time"
)

// ManifestName is the manifest in a packed folder; blobs are under BlobDir.
const (
	ManifestName = "manifest.json"
	BlobDir      = "blobs"
)

// Entry is one file of the site in the manifest.
type Entry struct {
	Name    string `json:"name"`    // slash-separated, relative to dist/
	Blob    string `json:"blob"`    // hex SHA-256 of the bytes: the blob's file name
	Size    int64  `json:"size"`    // bytes
	ModTime int64  `json:"modtime"` // Unix nanoseconds
}

// FS serves the files of a manifest from a packed folder.
type FS struct {
	blobs fs.FS
	files map[string]Entry
	dirs  map[string]bool // the directories (a directory opens, empty: the site never lists one)
}

// New reads the manifest of the packed folder root (an fs.FS such as an
// embed.FS, and the folder's path in it).
func New(fsys fs.FS, root string) (*FS, error) {
	b, err := fs.ReadFile(fsys, path.Join(root, ManifestName))
	if err != nil {
		return nil, err
	}
	var entries []Entry
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, errors.New("assetfs: damaged manifest: " + err.Error())
	}
	return FromEntries(fsys, root, entries)
}

// FromEntries is New with the manifest given as Go values: the Worker
// compiles its manifest in (manifest_gen.go, written by Pack) rather than
// parse JSON in every fresh Go instance, which also keeps encoding/json out
// of its binary.
func FromEntries(fsys fs.FS, root string, entries []Entry) (*FS, error) {
	blobs, err := fs.Sub(fsys, path.Join(root, BlobDir))
	if err != nil {
		return nil, err
	}
	f := &FS{blobs: blobs, files: map[string]Entry{}, dirs: map[string]bool{".": true}}
	for _, e := range entries {
		if !fs.ValidPath(e.Name) || e.Name == "." {
			return nil, errors.New("assetfs: bad name in the manifest: " + e.Name)
		}
		f.files[e.Name] = e
		for dir := path.Dir(e.Name); dir != "."; dir = path.Dir(dir) {
			f.dirs[dir] = true
		}
	}
	return f, nil
}

// Names lists every file, sorted.
func (f *FS) Names() []string {
	out := make([]string, 0, len(f.files))
	for n := range f.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Sum returns the SHA-256 of a file's bytes, known from the manifest (the
// site handler's ETag; see site.Summer).
func (f *FS) Sum(name string) ([sha256.Size]byte, bool) {
	var sum [sha256.Size]byte
	e, ok := f.files[name]
	if !ok {
		return sum, false
	}
	b, err := hex.DecodeString(e.Blob)
	if err != nil || len(b) != len(sum) {
		return sum, false
	}
	copy(sum[:], b)
	return sum, true
}

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if e, ok := f.files[name]; ok {
		b, err := fs.ReadFile(f.blobs, e.Blob)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		if int64(len(b)) != e.Size {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("blob size differs from the manifest")}
		}
		return &file{Reader: bytes.NewReader(b), info: info{name: path.Base(name), size: e.Size, mod: time.Unix(0, e.ModTime)}}, nil
	}
	if _, ok := f.dirs[name]; ok {
		return &file{Reader: bytes.NewReader(nil), info: info{name: path.Base(name), dir: true}}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

type file struct {
	*bytes.Reader
	info info
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

var _ io.ReadSeeker = (*file)(nil)

type info struct {
	name string
	size int64
	mod  time.Time
	dir  bool
}

func (i info) Name() string       { return i.name }
func (i info) Size() int64        { return i.size }
func (i info) ModTime() time.Time { return i.mod }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
