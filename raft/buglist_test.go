package raft

import (
	"reflect"
	"strings"
	"testing"
)

// BugList names every switch of Bugs exactly once, and JSName spells each
// name in camelCase.
func TestBugList(t *testing.T) {
	fields := reflect.TypeOf(Bugs{}).NumField()
	if len(BugList) != fields {
		t.Fatalf("BugList has %d bugs, Bugs has %d switches", len(BugList), fields)
	}
	seen := map[int]string{}
	for _, g := range BugList {
		var b Bugs
		*g.Flag(&b) = true
		v := reflect.ValueOf(b)
		on := -1
		for i := 0; i < fields; i++ {
			if v.Field(i).Bool() {
				if on >= 0 {
					t.Errorf("%s switches on more than one field", g.Name)
				}
				on = i
			}
		}
		if prev, dup := seen[on]; dup {
			t.Errorf("%s and %s switch the same field", prev, g.Name)
		}
		seen[on] = g.Name
		field := reflect.TypeOf(b).Field(on).Name
		if want := strings.ToLower(field[:1]) + field[1:]; g.JSName() != want {
			t.Errorf("%s: JSName %q, want %q (its field is %s)", g.Name, g.JSName(), want, field)
		}
	}
}
