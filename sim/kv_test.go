package sim

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	good := []struct {
		in   string
		want Command
		text string
	}{
		{"SET 5", Command{OpSet, "x", 5}, "SET x 5"},
		{"ADD 2", Command{OpAdd, "x", 2}, "ADD x 2"},
		{"set k 5", Command{OpSet, "k", 5}, "SET k 5"},
		{"  ADD   k   -2 ", Command{OpAdd, "k", -2}, "ADD k -2"},
		{"GET", Command{OpGet, "x", 0}, "GET x"},
		{"get Y1", Command{OpGet, "Y1", 0}, "GET Y1"},
		{"SET x 9223372036854775807", Command{OpSet, "x", math.MaxInt64}, "SET x 9223372036854775807"},
		{"SET a_b -9223372036854775808", Command{OpSet, "a_b", math.MinInt64}, "SET a_b -9223372036854775808"},
		// keys at the edges of the rules: 16 characters, the first and
		// last letters and digits
		{"SET abcdefghijklmnop 1", Command{OpSet, "abcdefghijklmnop", 1}, "SET abcdefghijklmnop 1"},
		{"SET a09z 1", Command{OpSet, "a09z", 1}, "SET a09z 1"},
		{"SET z 1", Command{OpSet, "z", 1}, "SET z 1"},
		{"SET A_Z 1", Command{OpSet, "A_Z", 1}, "SET A_Z 1"},
		{"SET Z 1", Command{OpSet, "Z", 1}, "SET Z 1"},
	}
	for _, tc := range good {
		got, err := ParseCommand(tc.in)
		if err != nil {
			t.Errorf("ParseCommand(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want || got.String() != tc.text {
			t.Errorf("ParseCommand(%q) = %+v (%q), want %+v (%q)", tc.in, got, got.String(), tc.want, tc.text)
		}
		// The canonical text parses back to the same command.
		if again, err := ParseCommand(got.String()); err != nil || again != got {
			t.Errorf("round trip of %q: %+v, %v", got.String(), again, err)
		}
	}
	bad := []struct{ in, wantErr string }{
		{"", "empty command"},
		{"DEL x", "unknown command"},
		{"SET", "takes a value"},
		{"SET x y 5", "takes a value"},
		{"SET x", "not an integer"},
		{"ADD 2.5", "not an integer"},
		{"SET 99999999999999999999", "out of range"},
		{"SET 1x 5", "must start with a letter"},
		{"SET k-1 5", "only letters, digits"},
		{"GET a b", "at most one key"},
		{"SET abcdefghijklmnopq 1", "too long"},
		// the characters just outside the ranges of letters and digits
		{"SET `a 1", "must start with a letter"},
		{"SET {a 1", "must start with a letter"},
		{"SET @a 1", "must start with a letter"},
		{"SET [a 1", "must start with a letter"},
		{"SET a/ 1", "only letters, digits"},
		{"SET a: 1", "only letters, digits"},
	}
	for _, tc := range bad {
		_, err := ParseCommand(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("ParseCommand(%q) error = %v, want it to mention %q", tc.in, err, tc.wantErr)
		}
	}
	// An operation outside the three has a name that says so.
	for op, want := range map[Op]string{OpGet: "GET", OpGet + 1: "?", 255: "?"} {
		if got := op.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", op, got, want)
		}
	}
}

func TestEntryEncoding(t *testing.T) {
	for _, c := range []Command{{OpSet, "x", 5}, {OpAdd, "key_9", -7}, {OpGet, "Z", 0}} {
		id, wm, got, err := decodeEntry(encodeEntry(42, 17, c))
		if err != nil || id != 42 || wm != 17 || got != c {
			t.Errorf("decode(encode(%+v)) = %d %d %+v %v", c, id, wm, got, err)
		}
	}
	for _, data := range [][]byte{nil, {}, {99}, {entryVersion}, {entryVersion, 1, 1, 9, 0, 'x'}, {entryVersion, 1, 1, 1, 0}} {
		if _, _, _, err := decodeEntry(data); err == nil {
			t.Errorf("decodeEntry(%v) accepted garbage", data)
		}
	}
}

func applyCmd(kv *kvStore, id, wm uint64, text string) applyResult {
	c, err := ParseCommand(text)
	if err != nil {
		panic(err)
	}
	raw, _ := decodeRaw(encodeEntry(id, wm, c))
	return kv.apply(&raw)
}

