// Package render draws a moment of a run as a standalone SVG picture in the
// page's visual encoding (followers without border, candidates dashed, the
// leader solid; terms, election timers, messages in flight, the partition,
// the logs with committed and uncommitted entries, the key-value state),
// with English or Chinese labels.
//
// It is the one renderer behind every picture of the project: the
// /render.svg picture links served by `go run serve.go` and by the
// Cloudflare Worker (package site), the pictures ./build.sh pre-renders into
// dist/pictures/ for static hosts and first paint (tools/build), and the
// page's "Download picture" (the wasm bindings). It imports sim and the
// standard library only, and never syscall/js.
//
// Runs are deterministic: the same query always gives the same bytes,
// natively and in the wasm. The work per picture is bounded (MaxAtMs,
// MaxNodes, MaxEvents, MaxQueryBytes), so that a picture link cannot make a
// server burn unbounded CPU or memory.
package render

import (
	"errors"
	"strconv"
	"strings"

	"raftsandbox/sim"
	"raftsandbox/sim/scenario"
)

// Limits on one picture. Every built-in scenario fits with room to spare.
const (
	MaxQueryBytes = 8192  // the raw query string of a picture link
	MaxAtMs       = 60000 // the latest moment a picture may show (60 s of virtual time)
	MaxNodes      = 16    // nodes in the cluster, including nodes the run adds
	MaxEvents     = 400000
)

// Query is a parsed picture request: which run (exactly one of Scenario and
// Share), at which moment, in which language.
type Query struct {
	Scenario string // a built-in scenario's name, or script text
	Share    string // a share string (the page's #share=...)
	Seed     uint64 // with Scenario and HasSeed: replaces the script's seed
	HasSeed  bool
	At       int64 // ms of virtual time; without HasAt: 0 for a scenario, the shared moment for a share
	HasAt    bool
	Lang     string // "en" (default) or "zh"
}

// params are the names ParseQuery accepts.
var params = []string{"scenario", "share", "seed", "at", "lang"}

// ParseQuery parses the query string of a picture link
// (scenario=...&seed=...&at=...&lang=... or share=...&at=...). Its errors
// are sentences for the person who wrote the link.
func ParseQuery(raw string) (Query, error) {
	q := Query{Lang: "en"}
	vals, err := queryParams(raw)
	if err != nil {
		return q, err
	}
	get := func(k string) (string, bool) {
		v, ok := vals[k]
		if !ok {
			return "", false
		}
		return v[0], true
	}
	var hasScenario, hasShare bool
	q.Scenario, hasScenario = get("scenario")
	q.Share, hasShare = get("share")
	switch {
	case hasScenario && hasShare:
		return q, errors.New("give either scenario or share, not both")
	case !hasScenario && !hasShare:
		return q, errors.New("say which run to draw: scenario=<a built-in name (" + strings.Join(scenario.BuiltinNames(), ", ") + ") or a script>, or share=<a share string>")
	case hasScenario && strings.TrimSpace(q.Scenario) == "":
		return q, errors.New("scenario is empty: give a built-in name (" + strings.Join(scenario.BuiltinNames(), ", ") + ") or a script")
	case hasShare && q.Share == "":
		return q, errors.New("share is empty: give the share string of a link (what follows #share=)")
	}
	return q, q.options(get, hasShare)
}

// queryParams reads a picture link's query: each parameter known, and
// given once.
func queryParams(raw string) (map[string][]string, error) {
	if len(raw) > MaxQueryBytes {
		return nil, errors.New("the query is " + itoa(len(raw)) + " bytes long: a picture link's query may have at most " + itoa(MaxQueryBytes))
	}
	vals, err := parseQuery(raw)
	if err != nil {
		return nil, errors.New("the query cannot be read: " + err.Error())
	}
	for k, v := range vals {
		known := false
		for _, p := range params {
			known = known || k == p
		}
		if !known {
			return nil, errors.New("unknown parameter " + strconv.Quote(k) + ": a picture link takes " + strings.Join(params, ", "))
		}
		if len(v) > 1 {
			return nil, errors.New("parameter " + k + " is given " + itoa(len(v)) + " times: give it once")
		}
	}
	return vals, nil
}

