package render

import (
	"math"
	"strconv"
	"strings"

	"raftsandbox/sim"
)

// Options says how to draw a picture.
type Options struct {
	Title string // the run's title ("" for none)
	Lang  string // "en" (default) or "zh"
}

// The geometry follows web/ui/view.js (ClusterView, LogView): a 640x420
// cluster view, then the logs, 16 columns of 41 px.
const (
	viewW, viewH = 640.0, 420.0
	cx, cy       = 365.0, 208.0
	clientX      = 62.0
	picW         = 720
	headH        = 36
	cellX0       = 52
	cellW        = 41
	rowH         = 44
	logCols      = 16
)

// The light scheme of web/styles.css, as presentation attributes: a picture
// must look right without a stylesheet (an <img>, a feed reader, a file).
const (
	cPanel    = "#ffffff"
	cBorder   = "#d9dee5"
	cText     = "#1d2633"
	cMuted    = "#5f6b7a"
	cNode     = "#e8eef6"
	cLead     = "#2f6db5"
	cCand     = "#c7811b"
	cTimer    = "#7391b8"
	cLink     = "#d5dce6"
	cWall     = "#b4553c"
	cDown     = "#c7cbd1"
	cOK       = "#217346"
	cBad      = "#c0392b"
	cBadBg    = "#fbe9e7"
	cSnap     = "#d8dce2"
	cReply    = "#9bb7da"
	cSnapshot = "#7b5ea7"
	fontStack = `system-ui, -apple-system, &quot;Segoe UI&quot;, &quot;PingFang SC&quot;, &quot;Microsoft YaHei&quot;, &quot;Noto Sans CJK SC&quot;, sans-serif`
)

// glyphs are the message shapes of web/ui/messages.js (GLYPHS), centred on
// 0,0; TestGlyphsMatchThePage fails when the two differ.
var glyphs = map[string]string{
	"vote":        "M0,-7L7,0L0,7L-7,0Z",
	"prevote":     "M0,-7L7,0L0,7L-7,0Z",
	"vote-resp":   "M-4.5,0a4.5,4.5 0 1,0 9,0a4.5,4.5 0 1,0 -9,0",
	"append":      "M-7,-7h14v14h-14z",
	"heartbeat":   "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0",
	"append-resp": "M-3.5,0a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0",
	"snapshot":    "M-9,-9h18v18h-18zM-5,-5h10v10h-10z",
	"timeoutnow":  "M0,-8L8,6H-8Z",
	"other":       "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0",
}

// glyphStyle is the fill, stroke and stroke width of each message kind.
var glyphStyle = map[string][3]string{
	"vote":        {cCand, cCand, "1.5"},
	"prevote":     {cPanel, cCand, "2"},
	"vote-resp":   {"#e0ba82", cCand, "1.5"},
	"append":      {cLead, cLead, "1.5"},
	"heartbeat":   {cPanel, cLead, "2"},
	"append-resp": {cReply, cLead, "1"},
	"snapshot":    {cSnapshot, cSnapshot, "1.5"},
	"timeoutnow":  {cBad, cBad, "1.5"},
	"other":       {cMuted, cMuted, "1.5"},
}

// KindOf is the glyph a message is drawn with: the kind the simulator gives
// it (sim.MessageKinds, the same the page draws), or "other".
func KindOf(m sim.MessageView) string {
	if _, ok := glyphs[m.Kind]; ok {
		return m.Kind
	}
	return "other"
}

type point struct{ x, y float64 }

// layout places nodes on a ring as view.js's ringLayout does: with a
// partition each group gets an arc, and the walls stand in the gaps.
func layout(ids []string, partition [][]string) (pos map[string]point, walls []float64, nr, r float64) {
	n := len(ids)
	r = 170
	if n <= 3 {
		r = 120
	} else if n <= 7 {
		r = 150
	}
	pos = make(map[string]point, n)
	if n == 1 {
		pos[ids[0]] = point{cx, cy}
		return pos, nil, 34, r
	}
	order, grouped := ringOrder(ids, partition)
	slots := n
	if grouped {
		slots += len(order)
	}
	gaps := 0
	if len(partition) > 0 {
		gaps = len(partition)
	}
	nr = math.Max(6, math.Min(34, 2*math.Pi*r/math.Max(float64(n+gaps), 1)*0.3))
	step := 2 * math.Pi / float64(slots)
	a := -math.Pi / 2
	if grouped {
		a += step / 2
	}
	for _, g := range order {
		for _, id := range g {
			pos[id] = point{cx + r*math.Cos(a), cy + r*math.Sin(a)}
			a += step
		}
		if grouped {
			walls = append(walls, a)
			a += step
		}
	}
	return pos, walls, nr, r
}

