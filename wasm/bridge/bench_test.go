package bridge

import (
	"strconv"
	"testing"
)

// benchFrame measures one frame's Go side: advance 16 ms and encode state().
func benchFrame(b *testing.B, nodes int) {
	r := NewRegistry()
	h, err := r.Create([]Arg{Str("nodes=" + strconv.Itoa(nodes) + ";seed=7")})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Call(h, OpAdvance, []Arg{Num(2000)}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		if _, err := r.Call(h, OpRequest, []Arg{Str("SET " + strconv.Itoa(i))}); err != nil {
			b.Fatal(err)
		}
		if _, err := r.Call(h, OpAdvance, []Arg{Num(300)}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("advance16", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.Call(h, OpAdvance, []Arg{Num(16)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("state", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.Call(h, OpState, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	// a page's frame: advance(16), then the picture with 16 log columns,
	// as the API's state() (held entries) and as the page's frame form
	w := &r.sandboxes[h].w
	for _, form := range []string{"advanceState16", "advanceFrame16"} {
		b.Run(form, func(b *testing.B) {
			for b.Loop() {
				args := []Arg{Num(16), Num(w.sentGen)}
				if form == "advanceFrame16" {
					args = append(args, Num(w.fc.gen))
				}
				if _, err := r.Call(h, OpAdvance, []Arg{Num(16)}); err != nil {
					b.Fatal(err)
				}
				if _, err := r.Call(h, OpState, args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("now", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.Call(h, OpNow, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFrame5(b *testing.B)  { benchFrame(b, 5) }
func BenchmarkFrame51(b *testing.B) { benchFrame(b, 51) }

// BenchmarkEncodeState51 is the writer alone (a whole frame, as state() asks
// for it) on a 51-node picture with
// logs of ~100 entries (sim.State is built once, outside the loop).
func BenchmarkEncodeState51(b *testing.B) {
	r := NewRegistry()
	h, err := r.Create([]Arg{Str("nodes=51;seed=7")})
	if err != nil {
		b.Fatal(err)
	}
	s := r.sandboxes[h].sim
	if err := s.Advance(2000); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if _, err := s.Request("SET "+strconv.Itoa(i), ""); err != nil {
			b.Fatal(err)
		}
		if err := s.Advance(50); err != nil {
			b.Fatal(err)
		}
	}
	st := s.State()
	var w jsonWriter
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			w.frame(&st, -1, 0, 0)
		}
		b.SetBytes(int64(len(w.fc.out)))
	})
	b.Run("simState", func(b *testing.B) {
		for b.Loop() {
			st = s.State()
		}
	})
}
