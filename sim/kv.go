package sim

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
	"strings"

	"raftsandbox/sim/scenario"
)

// DefaultKey is the key that `SET 5` and `ADD 2` use.
const DefaultKey = "x"

// maxKeyLen bounds a key's length so a command stays small; scripts check
// keys by the same bound.
const maxKeyLen = scenario.MaxKeyBytes

// Op is a key-value operation.
type Op uint8

const (
	_     Op = iota // 0: no operation (a blank, not iota + 1: see docs/testing.md)
	OpSet           // 1
	OpAdd
	OpGet
)

var opNames = [...]string{"", "SET", "ADD", "GET"}

func (o Op) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "?"
}

// Command is a parsed client command.
type Command struct {
	Op    Op
	Key   string
	Value int64 // SET: the new value; ADD: the increment; GET: unused
}

// String is the command's canonical text, e.g. "SET x 5".
func (c Command) String() string {
	if c.Op == OpGet {
		return "GET " + c.Key
	}
	return c.Op.String() + " " + c.Key + " " + strconv.FormatInt(c.Value, 10)
}

// ParseCommand parses a client command:
//
//	SET <int>          SET <key> <int>
//	ADD <int>          ADD <key> <int>
//	GET                GET <key>
//
// The verb is case-insensitive; keys are case-sensitive, 1-16 letters, digits
// or underscores starting with a letter; values are decimal int64 (an optional
// sign). Without a key the command acts on DefaultKey ("x").
func ParseCommand(text string) (Command, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Command{}, whyErr("empty command: try SET 5, ADD 2, SET k 5, ADD k 2 or GET k", "empty-command")
	}
	var c Command
	switch strings.ToUpper(fields[0]) {
	case "SET":
		c.Op = OpSet
	case "ADD":
		c.Op = OpAdd
	case "GET":
		c.Op = OpGet
	default:
		return Command{}, whyErr("unknown command %q: the commands are SET, ADD and GET", "unknown-command", "command", fields[0])
	}
	args := fields[1:]
	if c.Op == OpGet {
		switch len(args) {
		case 0:
			c.Key = DefaultKey
		case 1:
			if err := checkKey(args[0]); err != nil {
				return Command{}, err
			}
			c.Key = args[0]
		default:
			return Command{}, whyErr("GET takes at most one key, got %s arguments", "get-args", "count", strconv.Itoa(len(args)))
		}
		return c, nil
	}
	switch len(args) {
	case 1:
		c.Key = DefaultKey
	case 2:
		if err := checkKey(args[0]); err != nil {
			return Command{}, err
		}
		c.Key = args[0]
	default:
		return Command{}, whyErr("%[1]s takes a value or a key and a value (e.g. %[1]s 5 or %[1]s k 5), got %[2]s arguments",
			"command-args", "command", c.Op.String(), "count", strconv.Itoa(len(args)))
	}
	v, err := strconv.ParseInt(args[len(args)-1], 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return Command{}, whyErr("value %s is out of range: values are 64-bit integers (-9223372036854775808 to 9223372036854775807)",
				"value-range", "value", args[len(args)-1])
		}
		return Command{}, whyErr("value %q is not an integer", "not-integer", "value", args[len(args)-1])
	}
	c.Value = v
	return c, nil
}

func checkKey(k string) error {
	if len(k) > maxKeyLen {
		return whyErr("key %q is too long: at most %s characters", "key-too-long", "key", k, "max", strconv.Itoa(maxKeyLen))
	}
	for i, r := range k {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter {
			return whyErr("key %q must start with a letter", "key-start", "key", k)
		}
		if !letter && !(r >= '0' && r <= '9') && r != '_' {
			return whyErr("key %q may hold only letters, digits and _", "key-chars", "key", k)
		}
	}
	return nil
}

// An entry's Data for a client write: a version byte, the request id and the
// client's watermark (uvarints), the operation (one byte), the value (varint)
// and the key's bytes. The watermark is the lowest request id still
// unresolved when the entry was proposed; the state machine forgets
// duplicates below it (see kvStore). A binary form keeps applying an entry
// free of allocations.
const entryVersion = 2

func encodeEntry(reqID, watermark uint64, c Command) []byte {
	return appendEntry(make([]byte, 0, maxEntrySize(c)), reqID, watermark, c)
}

