package diag

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	e0425 := Diagnostic{
		Severity: SeverityError, Code: "E0425", Message: "cannot find value `__LOG_PREFIX` in this scope",
		File: "/ws/hello/hello.rs", Line: 16, Column: 9, SourceLine: `        pr_info!("Hello\n");`,
		Labels: []Label{{Line: 16, Column: 9, Width: 19, Primary: true, Text: "not found in this scope"},
			{Line: 16, Column: 9, Width: 8, Text: "in this macro invocation"}, {Line: 3, Column: 1, Width: 1, Text: "elsewhere"}},
		Notes: []string{"note: this error originates in the macro `pr_info`"},
	}
	tests := []struct {
		name string
		d    Diagnostic
		o    RenderOptions
		want string
	}{
		{"rustc layout, full path", e0425, RenderOptions{}, `error[E0425]: cannot find value ` + "`__LOG_PREFIX`" + ` in this scope
  --> /ws/hello/hello.rs:16:9
  16 |         pr_info!("Hello\n");
     |         ^^^^^^^^^^^^^^^^^^^ not found in this scope
     |         -------- in this macro invocation
  = note: this error originates in the macro ` + "`pr_info`"},
		{"relative to the learner's folder, wrapped", Diagnostic{Severity: SeverityWarning, Message: "unused variable: `count` and a message long enough to wrap", File: "/ws/hello/hello.rs", Line: 3},
			RenderOptions{BaseDir: "/ws/hello", Width: 30}, "warning: unused variable:\n`count` and a message long\nenough to wrap\n  --> hello.rs:3"},
		{"outside the folder stays absolute", Diagnostic{Severity: SeverityError, Message: "x", File: "/k/rust/kernel/lib.rs"},
			RenderOptions{BaseDir: "/ws/hello"}, "error: x\n  --> /k/rust/kernel/lib.rs"},
		{"no file", Diagnostic{Severity: SeverityNote, Message: "modpost: 1 symbol"}, RenderOptions{}, "note: modpost: 1 symbol"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(Render(tc.d, tc.o), "\n"); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	styled := strings.Join(Render(e0425, RenderOptions{Style: Style{Error: func(s string) string { return "<" + s + ">" }}}), "\n")
	if !strings.Contains(styled, "<error[E0425]>") || !strings.Contains(styled, "<^^^") {
		t.Errorf("styles not applied:\n%s", styled)
	}
}
