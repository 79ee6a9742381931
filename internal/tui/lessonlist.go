package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sahilm/fuzzy"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// openLessonMsg asks the root to show a lesson.
type openLessonMsg struct{ lesson *course.Lesson }

// openExerciseMsg asks the root to show an exercise.
type openExerciseMsg struct{ ex *course.Exercise }

// listRow is a lesson, or one of its exercises (nested under it).
type listRow struct {
	lesson *course.Lesson
	ex     *course.Exercise
	num    int // the lesson's position in the course, from 1
	// label is what the filter matches and the row shows: the title and the id.
	label    string
	titleLen int   // bytes of label that are the title; the id after it is dimmed
	matched  []int // byte offsets in label that the filter matched
}

// lessonList is the course outline: lessons in order with their exercises, progress marks, and
// a fuzzy filter.
type lessonList struct {
	c             *Common
	width, height int

	all     []listRow
	visible []listRow
	cursor  int
	offset  int

	filtering bool   // the filter line has the keyboard
	pattern   string // the filter typed so far

	// lines is the rendered rows, rebuilt in Update whenever something they show changes, so
	// View only slices it.
	lines []string
}

func newLessonList(c *Common) *lessonList {
	l := &lessonList{c: c}
	for i, les := range c.Course.Lessons {
		label := les.Title + "  " + les.ID
		l.all = append(l.all, listRow{lesson: les, num: i + 1, label: label, titleLen: len(les.Title)})
		for _, ex := range les.Exercises {
			label := ex.Title + "  " + ex.ID
			l.all = append(l.all, listRow{lesson: les, ex: ex, num: i + 1, label: label, titleLen: len(ex.Title)})
		}
	}
	l.visible = l.all
	return l
}

// SetSize implements the component contract.
func (l *lessonList) SetSize(w, h int) {
	l.width, l.height = w, h
	l.refresh()
}

// Capturing reports whether the list takes every key (the filter is being typed).
func (l *lessonList) Capturing() bool { return l.filtering }

// selected is the row under the cursor, if any.
func (l *lessonList) selected() (listRow, bool) {
	if l.cursor < 0 || l.cursor >= len(l.visible) {
		return listRow{}, false
	}
	return l.visible[l.cursor], true
}

// selectPosition moves the cursor to an exercise, or a lesson when ex is "".
func (l *lessonList) selectPosition(lesson, ex string) {
	for i, r := range l.visible {
		if r.lesson.ID == lesson && ((r.ex == nil && ex == "") || (r.ex != nil && r.ex.ID == ex)) {
			l.cursor = i
			l.refresh()
			return
		}
	}
}

// Update implements the component contract.
func (l *lessonList) Update(msg tea.Msg) tea.Cmd {
	k := l.c.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if l.filtering {
			return l.updateFilter(msg)
		}
		switch {
		case k.Moves(msg):
			d, _ := k.Motion(msg, l.rowsHeight())
			l.move(d)
		case key.Matches(msg, k.Filter):
			l.filtering = true
			l.refresh()
		case key.Matches(msg, k.Back) && l.pattern != "":
			l.setFilter("")
		case key.Matches(msg, k.Open):
			return l.open()
		}
	case tea.PasteMsg:
		if l.filtering {
			l.setFilter(l.pattern + strings.ReplaceAll(msg.Content, "\n", " "))
		}
	}
	return nil
}

func (l *lessonList) updateFilter(msg tea.KeyPressMsg) tea.Cmd {
	k := l.c.Keys
	switch {
	case msg.String() == "esc":
		l.filtering = false
		l.setFilter("")
		return nil
	case msg.String() == "enter":
		// Typing a few letters and enter opens the best match: the quickest way anywhere.
		l.filtering = false
		l.refresh()
		return l.open()
	case key.Matches(msg, k.Up) && msg.Text == "", msg.String() == "ctrl+p":
		l.move(-1)
		return nil
	case key.Matches(msg, k.Down) && msg.Text == "", msg.String() == "ctrl+n":
		l.move(1)
		return nil
	case msg.String() == "backspace":
		if p := []rune(l.pattern); len(p) > 0 {
			l.setFilter(string(p[:len(p)-1]))
		}
		return nil
	case msg.String() == "ctrl+u":
		l.setFilter("")
		return nil
	case msg.Text != "" && msg.Mod&^tea.ModShift == 0:
		l.setFilter(l.pattern + msg.Text)
	}
	return nil
}

