package chaos

import (
	"fmt"
	"strings"
)

// profiles are the named fault schedules. "default" is what TestChaos and the
// soak run; the others lean on the faults a particular bug needs.
var profiles = []struct {
	name string
	make func() Profile
}{
	{"default", DefaultProfile},
}

// BugProfile names the profile that hunts a bug best.
func BugProfile(bug string) string {
	return "default"
}

// ProfileNames lists the named profiles.
func ProfileNames() []string {
	out := make([]string, len(profiles))
	for i, p := range profiles {
		out[i] = p.name
	}
	return out
}

// ProfileByName returns a named profile.
func ProfileByName(name string) (Profile, error) {
	for _, p := range profiles {
		if p.name == name {
			return p.make(), nil
		}
	}
	return Profile{}, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(ProfileNames(), ", "))
}
