// Package snippets holds the embedded snippet library: one folder per snippet, with its
// Kbuild, src/, starter/ and snippet.yaml. The format is documented in README.md here;
// internal/course loads and validates it.
package snippets

import "embed"

// FS holds every snippet folder. The "all:" prefix keeps files whose names start with '.' or
// '_', which embedding skips by default, so the embedded library holds what a pack directory
// would show and the loader alone decides what to ignore.
//
//go:embed all:*
var FS embed.FS
