package scenario

import (
	"strings"
	"testing"
)

// Input at the edges that the mutation run of the parser found unchecked
// (docs/testing.md): a script of exactly the largest size, and operators or
// a "-" as the very last character of a line, where the lexer looks one
// character ahead.
func TestParseEdges(t *testing.T) {
	if _, err := Parse(strings.Repeat("#", MaxTextBytes)); err != nil {
		t.Errorf("a script of exactly %d bytes: %v", MaxTextBytes, err)
	}
	for _, c := range []struct{ src, want string }{
		{"expect votes >", `line 1, column 15: expected a number, found the end of the line`},
		{"expect votes =", `line 1, column 15: expected a number, found the end of the line`},
		{"expect votes <", `line 1, column 15: expected a number, found the end of the line`},
		{"expect votes !", `line 1, column 14: expected != , found "!"`},
		{"cut A-", `line 1, column 5: expected a node name like A or C, found "A-"`},
		{"cut A->", `line 1, column 8: expected a node name like A or C, found the end of the line`},
	} {
		_, err := Parse(c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("Parse(%q) = %v, want %s", c.src, err, c.want)
		}
	}
}
