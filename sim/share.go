package sim

import (
	"fmt"
	"slices"

	"raftsandbox/sim/scenario"
)

// configFromScript converts a scenario's cluster header to a Config.
func configFromScript(c scenario.Config) Config {
	cfg := DefaultConfig()
	cfg.Nodes, cfg.Seed, cfg.TickMs = c.Nodes, c.Seed, c.TickMs
	cfg.ElectionMinMs, cfg.ElectionMaxMs, cfg.HeartbeatMs = c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs
	cfg.LatencyMinMs, cfg.LatencyMaxMs = c.LatencyMinMs, c.LatencyMaxMs
	cfg.DropRate, cfg.DupRate, cfg.ReorderRate = c.DropRate.Float(), c.DupRate.Float(), c.ReorderRate.Float()
	cfg.PreVote, cfg.CheckQuorum, cfg.SnapshotEvery = c.PreVote, c.CheckQuorum, c.SnapshotEvery
	cfg.Bugs.VoteWithoutLogCheck = c.Bugs.VoteWithoutLogCheck
	cfg.Bugs.CommitOldTermByCount = c.Bugs.CommitOldTermByCount
	cfg.Bugs.ForgetVoteOnRestart = c.Bugs.ForgetVoteOnRestart
	cfg.Bugs.AckBeforeDurable = c.Bugs.AckBeforeDurable
	return cfg
}

// scriptConfig converts a Config to a scenario header (rates to the nearest
// part per million, which is what configure and share links keep).
func scriptConfig(cfg Config) scenario.Config {
	c := scenario.Defaults()
	c.Nodes, c.Seed, c.TickMs = cfg.Nodes, cfg.Seed, cfg.TickMs
	c.ElectionMinMs, c.ElectionMaxMs, c.HeartbeatMs = cfg.ElectionMinMs, cfg.ElectionMaxMs, cfg.HeartbeatMs
	c.LatencyMinMs, c.LatencyMaxMs = cfg.LatencyMinMs, cfg.LatencyMaxMs
	c.DropRate = scenario.RateFromFloat(cfg.DropRate)
	c.DupRate = scenario.RateFromFloat(cfg.DupRate)
	c.ReorderRate = scenario.RateFromFloat(cfg.ReorderRate)
	c.PreVote, c.CheckQuorum, c.SnapshotEvery = cfg.PreVote, cfg.CheckQuorum, cfg.SnapshotEvery
	c.Bugs = scenario.Bugs{VoteWithoutLogCheck: cfg.Bugs.VoteWithoutLogCheck, CommitOldTermByCount: cfg.Bugs.CommitOldTermByCount,
		ForgetVoteOnRestart: cfg.Bugs.ForgetVoteOnRestart, AckBeforeDurable: cfg.Bugs.AckBeforeDurable}
	return c
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
	u := 0
	if s.script != nil {
		out.Title = s.script.Title
		for _, p := range s.plan {
			for u < s.actions.len() && s.actions.at(u).At < p.at {
				out.Actions = append(out.Actions, cloneAction(s.actions.at(u)))
				u++
			}
			if p.action != nil {
				out.Actions = append(out.Actions, cloneAction(*p.action))
			} else {
				e := s.script.Expects[p.expect]
				e.AfterActions = len(out.Actions)
				expects = append(expects, e)
			}
		}
		out.End = max(out.End, s.script.End)
	}
	for ; u < s.actions.len(); u++ {
		out.Actions = append(out.Actions, cloneAction(s.actions.at(u)))
	}
	out.Expects = expects
	return out
}

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
