package course

import "github.com/rfl-tutor/rfl-tutor/internal/sanitize"

// sanitizeText makes every text of a loaded course that reaches a terminal inert (titles,
// lesson text, tasks, hints, questions, notes, expected lines): a pack is someone else's, and an
// escape sequence in a hint must not set the learner's clipboard. Code files are left as they
// are (they are the learner's to edit); a lesson's code blocks are cleaned where MarkdownFor
// includes them.
func (c *Course) sanitizeText() {
	t := sanitize.Text
	c.Title = t(c.Title)
	for _, l := range c.Lessons {
		l.Title, l.Summary, l.Body = t(l.Title), t(l.Summary), t(l.Body)
		for _, ex := range l.Exercises {
			ex.Title, ex.Task = t(ex.Title), t(ex.Task)
			ex.Hints = sanitize.Lines(ex.Hints)
			ex.Success.Log = sanitize.Lines(ex.Success.Log)
			ex.Success.UnloadLog = sanitize.Lines(ex.Success.UnloadLog)
			for i := range ex.Success.Steps {
				ex.Success.Steps[i].Expect = t(ex.Success.Steps[i].Expect)
			}
			for i := range ex.Forbid {
				ex.Forbid[i].Why = t(ex.Forbid[i].Why)
			}
		}
		for _, q := range l.Quiz {
			q.Question, q.Explain = t(q.Question), t(q.Explain)
			q.Choices = sanitize.Lines(q.Choices)
		}
	}
	for _, s := range c.Snippets {
		s.Title, s.KernelNote = t(s.Title), t(s.KernelNote)
		for _, v := range s.Variants {
			v.Note = t(v.Note)
		}
		// A shortcut's edits are code, like the snippet's files; its name and reason are shown.
		for _, sc := range s.Shortcuts {
			sc.Name, sc.Because = t(sc.Name), t(sc.Because)
		}
	}
}
