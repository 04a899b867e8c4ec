package sim

import (
	"strconv"
	"strings"

	"raftsandbox/sim/scenario"
)

// Beat is one beat of a scenario's story (scenario.Beat) with the moments it
// starts and ends in this script's run. The run is deterministic, so they
// are known before the reader gets there: the tutorial runs to End and
// pauses exactly there.
type Beat struct {
	Key   string // translation key ("5.3"), or "" with Text
	Text  string // literal text of a `beat "..."` line
	Start int64  // the previous beat's End (0 for the first)
	End   int64  // the moment the until condition first holds
	Until string // the condition, as the script prints it ("leader B within 1s")
	// Facts are the holds lines, true at End.
	Facts []string
	// Nodes and Entries are what the beat points at: its show lines, or,
	// without them, the nodes its until condition names.
	Nodes   []string
	Entries []scenario.ShowEntry
}

// FactResult is one condition of a beat evaluated now (CheckBeat): its
// text as the script says it, and as a code for a page (factWhy).
type FactResult struct {
	Text  string
	Why   Why
	Holds bool
}

type beatsMemo struct {
	beats []Beat
	err   error
}

// Beats returns the beats of the scenario with their start and end moments,
// computed by running the script on a fresh cluster (the user's own actions
// play no part). A beat starts where the one before ended (the first at 0);
// it ends at the first moment, from its start or from its until line's time
// if that is later, after which the until condition holds (checked after
// every event). Beats fails, naming the beat, when that does not happen
// within the until's within of that first moment, or when at a beat's end (every event of
// that millisecond processed) its until condition or one of its facts is
// false: the tutorial would pause on a picture that contradicts its text. The result is computed once per
// script. A run without a scenario, or a scenario without beats, has none.
func (s *Sim) Beats() ([]Beat, error) {
	if s.script == nil || len(s.script.Beats) == 0 {
		return nil, nil
	}
	if s.beatsMemo == nil {
		b, err := computeBeats(s.initial, s.script)
		s.beatsMemo = &beatsMemo{b, err}
	}
	return s.beatsMemo.beats, s.beatsMemo.err
}

func computeBeats(cfg Config, script *scenario.Script) ([]Beat, error) {
	run, err := build(cfg, script, false)
	if err != nil {
		return nil, err
	}
	beats := make([]Beat, len(script.Beats))
	start := int64(0)
	for i := range script.Beats {
		b := &script.Beats[i]
		until := b.Until.String()[len("expect "):]
		// The until condition is watched from the beat's start, or from the
		// until line's time when that is later, after every event, for
		// its within.
		from := max(b.Until.At, start)
		run.advanceTo(from)
		deadline := from + b.Until.Within
		for !evalExpect(&b.Until, run) {
			if _, ok := run.processNext(deadline); !ok || run.halted {
				return nil, storyError("story-late", b, deadline, factWhy(&b.Until), "%s: until %s did not hold by %d ms", b.Name(), until, deadline)
			}
		}
		end := run.now
		// Pause where the page pauses (every event of that millisecond
		// processed) and check what the beat says.
		run.advanceTo(end)
		for _, f := range checkBeat(run, b) {
			if !f.Holds {
				return nil, storyError("story-false", b, end, f.Why, "%s: at its end (%d ms) %q is false", b.Name(), end, f.Text)
			}
		}
		out := Beat{Key: b.Key, Text: b.Text, Start: start, End: end, Until: until,
			Nodes: b.Show.Nodes, Entries: b.Show.Entries}
		if len(out.Nodes) == 0 && len(out.Entries) == 0 && b.Until.Scope == "" {
			out.Nodes = b.Until.Nodes
		}
		for _, f := range b.Facts {
			out.Facts = append(out.Facts, f.String()[len("expect "):])
		}
		beats[i] = out
		start = end
	}
	return beats, nil
}

