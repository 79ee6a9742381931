package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/render"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// lessonView shows one lesson: its markdown rendered by glamour in a viewport, and its
// knowledge-check questions, answered with number keys.
type lessonView struct {
	c             *Common
	width, height int
	lesson        *course.Lesson

	// vp holds the scroll state; the text is drawn from lines, split once per rendering, so
	// a frame is a copy of the visible lines rather than a lipgloss layout of them.
	vp    viewport.Model
	raw   []string // the rendering's lines
	lines []string // raw cut to the pane's width, from column xoff
	xoff  int      // how far the text is scrolled sideways (code lines may be wider than the pane)
	wide  int      // the widest line of raw
	shown docKey   // the rendering in the viewport; zero before the first arrives
	err   error

	quiz     bool // the questions replace the text
	question int
	// quizLines is the rendered question, rebuilt in Update.
	quizLines []string
}

func newLessonView(c *Common) *lessonView {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // keys come from our KeyMap, handled below
	vp.MouseWheelEnabled = false  // the root routes the wheel
	return &lessonView{c: c, vp: vp}
}

// open shows lesson l from its top.
func (v *lessonView) open(l *course.Lesson) tea.Cmd {
	if v.lesson != l {
		v.lesson = l
		v.shown = docKey{}
		v.err = nil
		v.quiz = false
		v.question = 0
		v.raw, v.lines, v.xoff, v.wide = nil, nil, 0, 0
		v.vp.SetContentLines(nil)
		v.vp.GotoTop()
	}
	now := v.c.Now()
	return tea.Batch(v.sync(), v.c.record(func(cp *progress.CourseProgress) {
		cp.VisitLesson(l.ID, now)
		cp.SetLast(l.ID, "", now)
		tutor.CompleteIfDone(cp, l, now)
	}))
}

// SetSize implements the component contract. The root calls sync afterwards: a new width
// needs a new rendering.
func (v *lessonView) SetSize(w, h int) {
	resized := w != v.width
	v.width, v.height = w, h
	if resized {
		// Until the rendering for the new width arrives, the old one is shown cut to fit.
		v.cut()
	}
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(h-1, 1))
	v.buildQuiz()
}

func (v *lessonView) key() docKey {
	return docKey{doc: "lesson:" + v.lesson.ID, width: wrapWidth(v.width), dark: v.c.Dark, kernel: v.c.KernelVersion().String()}
}

// sync puts the rendering for the current size and theme in the viewport, or asks for it. The
// previous rendering stays on screen until the new one arrives, so a resize never flashes an
// empty pane.
func (v *lessonView) sync() tea.Cmd {
	if v.lesson == nil || v.width <= 0 {
		return nil
	}
	k := v.key()
	if r, ok := v.c.renders.get(k); ok {
		if v.shown != k {
			v.show(k, r)
		}
		return nil
	}
	c, l := v.c, v.lesson
	return v.c.renders.request(k, func() (string, error) { return lessonDocument(c, l) })
}

func (v *lessonView) show(k docKey, r renderedMsg) {
	// Keep the reader at the same place in the text across a re-wrap.
	frac := 0.0
	if total := v.vp.TotalLineCount(); total > 0 && v.shown != (docKey{}) {
		frac = float64(v.vp.YOffset()) / float64(total)
	}
	v.shown, v.err = k, r.err
	text := r.out
	if r.err != nil {
		text = renderError(r.err)
	}
	v.raw = splitLines(text)
	v.wide = 0
	for _, l := range v.raw {
		v.wide = max(v.wide, ansi.StringWidth(l))
	}
	v.cut()
	v.vp.SetYOffset(int(frac * float64(v.vp.TotalLineCount())))
}

// cut fits the rendering to the pane from column xoff, kept within what there is to see.
func (v *lessonView) cut() {
	v.xoff = max(min(v.xoff, v.wide-v.width), 0)
	if v.xoff == 0 {
		v.lines = cutLines(v.raw, v.width)
	} else {
		v.lines = make([]string, len(v.raw))
		for i, l := range v.raw {
			v.lines[i] = ansi.Cut(l, v.xoff, v.xoff+v.width)
		}
	}
	v.vp.SetContentLines(v.lines)
}

// sideStep is how many columns one sideways scroll moves.
const sideStep = 8