func (l *lessonList) open() tea.Cmd {
	r, ok := l.selected()
	if !ok {
		return nil
	}
	if r.ex != nil {
		return func() tea.Msg { return openExerciseMsg{ex: r.ex} }
	}
	return func() tea.Msg { return openLessonMsg{lesson: r.lesson} }
}

func (l *lessonList) move(d int) {
	l.cursor = max(0, min(len(l.visible)-1, l.cursor+d))
	l.refresh()
}

// Scroll moves the cursor for the mouse wheel.
func (l *lessonList) Scroll(d int) { l.move(d) }

// setFilter shows the rows matching pattern (all for ""), fuzzy-matched on title and id. A
// lesson stays visible when one of its exercises matches, and a matching lesson brings its
// exercises, so every row keeps its context. The cursor goes to the best match.
func (l *lessonList) setFilter(pattern string) {
	prev, hadPrev := l.selected()
	l.pattern = pattern
	if pattern == "" {
		l.visible = l.all
		for i := range l.all {
			l.all[i].matched = nil
		}
		l.cursor = 0
		if hadPrev {
			l.selectRow(prev)
		}
		l.refresh()
		return
	}
	labels := make([]string, len(l.all))
	for i, r := range l.all {
		labels[i] = r.label
	}
	matches := fuzzy.Find(pattern, labels)
	matched := map[int][]int{}
	lessonHit := map[string]bool{}
	exerciseHit := map[string]bool{}
	for _, m := range matches {
		matched[m.Index] = m.MatchedIndexes
		if r := l.all[m.Index]; r.ex == nil {
			lessonHit[r.lesson.ID] = true
		} else {
			exerciseHit[r.lesson.ID] = true
		}
	}
	l.visible = nil
	for i, r := range l.all {
		_, hit := matched[i]
		show := hit || (r.ex == nil && exerciseHit[r.lesson.ID]) || (r.ex != nil && lessonHit[r.lesson.ID])
		if show {
			r.matched = matched[i]
			l.visible = append(l.visible, r)
		}
	}
	l.cursor = 0
	if len(matches) > 0 {
		l.selectRow(l.all[matches[0].Index])
	}
	l.refresh()
}

func (l *lessonList) selectRow(r listRow) {
	for i, v := range l.visible {
		if v.lesson == r.lesson && v.ex == r.ex {
			l.cursor = i
			return
		}
	}
}

func (l *lessonList) filterShown() bool { return l.filtering || l.pattern != "" }

// rowsHeight is the number of rows on screen: the pane less the title, the filter line and the
// detail at the bottom.
func (l *lessonList) rowsHeight() int {
	h := l.height - 1 - listDetailHeight
	if l.filterShown() {
		h--
	}
	return max(h, 1)
}

const listDetailHeight = 3

// refresh re-renders the rows on screen after a change to what they show.
func (l *lessonList) refresh() {
	if l.width <= 0 {
		return
	}
	rows := l.rowsHeight()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+rows {
		l.offset = l.cursor - rows + 1
	}
	l.offset = max(0, min(l.offset, len(l.visible)-rows))
	l.lines = l.lines[:0]
	for i := l.offset; i < len(l.visible) && i < l.offset+rows; i++ {
		l.lines = append(l.lines, l.renderRow(l.visible[i], i == l.cursor))
	}
}

func (l *lessonList) renderRow(r listRow, selected bool) string {
	s := l.c.Styles
	var mk mark
	var right string
	indent := ""
	if r.ex == nil {
		mk, _ = lessonStatus(l.c, r.lesson)
		right = lessonSummary(l.c, r.lesson)
	} else {
		indent = "    "
		var reason string
		mk, reason = exerciseStatus(l.c, r.ex)
		if reason != "" {
			right = "unavailable"
		}
	}
	pointer := "  "
	titleStyle := lipgloss.NewStyle()
	if selected {
		pointer = s.Prompt.Render("› ")
		titleStyle = s.Bold
	}
	num := ""
	if r.ex == nil {
		num = fmt.Sprintf("%2d. ", r.num)
	}
	left := pointer + indent + mk.style(l.c).Render(mk.symbol()) + " " + num +
		highlight(r.label, r.titleLen, r.matched, titleStyle, s.Dim, s.Match)
	right = s.Dim.Render(right)
	room := l.width - lipgloss.Width(right) - 1
	left = ansi.Truncate(left, room, "…")
	gap := max(room-lipgloss.Width(left), 0)
	return left + strings.Repeat(" ", gap+1) + right
}