// options reads the parameters that choose within the run: seed (with a
// scenario), at and lang.
func (q *Query) options(get func(string) (string, bool), hasShare bool) error {
	if v, ok := get("seed"); ok {
		if hasShare {
			return errors.New("seed goes with scenario: a share string carries its own seed")
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return errors.New("seed " + strconv.Quote(v) + " is not a whole number from 0 to 18446744073709551615")
		}
		q.Seed, q.HasSeed = n, true
	}
	if v, ok := get("at"); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errors.New("at " + strconv.Quote(v) + " is not a moment: give whole milliseconds of virtual time, 0 to " + itoa(MaxAtMs))
		}
		if n > MaxAtMs {
			return errors.New("at is " + strconv.FormatInt(n, 10) + " ms: a picture shows a moment of at most " + itoa(MaxAtMs) + " ms (60 s) of a run")
		}
		q.At, q.HasAt = n, true
	}
	if v, ok := get("lang"); ok {
		if v != "en" && v != "zh" {
			return errors.New("lang " + strconv.Quote(v) + " is not a language of the sandbox: en or zh")
		}
		q.Lang = v
	}
	return nil
}

// Encode writes the query back as a query string (the parameters in a fixed
// order; defaults left out): ParseQuery(q.Encode()) gives q back.
func (q Query) Encode() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + queryEscape(v))
	}
	if q.Share != "" {
		add("share", q.Share)
	} else {
		add("scenario", q.Scenario)
	}
	if q.HasSeed {
		add("seed", strconv.FormatUint(q.Seed, 10))
	}
	if q.HasAt {
		add("at", strconv.FormatInt(q.At, 10))
	}
	if q.Lang != "" && q.Lang != "en" {
		add("lang", q.Lang)
	}
	return b.String()
}

// Script returns the run a query names and the moment to draw.
func (q Query) Script() (*scenario.Script, int64, error) {
	var s *scenario.Script
	var err error
	at := q.At
	if q.Share != "" {
		s, err = scenario.DecodeShare(q.Share)
		if err != nil {
			return nil, 0, err
		}
		if !q.HasAt {
			at = s.End
			if at > MaxAtMs {
				return nil, 0, errors.New("the shared moment is " + strconv.FormatInt(at, 10) + " ms into the run: a picture shows at most " + itoa(MaxAtMs) + " ms; add at=<ms> for an earlier moment")
			}
		}
	} else {
		text, ok := scenario.Builtin(q.Scenario)
		if !ok {
			if !strings.ContainsAny(q.Scenario, " \n") {
				return nil, 0, errors.New("unknown scenario " + strconv.Quote(q.Scenario) + ": the built-in ones are " + strings.Join(scenario.BuiltinNames(), ", ") + " (or give a script's text)")
			}
			text = q.Scenario
		}
		s, err = scenario.Parse(text)
		if err != nil {
			return nil, 0, err
		}
		if q.HasSeed {
			s.Config.Seed = q.Seed
		}
	}
	nodes := s.Config.Nodes
	for _, a := range s.Actions {
		if a.Kind == scenario.Add {
			nodes++
		}
	}
	if nodes > MaxNodes {
		return nil, 0, errors.New("the run has " + itoa(nodes) + " nodes: a picture shows at most " + itoa(MaxNodes))
	}
	return s, at, nil
}