// lessonDocument is the markdown shown for a lesson: its text with snippets included, then
// what it asks of the learner.
func lessonDocument(c *Common, l *course.Lesson) (string, error) {
	body, err := c.Course.MarkdownFor(l, c.KernelVersion())
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(body))
	b.WriteString("\n")
	if len(l.Exercises) > 0 || len(l.Quiz) > 0 {
		b.WriteString("\n---\n\n## Your turn\n\n")
	}
	for _, ex := range l.Exercises {
		fmt.Fprintf(&b, "- **Exercise: %s** (`%s`): press `x` to open it.\n", ex.Title, ex.ID)
	}
	if n := len(l.Quiz); n > 0 {
		fmt.Fprintf(&b, "- **Knowledge check**: %d question(s); press `t` to answer them.\n", n)
	}
	return b.String(), nil
}

// Update implements the component contract.
func (v *lessonView) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case renderedMsg:
		if v.lesson != nil && msg.key == v.key() {
			v.show(msg.key, msg)
		}
	case tea.KeyPressMsg:
		if v.quiz {
			return v.updateQuiz(msg)
		}
		k := v.c.Keys
		switch {
		case k.Moves(msg):
			d, _ := k.Motion(msg, v.vp.Height())
			v.Scroll(d)
		case key.Matches(msg, k.SideLeft):
			v.xoff -= sideStep
			v.cut()
		case key.Matches(msg, k.SideRight):
			v.xoff += sideStep
			v.cut()
		case key.Matches(msg, k.Quiz) && len(v.lesson.Quiz) > 0:
			v.quiz = true
			v.question = v.firstOpenQuestion()
			v.buildQuiz()
		case key.Matches(msg, k.Exercise) && len(v.lesson.Exercises) > 0:
			ex := v.nextExercise()
			return func() tea.Msg { return openExerciseMsg{ex: ex} }
		}
	}
	return nil
}

// Scroll scrolls the text for the mouse wheel.
func (v *lessonView) Scroll(d int) {
	if d < 0 {
		v.vp.ScrollUp(-d)
	} else {
		v.vp.ScrollDown(d)
	}
}

// nextExercise is the lesson's first exercise not passed yet (or its first).
func (v *lessonView) nextExercise() *course.Exercise {
	for _, ex := range v.lesson.Exercises {
		if !v.c.Progress().ExerciseStatus(ex.ID).Passed {
			return ex
		}
	}
	return v.lesson.Exercises[0]
}

func (v *lessonView) firstOpenQuestion() int {
	answers := v.c.Progress().LessonStatus(v.lesson.ID).Answers
	for i, q := range v.lesson.Quiz {
		if !answers[q.ID].Correct {
			return i
		}
	}
	return 0
}

func (v *lessonView) updateQuiz(msg tea.KeyPressMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		v.quiz = false
	case key.Matches(msg, k.Answer):
		return v.answer(int(msg.Code - '1'))
	case key.Matches(msg, k.NextQuestion):
		if v.question == len(v.lesson.Quiz)-1 && v.quizDone() {
			l := v.lesson
			return func() tea.Msg { return nextStepMsg{lesson: l} }
		}
		v.question = min(v.question+1, len(v.lesson.Quiz)-1)
		v.buildQuiz()
	case key.Matches(msg, k.PrevQuestion):
		v.question = max(v.question-1, 0)
		v.buildQuiz()
	}
	return nil
}

// answer records choice (0-based) for the current question.
func (v *lessonView) answer(choice int) tea.Cmd {
	q := v.lesson.Quiz[v.question]
	if choice < 0 || choice >= len(q.Choices) {
		return nil
	}
	if ans, ok := v.c.Progress().LessonStatus(v.lesson.ID).Answers[q.ID]; ok && ans.Correct {
		// A right answer is final: a key pressed by mistake afterwards must not take it back.
		return nil
	}
	correct := choice == q.Answer
	now := v.c.Now()
	l := v.lesson
	cmd := v.c.record(func(cp *progress.CourseProgress) {
		cp.AnswerQuestion(l.ID, q.ID, choice, correct, now)
		tutor.CompleteIfDone(cp, l, now)
	})
	v.buildQuiz()
	return cmd
}

// quizDone says every question of the lesson has its right answer.
func (v *lessonView) quizDone() bool {
	answers := v.c.Progress().LessonStatus(v.lesson.ID).Answers
	for _, q := range v.lesson.Quiz {
		if a, ok := answers[q.ID]; !ok || !a.Correct {
			return false
		}
	}
	return true
}

