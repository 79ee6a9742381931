package library

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenReport covers every kind of cell on two trees.
func goldenReport() *Report {
	mismatch := diag.Diagnostic{Severity: diag.SeverityError, Code: "E0308", Message: "mismatched types",
		File: "snippets/should_build/src/should_build.rs", Line: 19, Column: 27, Origin: diag.OriginRustc,
		SourceLine: `let answer: u32 = "forty-two";`, Notes: []string{"note: expected `u32`, found `&str`"}}
	return &Report{
		Trees: []TreeInfo{
			{Dir: "/srv/k612", Release: "6.12.117", Rustc: "rustc 1.96.0"},
			{Dir: "/srv/k615", Release: "6.15.2", Rustc: "rustc 1.97.0"},
		},
		Snippets: []SnippetResult{
			{ID: "hello_module", Title: "Hello", Expect: course.OutcomeBuilds, Results: []Verdict{
				{Status: Pass, Reason: "builds: hello_module.ko", Cached: true},
				{Status: Pass, Reason: "builds: hello_module.ko"},
			}},
			{ID: "should_build", Title: "Claims to build", Expect: course.OutcomeBuilds, Results: []Verdict{
				{Status: Fail, Reason: "expected to build: should_build.rs:19:27: error[E0308]: mismatched types", Diagnostics: []diag.Diagnostic{mismatch}},
				{Status: Pass, Reason: "builds: should_build.ko"},
			}},
			{ID: "should_fail", Title: "Claims a use after move", Expect: course.OutcomeFails, Error: "E0382", Results: []Verdict{
				{Status: Fail, Reason: "expected to fail with E0382, but it builds"},
				{Status: Pass, Reason: "fails with E0382 as expected"},
			}},
			{ID: "future_only", Title: "From 6.15 on", Expect: course.OutcomeBuilds, Results: []Verdict{
				{Status: Skip, Reason: "needs kernel >= 6.15, tree is 6.12.117"},
				{Status: Pass, Reason: "builds: future_only.ko"},
			}},
		},
		Passed: 5, Failed: 2, Skipped: 1,
		Duration: 12345 * time.Millisecond,
		Stats:    Stats{Built: 6, Cached: 1, Skipped: 1, Makes: 3, Duration: 12345 * time.Millisecond},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (create with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if intended):\n%s", name, got)
	}
}

func TestJUnitGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, goldenReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.xml", b.Bytes())

	// What CI systems read back: counts per suite, one failure with the diagnostic, a skip.
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if doc.Tests != 8 || doc.Failures != 2 || doc.Skipped != 1 || len(doc.Suites) != 2 {
		t.Fatalf("totals: %+v", doc)
	}
	s := doc.Suites[0]
	if s.Tests != 4 || s.Failures != 2 || s.Skipped != 1 {
		t.Errorf("suite 6.12: %d tests %d failures %d skipped", s.Tests, s.Failures, s.Skipped)
	}
	f := s.Cases[1].Failure
	if f == nil || f.Type != "E0308" || !strings.Contains(f.Text, "snippets/should_build/src/should_build.rs:19:27: error[E0308]: mismatched types") {
		t.Errorf("failure: %+v", f)
	}
	if s.Cases[3].Skipped == nil || !strings.Contains(s.Cases[3].Skipped.Message, ">= 6.15") {
		t.Errorf("skip: %+v", s.Cases[3])
	}
	if doc.Suites[0].Cases[0].Classname == doc.Suites[1].Cases[0].Classname {
		t.Error("the same snippet on two trees must not merge in a CI report")
	}
}

func TestJSONGolden(t *testing.T) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(goldenReport()); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json", b.Bytes())
}
