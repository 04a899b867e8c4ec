package bridge

import (
	"math"
	"strconv"
	"strings"

	"raftsandbox/raft"
	"raftsandbox/sim"
)

// Options cross the boundary as one short string "key=value;key=value" that
// web/raft-sandbox.js builds after validating them (so this package needs no
// JSON parser). Keys are the JS option names, with [min, max] pairs split in
// two (latencyMs -> latencyMinMs, latencyMaxMs). Every value is checked again
// here: the JS side is a convenience, not a guarantee.
//
// Numbers are plain decimals ("5", "0.25") or, for rates, the bits of the
// IEEE 754 double as "0x" and 16 hex digits, which is how the JS side sends
// them: the value arrives exactly, without strconv.ParseFloat, whose
// correctly rounded parsing (and its tables) cost ~25 KB of wasm.

// option is one key of the options string; setOption applies it.
type option struct {
	name      string
	min, max  float64
	isBool    bool
	isFloat   bool // a rate in [0, 1]; others are whole numbers
	configure bool // also accepted by configure()
}

// options are the keys of the options string but the bugs' and seed.
var options = [...]option{
	{name: "nodes", min: 1, max: sim.MaxNodes},
	{name: "tickMs", min: 1, max: 1000},
	{name: "electionMinMs", min: 1, max: 600000},
	{name: "electionMaxMs", min: 2, max: 600000},
	{name: "heartbeatMs", min: 1, max: 600000},
	{name: "latencyMinMs", min: 0, max: 60000, configure: true},
	{name: "latencyMaxMs", min: 0, max: 60000, configure: true},
	{name: "dropRate", min: 0, max: 1, isFloat: true, configure: true},
	{name: "dupRate", min: 0, max: 1, isFloat: true, configure: true},
	{name: "reorderRate", min: 0, max: 1, isFloat: true, configure: true},
	{name: "preVote", isBool: true, configure: true},
	{name: "checkQuorum", isBool: true, configure: true},
	{name: "snapshotEvery", min: 0, max: 1000000, configure: true},
}

// The deliberate bugs are one boolean option each, after options: "bug"
// and the bug's JS name capitalized (bugVoteWithoutLogCheck), from
// raft.BugList.
var bugOptionAt = option{isBool: true}

// setOption applies option k (len(options)+i: bug i) to cfg (create) and
// st (configure).
func setOption(k int, c *sim.Config, s *sim.Settings, v float64) {
	n, b := int64(v), v != 0
	switch k {
	case 0:
		c.Nodes = int(v)
	case 1:
		c.TickMs = n
	case 2:
		c.ElectionMinMs = n
	case 3:
		c.ElectionMaxMs = n
	case 4:
		c.HeartbeatMs = n
	case 5:
		c.LatencyMinMs, s.LatencyMinMs = n, &n
	case 6:
		c.LatencyMaxMs, s.LatencyMaxMs = n, &n
	case 7:
		c.DropRate, s.DropRate = v, &v
	case 8:
		c.DupRate, s.DupRate = v, &v
	case 9:
		c.ReorderRate, s.ReorderRate = v, &v
	case 10:
		c.PreVote, s.PreVote = b, &b
	case 11:
		c.CheckQuorum, s.CheckQuorum = b, &b
	case 12:
		m := int(v)
		c.SnapshotEvery, s.SnapshotEvery = m, &m
	default:
		*raft.BugList[k-len(options)].Flag(&c.Bugs) = b
	}
}

// bugOption is the option key of a bug.
func bugOption(g raft.Bug) string {
	js := g.JSName()
	return "bug" + strings.ToUpper(js[:1]) + js[1:]
}

// findOption returns the number of the option named name (setOption), or -1.
func findOption(name string, forConfigure bool) int {
	for k := range options {
		if options[k].name == name && (options[k].configure || !forConfigure) {
			return k
		}
	}
	for i, g := range raft.BugList {
		if !forConfigure && bugOption(g) == name {
			return len(options) + i
		}
	}
	return -1
}

func optionNames(forConfigure bool) string {
	var names []string
	for _, o := range options {
		if o.configure || !forConfigure {
			names = append(names, o.name)
		}
	}
	if !forConfigure {
		for _, g := range raft.BugList {
			names = append(names, bugOption(g))
		}
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
		k := findOption(name, forConfigure)
		if k < 0 {
			return nil, errorf(sig + ": unknown option " + quote(name) + "; options are " + optionNames(forConfigure))
		}
		opt := &bugOptionAt
		if k < len(options) {
			opt = &options[k]
		}
		v, ok := parseNumber(value)
		switch {
		case opt.isBool:
			if value != "0" && value != "1" && value != "true" && value != "false" {
				return nil, errorf(sig + ": " + name + " must be true or false, got " + quote(value))
			}
			v = 0
			if value == "1" || value == "true" {
				v = 1
			}
		case !ok || v != v || v < opt.min || v > opt.max || (!opt.isFloat && v != float64(int64(v))):
			kind := "a whole number"
			if opt.isFloat {
				kind = "a number"
			}
			return nil, errorf(sig + ": " + name + " must be " + kind + " from " + formatNumber(opt.min) +
				" to " + formatNumber(opt.max) + ", got " + quote(value))
		}
		setOption(k, cfg, st, v)
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

// parseNumber reads "0x" + 16 hex digits (a double's bits) or a plain
// decimal: digits, optionally a point and more digits, at most 15
// significant digits in all. Such a decimal is m / 10^k with m < 2^53 and
// k <= 22, both exact doubles, so one division gives the correctly rounded
// value (the same double JS's Number() would give).
func parseNumber(s string) (float64, bool) {
	if strings.HasPrefix(s, "0x") {
		if len(s) != 18 {
			return 0, false
		}
		bits, err := strconv.ParseUint(s[2:], 16, 64)
		return math.Float64frombits(bits), err == nil
	}
	var m uint64
	digits, frac, point := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && !point && i > 0 && i < len(s)-1:
			point = true
		case c >= '0' && c <= '9':
			if m == 0 && c == '0' {
				// a leading zero is not a significant digit
			} else {
				digits++
			}
			m = m*10 + uint64(c-'0')
			if point {
				frac++
			}
		default:
			return 0, false
		}
		if digits > 15 || frac > 22 {
			return 0, false
		}
	}
	if s == "" {
		return 0, false
	}
	return float64(m) / pow10[frac], true
}

// pow10 are the powers of ten a double holds exactly.
var pow10 = [23]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}
