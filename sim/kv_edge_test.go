package sim

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// A client entry is a version byte, two uvarint ids, an operation byte
// (SET, ADD or GET), a varint value and a key of 1 to 16 bytes. Anything
// else in a log (a configuration change, an empty entry, damage) is not one.
func TestNotAClientEntry(t *testing.T) {
	good := encodeEntry(7, 3, Command{Op: OpAdd, Key: "k", Value: 2})
	key16 := strings.Repeat("k", 16)
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"an operation code where the version goes", []byte{byte(OpSet), 7, 3, byte(OpAdd), 4, 'k'}},
		{"another version", append([]byte{entryVersion + 1}, good[1:]...)},
		{"operation 0", []byte{entryVersion, 7, 3, 0, 4, 'k'}},
		{"operation after GET", []byte{entryVersion, 7, 3, byte(OpGet) + 1, 4, 'k'}},
		{"no key", []byte{entryVersion, 7, 3, byte(OpAdd), 4}},
		{"a key of 17 bytes", append([]byte{entryVersion, 7, 3, byte(OpAdd), 4}, key16+"k"...)},
		{"no value", []byte{entryVersion, 7, 3, byte(OpAdd)}},
		{"an id of more than 64 bits", append(append([]byte{entryVersion}, bytes.Repeat([]byte{0xff}, 9)...), 0x7f, 3, byte(OpAdd), 4, 'k')},
		{"ids cut short", []byte{entryVersion, 0x87}},
	} {
		if e, ok := decodeRaw(c.data); ok {
			t.Errorf("%s: % x decodes as %+v", c.name, c.data, e)
		}
	}
	for _, c := range []Command{
		{Op: OpAdd, Key: "k", Value: 2},
		{Op: OpSet, Key: key16, Value: math.MinInt64},
		{Op: OpGet, Key: "z"},
	} {
		data := encodeEntry(math.MaxUint64, math.MaxUint64, c)
		if len(data) > maxEntrySize(c) {
			t.Errorf("%v: %d bytes, more than maxEntrySize %d", c, len(data), maxEntrySize(c))
		}
		if e, ok := decodeRaw(data); !ok || e.command() != c || e.reqID != math.MaxUint64 || e.watermark != math.MaxUint64 {
			t.Errorf("%v: decodes as %+v, %v", c, e, ok)
		}
	}
}

// The entry arena holds entries of the largest size without growing a
// chunk past 4 KiB: maxEntrySize bounds every entry.
func TestEntryArenaLargestEntries(t *testing.T) {
	s := newTestSim(t, nil)
	c := Command{Op: OpSet, Key: strings.Repeat("k", maxKeyLen), Value: math.MinInt64}
	for k := 0; k < 500; k++ {
		b := s.encodeEntry(math.MaxUint64, math.MaxUint64, c)
		if cap(s.arena) > 4096 || cap(b) != len(b) {
			t.Fatalf("entry %d: arena cap %d, entry len %d cap %d", k, cap(s.arena), len(b), cap(b))
		}
	}
}

// A snapshot's duplicate filter holds ids from its floor to at most 2^26
// above it (a larger gap is damage, and would cost the filter megabytes):
// the floor itself and exactly 2^26 above restore, one more is refused.
func TestRestoreFilterRange(t *testing.T) {
	for _, c := range []struct {
		id uint64
		ok bool
	}{{100, true}, {100 + 1<<26, true}, {101 + 1<<26, false}} {
		kv := newKV()
		kv.raiseFloor(100)
		kv.seenAdd(c.id)
		back, _, err := restoreKV(kv.snapshot(1))
		if (err == nil) != c.ok || (c.ok && !back.seenHas(c.id)) {
			t.Errorf("id %d above the floor: restore error %v, want ok=%v", c.id, err, c.ok)
		}
	}
}
