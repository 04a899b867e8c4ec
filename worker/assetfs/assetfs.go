// Package assetfs is the Worker's copy of dist/: an fs.FS over files packed
// by ../pack into one folder that the Worker embeds. Files with the same
// bytes are stored once (dist/ holds the wasm twice, under its stable and
// its content-hashed name, each with .br and .gz siblings), a file with a
// .gz sibling is stored only as that sibling (decompressed when a request
// wants it without compression, which browsers never do), and every file
// keeps the size, modification time and SHA-256 it had in dist/, so that
// package site answers from it exactly as `go run serve.go` answers from
// dist/ (same Last-Modified, same ETag), without hashing a file on each
// request of a fresh Go instance.
package assetfs

import (
	"bytes"
	"compress/gzip"
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
	// Gzip, when set, is the blob of a gzip stream of the file's bytes
	// (its name.gz sibling's): the bytes themselves are not stored, and
	// are decompressed from it when the file is read (Pack).
	Gzip string `json:"gzip,omitempty"`
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
		inf := info{name: path.Base(name), size: e.Size, mod: time.Unix(0, e.ModTime)}
		if e.Gzip != "" {
			// Decompressed only if read: the site handler opens a file
			// for its info and ETag even when it sends a sibling.
			return &gzFile{blobs: f.blobs, e: e, info: inf}, nil
		}
		b, err := fs.ReadFile(f.blobs, e.Blob)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		if int64(len(b)) != e.Size {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("blob size differs from the manifest")}
		}
		return &file{Reader: bytes.NewReader(b), info: inf}, nil
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

// gzFile is a file stored as the gzip stream of its bytes (Entry.Gzip),
// decompressed at its first Read or Seek.
type gzFile struct {
	blobs fs.FS
	e     Entry
	info  info
	r     *bytes.Reader
}

func (f *gzFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *gzFile) Close() error               { return nil }

func (f *gzFile) Read(p []byte) (int, error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	return f.r.Read(p)
}

func (f *gzFile) Seek(offset int64, whence int) (int64, error) {
	if err := f.load(); err != nil {
		return 0, err
	}
	return f.r.Seek(offset, whence)
}

func (f *gzFile) load() error {
	if f.r != nil {
		return nil
	}
	fail := func(err error) error { return &fs.PathError{Op: "read", Path: f.e.Name, Err: err} }
	gz, err := fs.ReadFile(f.blobs, f.e.Gzip)
	if err != nil {
		return fail(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return fail(err)
	}
	var buf bytes.Buffer
	buf.Grow(int(f.e.Size) + bytes.MinRead)
	// gzip checks the stream's CRC-32 and length at its end
	if _, err := buf.ReadFrom(io.LimitReader(zr, f.e.Size+1)); err != nil {
		return fail(err)
	}
	if int64(buf.Len()) != f.e.Size {
		return fail(errors.New("decompressed size differs from the manifest"))
	}
	f.r = bytes.NewReader(buf.Bytes())
	return nil
}

var _ io.ReadSeeker = (*gzFile)(nil)

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
