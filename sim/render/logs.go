package render

import (
	"strconv"

	"raftsandbox/sim"
)

// drawLogs draws the logs under the cluster, one row a node, as
// web/ui/logview.js does: the last logCols indexes, each cell an entry
// (filled when committed, dashed when not), a snapshot or nothing; the
// commit point; and the leader's match and next index for each follower.
func drawLogs(w *svg, st sim.State, top int, bad map[string]uint64, l *labelSet) {
	first := firstColumn(st)
	w.s(`<g transform="translate(0,`)
	w.i(int64(top))
	w.s(`)">`)
	for i := 0; i < logCols; i++ {
		w.s(`<text`)
		w.af("x", float64(cellX0+i*cellW)+float64(cellW-4)/2)
		w.s(` y="12" text-anchor="middle" font-size="10" fill="`, cMuted, `">`)
		w.i(int64(first) + int64(i))
		w.s(`</text>`)
	}
	progress := map[string]sim.ProgressView{}
	for _, n := range st.Nodes {
		if n.ID == st.Leader && n.Role == "leader" {
			for _, p := range n.Progress {
				progress[p.ID] = p
			}
		}
	}
	for r, n := range st.Nodes {
		badIdx, isBad := bad[n.ID]
		if !isBad {
			badIdx = 0 // no index 0 cell: nothing is marked
		}
		p, hasProgress := progress[n.ID]
		drawLogRow(w, &n, r, first, badIdx, l)
		drawCommitPoint(w, n.CommitIndex, first)
		if hasProgress {
			drawProgress(w, p, first)
		}
		w.s(`</g>`)
	}
	w.s(`</g>`)
}

// firstColumn is the index of the first column: the last logCols indexes
// of the longest log are shown.
func firstColumn(st sim.State) uint64 {
	var maxIndex uint64
	for _, n := range st.Nodes {
		last := n.SnapshotIndex
		if k := len(n.Log); k > 0 {
			last = n.Log[k-1].Index
		}
		maxIndex = max(maxIndex, last)
	}
	if maxIndex >= logCols {
		return maxIndex - logCols + 1
	}
	return 1
}

// drawLogRow opens row r (closed by the caller) and draws the node's name
// and its cells from index first on; the cell at badIdx (if not 0) is
// marked as named by a safety check.
func drawLogRow(w *svg, n *sim.NodeView, r int, first, badIdx uint64, l *labelSet) {
	w.s(`<g transform="translate(0,`)
	w.i(int64(20 + r*rowH))
	w.s(`)"`)
	if !n.Up {
		w.s(` opacity="0.5"`)
	}
	w.s(`><text x="26" y="21" text-anchor="middle" font-size="14" font-weight="700" fill="`)
	if n.Up && n.Role == "leader" {
		w.s(cLead)
	} else {
		w.s(cText)
	}
	w.s(`">`)
	w.text(n.ID)
	w.s(`</text>`)
	var offset uint64
	if len(n.Log) > 0 {
		offset = n.Log[0].Index
	} else {
		offset = n.SnapshotIndex + 1
	}
	for i := 0; i < logCols; i++ {
		idx := first + uint64(i)
		var e *sim.EntryView
		if idx >= offset && idx-offset < uint64(len(n.Log)) && n.Log[idx-offset].Index == idx {
			e = &n.Log[idx-offset]
		}
		drawCell(w, n, e, idx, i, idx == badIdx, l)
	}
}

// drawCell draws column i (index idx) of a node's row: entry e, or a
// snapshot, or an empty slot.
func drawCell(w *svg, n *sim.NodeView, e *sim.EntryView, idx uint64, i int, bad bool, l *labelSet) {
	x := float64(cellX0 + i*cellW)
	w.s(`<rect`)
	w.af("x", x)
	w.s(` y="4" width="37" height="28" rx="3"`)
	switch {
	case e != nil:
		h := strconv.Itoa(termHue(e.Term))
		if idx <= n.CommitIndex {
			w.s(` class="rs-cell committed" fill="hsl(`, h, `,48%,80%)" stroke="hsl(`, h, `,40%,48%)" stroke-width="1.4"`)
		} else {
			w.s(` class="rs-cell uncommitted" fill="none" stroke="hsl(`, h, `,45%,48%)" stroke-width="1.8" stroke-dasharray="4 3"`)
		}
	case idx <= n.SnapshotIndex:
		w.s(` fill="`, cSnap, `"`)
	default:
		w.s(` fill="none" stroke="`, cBorder, `" stroke-width="1.4" stroke-dasharray="1 4"`)
	}
	if bad {
		w.s(` stroke="`, cBad, `" stroke-width="3" stroke-dasharray="none"`)
	}
	w.s(`/>`)
	switch {
	case e != nil:
		w.s(`<text`)
		w.af("x", x+4)
		w.s(` y="14" font-size="9" fill="`, cMuted, `">`)
		w.i(int64(e.Term))
		w.s(`</text><text`)
		w.af("x", x+float64(cellW-4)/2)
		w.s(` y="27" text-anchor="middle" font-size="10.5" font-weight="600" fill="`, cText, `">`)
		if e.Command == "" {
			w.text(l.noop)
		} else {
			w.text(shortCmd(e.Command))
		}
		w.s(`</text>`)
	case idx <= n.SnapshotIndex && i == 0:
		w.s(`<text`)
		w.af("x", x+float64(cellW-4)/2)
		w.s(` y="27" text-anchor="middle" font-size="10.5" font-weight="600" fill="`, cText, `">`)
		w.text(l.snap)
		w.s(`</text>`)
	}
}

// drawCommitPoint draws the commit point: a bar after the last committed
// cell.
func drawCommitPoint(w *svg, commit, first uint64) {
	if ci := int64(commit) - int64(first) + 1; commit > 0 && ci >= 0 && ci <= logCols {
		x := float64(cellX0 + int(ci)*cellW - 2)
		w.s(`<line`)
		w.af("x1", x)
		w.af("x2", x)
		w.s(` y1="1" y2="35" stroke="`, cOK, `" stroke-width="2.5"/>`)
	}
}

// drawProgress draws the leader's view of a follower: match (filled) and
// next (outlined).
func drawProgress(w *svg, p sim.ProgressView, first uint64) {
	for k, idx := range []uint64{p.Match, p.Next} {
		col := int64(idx) - int64(first)
		if col < 0 || col >= logCols {
			continue
		}
		w.s(`<path transform="translate(`)
		w.f(float64(cellX0) + float64(col)*cellW + float64(cellW-4)/2)
		w.s(`,34)" d="M0,0l-5,7h10z"`)
		if k == 0 {
			w.s(` fill="`, cLead, `"/>`)
		} else {
			w.s(` fill="none" stroke="`, cLead, `" stroke-width="1.5"/>`)
		}
	}
}
