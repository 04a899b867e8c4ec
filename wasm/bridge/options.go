package bridge

import (
	"strconv"
	"strings"

	"raftsandbox/sim"
)

// Options cross the boundary as one short string "key=value;key=value" that
// web/raft-sandbox.js builds after validating them (so this package needs no
// JSON parser). Keys are the JS option names, with [min, max] pairs split in
// two (latencyMs -> latencyMinMs, latencyMaxMs). Every value is checked again
// here: the JS side is a convenience, not a guarantee.

// option is one key of the options string.
type option struct {
	name      string
	min, max  float64
	isBool    bool
	isFloat   bool // a rate in [0, 1]; others are whole numbers
	configure bool // also accepted by configure()
	apply     func(c *sim.Config, s *sim.Settings, v float64)
}

func boolOf(v float64) bool { return v != 0 }

var options = []option{
	{name: "nodes", min: 1, max: sim.MaxNodes, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.Nodes = int(v) }},
	{name: "tickMs", min: 1, max: 1000, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.TickMs = int64(v) }},
	{name: "electionMinMs", min: 1, max: 600000, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.ElectionMinMs = int64(v) }},
	{name: "electionMaxMs", min: 2, max: 600000, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.ElectionMaxMs = int64(v) }},
	{name: "heartbeatMs", min: 1, max: 600000, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.HeartbeatMs = int64(v) }},
	{name: "latencyMinMs", min: 0, max: 60000, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		n := int64(v)
		c.LatencyMinMs, s.LatencyMinMs = n, &n
	}},
	{name: "latencyMaxMs", min: 0, max: 60000, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		n := int64(v)
		c.LatencyMaxMs, s.LatencyMaxMs = n, &n
	}},
	{name: "dropRate", min: 0, max: 1, isFloat: true, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		c.DropRate, s.DropRate = v, &v
	}},
	{name: "dupRate", min: 0, max: 1, isFloat: true, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		c.DupRate, s.DupRate = v, &v
	}},
	{name: "reorderRate", min: 0, max: 1, isFloat: true, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		c.ReorderRate, s.ReorderRate = v, &v
	}},
	{name: "preVote", isBool: true, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		b := boolOf(v)
		c.PreVote, s.PreVote = b, &b
	}},
	{name: "checkQuorum", isBool: true, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		b := boolOf(v)
		c.CheckQuorum, s.CheckQuorum = b, &b
	}},
	{name: "snapshotEvery", min: 0, max: 1000000, configure: true, apply: func(c *sim.Config, s *sim.Settings, v float64) {
		n := int(v)
		c.SnapshotEvery, s.SnapshotEvery = n, &n
	}},
	{name: "bugVoteWithoutLogCheck", isBool: true, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.Bugs.VoteWithoutLogCheck = boolOf(v) }},
	{name: "bugCommitOldTermByCount", isBool: true, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.Bugs.CommitOldTermByCount = boolOf(v) }},
	{name: "bugForgetVoteOnRestart", isBool: true, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.Bugs.ForgetVoteOnRestart = boolOf(v) }},
	{name: "bugAckBeforeDurable", isBool: true, apply: func(c *sim.Config, _ *sim.Settings, v float64) { c.Bugs.AckBeforeDurable = boolOf(v) }},
}

func optionNames(forConfigure bool) string {
	var names []string
	for _, o := range options {
		if o.configure || !forConfigure {
			names = append(names, o.name)
		}
	}
	if !forConfigure {
		names = append(names, "seed")
	}
	return strings.Join(names, ", ")
}

// parseOptions reads an options string into cfg (create) or st (configure).
// It returns which keys were present.
func parseOptions(sig, text string, forConfigure bool, cfg *sim.Config, st *sim.Settings) (map[string]bool, error) {
	seen := map[string]bool{}
	if len(text) > 4096 {
		return nil, errorf(sig + ": the options are too long")
	}
	for _, item := range strings.Split(text, ";") {
		if item == "" {
			continue
		}
		eq := strings.IndexByte(item, '=')
		if eq < 0 {
			return nil, errorf(sig + ": option " + quote(item) + " has no value (want key=value)")
		}
		name, value := item[:eq], item[eq+1:]
		if seen[name] {
			return nil, errorf(sig + ": option " + quote(name) + " is given twice")
		}
		seen[name] = true
		if name == "seed" && !forConfigure {
			seed, err := strconv.ParseUint(value, 10, 64)
			if err != nil {
				return nil, errorf(sig + ": seed must be a whole number from 0 to 18446744073709551615, got " + quote(value))
			}
			cfg.Seed = seed
			continue
		}
		var opt *option
		for i := range options {
			if options[i].name == name && (options[i].configure || !forConfigure) {
				opt = &options[i]
				break
			}
		}
		if opt == nil {
			return nil, errorf(sig + ": unknown option " + quote(name) + "; options are " + optionNames(forConfigure))
		}
		v, err := strconv.ParseFloat(value, 64)
		switch {
		case opt.isBool:
			if value != "0" && value != "1" && value != "true" && value != "false" {
				return nil, errorf(sig + ": " + name + " must be true or false, got " + quote(value))
			}
			v = 0
			if value == "1" || value == "true" {
				v = 1
			}
		case err != nil || v != v || v < opt.min || v > opt.max || (!opt.isFloat && v != float64(int64(v))):
			kind := "a whole number"
			if opt.isFloat {
				kind = "a number"
			}
			return nil, errorf(sig + ": " + name + " must be " + kind + " from " + formatNumber(opt.min) +
				" to " + formatNumber(opt.max) + ", got " + quote(value))
		}
		opt.apply(cfg, st, v)
	}
	return seen, nil
}

// checkConfig checks relations between values (each value alone was checked).
func checkConfig(sig string, c *sim.Config) error {
	if c.ElectionMinMs >= c.ElectionMaxMs {
		return errorf(sig + ": electionTimeoutMs must be [min, max] with min < max, got [" +
			strconv.FormatInt(c.ElectionMinMs, 10) + ", " + strconv.FormatInt(c.ElectionMaxMs, 10) + "]")
	}
	if c.LatencyMinMs > c.LatencyMaxMs {
		return errorf(sig + ": latencyMs must be [min, max] with min <= max, got [" +
			strconv.FormatInt(c.LatencyMinMs, 10) + ", " + strconv.FormatInt(c.LatencyMaxMs, 10) + "]")
	}
	if c.HeartbeatMs >= c.ElectionMinMs {
		return errorf(sig + ": heartbeatMs (" + strconv.FormatInt(c.HeartbeatMs, 10) +
			") must be shorter than the shortest election timeout (" + strconv.FormatInt(c.ElectionMinMs, 10) + ")")
	}
	if c.TickMs > c.HeartbeatMs {
		return errorf(sig + ": tickMs (" + strconv.FormatInt(c.TickMs, 10) +
			") must not be longer than heartbeatMs (" + strconv.FormatInt(c.HeartbeatMs, 10) + ")")
	}
	return nil
}
