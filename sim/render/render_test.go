package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"raftsandbox/sim/scenario"
)

// element is one parsed SVG element with its attributes and the text
// directly inside it.
type element struct {
	name  string
	attrs map[string]string
	text  string
	depth int
}

// parse checks that a picture is well-formed XML and returns its elements
// in document order.
func parse(t *testing.T, b []byte) []element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the picture is not well-formed XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}, depth: len(stack)}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	if len(out) == 0 || out[0].name != "svg" {
		t.Fatalf("the picture is not an <svg> document:\n%s", b)
	}
	return out
}

func render(t *testing.T, raw string) []byte {
	t.Helper()
	q, err := ParseQuery(raw)
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", raw, err)
	}
	b, err := Render(q)
	if err != nil {
		t.Fatalf("Render(%q): %v", raw, err)
	}
	return b
}

// nodeBody returns, for each node, the attributes of its body: the circle
// right inside the node's group whose radius is not the timer's.
func nodeBodies(els []element) map[string]map[string]string {
	out := map[string]map[string]string{}
	for i, e := range els {
		if e.name != "g" || !strings.HasPrefix(e.attrs["class"], "rs-node ") {
			continue
		}
		var id string
		var body map[string]string
		for _, c := range els[i+1:] {
			if c.depth <= e.depth {
				break
			}
			if c.name == "circle" && c.attrs["fill"] != "none" && body == nil && c.attrs["r"] != "3.2" {
				body = c.attrs
			}
			if c.name == "text" && c.attrs["font-weight"] == "700" && id == "" {
				id = c.text
			}
		}
		body["class"] = e.attrs["class"]
		out[id] = body
	}
	return out
}

// The encoding of the page: followers without border, candidates dashed,
// the leader solid, a crashed node grey.
func TestRolesAreDrawnAsOnThePage(t *testing.T) {
	// states at 230 ms: A has timed out (candidate), B and C follow.
	b := nodeBodies(parse(t, render(t, "scenario=states&at=230")))
	if c := b["A"]; c["class"] != "rs-node role-candidate" || c["stroke"] != cCand || c["stroke-dasharray"] != "7 5" {
		t.Errorf("candidate A drawn as %v, want a dashed %s border", c, cCand)
	}
	for _, id := range []string{"B", "C"} {
		if c := b[id]; c["class"] != "rs-node role-follower" || c["stroke"] != "" || c["fill"] != cNode {
			t.Errorf("follower %s drawn as %v, want no border", id, c)
		}
	}
	// leader-crash at 800 ms: B crashed, D leads with a solid border.
	b = nodeBodies(parse(t, render(t, "scenario=leader-crash&at=800")))
	if c := b["B"]; c["class"] != "rs-node role-down" || c["fill"] != cDown {
		t.Errorf("crashed B drawn as %v", c)
	}
	leaders := 0
	for id, c := range b {
		if c["class"] == "rs-node role-leader" {
			leaders++
			if c["stroke"] != cLead || c["stroke-width"] != "5" || c["stroke-dasharray"] != "" {
				t.Errorf("leader %s drawn as %v, want a solid %s border", id, c, cLead)
			}
		}
	}
	if leaders != 1 {
		t.Errorf("%d leaders drawn at 800 ms of leader-crash, want 1", leaders)
	}
}

func count(els []element, pred func(element) bool) int {
	n := 0
	for _, e := range els {
		if pred(e) {
			n++
		}
	}
	return n
}

func hasClass(prefix string) func(element) bool {
	return func(e element) bool { return strings.HasPrefix(e.attrs["class"], prefix) }
}

