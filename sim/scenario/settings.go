package scenario

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
