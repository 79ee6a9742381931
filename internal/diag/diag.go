// Package diag turns what a Kbuild build printed into diagnostics: rustc's errors and
// warnings in its human format (code, message, primary file:line:col, labels, notes and
// help), make and Kbuild errors, modpost errors (undefined symbols, GPL-only symbols used by
// a non-GPL module), linker errors, and C compiler errors. Paths are mapped from the scratch
// folder the build ran in back to the learner's folder.
//
// The input is the raw pty output, colours and CRLF line ends included; Parse never fails:
// whatever it does not recognise is skipped.
package diag

import (
	"fmt"
	"strings"
)

// Severity is how serious a diagnostic is.
type Severity string

// Severities, as rustc names them.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityNote    Severity = "note"
	SeverityHelp    Severity = "help"
)

// Origins: the tool that printed a diagnostic.
const (
	OriginRustc   = "rustc"
	OriginMake    = "make" // make itself and Kbuild's makefiles
	OriginModpost = "modpost"
	OriginLinker  = "ld"
	OriginCC      = "cc" // the C compiler (clang or gcc)
)

// Diagnostic is one message of the build.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Code is rustc's error code (E0308), a C compiler's warning flag (-Wint-conversion), or
	// empty.
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
	// File, Line and Column locate the primary span (1-based), File mapped through
	// Options.PathMap. Empty/zero when the tool gave no source location (modpost, make
	// recipe failures, some rustc errors).
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	// Labels are the spans rustc marked in its source excerpt (^^^ primary, --- secondary).
	Labels []Label `json:"labels,omitempty"`
	// Notes are the `= note:` / `= help:` lines and the note:/help: sub-diagnostics, each
	// starting with its kind ("note: ...", "help: ..."); a sub-diagnostic's location and a
	// suggested replacement follow on further lines.
	Notes []string `json:"notes,omitempty"`
	// SourceLine is the text of the primary line as the tool printed it.
	SourceLine string `json:"source_line,omitempty"`
	// Origin is one of the Origin* constants.
	Origin string `json:"origin"`
}

// Label is one marked span of a rustc source excerpt.
type Label struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line"`
	// Column is 1-based in the source line as rustc printed it (rustc shows a tab as four
	// spaces); Width is the number of marked columns.
	Column  int    `json:"column"`
	Width   int    `json:"width"`
	Primary bool   `json:"primary,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Options tune Parse.
type Options struct {
	// PathMap maps a folder the build ran in (the scratch copy) to the folder the learner
	// edits; every path below a key, in locations and in messages, is rewritten.
	PathMap map[string]string
	// Dir is the folder relative paths in the output are relative to (make -C's, the kernel
	// tree); with it, relative forms of PathMap's folders are mapped too.
	Dir string
}

// Location renders "file:line:col" with what is known, or "".
func (d Diagnostic) Location() string {
	if d.File == "" {
		return ""
	}
	switch {
	case d.Line > 0 && d.Column > 0:
		return fmt.Sprintf("%s:%d:%d", d.File, d.Line, d.Column)
	case d.Line > 0:
		return fmt.Sprintf("%s:%d", d.File, d.Line)
	}
	return d.File
}

// String renders the diagnostic as one line, like a compiler's short format:
// "hello.rs:17:27: error[E0308]: mismatched types".
func (d Diagnostic) String() string {
	var b strings.Builder
	if loc := d.Location(); loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	b.WriteString(string(d.Severity))
	if d.Code != "" && d.Origin == OriginRustc {
		b.WriteString("[" + d.Code + "]")
	}
	b.WriteString(": ")
	b.WriteString(d.Message)
	return b.String()
}

// First returns the diagnostic to show first: the first error, else the first warning,
// else the first diagnostic; nil when there are none. It points into diags.
func First(diags []Diagnostic) *Diagnostic {
	for _, sev := range []Severity{SeverityError, SeverityWarning} {
		for i := range diags {
			if diags[i].Severity == sev {
				return &diags[i]
			}
		}
	}
	if len(diags) > 0 {
		return &diags[0]
	}
	return nil
}