func maxEntrySize(c Command) int { return 3 + 3*binary.MaxVarintLen64 + len(c.Key) }

func appendEntry(b []byte, reqID, watermark uint64, c Command) []byte {
	b = append(b, entryVersion)
	b = binary.AppendUvarint(b, reqID)
	b = binary.AppendUvarint(b, watermark)
	b = append(b, byte(c.Op))
	b = binary.AppendVarint(b, c.Value)
	return append(b, c.Key...)
}

// rawEntry is a decoded client entry whose key still points into the data.
type rawEntry struct {
	reqID, watermark uint64
	op               Op
	value            int64
	key              []byte
	opAt             int // offset of the operation byte in the data
}

func decodeRaw(data []byte) (rawEntry, bool) {
	var e rawEntry
	p := opOffset(data)
	if p == 0 || p >= len(data) || data[p] < byte(OpSet) || data[p] > byte(OpGet) {
		return rawEntry{}, false
	}
	// opOffset read both ids: whole uvarints that fit 64 bits.
	var n int
	e.reqID, n = binary.Uvarint(data[1:])
	e.watermark, _ = binary.Uvarint(data[1+n:])
	e.opAt, e.op = p, Op(data[p])
	e.value, n = binary.Varint(data[p+1:])
	if n <= 0 || len(data)-(p+1+n) < 1 || len(data)-(p+1+n) > maxKeyLen {
		return rawEntry{}, false
	}
	e.key = data[p+1+n:]
	return e, true
}

// opOffset returns the offset of a client entry's operation byte (after
// the version and the two ids), or 0 when data is not a client entry.
func opOffset(data []byte) int {
	if len(data) == 0 || data[0] != entryVersion {
		return 0
	}
	p := 1
	for range 2 {
		_, n := binary.Uvarint(data[p:])
		if n <= 0 { // cut short, or more than 64 bits
			return 0
		}
		p += n
	}
	return p
}

// Not inlined: for the picture and snapshots, not per event (docs/benchmarks.md).
//
//go:noinline
func (e *rawEntry) command() Command { return Command{Op: e.op, Key: string(e.key), Value: e.value} }

func decodeEntry(data []byte) (reqID, watermark uint64, c Command, err error) {
	e, ok := decodeRaw(data)
	if !ok {
		return 0, 0, Command{}, errors.New("not a client entry")
	}
	return e.reqID, e.watermark, e.command(), nil
}

// kvStore is one node's state machine: integer values by key, plus the
// at-most-once filter. Retries reuse the request id, so the same request can
// sit in the log more than once; only its first committed copy takes effect.
// The filter remembers the applied ids >= floor (the highest watermark
// applied); ids below floor are resolved or abandoned by the client and are
// ignored.
type kvStore struct {
	m    map[string]*kvCell
	keys []*kvCell // every cell; sorted by key unless unsorted (see inOrder)
	// unsorted is set when a key was appended out of order: inserting in
	// place would move half the keys per new key (quadratic when requests
	// bring many keys, e.g. the chaos search's bursts of one key each), so
	// the keys are sorted only when read in order.
	unsorted bool
	last     *kvCell // the cell used last: a workload mostly hits one key
	// floor and the filter: bit k of seen is request id seenBase+k
	// (seenBase is a multiple of 64 and at most floor). Request ids are
	// handed out consecutively, so the bits are dense.
	floor    uint64
	seenBase uint64
	seen     []uint64
	version  uint64 // bumps on every change, for cached views
}

// kvCell is one key and its value.
type kvCell struct {
	key   string
	value int64
}

// Not inlined: setup and snapshots (docs/benchmarks.md).
//
//go:noinline
func newKV() *kvStore {
	return &kvStore{m: map[string]*kvCell{}}
}

// applyResult is what applying one client entry did.
type applyResult struct {
	reqID     uint64
	duplicate bool
	value     int64
	err       string // e.g. overflow: the entry committed but had no effect
	why       Why    // err as a code and arguments
}