// highlight styles label: the title in title, the id after it dimmed, filter matches marked.
func highlight(label string, titleLen int, matched []int, title, dim, match lipgloss.Style) string {
	var b strings.Builder
	hit := make(map[int]bool, len(matched))
	for _, i := range matched {
		hit[i] = true
	}
	// Group runs of bytes with the same style, so a label costs a few style calls.
	start := 0
	styleAt := func(i int) int {
		switch {
		case hit[i]:
			return 2
		case i >= titleLen:
			return 1
		}
		return 0
	}
	styles := [...]lipgloss.Style{title, dim, match}
	for i := range label {
		if i > start && styleAt(i) != styleAt(start) {
			b.WriteString(styles[styleAt(start)].Render(label[start:i]))
			start = i
		}
	}
	if start < len(label) {
		b.WriteString(styles[styleAt(start)].Render(label[start:]))
	}
	return b.String()
}

// detail describes the selected row below the list: the summary, or why it is unavailable.
func (l *lessonList) detail() []string {
	s := l.c.Styles
	r, ok := l.selected()
	if !ok {
		return []string{s.Dim.Render("Nothing matches the filter.")}
	}
	if r.ex == nil {
		out := []string{r.lesson.Summary}
		if reason := lessonUnavailable(l.c, r.lesson); reason != "" {
			out = append(out, s.Unavailable.Render("Not for this kernel tree: "+reason))
		} else if r.lesson.KernelRaw != "" {
			out = append(out, s.Dim.Render("Applies to Linux "+r.lesson.KernelRaw))
		}
		return out
	}
	ep := l.c.Progress().ExerciseStatus(r.ex.ID)
	out := []string{fmt.Sprintf("Exercise of “%s”", r.lesson.Title)}
	mk, reason := exerciseStatus(l.c, r.ex)
	switch {
	case reason != "":
		out = append(out, s.Unavailable.Render("Cannot be checked here: "+reason))
	case mk == markDone:
		out = append(out, s.Done.Render(fmt.Sprintf("Passed after %d attempt(s)", ep.Attempts)))
	case mk == markInProgress:
		out = append(out, s.InProgress.Render(fmt.Sprintf("%d attempt(s), %d of %d hints", ep.Attempts, ep.HintsRevealed, len(r.ex.Hints))))
	}
	return out
}

// View implements the component contract.
func (l *lessonList) View() string {
	s := l.c.Styles
	var b strings.Builder
	title := s.Title.Render("Lessons") + s.Dim.Render(" · "+l.c.Course.Title)
	b.WriteString(ansi.Truncate(title, l.width, "…"))
	b.WriteByte('\n')
	if l.filterShown() {
		b.WriteString(l.filterLine())
		b.WriteByte('\n')
	}
	rows := l.rowsHeight()
	for i := range rows {
		if i < len(l.lines) {
			b.WriteString(l.lines[i])
		}
		b.WriteByte('\n')
	}
	b.WriteString(s.Rule.Render(strings.Repeat("─", l.width)))
	detail := l.detail()
	for i := range listDetailHeight - 1 {
		b.WriteByte('\n')
		if i < len(detail) {
			b.WriteString(ansi.Truncate(detail[i], l.width, "…"))
		}
	}
	return b.String()
}

// filterLine is the filter prompt with what was typed, and a cursor while typing.
func (l *lessonList) filterLine() string {
	s := l.c.Styles
	line := s.Prompt.Render("/ ") + l.pattern
	switch {
	case l.filtering && l.pattern == "":
		line += s.Dim.Render("type to filter lessons and exercises")
	case l.filtering:
		line += s.Prompt.Render("▏")
	default:
		line += s.Dim.Render(fmt.Sprintf("  (%d shown · esc clears)", len(l.visible)))
	}
	return ansi.Truncate(line, l.width, "…")
}

// ShortHelp implements help.KeyMap.
func (l *lessonList) ShortHelp() []key.Binding {
	k := l.c.Keys
	if l.filtering {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		}
	}
	return []key.Binding{k.Open, k.Up, k.Down, k.Filter, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (l *lessonList) FullHelp() [][]key.Binding {
	k := l.c.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Open, k.Filter, k.Back, k.Help, k.Quit},
	}
}
