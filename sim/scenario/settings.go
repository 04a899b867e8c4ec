package scenario

import (
	"errors"
	"fmt"
	"strings"
)

// Settings is a configure action, parsed; nil fields are left alone. It
// mirrors sim.Settings.
type Settings struct {
	PreVote       *bool
	CheckQuorum   *bool
	LatencyMinMs  *int64
	LatencyMaxMs  *int64
	DropRate      *Rate
	DupRate       *Rate
	ReorderRate   *Rate
	SnapshotEvery *int
}

// Settings parses the Args of a configure action into the changes it makes.
func (a Action) Settings() (Settings, error) {
	if a.Kind != Configure {
		return Settings{}, errors.New("scenario: not a configure action: " + a.Kind)
	}
	p := &parser{s: &Script{Config: Defaults()}, inBody: true}
	var st Settings
	err := p.run(strings.Join(a.Args, " "), 1, func() { _, st = p.setting() })
	if err != nil {
		return Settings{}, fmt.Errorf("scenario: configure %s: %s", strings.Join(a.Args, " "), err.Msg)
	}
	return st, nil
}

// apply writes the settings that are set into c.
func (st Settings) apply(c *Config) {
	if st.PreVote != nil {
		c.PreVote = *st.PreVote
	}
	if st.CheckQuorum != nil {
		c.CheckQuorum = *st.CheckQuorum
	}
	if st.LatencyMinMs != nil {
		c.LatencyMinMs, c.LatencyMaxMs = *st.LatencyMinMs, *st.LatencyMaxMs
	}
	if st.DropRate != nil {
		c.DropRate = *st.DropRate
	}
	if st.DupRate != nil {
		c.DupRate = *st.DupRate
	}
	if st.ReorderRate != nil {
		c.ReorderRate = *st.ReorderRate
	}
	if st.SnapshotEvery != nil {
		c.SnapshotEvery = *st.SnapshotEvery
	}
}
