package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sort"
)

// Go's linker writes the wasm's initial memory as one active data segment
// per run of non-zero bytes: it starts a new segment wherever more than a
// few zero bytes follow each other, which keeps the raw file small. A Go
// wasm's memory image (strings, type descriptors, the pclntab tables) has
// tens of thousands of such runs, so the data section is ~45,000 segments,
// each with its own header (flags, an i32.const offset, a length). Those
// headers are what brotli compresses worst: every offset is a different
// number. mergeDataSegments joins neighbouring segments, writing the zero
// bytes between them out in full: the memory after instantiation is byte
// for byte the same (a wasm's memory starts zeroed, and the segments cover
// disjoint ranges, so their order does not matter), the raw file grows by the
// zeros (~12%), and its brotli shrinks by ~55 KB (docs/benchmarks.md,
// "Where the size is"). The code is not touched.

// mergeDataFile joins the data segments of the wasm file at path in place
// (mergeDataSegments).
func mergeDataFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, before, after, err := mergeDataSegments(b)
	if err != nil {
		return fmt.Errorf("joining its data segments: %w", err)
	}
	fmt.Fprintf(stdout, "wasm: %d data segments joined into %d (%d -> %d bytes raw)\n", before, after, len(b), len(out))
	return os.WriteFile(path, out, 0o644)
}

// maxDataGap is the longest run of zeros written out to join two segments;
// longer ones (the gaps between the linker's sections) stay gaps.
const maxDataGap = 1024

// wasm section ids (the WebAssembly core specification, "Modules").
const (
	wasmSectionData      = 11
	wasmSectionDataCount = 12
)

// dataSegment is one active data segment of memory 0: its bytes go at off.
type dataSegment struct {
	off  uint32
	data []byte
}

// mergeDataSegments returns the wasm with its data section's neighbouring
// segments joined (gaps of at most maxDataGap zero bytes), the data count
// section (if any) updated to match, and how many segments there were and
// are. A module whose data is not the linker's plain form (only active
// segments of memory 0 at constant, disjoint offsets) is an
// error: the build must not guess.
func mergeDataSegments(wasm []byte) (out []byte, before, after int, err error) {
	secs, err := splitSections(wasm)
	if err != nil {
		return nil, 0, 0, err
	}
	data := -1
	for i, s := range secs {
		if s.id == wasmSectionData {
			data = i
		}
	}
	if data < 0 {
		return nil, 0, 0, errors.New("no data section")
	}
	segs, err := readDataSegments(secs[data].body)
	if err != nil {
		return nil, 0, 0, err
	}
	merged := joinSegments(segs, maxDataGap)
	out = append(out, wasm[:8]...)
	for i, s := range secs {
		switch {
		case i == data:
			out = appendSection(out, s.id, writeDataSegments(merged))
		case s.id == wasmSectionDataCount:
			out = appendSection(out, s.id, binary.AppendUvarint(nil, uint64(len(merged))))
		default:
			out = append(out, s.raw...) // as it was, its size's encoding too
		}
	}
	return out, len(segs), len(merged), nil
}

// wasmSection is one section of a module: its id, its body, and the whole
// section as written (id, size, body).
type wasmSection struct {
	id        byte
	body, raw []byte
}

// splitSections returns a module's sections in order (the bodies are
// slices of wasm).
func splitSections(wasm []byte) ([]wasmSection, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, errors.New("not a wasm module")
	}
	var secs []wasmSection
	for p := 8; p < len(wasm); {
		size, n := binary.Uvarint(wasm[p+1:])
		if n <= 0 || uint64(len(wasm)-p-1-n) < size {
			return nil, fmt.Errorf("section at byte %d: bad size", p)
		}
		end := p + 1 + n + int(size)
		secs = append(secs, wasmSection{id: wasm[p], body: wasm[p+1+n : end], raw: wasm[p:end]})
		p = end
	}
	return secs, nil
}

// readDataSegments reads a data section's segments, checking they are the
// linker's plain form.
func readDataSegments(body []byte) ([]dataSegment, error) {
	count, n := binary.Uvarint(body)
	if n <= 0 {
		return nil, errors.New("data section: bad count")
	}
	p := n
	segs := make([]dataSegment, 0, count)
	for i := uint64(0); i < count; i++ {
		if p+2 > len(body) || body[p] != 0 || body[p+1] != 0x41 { // flags 0 (active, memory 0), i32.const
			return nil, fmt.Errorf("data segment %d: not an active segment at a constant offset", i)
		}
		off, n := readSLEB(body[p+2:])
		if n <= 0 || p+2+n >= len(body) || body[p+2+n] != 0x0b || off < 0 {
			return nil, fmt.Errorf("data segment %d: bad offset expression", i)
		}
		p += 2 + n + 1
		size, n := binary.Uvarint(body[p:])
		if n <= 0 || uint64(len(body)-p-n) < size {
			return nil, fmt.Errorf("data segment %d: bad size", i)
		}
		p += n
		if uint64(off)+size > 1<<32 {
			return nil, fmt.Errorf("data segment %d: past 4 GiB", i)
		}
		segs = append(segs, dataSegment{off: uint32(off), data: body[p : p+int(size)]})
		p += int(size)
	}
	if p != len(body) {
		return nil, errors.New("data section: bytes after its last segment")
	}
	// The linker writes its sections' data in its own order, not by
	// address. Segments that do not overlap can be applied in any order:
	// sorted by address, each must end before the next begins.
	sort.Slice(segs, func(i, j int) bool { return segs[i].off < segs[j].off })
	for i := 1; i < len(segs); i++ {
		if end := uint64(segs[i-1].off) + uint64(len(segs[i-1].data)); uint64(segs[i].off) < end {
			return nil, fmt.Errorf("data segments overlap: one at %d ends at %d, after the next begins (%d)", segs[i-1].off, end, segs[i].off)
		}
	}
	return segs, nil
}

// readSLEB reads the signed LEB128 at the start of b (at most 5 bytes: an
// i32): its value and length, or length 0 when it is cut short or too long.
func readSLEB(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i := 0; i < len(b) && i < 5; i++ {
		v |= int64(b[i]&0x7f) << shift
		shift += 7
		if b[i]&0x80 == 0 {
			if b[i]&0x40 != 0 {
				v -= 1 << shift
			}
			return v, i + 1
		}
	}
	return 0, 0
}

// joinSegments joins each segment with the one before when the zeros
// between them are at most gap bytes.
func joinSegments(segs []dataSegment, gap uint32) []dataSegment {
	var out []dataSegment
	for _, s := range segs {
		if k := len(out) - 1; k >= 0 {
			end := out[k].off + uint32(len(out[k].data))
			if s.off-end <= gap {
				out[k].data = append(append(out[k].data, make([]byte, s.off-end)...), s.data...)
				continue
			}
		}
		out = append(out, dataSegment{off: s.off, data: append([]byte(nil), s.data...)})
	}
	return out
}

// writeDataSegments encodes segments as a data section's body.
func writeDataSegments(segs []dataSegment) []byte {
	b := binary.AppendUvarint(nil, uint64(len(segs)))
	for _, s := range segs {
		b = append(b, 0, 0x41) // active, memory 0; i32.const
		b = appendSLEB(b, int64(int32(s.off)))
		b = append(b, 0x0b) // end
		b = binary.AppendUvarint(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

// appendSLEB appends v as a signed LEB128.
func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// appendSection appends a section with its id and size.
func appendSection(b []byte, id byte, body []byte) []byte {
	b = append(b, id)
	b = binary.AppendUvarint(b, uint64(len(body)))
	return append(b, body...)
}
