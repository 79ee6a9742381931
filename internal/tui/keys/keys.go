// Package keys is the one key map of the TUI. Every binding is declared here with its help text,
// so the `?` screen, the short help line and the key handling can never disagree; components
// match presses with key.Matches and list the bindings that apply to them.
package keys

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap holds every binding. It implements help.KeyMap with every binding; each pane lists
// the subset that applies to it in its own ShortHelp and FullHelp.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	Open   key.Binding
	Back   key.Binding
	Filter key.Binding
	Help   key.Binding
	Quit   key.Binding
	// Trees opens the kernel tree picker.
	Trees key.Binding

	// Lesson view.
	Exercise     key.Binding
	Quiz         key.Binding
	Answer       key.Binding
	NextQuestion key.Binding
	// Sideways scrolls a lesson's code lines that are wider than the pane (code is never
	// wrapped).
	SideLeft, SideRight key.Binding
	// Next moves on after a pass or a finished knowledge check.
	Next key.Binding
	// Doctor shows the doctor's whole report.
	Doctor       key.Binding
	PrevQuestion key.Binding

	// Exercise pane.
	Edit     key.Binding
	Check    key.Binding
	Watch    key.Binding
	Hint     key.Binding
	Solution key.Binding
	Reset    key.Binding
	Cancel   key.Binding
	EditAt   key.Binding
	NextTab  key.Binding
	PrevTab  key.Binding
	// Lesson opens an exercise's lesson over it (esc comes back to the exercise).
	Lesson key.Binding

	// Confirmation prompts.
	Confirm key.Binding
	Deny    key.Binding
}

// Default returns the key map. The keys follow less and vim where a learner may already know
// them (j/k, g/G, /) and are otherwise the first letter of what they do.
func Default() *KeyMap {
	return &KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn/space", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),

		Open:   key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "open")),
		Back:   key.NewBinding(key.WithKeys("esc", "left", "backspace"), key.WithHelp("esc", "back")),
		Filter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Help:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Trees:  key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "kernel trees")),
		Doctor: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "doctor's report")),

		Exercise:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "exercise")),
		Quiz:         key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "test yourself")),
		Answer:       key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "answer")),
		NextQuestion: key.NewBinding(key.WithKeys("n", "right"), key.WithHelp("n", "next question")),
		PrevQuestion: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "previous question")),
		SideLeft:     key.NewBinding(key.WithKeys("<", "shift+left"), key.WithHelp("<", "scroll code left")),
		SideRight:    key.NewBinding(key.WithKeys(">", "shift+right"), key.WithHelp(">", "scroll code right")),
		Next:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next")),

		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		Check:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check")),
		Watch:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "watch on/off")),
		Hint:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "next hint")),
		Solution: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "solution")),
		Reset:    key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset to starter")),
		Cancel:   key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc/ctrl+c", "cancel build")),
		EditAt:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit at the diagnostic")),
		NextTab:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Lesson:   key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "lesson")),

		Confirm: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		Deny:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
	}
}

// ShortHelp is the global bindings, for the help line of screens without their own.
func (k *KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Quit}
}

// FullHelp is every binding, grouped by where it applies: the `?` screen.
func (k *KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Back, k.Filter, k.Trees, k.Doctor, k.Help, k.Quit},
		{k.Exercise, k.Quiz, k.Answer, k.NextQuestion, k.PrevQuestion, k.SideLeft, k.SideRight},
		{k.Edit, k.EditAt, k.Check, k.Watch, k.Hint, k.Solution, k.Next, k.Reset, k.Cancel, k.NextTab, k.PrevTab, k.Lesson},
	}
}

// Huge is a motion past either end: a pane clamps it to its top or bottom.
const Huge = 1 << 30

// Motion is how far a movement key moves, in lines, on a screen showing page lines at once:
// ±1 for up and down, ±page for the page keys, ±Huge for top and bottom. ok is false for keys
// that do not move, so every scrolling pane reads the same keys the same way.
func (k *KeyMap) Motion(msg tea.KeyPressMsg, page int) (delta int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -max(page, 1), true
	case key.Matches(msg, k.PageDown):
		return max(page, 1), true
	case key.Matches(msg, k.Top):
		return -Huge, true
	case key.Matches(msg, k.Bottom):
		return Huge, true
	}
	return 0, false
}

// Moves reports whether msg is one of the movement keys of Motion.
func (k *KeyMap) Moves(msg tea.KeyPressMsg) bool {
	_, ok := k.Motion(msg, 1)
	return ok
}