func (kv *kvStore) apply(e *rawEntry) applyResult {
	reqID := e.reqID
	if e.watermark > kv.floor {
		kv.raiseFloor(e.watermark)
	}
	if reqID < kv.floor || kv.seenHas(reqID) {
		return applyResult{reqID: reqID, duplicate: true}
	}
	kv.seenAdd(reqID)
	c := kv.last
	if c == nil || c.key != string(e.key) { // no allocation for the comparison
		c = kv.m[string(e.key)] // nor for the lookup
	}
	if e.op == OpGet {
		if c == nil {
			return applyResult{reqID: reqID}
		}
		kv.last = c
		return applyResult{reqID: reqID, value: c.value}
	}
	kv.version++
	if c == nil {
		c = kv.insert(string(e.key))
	}
	kv.last = c
	switch e.op {
	case OpSet:
		c.value = e.value
		return applyResult{reqID: reqID, value: e.value}
	default: // OpAdd
		old := c.value
		sum := old + e.value
		if (sum < old) != (e.value < 0) { // wrapped around: the true sum is out of range
			return applyResult{reqID: reqID, value: old,
				err: "overflow: " + c.key + " = " + strconv.FormatInt(old, 10) + ", adding " +
					strconv.FormatInt(e.value, 10) + " leaves the 64-bit range",
				why: why("overflow", "key", c.key, "value", i64(old), "add", i64(e.value))}
		}
		c.value = sum
		return applyResult{reqID: reqID, value: sum}
	}
}

// insert adds a key with value 0 (appended: inOrder sorts the keys when
// they are read in order).
//
// Not inlined: once per new key (docs/benchmarks.md).
//
//go:noinline
func (kv *kvStore) insert(key string) *kvCell {
	c := &kvCell{key: key}
	kv.m[key] = c
	if n := len(kv.keys); n > 0 && kv.keys[n-1].key > key {
		kv.unsorted = true
	}
	kv.keys = append(kv.keys, c)
	return c
}

// inOrder returns the cells sorted by key (keys are unique, so the order is
// the same whatever order they were inserted in).
//
// Not inlined: for the picture and snapshots, not per event (docs/benchmarks.md).
//
//go:noinline
func (kv *kvStore) inOrder() []*kvCell {
	if kv.unsorted {
		sortCells(kv.keys)
		kv.unsorted = false
	}
	return kv.keys
}

// sortCells sorts cells by key with a heapsort: O(n log n) like
// slices.SortFunc, whose pattern-defeating quicksort costs the main wasm
// about 17 KB of code for this one call (docs/benchmarks.md, "Where the
// size is"). The keys are unique, so an unstable sort gives one order.
func sortCells(c []*kvCell) {
	for i := len(c)/2 - 1; i >= 0; i-- {
		siftCells(c, i, len(c))
	}
	for end := len(c) - 1; end > 0; end-- {
		c[0], c[end] = c[end], c[0]
		siftCells(c, 0, end)
	}
}

// siftCells moves c[i] down the max-heap c[:n]. Not inlined: sortCells
// calls it twice, and no frame sorts (docs/benchmarks.md).
//
//go:noinline
func siftCells(c []*kvCell, i, n int) {
	for {
		big := i
		if l := 2*i + 1; l < n && c[l].key > c[big].key {
			big = l
		}
		if r := 2*i + 2; r < n && c[r].key > c[big].key {
			big = r
		}
		if big == i {
			return
		}
		c[i], c[big] = c[big], c[i]
		i = big
	}
}

// raiseFloor moves the floor up and forgets the filter's whole words below it.
func (kv *kvStore) raiseFloor(floor uint64) {
	kv.floor = floor
	w := (floor - kv.seenBase) / 64 // whole words below the floor
	kv.seen = kv.seen[:copy(kv.seen, kv.seen[min(w, uint64(len(kv.seen))):])]
	kv.seenBase += w * 64
}

func (kv *kvStore) seenHas(id uint64) bool {
	k := id - kv.seenBase // id >= floor >= seenBase
	return k/64 < uint64(len(kv.seen)) && kv.seen[k/64]&(1<<(k%64)) != 0
}

func (kv *kvStore) seenAdd(id uint64) {
	k := id - kv.seenBase
	for uint64(len(kv.seen)) <= k/64 {
		kv.seen = append(kv.seen, 0)
	}
	kv.seen[k/64] |= 1 << (k % 64)
}

// Not inlined: reads only, once per request (docs/benchmarks.md).
//
//go:noinline
func (kv *kvStore) get(key string) int64 {
	if c := kv.m[key]; c != nil {
		return c.value
	}
	return 0
}

