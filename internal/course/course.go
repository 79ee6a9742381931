package course

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"

	"github.com/Masterminds/semver/v3"
)

// ErrNoStarter is returned by Files for the starter of a snippet that has none.
var ErrNoStarter = errors.New("snippet has no starter")

// Lesson returns the lesson with the given id, or nil.
func (c *Course) Lesson(id string) *Lesson { return c.lessonByID[id] }

// Exercise returns the exercise with the given id, or nil.
func (c *Course) Exercise(id string) *Exercise { return c.exerciseByID[id] }

// Snippet returns the snippet with the given id, or nil.
func (c *Course) Snippet(id string) *Snippet { return c.Snippets[id] }

// Exercises returns every exercise in course order.
func (c *Course) Exercises() []*Exercise {
	var out []*Exercise
	for _, l := range c.Lessons {
		out = append(out, l.Exercises...)
	}
	return out
}

// Files returns the contents of a snippet's build folder, keyed by file name relative to it
// ("Kbuild", "hello_module.rs"): the snippet's shared top-level files, replaced by name by
// those in src/ or starter/.
func (c *Course) Files(s *Snippet, v Variant) (map[string][]byte, error) {
	paths := s.Src
	if v == VariantStarter {
		paths = s.StarterFiles
		if len(paths) == 0 {
			return nil, fmt.Errorf("%s: %w", s.ID, ErrNoStarter)
		}
	}
	out := make(map[string][]byte, len(paths))
	for name, p := range paths {
		data, err := fs.ReadFile(c.Root, p)
		if err != nil {
			return nil, fmt.Errorf("snippet %s (%s): %w", s.ID, v, err)
		}
		out[name] = data
	}
	return out, nil
}

// KernelFragment returns the kernel configuration the course needs on a kernel of version ver:
// the course's base options and those of every snippet whose range holds ver (all snippets when
// ver is nil), one entry per symbol (a pinned value wins over "y or m"), sorted by name. A
// snippet for 7.3 only (a PCI driver, say) thus adds nothing to a 6.12 tree. Load has rejected
// contradictions, so merging never has to choose.
func (c *Course) KernelFragment(ver *semver.Version) []ConfigOption {
	merged := map[string]ConfigOption{}
	add := func(opts []ConfigOption) {
		for _, o := range opts {
			if have, ok := merged[o.Name]; ok {
				o, _ = mergeOption(have, o)
			}
			merged[o.Name] = o
		}
	}
	add(c.KernelConfig)
	for _, id := range slices.Sorted(maps.Keys(c.Snippets)) {
		s := c.Snippets[id]
		if ver != nil && s.Kernel != nil && !s.Kernel.Check(ver) {
			continue
		}
		add(s.Config)
	}
	return slices.SortedFunc(maps.Values(merged), func(a, b ConfigOption) int {
		return cmp.Compare(a.Name, b.Name)
	})
}