func TestKVApply(t *testing.T) {
	kv := newKV()
	steps := []struct {
		id, wm uint64
		cmd    string
		value  int64
		dup    bool
		err    string
	}{
		{1, 1, "SET 5", 5, false, ""},
		{2, 1, "ADD 2", 7, false, ""},
		{2, 1, "ADD 2", 0, true, ""}, // a retry of request 2: applied at most once
		{3, 3, "ADD k 3", 3, false, ""},
		{1, 3, "SET 5", 0, true, ""}, // below the watermark: forgotten, still a duplicate
		{4, 4, "SET big 9223372036854775807", math.MaxInt64, false, ""},
		{5, 4, "ADD big 1", math.MaxInt64, false, "overflow"},
		{6, 4, "GET k", 3, false, ""},
		// the 64-bit range, at both ends: reaching an end is fine, passing it is not
		{7, 4, "ADD big 0", math.MaxInt64, false, ""},
		{8, 4, "SET small -9223372036854775807", math.MinInt64 + 1, false, ""},
		{9, 4, "ADD small -1", math.MinInt64, false, ""},
		{10, 4, "ADD small 0", math.MinInt64, false, ""},
		{11, 4, "ADD small -1", math.MinInt64, false, "overflow"},
		{12, 4, "ADD small 9223372036854775807", -1, false, ""},
		{13, 4, "ADD small -9223372036854775807", math.MinInt64, false, ""},
	}
	for i, st := range steps {
		res := applyCmd(kv, st.id, st.wm, st.cmd)
		if res.duplicate != st.dup || (!st.dup && res.value != st.value) || !strings.Contains(res.err, st.err) || (st.err == "" && res.err != "") {
			t.Fatalf("step %d %s: got %+v", i, st.cmd, res)
		}
	}
	if kv.get("x") != 7 || kv.get("k") != 3 || kv.get("missing") != 0 || kv.get("big") != math.MaxInt64 {
		t.Fatalf("store = %+v", kv.sortedKV())
	}
	// A snapshot restores the same store and the same duplicate filter.
	data := kv.snapshot(1234)
	back, chain, err := restoreKV(data)
	if err != nil || chain != 1234 {
		t.Fatalf("restore: %v, chain %d", err, chain)
	}
	if got, want := back.sortedKV(), kv.sortedKV(); len(got) != len(want) {
		t.Fatalf("restored %v, want %v", got, want)
	} else {
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("restored %v, want %v", got, want)
			}
		}
	}
	if res := applyCmd(back, 6, 4, "SET 1"); !res.duplicate {
		t.Fatal("restored store forgot that request 6 was applied")
	}
	if string(back.snapshot(1234)) != string(data) {
		t.Fatal("snapshot encoding is not deterministic")
	}
	for _, junk := range [][]byte{{7}, {entryVersion, 0xff}, data[:len(data)-1]} {
		if _, _, err := restoreKV(junk); err == nil {
			t.Errorf("restoreKV(%v) accepted garbage", junk)
		}
	}
}

func TestEventQueueOrder(t *testing.T) {
	var q eventQueue
	times := []int64{50, 10, 30, 10, 40, 10, 20}
	for i, at := range times {
		q.push(at, evDeliver, i, 0)
	}
	var prev event
	for k := 0; q.len() > 0; k++ {
		e := q.pop()
		if k > 0 && (e.at < prev.at || (e.at == prev.at && e.seq < prev.seq)) {
			t.Fatalf("popped %+v after %+v", e, prev)
		}
		if e.at == 10 && k < 3 && int(e.a) != []int{1, 3, 5}[k] {
			t.Fatalf("ties not in insertion order: %d-th is %d", k, e.a)
		}
		prev = e
	}
}

// The queue (heap plus timer FIFO) pops in exactly (time, insertion) order.
func TestEventQueueMixedOrder(t *testing.T) {
	var q eventQueue
	type item struct {
		at  int64
		seq int
	}
	var want []item
	now := int64(0)
	seq := 0
	r := uint64(12345)
	next := func(n uint64) uint64 { r = mix64(r); return r % n }
	for i := 0; i < 5000; i++ {
		if next(3) == 0 && q.len() > 0 {
			e := q.pop()
			if len(want) == 0 {
				t.Fatal("popped from an empty reference")
			}
			// the reference: smallest (at, seq)
			best := 0
			for k, w := range want {
				if w.at < want[best].at || (w.at == want[best].at && w.seq < want[best].seq) {
					best = k
				}
			}
			if e.at != want[best].at || int(e.a) != want[best].seq {
				t.Fatalf("pop %d: got (%d, %d), want (%d, %d)", i, e.at, e.a, want[best].at, want[best].seq)
			}
			now = e.at
			want = append(want[:best], want[best+1:]...)
			continue
		}
		seq++
		kind, at := evDeliver, now+int64(next(40))
		if next(2) == 0 {
			kind, at = evRequestWake, now+1000-int64(next(3))*400
		}
		q.push(at, kind, seq, 0)
		want = append(want, item{at, seq})
	}
}

