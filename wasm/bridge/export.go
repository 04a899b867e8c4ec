package bridge

import (
	"raftsandbox/sim/export"
	"raftsandbox/sim/scenario"
)

// exportGoTest returns the source of a Go test that replays the run so far
// and checks the state it reached (package sim/export). Arguments, all
// optional: 0 name (the label the test is named after; default the
// scenario's title), 1 comment, 2 package, 3 simImport, 4 share (true:
// replay from the share string instead of the readable script).
func (sb *sandbox) exportGoTest(sig string, args []Arg) (any, error) {
	var opt export.Options
	name, err := optionalString(sig, args, 0, "name", "a label such as \"split vote\"", MaxExportName)
	if err != nil {
		return nil, err
	}
	if opt.Comment, err = optionalString(sig, args, 1, "comment", "a sentence about the run", MaxExportNote); err != nil {
		return nil, err
	}
	if opt.Package, err = optionalString(sig, args, 2, "package", "a Go package name such as \"sim_test\"", MaxExportName); err != nil {
		return nil, err
	}
	if opt.Package != "" {
		if why := export.PackageNameProblem(opt.Package); why != "" {
			return nil, errorf(sig + ": package must be a Go package name such as \"sim_test\", got " + quote(opt.Package) + " (" + why + ")")
		}
	}
	if opt.SimImport, err = optionalString(sig, args, 3, "simImport", "an import path such as \"raftsandbox/sim\"", MaxImportPath); err != nil {
		return nil, err
	}
	if opt.SimImport != "" && !importPath(opt.SimImport) {
		return nil, errorf(sig + ": simImport must be an import path such as \"raftsandbox/sim\", got " + quote(opt.SimImport))
	}
	useShare := false
	if a := arg(args, 4); a.Kind == Bool {
		useShare = a.Bool
	} else if a.Kind != Undefined && a.Kind != Null {
		return nil, errorf(sig + ": share must be true or false, got " + describe(a))
	}

	s := sb.sim
	script := s.Script()
	if name == "" {
		name = script.Title
	}
	var run export.Run
	if useShare {
		share, err := s.ShareErr()
		if err != nil {
			return nil, wrap(err)
		}
		run.Share = share
	} else {
		if run.Scenario, err = scenario.ShareText(script); err != nil {
			return nil, wrap(err)
		}
	}
	st := s.State()
	if opt.Comment == "" {
		opt.Comment = "Exported from Raft Sandbox."
		if !st.Invariants.OK {
			opt.Comment += " The run broke an invariant, so this test fails until the bug is fixed."
		}
	}
	src, err := export.GoTest(name, run, export.FinalOf(st), opt)
	if err != nil {
		return nil, errorf(sig + ": " + err.Error())
	}
	return string(src), nil
}

// optionalString reads argument i as a string of at most maxLen bytes;
// undefined and null read as "".
func optionalString(sig string, args []Arg, i int, name, what string, maxLen int) (string, error) {
	if a := arg(args, i); a.Kind == Undefined || a.Kind == Null || (a.Kind == String && a.Str == "" && a.Len == 0) {
		return "", nil
	}
	return stringArg(sig, args, i, name, what, maxLen)
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
