package assetfs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Packed says what Pack wrote.
type Packed struct {
	Files, Blobs int
	FileBytes    int64 // the bytes of every file of dist/
	BlobBytes    int64 // the bytes stored (each distinct content once)
}

// Pack copies the site in dist (every file but dotfiles, which the site
// never serves) into out as a manifest and one blob per distinct content.
// out is emptied first.
func Pack(dist, out string) (Packed, error) {
	var p Packed
	if err := os.RemoveAll(out); err != nil {
		return p, err
	}
	if err := os.MkdirAll(filepath.Join(out, BlobDir), 0o755); err != nil {
		return p, err
	}
	var entries []Entry
	seen := map[string]bool{}
	err := filepath.WalkDir(dist, func(p2 string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dist, p2)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p2)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		blob := hex.EncodeToString(sum[:])
		entries = append(entries, Entry{Name: name, Blob: blob, Size: int64(len(b)), ModTime: info.ModTime().UnixNano()})
		p.Files++
		p.FileBytes += int64(len(b))
		if !seen[blob] {
			seen[blob] = true
			p.Blobs++
			p.BlobBytes += int64(len(b))
			return os.WriteFile(filepath.Join(out, BlobDir, blob), b, 0o644)
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	b, err := json.MarshalIndent(entries, "", "\t")
	if err != nil {
		return p, err
	}
	return p, os.WriteFile(filepath.Join(out, ManifestName), append(b, '\n'), 0o644)
}
