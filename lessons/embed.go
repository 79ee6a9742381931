// Package lessons holds the embedded course's lessons: course.yaml and one markdown file per
// lesson. The format is documented in README.md here; internal/course loads and validates it.
package lessons

import "embed"

// FS holds course.yaml and the *.md files of this folder (README.md is the format's
// documentation, which the loader skips).
//
//go:embed course.yaml ids.lock *.md
var FS embed.FS