// Run plays the run a query names to its moment. A run that the safety
// checker halted stops there (the picture then shows the violation).
func (q Query) Run() (*sim.Sim, *scenario.Script, error) {
	script, at, err := q.Script()
	if err != nil {
		return nil, nil, err
	}
	s, err := sim.FromScript(script)
	if err != nil {
		return nil, nil, err
	}
	// Advance in slices, checking the work done: time and nodes are capped,
	// and so, for a run whose network multiplies messages, are the events.
	const slice = 250
	for s.Now() < at && !s.Halted() {
		if err := s.Advance(min(slice, at-s.Now())); err != nil && !s.Halted() {
			return nil, nil, err
		}
		if s.EventCount() > MaxEvents {
			return nil, nil, errors.New("this run is too busy to draw: more than " + itoa(MaxEvents) + " events before " + strconv.FormatInt(at, 10) + " ms; pick an earlier moment")
		}
	}
	return s, script, nil
}

// Render draws the picture a query asks for.
func Render(q Query) ([]byte, error) {
	s, script, err := q.Run()
	if err != nil {
		return nil, err
	}
	return SVG(s.State(), Options{Title: script.Title, Lang: q.Lang}), nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// Moments returns the telling moments of a built-in scenario, in order: its
// start (0 ms), the time of each of its lines (an action or an
// expectation) and its end. ./build.sh pre-renders each (PictureFile).
func Moments(name string) ([]int64, error) {
	text, ok := scenario.Builtin(name)
	if !ok {
		return nil, errors.New("unknown scenario " + strconv.Quote(name))
	}
	s, err := scenario.Parse(text)
	if err != nil {
		return nil, err
	}
	out := []int64{0}
	add := func(t int64) {
		if t > out[len(out)-1] && t <= MaxAtMs {
			out = append(out, t)
		}
	}
	for _, st := range s.Steps() {
		add(st.At)
	}
	add(s.End)
	return out, nil
}

// PictureDir is the folder of dist/ that holds the pre-rendered pictures.
const PictureDir = "pictures"

// PictureFile is the name, under dist/, of a pre-rendered picture: a
// built-in scenario at a moment ("pictures/partition-4000ms.svg"; Chinese
// "pictures/partition-4000ms.zh.svg"). A fresh cluster of n nodes at 0 ms
// (which looks the same whatever the seed: every timer is full) is
// ClusterFile. web/ui/first-paint.js builds the same names.
func PictureFile(name string, at int64, lang string) string {
	return PictureDir + "/" + name + "-" + strconv.FormatInt(at, 10) + "ms" + langSuffix(lang) + ".svg"
}

// ClusterFile is the pre-rendered picture of a fresh cluster of n nodes at
// 0 ms ("pictures/nodes-5.svg").
func ClusterFile(n int, lang string) string {
	return PictureDir + "/nodes-" + itoa(n) + langSuffix(lang) + ".svg"
}

// ClusterScript is the script of a fresh cluster of n nodes (what
// ClusterFile draws).
func ClusterScript(n int) string { return "nodes " + itoa(n) }

func langSuffix(lang string) string {
	if lang == "zh" {
		return ".zh"
	}
	return ""
}

// parseQuery reads a query string as net/url's ParseQuery does (which the
// wasm does not link: net/url would cost it some 70 KB): key=value pairs
// joined by &, percent-escapes and + for a space; a semicolon is an error.
func parseQuery(raw string) (map[string][]string, error) {
	vals := map[string][]string{}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if strings.Contains(pair, ";") {
			return nil, errors.New("invalid semicolon separator in query")
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := unescape(k)
		if err != nil {
			return nil, err
		}
		v, err = unescape(v)
		if err != nil {
			return nil, err
		}
		vals[k] = append(vals[k], v)
	}
	return vals, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) {
				return "", errors.New("invalid URL escape " + strconv.Quote(s[i:]))
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", errors.New("invalid URL escape " + strconv.Quote(s[i:i+3]))
			}
			b = append(b, hi<<4|lo)
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b), nil
}

// queryEscape escapes a value for a query string (net/url's QueryEscape).
func queryEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return string(b)
}
