package main

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// testModule is a wasm module with a memory section, a data count section
// and the given data segments, in this order (like the linker's output, not
// sorted by address).
func testModule(segs []dataSegment) []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = appendSection(m, 5, []byte{1, 0, 2})                            // one memory, at least 2 pages
	m = appendSection(m, wasmSectionDataCount, []byte{byte(len(segs))}) // fewer than 128 in these tests
	m = appendSection(m, wasmSectionData, writeDataSegments(segs))
	return appendSection(m, 0, []byte("\x04name\x00")) // a custom section after the data
}

// memoryImage applies a module's data segments to zeroed memory, as
// instantiating it does.
func memoryImage(t *testing.T, wasm []byte) []byte {
	t.Helper()
	img := make([]byte, 1<<17)
	for _, s := range sections(t, wasm) {
		if s.id == wasmSectionData {
			segs, err := readDataSegments(s.body)
			if err != nil {
				t.Fatalf("reading the data: %v", err)
			}
			for _, d := range segs {
				copy(img[d.off:], d.data)
			}
		}
	}
	return img
}

// sections is splitSections, failing the test on an error.
func sections(t *testing.T, wasm []byte) []wasmSection {
	t.Helper()
	secs, err := splitSections(wasm)
	if err != nil {
		t.Fatalf("reading the module: %v", err)
	}
	return secs
}

// sectionsBut returns the module's sections other than data and data count.
func sectionsBut(t *testing.T, wasm []byte) []wasmSection {
	var out []wasmSection
	for _, s := range sections(t, wasm) {
		if s.id != wasmSectionData && s.id != wasmSectionDataCount {
			out = append(out, s)
		}
	}
	return out
}

func TestMergeDataSegmentsKeepsTheMemory(t *testing.T) {
	seed := rand.Uint64()
	if s := os.Getenv("MERGE_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("MERGE_SEED: %v", err)
		}
	}
	r := rand.New(rand.NewPCG(seed, 0))
	for round := 0; round < 200; round++ {
		// disjoint runs of non-zero bytes at ascending addresses, with gaps
		// short and long, then shuffled as the linker's sections are
		var segs []dataSegment
		off := uint32(r.IntN(64))
		for i := 0; i < 1+r.IntN(40); i++ {
			data := make([]byte, 1+r.IntN(50))
			for j := range data {
				data[j] = byte(1 + r.IntN(255))
			}
			segs = append(segs, dataSegment{off: off, data: data})
			gap := uint32(1 + r.IntN(40))
			if r.IntN(8) == 0 {
				gap = maxDataGap + uint32(r.IntN(3000))
			}
			off += uint32(len(data)) + gap
		}
		r.Shuffle(len(segs), func(i, j int) { segs[i], segs[j] = segs[j], segs[i] })
		in := testModule(segs)
		out, before, after, err := mergeDataSegments(in)
		if err != nil {
			t.Fatalf("MERGE_SEED=%d go test ./tools/build -run TestMergeDataSegmentsKeepsTheMemory: round %d: %v (replay: MERGE_SEED=%d go test ./tools/build -run TestMergeDataSegmentsKeepsTheMemory)", seed, round, err, seed)
		}
		if before != len(segs) || after < 1 || after > before {
			t.Fatalf("MERGE_SEED=%d go test ./tools/build -run TestMergeDataSegmentsKeepsTheMemory: round %d: %d segments -> %d", seed, round, before, after)
		}
		if !bytes.Equal(memoryImage(t, in), memoryImage(t, out)) {
			t.Fatalf("MERGE_SEED=%d go test ./tools/build -run TestMergeDataSegmentsKeepsTheMemory: round %d: the memory after instantiation differs", seed, round)
		}
		if !equalSections(sectionsBut(t, in), sectionsBut(t, out)) {
			t.Fatalf("MERGE_SEED=%d go test ./tools/build -run TestMergeDataSegmentsKeepsTheMemory: round %d: a section other than the data changed", seed, round)
		}
		if got := dataCount(t, out); got != after {
			t.Fatalf("MERGE_SEED=%d go test ./tools/build -run TestMergeDataSegmentsKeepsTheMemory: round %d: data count section says %d, the data has %d", seed, round, got, after)
		}
	}
}

func equalSections(a, b []wasmSection) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].raw, b[i].raw) {
			return false
		}
	}
	return true
}

func dataCount(t *testing.T, wasm []byte) int {
	for _, s := range sections(t, wasm) {
		if s.id == wasmSectionDataCount {
			c, _ := binary.Uvarint(s.body)
			return int(c)
		}
	}
	return -1
}

func TestMergeDataSegmentsJoinsShortGapsOnly(t *testing.T) {
	segs := []dataSegment{
		{off: 100, data: []byte{1, 2}},
		{off: 110, data: []byte{3}},                  // 8 zeros after the first: joined
		{off: 111 + maxDataGap + 1, data: []byte{4}}, // one zero too many: a segment of its own
	}
	out, _, after, err := mergeDataSegments(testModule(segs))
	if err != nil {
		t.Fatal(err)
	}
	if after != 2 {
		t.Fatalf("got %d segments, want 2", after)
	}
	for _, s := range sections(t, out) {
		if s.id == wasmSectionData {
			got, err := readDataSegments(s.body)
			if err != nil {
				t.Fatal(err)
			}
			want := []byte{1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3}
			if got[0].off != 100 || !bytes.Equal(got[0].data, want) || got[1].off != segs[2].off {
				t.Fatalf("got %v at %d and one at %d", got[0].data, got[0].off, got[1].off)
			}
		}
	}
}

func TestMergeDataSegmentsRefusesWhatItDoesNotKnow(t *testing.T) {
	overlap := testModule([]dataSegment{{off: 10, data: []byte{1, 2, 3}}, {off: 12, data: []byte{4}}})
	passive := []byte("\x00asm\x01\x00\x00\x00")
	passive = appendSection(passive, wasmSectionData, []byte{1, 1, 1, 7}) // one passive segment
	for name, in := range map[string][]byte{
		"overlapping segments": overlap,
		"a passive segment":    passive,
		"no data section":      []byte("\x00asm\x01\x00\x00\x00"),
		"not wasm":             []byte("hello, world"),
		"cut short":            overlap[:len(overlap)-12],
	} {
		if _, _, _, err := mergeDataSegments(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestMergedWasmRuns builds a Go program for wasm, joins its data segments
// and runs it under Node: the program's strings, tables and type data all
// come from the memory the segments fill.
func TestMergedWasmRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the wasm: install Node.js")
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	prog := "package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n)\n\nfunc main() {\n\tm := map[string]int{\"a\": 1}\n\tfmt.Println(strings.Repeat(\"ok \", 2), m, fmt.Sprintf(\"%v %x\", []any{1.5, \"x\"}, 255))\n}\n"
	if err := os.WriteFile(src, []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	wasm := filepath.Join(dir, "prog.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", wasm, src)
	cmd.Env = append(os.Environ(), wasmEnv...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	if err := mergeDataFile(wasm); err != nil {
		t.Fatal(err)
	}
	run := exec.Command(node, filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec_node.js"), wasm)
	b, err := run.CombinedOutput()
	if want := "ok ok  map[a:1] [1.5 x] ff\n"; err != nil || string(b) != want {
		t.Fatalf("the joined wasm printed %q (%v), want %q", b, err, want)
	}
}
