package kernel

import (
	"fmt"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// Unavailable returns why snippet s cannot be built on tree t (kernel version outside the
// snippet's range, or kernel options it needs that t lacks), or "" when it can.
func Unavailable(t *Tree, s *course.Snippet) string {
	if t == nil {
		return "no kernel tree"
	}
	if s == nil {
		return ""
	}
	var reasons []string
	// t.Version holds only the numeric release, so a constraint such as "< 6.17" is never
	// defeated by a distro suffix read as a semver prerelease.
	if s.Kernel != nil && t.Version != nil && !s.Kernel.Check(t.Version) {
		r := fmt.Sprintf("needs kernel %s, tree is %s", constraintText(s), t.Release)
		if s.KernelNote != "" {
			r += ": " + s.KernelNote
		}
		reasons = append(reasons, r)
	}
	if missing := MissingConfig(t, s.Config); len(missing) > 0 {
		reasons = append(reasons, "needs "+strings.Join(missing, ", "))
	}
	return strings.Join(reasons, "; ")
}

func constraintText(s *course.Snippet) string {
	if s.KernelRaw != "" {
		return s.KernelRaw
	}
	return s.Kernel.String()
}

// MissingConfig lists the options of want that t's configuration does not satisfy, each with
// what the tree has (e.g. "CONFIG_PHYLIB (not set)", "CONFIG_KUNIT=y (tree has m)").
func MissingConfig(t *Tree, want []course.ConfigOption) []string {
	var missing []string
	for _, o := range want {
		got, set := t.Config[o.Name]
		if OptionSatisfied(o, got, set) {
			continue
		}
		name := "CONFIG_" + o.Name
		if o.Value != "" {
			name += "=" + o.Value
		}
		switch {
		case t.Config == nil:
			missing = append(missing, name+" (tree not configured)")
		case !set:
			missing = append(missing, name+" (not set)")
		default:
			missing = append(missing, fmt.Sprintf("%s (tree has %s)", name, got))
		}
	}
	return missing
}

// OptionSatisfied reports whether an option with value got (set says whether it appears at all)
// meets o: an empty o.Value means built in or module, "n" means not set, anything else exact.
func OptionSatisfied(o course.ConfigOption, got string, set bool) bool {
	switch o.Value {
	case "":
		return set && (got == "y" || got == "m")
	case "n":
		return !set || got == "n"
	default:
		return set && got == o.Value
	}
}

// ExercisesAvailable counts the exercises of c that can be built on t, each judged by the
// variant of its code for t's kernel.
func ExercisesAvailable(t *Tree, c *course.Course) (available, total int) {
	for _, ex := range c.Exercises() {
		total++
		if t != nil && Unavailable(t, ex.For(t.Version).Snippet) == "" {
			available++
		}
	}
	return available, total
}
