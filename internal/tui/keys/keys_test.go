package keys

import (
	"reflect"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// TestNoClashes checks that within each screen one key does one thing. The exceptions are
// deliberate: esc cancels a running build and otherwise goes back.
func TestNoClashes(t *testing.T) {
	k := Default()
	screens := map[string][]key.Binding{
		"list":     {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Back, k.Filter, k.Trees, k.Help, k.Quit},
		"lesson":   {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Back, k.Trees, k.Help, k.Quit, k.Exercise, k.Quiz},
		"quiz":     {k.Answer, k.NextQuestion, k.PrevQuestion, k.Back, k.Help, k.Quit},
		"exercise": {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Back, k.Trees, k.Help, k.Quit, k.Edit, k.EditAt, k.Check, k.Watch, k.Hint, k.Solution, k.Reset, k.NextTab, k.PrevTab, k.Lesson, k.Doctor, k.Next},
		"confirm":  {k.Confirm, k.Deny},
		"trees":    {k.Up, k.Down, k.Open, k.Back, k.Help, k.Quit},
	}
	for screen, bindings := range screens {
		seen := map[string]string{}
		for _, b := range bindings {
			if len(b.Keys()) == 0 || b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("%s: binding %v lacks keys or help", screen, b.Keys())
			}
			for _, key := range b.Keys() {
				if other, ok := seen[key]; ok {
					t.Errorf("%s: %q is both %q and %q", screen, key, other, b.Help().Desc)
				}
				seen[key] = b.Help().Desc
			}
		}
	}
}

func TestFullHelpHasEveryBinding(t *testing.T) {
	k := Default()
	n := 0
	for _, g := range k.FullHelp() {
		n += len(g)
	}
	// Every binding of the map, but Confirm and Deny, which only show in the confirmation
	// prompt's own help line.
	fields := reflect.TypeOf(*k).NumField()
	if want := fields - 2; n != want {
		t.Errorf("FullHelp lists %d bindings, want %d", n, want)
	}
}

func TestMotion(t *testing.T) {
	k := Default()
	for _, tc := range []struct {
		press tea.KeyPressMsg
		want  int
		ok    bool
	}{
		{tea.KeyPressMsg{Code: 'j', Text: "j"}, 1, true},
		{tea.KeyPressMsg{Code: tea.KeyUp}, -1, true},
		{tea.KeyPressMsg{Code: tea.KeyPgDown}, 20, true},
		{tea.KeyPressMsg{Code: 'b', Text: "b"}, -20, true},
		{tea.KeyPressMsg{Code: 'G', Text: "G"}, Huge, true},
		{tea.KeyPressMsg{Code: tea.KeyHome}, -Huge, true},
		{tea.KeyPressMsg{Code: 'c', Text: "c"}, 0, false},
	} {
		if d, ok := k.Motion(tc.press, 20); d != tc.want || ok != tc.ok || k.Moves(tc.press) != tc.ok {
			t.Errorf("%v: %d %v, want %d %v", tc.press, d, ok, tc.want, tc.ok)
		}
	}
}
