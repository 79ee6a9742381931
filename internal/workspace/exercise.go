package workspace

import (
	"fmt"
	"os"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// Copy is the learner's folder for one exercise as a kernel sees it.
type Copy struct {
	Dir string
	// Fresh says every starter file was just written: the learner had no copy yet.
	Fresh bool
	// Others are the learner's copies of the same exercise made for other kernels (the code
	// differs), left as they are.
	Others []OtherCopy
}

// OtherCopy is a copy of the exercise made for another kernel range.
type OtherCopy struct {
	Dir    string
	Kernel string // the range it was made for, as the snippet writes it
}

// Prepare makes sure the learner's folder for ex exists, filled with the starter of ex's
// variant (ex as Exercise.For resolved it for the tree): the one way the CLI and the TUI copy a
// starter. Each kernel variant has its own folder, so a copy made for one kernel is never
// overwritten by another kernel's starter; the copies of other variants are reported so the
// learner can be told where their earlier work is.
func (w *Workspace) Prepare(c *course.Course, ex *course.Exercise) (*Copy, error) {
	starter, err := c.Files(ex.Snippet, course.VariantStarter)
	if err != nil {
		return nil, err
	}
	name := ex.WorkspaceName()
	created, err := w.Ensure(c.ID, name, starter)
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	cp := &Copy{Dir: w.Dir(c.ID, name), Fresh: len(created) == len(starter), Others: w.otherCopies(c.ID, ex)}
	return cp, nil
}

// otherCopies lists the existing folders of ex's other kernel variants.
func (w *Workspace) otherCopies(courseID string, ex *course.Exercise) []OtherCopy {
	var out []OtherCopy
	if ex.Snippet == nil {
		return nil
	}
	mine := ex.WorkspaceName()
	for _, v := range ex.Snippet.Variants {
		name := course.VariantWorkspaceName(ex.ID, v)
		if name == mine {
			continue
		}
		dir := w.Dir(courseID, name)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			out = append(out, OtherCopy{Dir: dir, Kernel: v.KernelRaw})
		}
	}
	return out
}

// Notice is what to tell the learner about copies for other kernels, "" when there are none.
// kernel names the tree this copy is for ("Linux 7.3.4").
func (cp *Copy) Notice(kernel string) string {
	if len(cp.Others) == 0 {
		return ""
	}
	o := cp.Others[0]
	if cp.Fresh {
		return fmt.Sprintf("Your copy for kernels %s stays in %s; its code does not fit %s, so %s is a fresh copy for it.", o.Kernel, o.Dir, kernel, cp.Dir)
	}
	return fmt.Sprintf("You also have a copy for kernels %s in %s; this one, for %s, is %s.", o.Kernel, o.Dir, kernel, cp.Dir)
}
