package library

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
)

// JUnit XML, the report format CI systems (GitLab, GitHub Actions' test reporters, Jenkins)
// display: one testsuite per kernel tree, one testcase per snippet, a failure element with
// the diagnostics for a snippet that did not do what its metadata says, and a skipped element
// for one the tree cannot build.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{Name: "rfl-tutor snippets check", Time: seconds(r.Duration.Seconds())}
	for ti, t := range r.Trees {
		s := junitSuite{
			Name: "linux " + t.Release + " (" + t.Dir + ")",
			Properties: []junitProperty{
				{Name: "kdir", Value: t.Dir},
				{Name: "release", Value: t.Release},
				{Name: "rustc", Value: t.Rustc},
			},
		}
		// CI systems merge the reports of a matrix: the tree in the class name keeps the
		// same snippet on two trees apart.
		class := "snippets." + classPart(t.Release)
		for _, sn := range r.Snippets {
			v := sn.Results[ti]
			c := junitCase{Name: sn.ID, Classname: class}
			switch v.Status {
			case Fail:
				c.Failure = &junitFailure{Message: v.Reason, Type: failureType(sn, v), Text: renderDiagnostics(v.Diagnostics)}
				s.Failures++
			case Skip:
				c.Skipped = &junitSkipped{Message: v.Reason}
				s.Skipped++
			default:
				c.SystemOut = v.Reason
			}
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write JUnit: %w", err)
	}
	return nil
}

// failureType names what went wrong in a word CI systems show next to the message.
func failureType(sn SnippetResult, v Verdict) string {
	for _, d := range v.Diagnostics {
		if d.Severity == diag.SeverityError && d.Code != "" {
			return d.Code
		}
	}
	if sn.Expect == course.OutcomeFails {
		return "unexpected-build"
	}
	return "expectation"
}

// renderDiagnostics is the failure's body: each diagnostic as one line, its notes below it.
func renderDiagnostics(diags []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String())
		b.WriteByte('\n')
		if d.SourceLine != "" {
			fmt.Fprintf(&b, "    %d | %s\n", d.Line, d.SourceLine)
		}
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "    = %s\n", n)
		}
	}
	return b.String()
}

// classPart makes a release usable inside a dotted class name ("6.12.117" → "linux_6_12_117").
func classPart(release string) string {
	return "linux_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, release)
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