// CheckBeat evaluates beat i's until condition and its facts on the cluster
// as it is now: at the beat's end they must all hold.
func (s *Sim) CheckBeat(i int) ([]FactResult, error) {
	if s.script == nil || i < 0 || i >= len(s.script.Beats) {
		n := 0
		if s.script != nil {
			n = len(s.script.Beats)
		}
		return nil, numErr("there is no beat %d: the scenario has %d beats (numbered from 0)", int64(i), int64(n))
	}
	return checkBeat(s, &s.script.Beats[i]), nil
}

func checkBeat(s *Sim, b *scenario.Beat) []FactResult {
	out := []FactResult{factResult(&b.Until, s)}
	for k := range b.Facts {
		out = append(out, factResult(&b.Facts[k], s))
	}
	return out
}

func factResult(e *scenario.Expect, s *Sim) FactResult {
	return FactResult{Text: e.String()[len("expect "):], Why: factWhy(e), Holds: evalExpect(e, s)}
}

// storyError says that a beat's story does not hold: code story-late (its
// until condition did not hold in time) or story-false (a fact is false at
// its end), with the beat (its key, or its text), the moment in ms, and the
// condition as the cause (its code and arguments, worded first).
func storyError(code string, b *scenario.Beat, ms int64, fact Why, format string, a ...any) error {
	beat := b.Key
	if beat == "" {
		beat = b.Text
	}
	w := why(code, "beat", beat, "ms", i64(ms), "cause", fact.Code)
	w.Args = append(w.Args, fact.Args...)
	return whyErrorf(w, format, a...)
}

// factWhy is an expectation as a code with arguments, for a page to word
// in its reader's language (why.fact-<kind> in web/i18n): the
// text of a holds or until line ("leader B", "x = 3 on all") is script
// syntax, English to a reader. Arguments: nodes (comma-separated, as the
// script names them), scope ("all", "majority" or ""), key, op, value,
// request, value; a role, a request's status and the checker's verdict are
// part of the code.
func factWhy(e *scenario.Expect) Why {
	code := "fact-" + e.Kind
	if e.Kind == scenario.ExpectLeader && len(e.Nodes) != 1 {
		code = "fact-leader-in" // one of several
		if len(e.Nodes) == 0 {
			code = "fact-leader-any"
		}
	}
	if e.Kind == scenario.ExpectRequest && e.HasResult {
		code = "fact-request-result"
	} else if e.Kind == scenario.ExpectRequest || e.Kind == scenario.ExpectRole || e.Kind == scenario.ExpectInvariants {
		code += "-" + e.Status // fact-role-leader, fact-request-failed, fact-invariants-ok
	}
	args := [8]string{"nodes", strings.Join(e.Nodes, ","), "scope", e.Scope, "", "", "value"}
	switch e.Kind {
	case scenario.ExpectKV:
		args[4], args[5] = "key", e.Key
	case scenario.ExpectTerm, scenario.ExpectCommit, scenario.ExpectVotes:
		args[4], args[5] = "op", e.Op
	case scenario.ExpectRequest:
		args[4], args[5] = "request", strconv.Itoa(e.Request)
	default:
		return why(code, args[:4]...)
	}
	args[7] = i64(e.Value)
	return why(code, args[:]...)
}

// ConditionCodes lists every code factWhy can give, and the scope codes a
// page words as {on} (why.scope-all, why.scope-majority): a test checks
// that each has its sentence in every language.
func ConditionCodes() []string {
	return []string{
		"fact-leader", "fact-leader-in", "fact-leader-any", "fact-no-leader",
		"fact-kv", "fact-term", "fact-commit", "fact-votes",
		"fact-role-follower", "fact-role-precandidate", "fact-role-candidate", "fact-role-leader",
		"fact-down", "fact-request-pending", "fact-request-committed", "fact-request-failed",
		"fact-request-result", "fact-converged", "fact-invariants-ok", "fact-invariants-violated",
		"scope-" + scenario.ScopeAll, "scope-" + scenario.ScopeMajority,
	}
}
