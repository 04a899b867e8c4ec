package scenario

import "errors"

// STUB: replaced by the parser, printer and share codec within the hour.

var errNotYet = errors.New("scenario: not implemented yet")

// Parse reads a scenario script. Errors are *Error values naming the line
// and column and saying what was expected.
func Parse(text string) (*Script, error) { return nil, errNotYet }

// Format prints a script in canonical form; Parse(Format(s)) equals s.
func Format(s *Script) string { return "" }

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

// Settings parses the Args of a configure action.
func (a Action) Settings() (Settings, error) { return Settings{}, errNotYet }

// Error is a parse error at a line and column (both 1-based; the column
// counts bytes).
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return "" }
