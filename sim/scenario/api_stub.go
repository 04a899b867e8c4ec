package scenario

import "errors"

// STUB: replaced by the parser, printer and share codec within the hour.

var errNotYet = errors.New("scenario: not implemented yet")

// EncodeShare encodes a script (config, actions, expectations, end) as a
// compact URL-safe string.
func EncodeShare(s *Script) (string, error) { return "", errNotYet }

// DecodeShare decodes what EncodeShare wrote.
func DecodeShare(share string) (*Script, error) { return nil, errNotYet }

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