// What else a moment shows: messages in flight, timers, the partition, the
// logs' committed and uncommitted entries, the key-value state, the terms.
func TestPictureShowsTheMoment(t *testing.T) {
	t.Run("partition", func(t *testing.T) {
		// 1.2 s: a write to the old leader B is stuck (uncommitted), the
		// new side commits SET 3, and AppendEntries are on their way.
		els := parse(t, render(t, "scenario=partition&at=1200"))
		if n := count(els, hasClass("rs-wall")); n != 2 {
			t.Errorf("%d walls for a partition into two groups, want 2", n)
		}
		if n := count(els, hasClass("rs-msg ")); n == 0 {
			t.Error("no message in flight drawn")
		}
		if n := count(els, hasClass("rs-cell uncommitted")); n == 0 {
			t.Error("no uncommitted entry drawn (B's SET 8 cannot commit)")
		}
		if n := count(els, hasClass("rs-cell committed")); n == 0 {
			t.Error("no committed entry drawn")
		}
		text := alltext(els)
		for _, want := range []string{"x=8", "term 1", "Partition and heal", "1.20 s", "Client"} {
			if !strings.Contains(text, want) {
				t.Errorf("the picture does not say %q:\n%s", want, text)
			}
		}
	})
	t.Run("timers", func(t *testing.T) {
		// At 0 ms every timer is full; at 100 ms in election they have drained part way.
		full := timerOffsets(parse(t, render(t, "scenario=election&at=0")))
		later := timerOffsets(parse(t, render(t, "scenario=election&at=100")))
		if len(full) != 5 || len(later) != 5 {
			t.Fatalf("%d and %d timers drawn, want 5 and 5", len(full), len(later))
		}
		for i := range full {
			if full[i] != "0" || later[i] == "0" {
				t.Errorf("timer %d: offset %s at 0 ms and %s at 100 ms, want 0 then more", i, full[i], later[i])
			}
		}
	})
	t.Run("state machine", func(t *testing.T) {
		text := alltext(parse(t, render(t, "scenario=replication&at=850")))
		if !strings.Contains(text, "x = 7") {
			t.Errorf("x = 7 not shown after SET 5, ADD 2:\n%s", text)
		}
	})
	t.Run("chinese", func(t *testing.T) {
		text := alltext(parse(t, render(t, "scenario=replication&at=850&lang=zh")))
		for _, want := range []string{"任期", "客户端", "领导者", "秒"} {
			if !strings.Contains(text, want) {
				t.Errorf("the Chinese picture does not say %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "term") || strings.Contains(text, "Client") {
			t.Errorf("the Chinese picture has English labels:\n%s", text)
		}
	})
}

func alltext(els []element) string {
	var b strings.Builder
	for _, e := range els {
		b.WriteString(e.text)
		b.WriteByte('\n')
	}
	return b.String()
}

func timerOffsets(els []element) []string {
	var out []string
	for _, e := range els {
		if e.name == "circle" && e.attrs["stroke"] == cTimer {
			out = append(out, e.attrs["stroke-dashoffset"])
		}
	}
	return out
}

// Moments returns the telling moments of every built-in scenario, which
// tools/build pre-renders; each must draw, in both languages, and the
// same query must give the same bytes.
func TestEveryBuiltinMomentDraws(t *testing.T) {
	for _, b := range scenario.Builtins() {
		moments, err := Moments(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(moments) < 2 || moments[0] != 0 {
			t.Errorf("%s: moments %v, want 0 and at least one more", b.Name, moments)
		}
		for _, at := range moments {
			for _, lang := range []string{"en", "zh"} {
				q := Query{Scenario: b.Name, At: at, HasAt: true, Lang: lang}
				one, err := Render(q)
				if err != nil {
					t.Fatalf("%s at %d: %v", b.Name, at, err)
				}
				parse(t, one)
				two, _ := Render(q)
				if !bytes.Equal(one, two) {
					t.Fatalf("%s at %d ms: two renders differ", b.Name, at)
				}
			}
		}
	}
}

// The picture of a share string is the picture of its run at that moment.
func TestShareDrawsItsRun(t *testing.T) {
	text, _ := scenario.Builtin("partition")
	script, err := scenario.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	share, err := scenario.EncodeShare(script)
	if err != nil {
		t.Fatal(err)
	}
	a := render(t, "share="+share+"&at=4030")
	b := render(t, "scenario=partition&at=4030")
	if !bytes.Equal(a, b) {
		t.Error("the share of the partition scenario draws differently from the scenario itself at 4030 ms")
	}
	// without at: the shared moment (the script's end)
	c := render(t, "share="+share)
	if !strings.Contains(string(c), english.time(script.End)) {
		t.Errorf("a share without at is not drawn at its end (%d ms)", script.End)
	}
}

// The seed changes the run (the election timeouts) and the query carries it.
func TestSeed(t *testing.T) {
	a := render(t, "scenario=election&at=400&seed=1")
	b := render(t, "scenario=election&at=400&seed=2")
	if bytes.Equal(a, b) {
		t.Error("seeds 1 and 2 draw the same election at 400 ms")
	}
}

// goldenSum pins one picture's bytes. The wasm test run (./build.sh test)
// checks the same sum, so the picture is the same natively and in the
// browser. A deliberate change of the drawing updates it.
const goldenSum = "6fa24a1f21497af7" // timer #7391b8, ok #217346 (contrast, issue 15)

func TestGolden(t *testing.T) {
	b := render(t, "scenario=partition&at=1200&lang=zh")
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:8]); got != goldenSum {
		t.Errorf("picture sum %s, want %s (a deliberate change of the drawing updates goldenSum)", got, goldenSum)
	}
}

func TestBadQueries(t *testing.T) {
	long := strings.Repeat("a", MaxQueryBytes)
	for _, tc := range []struct{ raw, want string }{
		{"", "say which run to draw"},
		{"scenario=", "scenario is empty"},
		{"share=", "share is empty"},
		{"scenario=election&share=AQ", "not both"},
		{"scenario=nope", `unknown scenario "nope"`},
		{"scenario=election&at=-1", "not a moment"},
		{"scenario=election&at=1.5", "not a moment"},
		{"scenario=election&at=60001", "at most 60000 ms"},
		{"scenario=election&seed=x", "not a whole number"},
		{"share=AQ&seed=3", "seed goes with scenario"},
		{"scenario=election&lang=fr", "en or zh"},
		{"scenario=election&color=red", `unknown parameter "color"`},
		{"scenario=election&at=1&at=2", "given 2 times"},
		{"scenario=%zz", "cannot be read"},
		{"scenario=" + long, "at most 8192"},
		{"scenario=nodes+65", "out of range"},
		{"scenario=nodes+17", "at most 16"},
		{"scenario=nodes+16%0Aat+1s+add+node", "at most 16"},
		{"share=%21%21", "share"},
		{"share=AQ", "share"},
	} {
		q, err := ParseQuery(tc.raw)
		if err == nil {
			_, err = Render(q)
		}
		if err == nil {
			t.Errorf("%.60q: no error, want one saying %q", tc.raw, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.60q: error %q, want it to say %q", tc.raw, err, tc.want)
		}
	}
}

// A run too busy to draw is refused before it has done unbounded work: a
// lossy network at the most nodes and the latest moment stays under the
// event cap (or is refused), and never runs past it.
func TestWorkIsBounded(t *testing.T) {
	q := Query{Scenario: "nodes 16\nduplicate 100%\nreorder 50%\nlatency 0-1ms", At: MaxAtMs, HasAt: true, Lang: "en"}
	s, _, err := q.Run()
	if err != nil {
		if !strings.Contains(err.Error(), "too busy") {
			t.Fatal(err)
		}
		return
	}
	if s.EventCount() > MaxEvents {
		t.Errorf("%d events, cap %d", s.EventCount(), MaxEvents)
	}
}

// Encode is ParseQuery's inverse.
func TestEncodeRoundTrip(t *testing.T) {
	for _, q := range []Query{
		{Scenario: "partition", Lang: "en"},
		{Scenario: "nodes 3\nat 1s crash A", Seed: 7, HasSeed: true, At: 1500, HasAt: true, Lang: "zh"},
		{Share: "AQ-_x", At: 0, HasAt: true, Lang: "en"},
	} {
		back, err := ParseQuery(q.Encode())
		if err != nil || back != q {
			t.Errorf("%+v -> %q -> %+v, %v", q, q.Encode(), back, err)
		}
	}
}

// The words the page also shows are the page's (web/i18n): one source.
func TestLabelsMatchPage(t *testing.T) {
	for lang, l := range map[string]*labelSet{"en": &english, "zh": &chinese} {
		src, err := os.ReadFile("../../web/i18n/" + lang + ".js")
		if err != nil {
			t.Fatal(err)
		}
		page := map[string]string{}
		for _, m := range regexp.MustCompile(`(?m)^\s*"([a-zA-Z.\-]+)":\s*"((?:[^"\\]|\\.)*)"`).FindAllStringSubmatch(string(src), -1) {
			page[m[1]] = m[2]
		}
		check := func(key, got string) {
			if want, ok := page[key]; !ok || want != got {
				t.Errorf("%s %s: the picture says %q, the page %q", lang, key, got, want)
			}
		}
		check("app.title", l.app)
		check("time.value", l.timeFmt)
		check("view.term", l.termFmt)
		check("view.client", l.client)
		check("client.ok", l.okFmt)
		check("client.failed", l.failFmt)
		check("client.pending", l.pendFmt)
		check("log.noop", l.noop)
		check("log.snap", l.snap)
		for role, name := range l.roles {
			check("role."+role, name)
		}
	}
}

func TestShortCmd(t *testing.T) {
	for in, want := range map[string]string{
		"SET x 5": "x=5", "SET 5": "x=5", "ADD x -2": "x-2", "ADD y 2": "y+2", "GET x": "x?", "GET": "x?",
		"add-voter F": "add-vo", "remove F": "remove", "SET x y": "SETxy",
	} {
		if got := shortCmd(in); got != want {
			t.Errorf("shortCmd(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	for _, sc := range scenario.Builtins() {
		script, err := scenario.Parse(sc.Text)
		if err != nil {
			b.Fatal(err)
		}
		q := Query{Scenario: sc.Name, At: script.End, HasAt: true, Lang: "en"}
		b.Run(sc.Name, func(b *testing.B) {
			for range b.N {
				if _, err := Render(q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderWorst is the busiest picture the limits allow.
func BenchmarkRenderWorst(b *testing.B) {
	q := Query{Scenario: "nodes 16\nduplicate 100%\nreorder 50%\nlatency 0-1ms", At: MaxAtMs, HasAt: true, Lang: "en"}
	for range b.N {
		Render(q)
	}
}

// parseQuery and queryEscape agree with net/url (which the wasm does not link).
func TestQueryCodecMatchesNetURL(t *testing.T) {
	for _, raw := range []string{"a=1&b=2", "scenario=nodes+3%0Aat+1s", "x=%zz", "a=%4", "a;b=1", "k=%E4%BB%BB&&k=2", "=v", "k", "a=1&a=2", "%41=%42+"} {
		got, err1 := parseQuery(raw)
		want, err2 := url.ParseQuery(raw)
		if (err1 == nil) != (err2 == nil) || err1 == nil && !reflect.DeepEqual(got, map[string][]string(want)) {
			t.Errorf("%q: %v, %v; net/url: %v, %v", raw, got, err1, want, err2)
		}
	}
	for _, v := range []string{"nodes 3\\nat 1s crash A", "任期 ~-_.!*'()", "a&b=c+d%"} {
		if got, want := queryEscape(v), url.QueryEscape(v); got != want {
			t.Errorf("queryEscape(%q) = %q, net/url %q", v, got, want)
		}
	}
}
