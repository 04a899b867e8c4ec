package sim

import (
	"fmt"
	"slices"

	"raftsandbox/sim/scenario"
)

// configFromScript converts a scenario's cluster header to a Config (the
// request timers, which scripts do not set, take their defaults).
//
// Not inlined: once per scenario (docs/benchmarks.md).
//
//go:noinline
func configFromScript(c scenario.Config) Config {
	return Config{
		Nodes: c.Nodes, Seed: c.Seed, TickMs: c.TickMs,
		ElectionMinMs: c.ElectionMinMs, ElectionMaxMs: c.ElectionMaxMs, HeartbeatMs: c.HeartbeatMs,
		LatencyMinMs: c.LatencyMinMs, LatencyMaxMs: c.LatencyMaxMs,
		DropRate: c.DropRate.Float(), DupRate: c.DupRate.Float(), ReorderRate: c.ReorderRate.Float(),
		PreVote: c.PreVote, CheckQuorum: c.CheckQuorum, SnapshotEvery: c.SnapshotEvery, Bugs: c.Bugs,
		ClientView:     c.ClientView,
		RequestRetryMs: defaultRequestRetryMs, RequestGiveUpMs: defaultRequestGiveUpMs,
	}
}

// scriptConfig converts a Config to a scenario header (rates to the nearest
// part per million, which is what configure and share links keep).
func scriptConfig(cfg Config) scenario.Config {
	return scenario.Config{
		Nodes: cfg.Nodes, Seed: cfg.Seed, TickMs: cfg.TickMs,
		ElectionMinMs: cfg.ElectionMinMs, ElectionMaxMs: cfg.ElectionMaxMs, HeartbeatMs: cfg.HeartbeatMs,
		LatencyMinMs: cfg.LatencyMinMs, LatencyMaxMs: cfg.LatencyMaxMs,
		DropRate: scenario.RateFromFloat(cfg.DropRate), DupRate: scenario.RateFromFloat(cfg.DupRate), ReorderRate: scenario.RateFromFloat(cfg.ReorderRate),
		PreVote: cfg.PreVote, CheckQuorum: cfg.CheckQuorum, SnapshotEvery: cfg.SnapshotEvery, Bugs: cfg.Bugs,
		ClientView: cfg.ClientView,
	}
}

// FromScript builds a cluster that runs a parsed scenario: its actions are
// scheduled and its expectations checked as time passes (Expectations,
// RunScript).
func FromScript(script *scenario.Script) (*Sim, error) {
	cfg := configFromScript(script.Config)
	if err := normalize(&cfg); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return build(cfg, script, false)
}

// FromScenario parses a scenario script and returns a cluster with its actions
// scheduled (expectations are checked as time passes).
func FromScenario(text string) (*Sim, error) {
	script, err := scenario.Parse(text)
	if err != nil {
		return nil, err
	}
	return FromScript(script)
}

// FromShare rebuilds the exact run a share string encodes, at the virtual
// time the share was made.
func FromShare(share string) (*Sim, error) {
	script, err := scenario.DecodeShare(share)
	if err != nil {
		return nil, err
	}
	s, err := FromScript(script)
	if err != nil {
		return nil, err
	}
	if err := s.Advance(script.End); err != nil && !s.halted {
		return nil, err
	}
	return s, nil
}

// Script returns the run as a scenario script: the initial config, the
// scenario's own actions and expectations merged with the user's actions
// (at equal times the scenario's first, as they ran), ending now.
func (s *Sim) Script() *scenario.Script {
	out := &scenario.Script{Config: scriptConfig(s.initial), End: s.now}
	var expects []scenario.Expect
	var plan []planItem
	if s.script != nil {
		out.Title = s.script.Title
		plan = s.plan
		out.End = max(out.End, s.script.End)
	}
	// One merge of the user actions and the plan (the plan's first at equal
	// times), with one append of an action (each costs code in the wasm).
	n := s.actions.len()
	for u, p := 0, 0; u < n || p < len(plan); {
		var a Action
		if u < n {
			a = s.actions.at(u)
		}
		if u < n && (p == len(plan) || a.At < plan[p].at) {
			u++
		} else {
			it := plan[p]
			p++
			if it.action == nil {
				e := s.script.Expects[it.expect]
				e.AfterActions = len(out.Actions)
				expects = append(expects, e)
				continue
			}
			a = *it.action
		}
		out.Actions = append(out.Actions, cloneAction(a))
	}
	out.Expects = expects
	return out
}

// Not inlined: on share and replay, not per event (docs/benchmarks.md).
//
//go:noinline
func cloneAction(a Action) Action { return Action{At: a.At, Kind: a.Kind, Args: slices.Clone(a.Args)} }

// Share encodes the run (config, seed, actions, up to now) as a compact
// URL-safe string; FromShare rebuilds it. It returns "" only if the run
// cannot be encoded (see ShareErr).
func (s *Sim) Share() string {
	str, _ := s.ShareErr()
	return str
}

// ShareErr is Share with the encoder's error.
func (s *Sim) ShareErr() (string, error) {
	return scenario.EncodeShare(s.Script())
}