// ringOrder is the order of the nodes around the ring: with a partition of
// more than one group, the groups (the nodes in none gathered last), else
// each node alone.
func ringOrder(ids []string, partition [][]string) (order [][]string, grouped bool) {
	order = make([][]string, 0, len(ids))
	if len(partition) <= 1 {
		for _, id := range ids {
			order = append(order, []string{id})
		}
		return order, false
	}
	in := map[string]int{}
	for gi, g := range partition {
		for _, id := range g {
			in[id] = gi + 1
		}
	}
	groups := make([][]string, len(partition)+1)
	for _, id := range ids {
		gi := in[id] // 0: not in any group, gathered last
		if gi == 0 {
			gi = len(partition) + 1
		}
		groups[gi-1] = append(groups[gi-1], id)
	}
	for _, g := range groups {
		if len(g) > 0 {
			order = append(order, g)
		}
	}
	return order, true
}

// termHue gives each term a calm hue (view.js termHue).
func termHue(term uint64) int { return int((term*67 + 200) % 360) }

// svg is a small SVG writer.
type svg struct{ b []byte }

func (w *svg) s(parts ...string) {
	for _, p := range parts {
		w.b = append(w.b, p...)
	}
}

func (w *svg) f(x float64) { w.b = strconv.AppendFloat(w.b, math.Round(x*10)/10, 'f', -1, 64) }

func (w *svg) i(n int64) { w.b = strconv.AppendInt(w.b, n, 10) }

// text writes XML-escaped character data.
func (w *svg) text(s string) {
	for _, r := range s {
		switch r {
		case '<':
			w.s("&lt;")
		case '>':
			w.s("&gt;")
		case '&':
			w.s("&amp;")
		case '"':
			w.s("&quot;")
		default:
			if r < 0x20 && r != '\t' && r != '\n' {
				continue
			}
			w.b = append(w.b, string(r)...)
		}
	}
}

// attr writes name="value" (a number).
func (w *svg) af(name string, x float64) {
	w.s(" ", name, `="`)
	w.f(x)
	w.s(`"`)
}

// SVG draws one moment of a cluster (sim.State) as a standalone SVG
// document.
func SVG(st sim.State, o Options) []byte {
	l := labels(o.Lang)
	ids := make([]string, len(st.Nodes))
	for i, n := range st.Nodes {
		ids[i] = n.ID
	}
	pos, walls, nr, ringR := layout(ids, st.Partition)
	rows := len(st.Nodes)
	logTop := headH + int(viewH)
	height := logTop + 20 + rows*rowH + 10

	w := &svg{b: make([]byte, 0, 16384)}
	title := o.Title
	if title == "" {
		title = l.app
	}
	drawFrame(w, st, title, height, l)

	w.s(`<g transform="translate(40,`)
	w.i(headH)
	w.s(`)">`)
	drawLinks(w, ids, pos, st.Partition)
	for _, a := range walls {
		drawWall(w, a, ringR+nr+30)
	}
	drawClient(w, st, pos, l)
	bad := map[string]uint64{}
	for _, v := range st.Invariants.Violations {
		for _, id := range v.Nodes {
			bad[id] = v.Index
		}
	}
	for _, n := range st.Nodes {
		_, isBad := bad[n.ID]
		drawNode(w, n, pos[n.ID], nr, len(st.Nodes), isBad, l)
	}
	for _, m := range st.Messages {
		drawMessage(w, m, pos, nr, st.Now)
	}
	w.s(`</g>`)
	drawLogs(w, st, logTop, bad, l)
	w.s("</svg>\n")
	return w.b
}