// sortedKV returns the store sorted by key (a fresh slice).
func (kv *kvStore) sortedKV() []KV {
	out := make([]KV, len(kv.keys))
	for i, c := range kv.inOrder() {
		out[i] = KV{Key: c.key, Value: c.value}
	}
	return out
}

// snapshot serializes the store deterministically, together with the chain
// hash of the log prefix it summarizes (the checker's Log Matching record):
// the floor, the filter's ids from the floor up (what is below it is
// forgotten at different times on different nodes), the keys in order.
func (kv *kvStore) snapshot(chain uint64) []byte {
	// Every number in order (a key's bytes follow its length; a value is
	// zigzagged as binary.AppendVarint does), written by one loop: each
	// binary.AppendUvarint is a copy of its loop in the wasm.
	cells := kv.inOrder()
	nums := []uint64{chain, kv.floor, 0}
	for w, bitsOf := range kv.seen {
		for ; bitsOf != 0; bitsOf &= bitsOf - 1 {
			if id := kv.seenBase + uint64(w)*64 + uint64(bits.TrailingZeros64(bitsOf)); id >= kv.floor {
				nums = append(nums, id)
			}
		}
	}
	nums[2] = uint64(len(nums) - 3)
	keysAt := len(nums) + 1 // the first key's length
	nums = append(nums, uint64(len(cells)))
	for _, c := range cells {
		nums = append(nums, uint64(len(c.key)), zigzag(c.value))
	}
	b := []byte{entryVersion}
	for i, v := range nums {
		b = binary.AppendUvarint(b, v)
		if k := i - keysAt; k >= 0 && k%2 == 0 {
			b = append(b, cells[k/2].key...)
		}
	}
	return b
}

// zigzag maps a signed value to an unsigned one as binary.AppendVarint
// does (0, -1, 1, -2, ... to 0, 1, 2, 3, ...); unzigzag undoes it.
func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// restoreKV decodes a snapshot made by snapshot; empty data is the empty store.
func restoreKV(data []byte) (*kvStore, uint64, error) {
	kv := newKV()
	if len(data) == 0 {
		return kv, 0, nil
	}
	if data[0] != entryVersion {
		return nil, 0, errors.New("snapshot: unknown version")
	}
	r := reader{b: data[1:]}
	chain := r.uvarint()
	kv.floor = r.uvarint()
	kv.seenBase = kv.floor &^ 63
	n := r.uvarint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		id := r.uvarint()
		if id < kv.floor || id-kv.floor > 1<<26 {
			r.err = errors.New("request id out of range")
			break
		}
		kv.seenAdd(id)
	}
	n = r.uvarint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		k := r.bytes(int(r.uvarint()))
		v := r.varint()
		if r.err == nil {
			c := kv.m[string(k)]
			if c == nil {
				c = kv.insert(string(k))
			}
			c.value = v
		}
	}
	if r.err != nil {
		return nil, 0, errors.New("snapshot: " + r.err.Error())
	}
	return kv, chain, nil
}

type reader struct {
	b   []byte
	err error
}

var errTruncated = errors.New("truncated")

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.b = r.b[n:]
	return v
}

// varint is binary.Varint: a zigzagged uvarint.
func (r *reader) varint() int64 { return unzigzag(r.uvarint()) }

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = errTruncated
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// decodedEntry is one entry of Sim.decoded: the entry's bytes (by address
// and length) and what they decode to.
type decodedEntry struct {
	p   *byte
	n   int
	raw rawEntry
	ok  bool
}

// decodeCached is decodeRaw remembering the last few entries: every node
// applies each entry, and all their logs share the entry's bytes.
func (s *Sim) decodeCached(data []byte) (rawEntry, bool) {
	if len(data) == 0 {
		return rawEntry{}, false
	}
	for i := range s.decoded {
		if d := &s.decoded[i]; d.p == &data[0] && d.n == len(data) {
			return d.raw, d.ok
		}
	}
	raw, ok := decodeRaw(data)
	s.decodedNext = (s.decodedNext + 1) % len(s.decoded)
	s.decoded[s.decodedNext] = decodedEntry{p: &data[0], n: len(data), raw: raw, ok: ok}
	return raw, ok
}