// The duplicate filter against a plain set: requests applied out of order
// and retried, the watermark rising past whole words of the filter, and a
// snapshot taken and restored along the way.
func TestKVDuplicateFilter(t *testing.T) {
	kv := newKV()
	applied := map[uint64]bool{}
	floor := uint64(0)
	r := rand.New(rand.NewPCG(7, 7))
	for step := 0; step < 5000; step++ {
		id := floor + uint64(r.IntN(300)) // retries and stragglers around the floor
		wm := floor
		if r.IntN(10) == 0 {
			wm = floor + uint64(r.IntN(150)) // the watermark jumps, sometimes by whole words
		}
		wantDup := applied[id] || id < max(floor, wm)
		res := applyCmd(kv, id, wm, "ADD 1")
		if res.duplicate != wantDup {
			t.Fatalf("step %d: id %d watermark %d (floor %d): duplicate=%v, want %v", step, id, wm, floor, res.duplicate, wantDup)
		}
		if !wantDup {
			applied[id] = true
		}
		floor = max(floor, wm)
		// The filter forgets whole words below the floor: it spans the
		// ids from the floor's word to the highest applied.
		if words := len(kv.seen); kv.seenBase > floor || floor-kv.seenBase >= 64 || words > 8 {
			t.Fatalf("step %d: floor %d, filter from %d over %d words", step, floor, kv.seenBase, words)
		}
		if step%997 == 0 {
			back, _, err := restoreKV(kv.snapshot(0))
			if err != nil {
				t.Fatal(err)
			}
			if string(back.snapshot(0)) != string(kv.snapshot(0)) {
				t.Fatalf("step %d: a restored store snapshots differently", step)
			}
			kv = back
		}
	}
	if got := kv.get("x"); got != int64(len(applied)) {
		t.Fatalf("x = %d after %d distinct requests", got, len(applied))
	}
}

// decodeRaw (and commandText) take any bytes: a valid entry decodes to what
// was encoded, a damaged one is refused, nothing panics.
func TestDecodeRawAnyBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	s := &Sim{}
	for i := 0; i < 20000; i++ {
		c := Command{Op: Op(1 + r.IntN(3)), Key: "k" + strconv.Itoa(r.IntN(1000)), Value: int64(r.Uint64())}
		if c.Op == OpGet {
			c.Value = 0
		}
		data := encodeEntry(r.Uint64()>>r.IntN(64), r.Uint64()>>r.IntN(64), c)
		if e, ok := decodeRaw(data); !ok || e.command() != c {
			t.Fatalf("decodeRaw(encodeEntry(%+v)) = %+v, %v", c, e, ok)
		}
		if got := s.commandText(data); got != c.String() {
			t.Fatalf("commandText = %q, want %q", got, c.String())
		}
		for k := 0; k < 2; k++ { // a miss, then a hit
			if e, ok := s.decodeCached(data); !ok || e.command() != c {
				t.Fatalf("decodeCached = %+v, %v; want %+v", e, ok, c)
			}
		}
		// Damage: truncate, flip a byte, or pad with continuation bytes.
		switch r.IntN(3) {
		case 0:
			data = data[:r.IntN(len(data))]
		case 1:
			data[r.IntN(len(data))] ^= byte(1 + r.IntN(255))
		default:
			data = append([]byte{entryVersion}, bytes.Repeat([]byte{0xff}, r.IntN(24))...)
		}
		decodeRaw(data)
		s.commandText(data)
	}
}

// Keys arrive in any order (the chaos search's bursts bring z1, z2, ...,
// z10, ...: out of order as strings); the store lists and snapshots them in
// key order all the same, whatever order they came in, and keeps listing
// them in order as new keys arrive between reads.
func TestKVKeysInOrderWhateverTheArrival(t *testing.T) {
	keys := make([]string, 300)
	for i := range keys {
		keys[i] = "z" + strconv.Itoa(i+1)
	}
	inOrder := newKV()
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	for i, k := range sorted {
		applyCmd(inOrder, uint64(i+1), 0, "SET "+k+" "+strconv.Itoa(len(k)))
	}
	r := rand.New(rand.NewPCG(3, 3))
	for round := 0; round < 3; round++ {
		kv := newKV()
		order := slices.Clone(keys)
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for i, k := range order {
			applyCmd(kv, uint64(i+1), 0, "SET "+k+" "+strconv.Itoa(len(k)))
			if i%97 == 0 { // a read in the middle: later keys must still land in order
				if got := kv.sortedKV(); !slices.IsSortedFunc(got, func(a, b KV) int { return strings.Compare(a.Key, b.Key) }) {
					t.Fatalf("round %d, after %d keys: not in key order: %v", round, i+1, got)
				}
			}
		}
		got, want := kv.sortedKV(), inOrder.sortedKV()
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: keys %v, want %v", round, got, want)
		}
		// The snapshot lists the keys in order (the filter differs: other ids).
		a, _, err := restoreKV(kv.snapshot(0))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.sortedKV(), want) || !bytes.Contains(kv.snapshot(0), keysBlock(want)) {
			t.Fatalf("round %d: the snapshot does not list the keys in order", round)
		}
	}
}

// keysBlock is how a snapshot writes these keys (count, then each key and value).
func keysBlock(kvs []KV) []byte {
	b := binary.AppendUvarint(nil, uint64(len(kvs)))
	for _, e := range kvs {
		b = binary.AppendUvarint(b, uint64(len(e.Key)))
		b = append(b, e.Key...)
		b = binary.AppendVarint(b, e.Value)
	}
	return b
}
