package labkit

import (
	"errors"
	"strconv"

	"raftsandbox/sim"
	"raftsandbox/sim/export"
	"raftsandbox/sim/scenario"
)

// Limits of ExportGoTest's options, as the JS API checks them
// (web/sandbox/facts.js has the same numbers: limits.maxExportName, …).
const (
	MaxExportName = 200  // the name (a label turned into the test's name) and the package
	MaxExportNote = 2000 // the comment
	MaxImportPath = 200  // simImport
)

// ExportOptions are sb.exportGoTest's options (docs/api.md, "Export as a
// Go test"): all optional.
type ExportOptions struct {
	Name      string // the label the test is named after; default the scenario's title
	Comment   string // a sentence about the run; default says where it comes from
	Package   string // default sim_test
	SimImport string // default raftsandbox/sim
	Share     bool   // replay from the share string instead of the readable script
}

// ExportGoTest returns the source of a Go test that replays the run a share
// string encodes, up to virtual time now (a sandbox's share() and now: a
// scenario's share may end later than the run has come), and checks the
// state it reaches there (package sim/export). It runs in the lab's wasm,
// not the main one, whose size budget the exporter would cost about 15 KB
// brotli (docs/benchmarks.md, "Where the size is"): the run is rebuilt
// from the share, which replays to the same state as the sandbox's.
func ExportGoTest(share string, now int64, o ExportOptions) (string, error) {
	switch {
	case len(o.Name) > MaxExportName:
		return "", errors.New("name is too long (at most 200 bytes)")
	case len(o.Comment) > MaxExportNote:
		return "", errors.New("comment is too long (at most 2000 bytes)")
	case len(o.Package) > MaxExportName:
		return "", errors.New("package is too long (at most 200 bytes)")
	case len(o.SimImport) > MaxImportPath:
		return "", errors.New("simImport is too long (at most 200 bytes)")
	case now < 0:
		return "", errors.New("now must not be negative")
	}
	if o.Package != "" {
		if why := export.PackageNameProblem(o.Package); why != "" {
			return "", errors.New("package must be a Go package name such as \"sim_test\", got " + strconv.Quote(o.Package) + " (" + why + ")")
		}
	}
	if o.SimImport != "" && !importPath(o.SimImport) {
		return "", errors.New("simImport must be an import path such as \"raftsandbox/sim\", got " + strconv.Quote(o.SimImport))
	}
	script, err := scenario.DecodeShare(share)
	if err != nil {
		return "", err
	}
	s, err := sim.FromScript(script)
	if err != nil {
		return "", err
	}
	if err := s.Advance(now); err != nil && !s.Halted() {
		return "", err
	}
	if s.Now() != now && !s.Halted() {
		return "", errors.New("the share string's run does not reach now")
	}
	name := o.Name
	if name == "" {
		name = script.Title
	}
	var run export.Run
	if o.Share {
		run.Share = share
	} else if run.Scenario, err = scenario.ShareText(script); err != nil {
		return "", err
	}
	return goTestOf(s, name, run, o)
}

// goTestOf writes the Go test of s's run as it stands now, named name.
func goTestOf(s *sim.Sim, name string, run export.Run, o ExportOptions) (string, error) {
	st := s.State()
	opt := export.Options{Comment: o.Comment, Package: o.Package, SimImport: o.SimImport}
	if opt.Comment == "" {
		opt.Comment = "Exported from Raft Sandbox."
		if !st.Invariants.OK {
			opt.Comment += " The run broke an invariant, so this test fails until the bug is fixed."
		}
	}
	src, err := export.GoTest(name, run, export.FinalOf(st), opt)
	if err != nil {
		return "", err
	}
	return string(src), nil
}

// importPath reports whether s looks like a Go import path: slash-separated
// non-empty elements of letters, digits and - . _ ~.
func importPath(s string) bool {
	if s == "" || s[0] == '/' || s[len(s)-1] == '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
		case c == '/':
			if s[i-1] == '/' {
				return false
			}
		default:
			return false
		}
	}
	return true
}