// drawFrame opens the document (its size, title and description for
// screen readers) and draws the panel and the header: the title and the
// moment.
func drawFrame(w *svg, st sim.State, title string, height int, l *labelSet) {
	w.s(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	w.i(picW)
	w.s(" ")
	w.i(int64(height))
	w.s(`" width="`)
	w.i(picW)
	w.s(`" height="`)
	w.i(int64(height))
	w.s(`" role="img" aria-labelledby="rs-t rs-d" font-family="`, fontStack, `">`)
	w.s(`<title id="rs-t">`)
	w.text(summary(st, title, l))
	w.s(`</title><desc id="rs-d">`)
	w.text(describe(st, l))
	w.s(`</desc>`)
	w.s(`<rect x="0.5" y="0.5" width="`)
	w.i(picW - 1)
	w.s(`" height="`)
	w.i(int64(height - 1))
	w.s(`" rx="12" fill="`, cPanel, `" stroke="`, cBorder, `"/>`)
	// header: the title and the moment
	w.s(`<text x="16" y="24" font-size="15" font-weight="650" fill="`, cText, `">`)
	w.text(clip(title, 60))
	w.s(`</text><text x="`)
	w.i(picW - 16)
	w.s(`" y="24" font-size="14" font-weight="600" text-anchor="end" fill="`, cText, `">`)
	w.text(l.time(st.Now))
	w.s(`</text>`)
}

// drawWall draws a partition's wall from the centre out to length, at
// angle a.
func drawWall(w *svg, a, length float64) {
	w.s(`<line class="rs-wall"`)
	w.af("x1", cx)
	w.af("y1", cy)
	w.af("x2", cx+length*math.Cos(a))
	w.af("y2", cy+length*math.Sin(a))
	w.s(` stroke="`, cWall, `" stroke-width="7" stroke-linecap="round" stroke-dasharray="16 5" opacity="0.85"/>`)
}

func drawLinks(w *svg, ids []string, pos map[string]point, partition [][]string) {
	if len(ids) > 12 {
		return
	}
	group := map[string]int{}
	for gi, g := range partition {
		for _, id := range g {
			group[id] = gi + 1
		}
	}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			a, b := pos[ids[i]], pos[ids[j]]
			w.s(`<line`)
			w.af("x1", a.x)
			w.af("y1", a.y)
			w.af("x2", b.x)
			w.af("y2", b.y)
			w.s(` stroke="`, cLink, `" stroke-width="1.2"`)
			if len(partition) > 1 && group[ids[i]] != group[ids[j]] {
				w.s(` stroke-dasharray="2 7" opacity="0.6"`)
			}
			w.s(`/>`)
		}
	}
}

func drawClient(w *svg, st sim.State, pos map[string]point, l *labelSet) {
	w.s(`<g transform="translate(`)
	w.f(clientX)
	w.s(",")
	w.f(cy)
	w.s(`)">`)
	if k := len(st.Requests); k > 0 {
		last := st.Requests[k-1]
		target := last.To
		if target == "" {
			target = st.Leader
		}
		if p, ok := pos[target]; ok && last.Status == "pending" {
			w.s(`<line x1="0" y1="0"`)
			w.af("x2", p.x-clientX)
			w.af("y2", p.y-cy)
			w.s(` stroke="`, cMuted, `" stroke-width="1.2" stroke-dasharray="3 4"/>`)
		}
	}
	w.s(`<rect x="-22" y="-22" width="44" height="30" rx="4" fill="`, cNode, `" stroke="`, cMuted, `" stroke-width="1.5"/>`)
	w.s(`<path d="M-28,12h56l-6,8h-44z" fill="`, cMuted, `" opacity="0.6"/>`)
	w.s(`<text y="44" text-anchor="middle" font-size="13" fill="`, cMuted, `">`)
	w.text(l.client)
	w.s(`</text>`)
	if k := len(st.Requests); k > 0 {
		last := st.Requests[k-1]
		fill, text := cText, l.pending(last.Command)
		switch last.Status {
		case "committed":
			fill, text = cOK, l.ok(last.Command, last.Result)
		case "failed":
			fill, text = cBad, l.failed(last.Command)
		}
		w.s(`<text y="-40" text-anchor="middle" font-size="13" font-weight="600" fill="`, fill, `">`)
		w.text(text)
		w.s(`</text>`)
	}
	w.s(`</g>`)
}