// buildQuiz renders the current question (in Update, so View stays a copy).
func (v *lessonView) buildQuiz() {
	if v.lesson == nil || !v.quiz || v.width <= 0 {
		return
	}
	s := v.c.Styles
	w := wrapWidth(v.width)
	wrap := lipgloss.NewStyle().Width(w)
	q := v.lesson.Quiz[v.question]
	ans, answered := v.c.Progress().LessonStatus(v.lesson.ID).Answers[q.ID]

	var lines []string
	add := func(s string) { lines = append(lines, strings.Split(s, "\n")...) }
	add(s.Title.Render(fmt.Sprintf("Knowledge check · question %d of %d", v.question+1, len(v.lesson.Quiz))))
	add("")
	code := func(t string) string { return s.Code.Render(t) }
	add(wrap.Render(s.Bold.Render(render.InlineCode(q.Question, code))))
	add("")
	for i, choice := range q.Choices {
		line := fmt.Sprintf("  %d) %s", i+1, render.InlineCode(choice, code))
		switch {
		case answered && i == ans.Choice && ans.Correct:
			line = s.Pass.Render(line + "  ✓ your answer")
		case answered && i == ans.Choice:
			line = s.Fail.Render(line + "  ✗ your answer")
		}
		add(wrap.Render(line))
	}
	add("")
	switch {
	case answered && ans.Correct:
		add(wrap.Render(s.Pass.Render("Right. ") + render.InlineCode(q.Explain, code)))
		add("")
		switch {
		case v.quizDone():
			cp := v.c.Progress()
			next := nextStep(v.c.Course, v.lesson, nil, func(ex *course.Exercise) bool { return cp.ExerciseStatus(ex.ID).Passed })
			add(s.Pass.Render(fmt.Sprintf("Knowledge check complete: all %d answers right.", len(v.lesson.Quiz))))
			add(s.Bold.Render("n "+next.describe()) + s.Dim.Render(" · esc back to the text"))
		case v.question+1 < len(v.lesson.Quiz):
			add(s.Dim.Render("Your answer is kept. n: next question"))
		default:
			add(s.Dim.Render("Your answer is kept. p: an earlier question · esc: back to the text"))
		}
	case answered:
		add(wrap.Render(s.Fail.Render("Not quite.") + " Think again and pick another answer."))
	default:
		add(s.Dim.Render(fmt.Sprintf("Press 1–%d to answer.", len(q.Choices))))
	}
	v.quizLines = lines
}

// View implements the component contract.
func (v *lessonView) View() string {
	s := v.c.Styles
	if v.lesson == nil {
		return ""
	}
	var body string
	switch {
	case v.quiz:
		lines := v.quizLines
		if len(lines) > v.height-1 {
			lines = lines[:v.height-1]
		}
		body = strings.Join(lines, "\n") + strings.Repeat("\n", max(v.height-1-len(lines), 0))
	case v.shown == (docKey{}):
		body = s.Dim.Render("Rendering the lesson…") + strings.Repeat("\n", max(v.height-2, 0))
	default:
		body = window(v.lines, v.vp.YOffset(), 0, v.height-1)
	}
	return body + "\n" + ansi.Truncate(v.footer(), v.width, "…")
}

func (v *lessonView) footer() string {
	s := v.c.Styles
	parts := []string{s.Title.Render(v.lesson.Title)}
	if v.quiz {
		parts = append(parts, s.Dim.Render("esc back to the text"))
	} else if v.shown != (docKey{}) {
		parts = append(parts, s.Dim.Render(fmt.Sprintf("%3.0f%%", v.vp.ScrollPercent()*100)))
		if v.wide > v.width {
			// Code is not wrapped: say that some of it is off to the side, and how to see it.
			parts = append(parts, s.Dim.Render(fmt.Sprintf("code wider than the pane: < > scroll (col %d)", v.xoff+1)))
		}
	}
	if summary := lessonSummary(v.c, v.lesson); summary != "" {
		parts = append(parts, s.Dim.Render(summary))
	}
	return strings.Join(parts, s.Dim.Render(" · "))
}

// ShortHelp implements help.KeyMap.
func (v *lessonView) ShortHelp() []key.Binding {
	k := v.c.Keys
	if v.quiz {
		return []key.Binding{k.Answer, k.NextQuestion, k.PrevQuestion, k.Back}
	}
	out := []key.Binding{k.Down, k.Up, k.PageDown}
	if v.lesson != nil && len(v.lesson.Exercises) > 0 {
		out = append(out, k.Exercise)
	}
	if v.lesson != nil && len(v.lesson.Quiz) > 0 {
		out = append(out, k.Quiz)
	}
	return append(out, k.Back, k.Help)
}

// FullHelp implements help.KeyMap.
func (v *lessonView) FullHelp() [][]key.Binding {
	k := v.c.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Exercise, k.Quiz, k.Answer, k.NextQuestion, k.PrevQuestion},
		{k.SideLeft, k.SideRight, k.Back, k.Help, k.Quit},
	}
}
