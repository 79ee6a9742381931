package check

import (
	"os/exec"
	"strings"
	"testing"
)

func TestRustfmtStage(t *testing.T) {
	if _, err := exec.LookPath("rustfmt"); err != nil {
		if r := rustfmtStage(map[string][]byte{"a.rs": []byte("fn main() {}\n")}, "/ws"); r.Status != Skip || !strings.Contains(r.Reason, "not installed") {
			t.Fatalf("without rustfmt: %+v", r)
		}
		t.Skip("rustfmt is not installed here")
	}
	good := "// SPDX-License-Identifier: GPL-2.0\n\nfn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n"
	bad := "// SPDX-License-Identifier: GPL-2.0\n\nfn add(a:u32,b:u32)->u32{a+b}\n"
	cases := []struct {
		name   string
		files  map[string][]byte
		status Status
		reason string
	}{
		{"formatted", map[string][]byte{"m.rs": []byte(good), "Kbuild": []byte("obj-m := m.o\n")}, Pass, "formatted as rustfmt formats it"},
		{"not formatted", map[string][]byte{"m.rs": []byte(good), "sub/n.rs": []byte(bad)}, Fail, "not formatted as rustfmt would (n.rs:"},
		{"not Rust at all", map[string][]byte{"m.rs": []byte("fn {{{\n")}, Fail, "rustfmt could not read the file"},
		{"no Rust file", map[string][]byte{"Kbuild": []byte("obj-m := m.o\n")}, Pass, "no Rust file"},
	}
	for _, tc := range cases {
		r := rustfmtStage(tc.files, "/ws/ex")
		if r.Status != tc.status || !strings.Contains(r.Reason, tc.reason) {
			t.Errorf("%s: %s %q, want %s %q", tc.name, r.Status, r.Reason, tc.status, tc.reason)
		}
		if tc.status == Fail && tc.name == "not formatted" && !strings.Contains(strings.Join(r.Log, "\n"), "/ws/ex/sub/n.rs") {
			t.Errorf("%s: the log names the scratch copy, not the learner's file:\n%s", tc.name, strings.Join(r.Log, "\n"))
		}
	}
}

// rustfmt's diff reaches the verdict as plain text: no colour codes, whatever the terminal.
func TestRustfmtStageLogIsPlain(t *testing.T) {
	if _, err := exec.LookPath("rustfmt"); err != nil {
		t.Skip("rustfmt is not installed here")
	}
	r := rustfmtStage(map[string][]byte{"n.rs": []byte("fn add(a:u32)->u32{a}\n")}, "/ws")
	if log := strings.Join(r.Log, "\n"); r.Status != Fail || strings.ContainsAny(log, "\x1b\x0f") || strings.Contains(log, "(B[m") {
		t.Errorf("%s: log %q", r.Status, log)
	}
}
