package scenario

import (
	"strings"
	"testing"
)

// TestClientViewLine: the header line `clientview on|off` asks the page to
// open the client's view; Format prints it back, a share link carries it,
// and bad uses get the same clear errors as the other header lines.
func TestClientViewLine(t *testing.T) {
	for text, want := range map[string]bool{"nodes 3\nclientview on\n": true, "clientview off\nnodes 3\n": false, "nodes 3\n": false} {
		s, err := Parse(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if s.Config.ClientView != want {
			t.Errorf("%q: ClientView %v, want %v", text, s.Config.ClientView, want)
		}
		if printed := Format(s); strings.Contains(printed, "clientview on") != want {
			t.Errorf("%q: Format printed\n%s", text, printed)
		}
		share, err := EncodeShare(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeShare(share)
		if err != nil {
			t.Fatalf("%q: decoding its share: %v", text, err)
		}
		if back.Config != s.Config {
			t.Errorf("%q: the share gives %+v, want %+v", text, back.Config, s.Config)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"clientview yes", `line 1, column 12: expected on or off, found "yes"`},
		{"clientview", "line 1, column 11: expected on or off, found the end of the line"},
		{"clientview on off", `line 1, column 15: expected the end of the line, found "off"`},
		{"clientview on\nclientview off", `line 2, column 1: "clientview" is already set on line 1`},
		{"nodes 3\nat 1s crash A\nclientview on", `line 3, column 1: the header line "clientview" must come before the first action`},
		{"nodes 3\nat 1s configure clientview on", "line 2, column 17: expected a setting: prevote, checkquorum"},
	} {
		_, err := Parse(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}