func drawNode(w *svg, n sim.NodeView, p point, nr float64, size int, bad bool, l *labelSet) {
	role := n.Role
	if !n.Up {
		role = "down"
	}
	removed := ""
	if n.Removed { // out of the configuration: grey inside, running or not (as the page draws it)
		removed = " removed"
	}
	w.s(`<g class="rs-node role-`, role, removed, `" transform="translate(`)
	w.f(p.x)
	w.s(",")
	w.f(p.y)
	w.s(`)"`)
	if !n.Up {
		w.s(` opacity="0.75"`)
	}
	w.s(`>`)
	// the election timer: a ring that drains from full to empty
	if n.Up && n.Role != "leader" && n.ElectionTimeout > 0 {
		drawTimer(w, n, nr)
	}
	drawDisc(w, role, nr, bad, n.Removed)
	if role == "down" {
		drawCross(w, nr*0.45)
	}
	drawNodeText(w, n, role, nr, l)
	// votes granted, one dot per voter, while campaigning
	if n.Up && (n.Role == "candidate" || n.Role == "precandidate") {
		drawVotes(w, len(n.Votes), nr, size)
	}
	w.s(`</g>`)
}

// drawTimer draws the election timer as a ring that drains from full to
// empty.
func drawTimer(w *svg, n sim.NodeView, nr float64) {
	circ := 2 * math.Pi * (nr + 6)
	left := math.Max(0, 1-float64(n.ElectionElapsed)/float64(n.ElectionTimeout))
	w.s(`<circle`)
	w.af("r", nr+6)
	w.s(` fill="none" stroke="`, cTimer, `" stroke-width="3" stroke-linecap="round" transform="rotate(-90)"`)
	w.s(` stroke-dasharray="`)
	w.f(circ)
	w.s(" ")
	w.f(circ)
	w.s(`"`)
	w.af("stroke-dashoffset", circ*(1-left))
	w.s(`/>`)
}

// drawDisc draws the node's disc, its border saying its role (or that a
// safety check names it), grey inside when it is down or removed.
func drawDisc(w *svg, role string, nr float64, bad, removed bool) {
	fill := cNode
	if role == "down" || removed {
		fill = cDown
	}
	w.s(`<circle`)
	w.af("r", nr)
	switch {
	case bad:
		w.s(` fill="`, cBadBg, `" stroke="`, cBad, `" stroke-width="5"`)
	case role == "candidate":
		w.s(` fill="`, fill, `" stroke="`, cCand, `" stroke-width="3.5" stroke-dasharray="7 5"`)
	case role == "precandidate":
		w.s(` fill="`, fill, `" stroke="`, cCand, `" stroke-width="3.5" stroke-dasharray="0.5 6" stroke-linecap="round"`)
	case role == "leader":
		w.s(` fill="`, fill, `" stroke="`, cLead, `" stroke-width="5"`)
	default:
		w.s(` fill="`, fill, `"`)
	}
	w.s(`/>`)
}

// drawCross crosses out a node that is down (c: half the cross's size).
func drawCross(w *svg, c float64) {
	w.s(`<path d="M`)
	w.f(-c)
	w.s(",")
	w.f(-c)
	w.s("L")
	w.f(c)
	w.s(",")
	w.f(c)
	w.s("M")
	w.f(c)
	w.s(",")
	w.f(-c)
	w.s("L")
	w.f(-c)
	w.s(",")
	w.f(c)
	w.s(`" stroke="`, cMuted, `" stroke-width="3" stroke-linecap="round" opacity="0.5"/>`)
}

// drawNodeText writes the node's name, its term (when the disc has room)
// and its key-value state below it.
func drawNodeText(w *svg, n sim.NodeView, role string, nr float64, l *labelSet) {
	nameFill, termFill := cText, cMuted
	if role == "down" {
		nameFill = cMuted
	}
	w.s(`<text text-anchor="middle" dominant-baseline="middle" font-weight="700" fill="`, nameFill, `"`)
	if nr >= 18 {
		w.s(` y="-2"`)
	} else {
		w.s(` y="4"`)
	}
	w.af("font-size", math.Max(8, math.Min(22, nr*0.62)))
	w.s(`>`)
	w.text(n.ID)
	w.s(`</text>`)
	if nr >= 10 {
		w.s(`<text text-anchor="middle" font-size="11" fill="`, termFill, `"`)
		w.af("y", nr*0.5)
		w.s(`>`)
		if nr >= 18 {
			w.text(l.term(n.Term))
		} else {
			w.text(strconv.FormatUint(n.Term, 10))
		}
		w.s(`</text>`)
	}
	if kv := kvText(n.KV); kv != "" && nr >= 12 {
		w.s(`<text text-anchor="middle" font-size="13" font-weight="600" fill="`, cText, `"`)
		w.af("y", nr+24)
		w.s(`>`)
		w.text(kv)
		w.s(`</text>`)
	}
}

