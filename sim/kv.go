package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// DefaultKey is the key that `SET 5` and `ADD 2` use.
const DefaultKey = "x"

// maxKeyLen bounds a key's length so a command stays small.
const maxKeyLen = 16

// Op is a key-value operation.
type Op uint8

const (
	OpSet Op = iota + 1
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
		return Command{}, errors.New("empty command: try SET 5, ADD 2, SET k 5, ADD k 2 or GET k")
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
		return Command{}, fmt.Errorf("unknown command %q: the commands are SET, ADD and GET", fields[0])
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
			return Command{}, fmt.Errorf("GET takes at most one key, got %d arguments", len(args))
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
		return Command{}, fmt.Errorf("%s takes a value or a key and a value (e.g. %s 5 or %s k 5), got %d arguments",
			c.Op, c.Op, c.Op, len(args))
	}
	v, err := strconv.ParseInt(args[len(args)-1], 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return Command{}, fmt.Errorf("value %s is out of range: values are 64-bit integers (%d to %d)",
				args[len(args)-1], int64(math.MinInt64), int64(math.MaxInt64))
		}
		return Command{}, fmt.Errorf("value %q is not an integer", args[len(args)-1])
	}
	c.Value = v
	return c, nil
}

func checkKey(k string) error {
	if len(k) > maxKeyLen {
		return fmt.Errorf("key %q is too long: at most %d characters", k, maxKeyLen)
	}
	for i, r := range k {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter {
			return fmt.Errorf("key %q must start with a letter", k)
		}
		if !letter && !(r >= '0' && r <= '9') && r != '_' {
			return fmt.Errorf("key %q may hold only letters, digits and _", k)
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
	b := make([]byte, 0, 3+3*binary.MaxVarintLen64+len(c.Key))
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
	if len(data) == 0 || data[0] != entryVersion {
		return rawEntry{}, false
	}
	r := reader{b: data[1:]}
	var e rawEntry
	e.reqID = r.uvarint()
	e.watermark = r.uvarint()
	e.opAt = len(data) - len(r.b)
	op := r.bytes(1)
	e.value = r.varint()
	if r.err != nil || op[0] < byte(OpSet) || op[0] > byte(OpGet) || len(r.b) == 0 || len(r.b) > maxKeyLen {
		return rawEntry{}, false
	}
	e.op, e.key = Op(op[0]), r.b
	return e, true
}

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
// seen holds applied ids >= floor; ids below floor (the highest watermark
// applied) are resolved or abandoned by the client and are ignored.
type kvStore struct {
	m     map[string]*int64
	floor uint64
	seen  map[uint64]struct{}
	// seenAfterPrune is len(seen) after the last pruning.
	seenAfterPrune int
	version        uint64 // bumps on every change, for cached views
}

func newKV() *kvStore {
	return &kvStore{m: map[string]*int64{}, seen: map[uint64]struct{}{}}
}

// applyResult is what applying one client entry did.
type applyResult struct {
	reqID     uint64
	duplicate bool
	value     int64
	err       string // e.g. overflow: the entry committed but had no effect
}

func (kv *kvStore) apply(e *rawEntry) applyResult {
	reqID := e.reqID
	if e.watermark > kv.floor {
		kv.floor = e.watermark
		// Forget ids below the floor now and then (they count as duplicates
		// anyway): deleting only, so map order cannot matter.
		if len(kv.seen) > 2*kv.seenAfterPrune+32 {
			for id := range kv.seen {
				if id < kv.floor {
					delete(kv.seen, id)
				}
			}
			kv.seenAfterPrune = len(kv.seen)
		}
	}
	if _, dup := kv.seen[reqID]; dup || reqID < kv.floor {
		return applyResult{reqID: reqID, duplicate: true}
	}
	kv.seen[reqID] = struct{}{}
	p := kv.m[string(e.key)] // no allocation for the lookup
	if e.op == OpGet {
		if p == nil {
			return applyResult{reqID: reqID}
		}
		return applyResult{reqID: reqID, value: *p}
	}
	kv.version++
	if p == nil {
		p = new(int64)
		kv.m[string(e.key)] = p
	}
	switch e.op {
	case OpSet:
		*p = e.value
		return applyResult{reqID: reqID, value: e.value}
	default: // OpAdd
		old := *p
		sum := old + e.value
		if (e.value > 0 && sum < old) || (e.value < 0 && sum > old) {
			return applyResult{reqID: reqID, value: old,
				err: fmt.Sprintf("overflow: %s = %d, adding %d leaves the 64-bit range", e.key, old, e.value)}
		}
		*p = sum
		return applyResult{reqID: reqID, value: sum}
	}
}

func (kv *kvStore) get(key string) int64 {
	if p := kv.m[key]; p != nil {
		return *p
	}
	return 0
}

// sortedKV returns the store sorted by key (a fresh slice).
func (kv *kvStore) sortedKV() []KV {
	out := make([]KV, 0, len(kv.m))
	for k, v := range kv.m {
		out = append(out, KV{Key: k, Value: *v})
	}
	slices.SortFunc(out, func(a, b KV) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// snapshot serializes the store deterministically, together with the chain
// hash of the log prefix it summarizes (the checker's Log Matching record).
func (kv *kvStore) snapshot(chain uint64) []byte {
	b := []byte{entryVersion}
	b = binary.AppendUvarint(b, chain)
	b = binary.AppendUvarint(b, kv.floor)
	ids := make([]uint64, 0, len(kv.seen))
	for id := range kv.seen {
		if id >= kv.floor { // what is below the floor is forgotten at different times on different nodes
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	b = binary.AppendUvarint(b, uint64(len(ids)))
	for _, id := range ids {
		b = binary.AppendUvarint(b, id)
	}
	pairs := kv.sortedKV()
	b = binary.AppendUvarint(b, uint64(len(pairs)))
	for _, p := range pairs {
		b = binary.AppendUvarint(b, uint64(len(p.Key)))
		b = append(b, p.Key...)
		b = binary.AppendVarint(b, p.Value)
	}
	return b
}

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
	n := r.uvarint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		kv.seen[r.uvarint()] = struct{}{}
	}
	n = r.uvarint()
	for i := uint64(0); i < n && r.err == nil; i++ {
		k := r.bytes(int(r.uvarint()))
		v := r.varint()
		kv.m[string(k)] = &v
	}
	if r.err != nil {
		return nil, 0, fmt.Errorf("snapshot: %w", r.err)
	}
	return kv, chain, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("truncated")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errors.New("truncated")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = errors.New("truncated")
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}
