package check

import (
	"strings"
	"testing"
)

func TestModinfoSummaryAndProblems(t *testing.T) {
	info := map[string][]string{
		"name": {"hello_module"}, "license": {"GPL"}, "author": {"rfl-tutor"},
		"description": {"Says hello from Rust"}, "vermagic": {"6.12.118 SMP mod_unload"}, "alias": {"x"},
	}
	tests := []struct {
		name     string
		info     map[string][]string
		required []string
		summary  string
		problems []string
	}{
		{"every key a learner sets, in modinfo's spelling", info, []string{"author"},
			"name=hello_module license=GPL author=rfl-tutor description=Says hello from Rust", nil},
		{"a required key beyond the usual ones", info, []string{"alias"},
			"name=hello_module license=GPL author=rfl-tutor description=Says hello from Rust alias=x", nil},
		{"no author: both kernels' spelling", map[string][]string{"name": {"m"}, "license": {"GPL"}}, []string{"author"},
			"name=m license=GPL", []string{"no author in .modinfo: add `author: \"…\"` (Linux 6.12) or `authors: [\"…\"]` (Linux 7.x) to module!"}},
		{"no license", map[string][]string{"name": {"m"}}, nil, "name=m", []string{"no license in .modinfo"}},
		{"no parameter: params:, not a parm key", map[string][]string{"name": {"m"}, "license": {"GPL"}}, []string{"parm"},
			"name=m license=GPL", []string{"no parm in .modinfo: add a parameter under `params: {"}},
	}
	for _, tc := range tests {
		if got := modinfoSummary(tc.info, tc.required); got != tc.summary {
			t.Errorf("%s: summary %q, want %q", tc.name, got, tc.summary)
		}
		probs := modinfoProblems(tc.info, tc.required)
		if len(probs) != len(tc.problems) {
			t.Errorf("%s: problems %q, want %q", tc.name, probs, tc.problems)
			continue
		}
		for i := range probs {
			if !strings.HasPrefix(probs[i], tc.problems[i]) {
				t.Errorf("%s: problem %q, want it to start with %q", tc.name, probs[i], tc.problems[i])
			}
		}
	}
}