// drawVotes draws one dot per voter of a cluster of size nodes over a
// campaigning node, the first votes of them filled.
func drawVotes(w *svg, votes int, nr float64, size int) {
	spread := math.Min(math.Pi*0.9, float64(size)*0.32)
	for i := 0; i < size; i++ {
		a := -math.Pi/2 - spread/2 + spread/2
		if size > 1 {
			a = -math.Pi/2 - spread/2 + spread*float64(i)/float64(size-1)
		}
		r := nr + 15
		w.s(`<circle r="3.2"`)
		w.af("cx", r*math.Cos(a))
		w.af("cy", r*math.Sin(a))
		if i < votes {
			w.s(` fill="`, cCand, `"`)
		} else {
			w.s(` fill="none"`)
		}
		w.s(` stroke="`, cCand, `" stroke-width="1.4"/>`)
	}
}

func drawMessage(w *svg, m sim.MessageView, pos map[string]point, nr float64, now int64) {
	a, okA := pos[m.From]
	b, okB := pos[m.To]
	if !okA || !okB {
		return
	}
	kind := KindOf(m)
	dx, dy := b.x-a.x, b.y-a.y
	ln := math.Hypot(dx, dy)
	if ln == 0 {
		ln = 1
	}
	ux, uy := dx/ln, dy/ln
	ox, oy := -uy*6, ux*6
	x0, y0 := a.x+ux*(nr+4)+ox, a.y+uy*(nr+4)+oy
	x1, y1 := b.x-ux*(nr+4)+ox, b.y-uy*(nr+4)+oy
	p := 1.0
	if span := m.DeliverAt - m.SentAt; span > 0 {
		p = math.Max(0, math.Min(1, float64(now-m.SentAt)/float64(span)))
	}
	st := glyphStyle[kind]
	w.s(`<g class="rs-msg kind-`, kind, `" transform="translate(`)
	w.f(x0 + (x1-x0)*p)
	w.s(",")
	w.f(y0 + (y1-y0)*p)
	w.s(`)"`)
	if m.Held {
		w.s(` opacity="0.45"`)
	}
	w.s(`><path d="`, glyphs[kind], `" fill="`, st[0], `" stroke="`, st[1], `" stroke-width="`, st[2], `"`)
	if kind == "snapshot" {
		w.s(` fill-rule="evenodd"`)
	}
	w.s(`/>`)
	if kind == "append" && m.Entries > 0 {
		w.s(`<text y="3.5" text-anchor="middle" font-size="9.5" font-weight="700" fill="#fff">`)
		w.i(int64(m.Entries))
		w.s(`</text>`)
	}
	w.s(`</g>`)
}

// shortCmd writes a command compactly enough for a log cell, as view.js's
// shortCmd does: SET x 5 -> x=5, ADD x 2 -> x+2, GET x -> x?
func shortCmd(c string) string {
	f := strings.Fields(c)
	if len(f) >= 1 && len(f) <= 3 {
		op := strings.ToUpper(f[0])
		key, num := "x", ""
		rest := f[1:]
		if len(rest) > 0 && isIdent(rest[0]) {
			key, rest = rest[0], rest[1:]
		}
		if len(rest) == 1 && isInt(rest[0]) {
			num, rest = rest[0], nil
		}
		if len(rest) == 0 {
			switch {
			case op == "SET" && num != "":
				return key + "=" + num
			case op == "ADD" && num != "":
				if strings.HasPrefix(num, "-") {
					return key + num
				}
				return key + "+" + num
			case op == "GET" && num == "":
				return key + "?"
			}
		}
	}
	if len(c) > 6 {
		c = strings.Join(strings.Fields(c), "")
		if r := []rune(c); len(r) > 6 {
			c = string(r[:6])
		}
	}
	return c
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

func isInt(s string) bool {
	s = strings.TrimPrefix(s, "-")
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// kvText is a node's key-value state in a few characters (view.js kvText).
func kvText(kv []sim.KV) string {
	if len(kv) == 0 {
		return ""
	}
	parts := make([]string, len(kv))
	for i, p := range kv {
		parts[i] = p.Key + " = " + strconv.FormatInt(p.Value, 10)
	}
	return clip(strings.Join(parts, "  "), 18)
}

// clip shortens a text to n characters, ending it with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
