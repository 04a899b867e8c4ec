package sim

import "strings"

// actionBlock is how many actions one block of the log holds: a log in
// fixed blocks never reallocates (a doubling slice would waste up to half
// its memory on a long run with many requests).
const actionBlock = 4096

// actionLog is the append-only log of user actions. Identical argument
// lists (the same request sent again and again) share one slice.
type actionLog struct {
	blocks [][]Action
	n      int
	intern map[string][]string
}

func (l *actionLog) len() int { return l.n }

func (l *actionLog) at(i int) *Action { return &l.blocks[i/actionBlock][i%actionBlock] }

func (l *actionLog) add(a Action) {
	if len(a.Args) > 0 {
		key := strings.Join(a.Args, "\x00")
		if shared, ok := l.intern[key]; ok {
			a.Args = shared
		} else {
			if l.intern == nil || len(l.intern) >= 1024 {
				l.intern = map[string][]string{} // bounded: start over
			}
			a.Args = append([]string(nil), a.Args...)
			l.intern[key] = a.Args
		}
	}
	if l.n%actionBlock == 0 {
		l.blocks = append(l.blocks, make([]Action, 0, actionBlock))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, a)
	l.n++
}
