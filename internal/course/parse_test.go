package course

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// checkProblems compares problems (all in one file) with want, given as "line: part of msg".
func checkProblems(t *testing.T, got []Problem, want []string) {
	t.Helper()
	var lines []string
	for _, p := range got {
		lines = append(lines, fmt.Sprintf("%d: %s", p.Line, p.Msg))
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		line, msg, _ := strings.Cut(w, ": ")
		if !strings.HasPrefix(lines[i], line+": ") || !strings.Contains(lines[i], msg) {
			t.Errorf("problem %d = %q\nwant        %q", i+1, lines[i], w)
		}
	}
}

func TestParseLesson(t *testing.T) {
	const valid = "---\nid: first-module\ntitle: First\nsummary: A summary.\norder: 50\nkernel: \">= 6.12\"\n---\n# Body\n"
	tests := []struct {
		name  string
		in    string
		want  []string // problems, "line: part of the message"
		check func(t *testing.T, l *Lesson)
	}{
		{name: "valid", in: valid, check: func(t *testing.T, l *Lesson) {
			if l.ID != "first-module" || l.Title != "First" || l.Summary != "A summary." || l.Order != 50 ||
				l.KernelRaw != ">= 6.12" || l.Kernel == nil || l.Body != "# Body\n" || l.BodyLine != 8 {
				t.Errorf("lesson = %+v", l)
			}
		}},
		{name: "CRLF and a byte order mark", in: "\uFEFF" + strings.ReplaceAll(valid, "\n", "\r\n"), check: func(t *testing.T, l *Lesson) {
			if l.ID != "first-module" || l.Body != "# Body\n" || l.BodyLine != 8 {
				t.Errorf("lesson = %+v", l)
			}
		}},
		{name: "fences with trailing spaces", in: "--- \nid: a\ntitle: A\norder: 1\n---\t\nBody", check: func(t *testing.T, l *Lesson) {
			if l.Body != "Body" || l.BodyLine != 6 {
				t.Errorf("body %q at %d", l.Body, l.BodyLine)
			}
		}},
		{name: "no front matter", in: "# Just markdown\n", want: []string{"1: a lesson starts with a line \"---\""}},
		{name: "empty file", in: "", want: []string{"1: malformed front matter"}},
		{name: "front matter not closed", in: "---\nid: a\ntitle: A\n", want: []string{"1: no closing \"---\" line"}},
		{name: "empty front matter", in: "---\n---\nBody\n", want: []string{"1: malformed front matter: it is empty"}},
		{name: "front matter is a list", in: "---\n- id: a\n---\n", want: []string{"2: the file must be a mapping of keys to values, not a list"}},
		{name: "syntax error", in: "---\nid: a\ntitle: [unclosed\norder: 1\n---\n", want: []string{"3: malformed front matter: did not find expected ',' or ']'"}},
		{name: "misindented key in a list", in: "---\nid: a\ntitle: A\norder: 1\nexercises:\n  - id: x\n    title: y\n   snippet: z\n---\n",
			want: []string{"8: malformed front matter: did not find expected '-' indicator"}},
		{name: "list item in a mapping", in: "---\nid: a\ntitle: A\norder: 1\n- x\n---\n", want: []string{"5: malformed front matter: did not find expected key"}},
		{name: "tab indentation", in: "---\nid: a\ntitle: A\norder: 1\nexercises:\n\t- id: x\n---\n", want: []string{"6: malformed front matter: found character that cannot start any token"}},
		{name: "anchor and alias", in: "---\nid: &x a\ntitle: *x\norder: 1\n---\n", want: []string{"2: YAML anchors and aliases are not supported"}},
		{name: "missing required keys", in: "---\nsummary: S\n---\n", want: []string{
			`1: missing required key "id"`, `1: missing required key "title"`, `1: missing required key "order"`}},
		{name: "empty values", in: "---\nid: a\ntitle:\norder: 1\n---\n", want: []string{`3: "title" is empty`}},
		{name: "wrong types", in: "---\nid: a\ntitle: [A, B]\norder: ten\nsummary: {x: 1}\n---\n", want: []string{
			"3: title must be a single value, not a list",
			`4: order must be a whole number, not "ten"`,
			"5: summary must be a single value, not a mapping",
		}},
		{name: "unknown and repeated keys", in: "---\nid: a\ntitle: A\norder: 1\nsumary: S\norder: 2\n---\n", want: []string{
			`5: unknown key "sumary" (did you mean "summary"?)`,
			`6: key "order" repeats (first at line 4)`,
		}},
		{name: "bad kernel range", in: "---\nid: a\ntitle: A\norder: 1\nkernel: \"6.x.y.z\"\n---\n", want: []string{`5: kernel "6.x.y.z" is not a version range`}},
		{name: "exercises not a list", in: "---\nid: a\ntitle: A\norder: 1\nexercises: hello\n---\n", want: []string{"5: exercises must be a list"}},
		{name: "exercise not a mapping", in: "---\nid: a\ntitle: A\norder: 1\nexercises: [hello]\n---\n", want: []string{"5: exercise must be a mapping"}},
		{name: "exercise checks", in: `---
id: a
title: A
order: 1
exercises:
  - id: Ex_1
    title: X
    snippet: s
    task: T
    stages: [build, build, boot]
    hints: [h1, h2]
    allow_warnings: maybe
    success: {modinfo: author, logs: [x]}
  - title: No id
    snippet: s
    task: T
    stages: []
    hints: [h1, ~]
---
`, want: []string{
			`6: exercise Ex_1: id "Ex_1" must be lowercase letters`,
			`10: exercise Ex_1: stage "build" is listed twice`,
			`12: exercise Ex_1: allow_warnings must be true or false, not "maybe"`,
			`13: exercise Ex_1: success: unknown key "logs" (did you mean "log"?)`,
			`13: exercise Ex_1: success: modinfo must be a list, not "author"`,
			`14: exercise: missing required key "id"`,
			"17: exercise: stages is empty",
			"18: exercise: hints has an empty item",
			"18: exercise: needs at least 2 hints",
		}},
		{name: "exercise defaults and values", in: `---
id: a
title: A
order: 1
exercises:
  - id: ex
    title: X
    snippet: s
    task: |
      Line one.
      Line two.
    hints:
      - first
      - second
---
`, check: func(t *testing.T, l *Lesson) {
			ex := l.Exercises[0]
			if !slices.Equal(ex.Stages, DefaultStages) || ex.Task != "Line one.\nLine two.\n" || ex.SnippetID != "s" ||
				ex.Line != 6 || ex.snippetLine != 8 || ex.Lesson != l || ex.AllowWarnings {
				t.Errorf("exercise = %+v", ex)
			}
		}},
		{name: "boot expectations", in: `---
id: a
title: A
order: 1
exercises:
  - id: ex
    title: X
    snippet: s
    task: T
    hints: [a, b]
    success:
      log: ["m: hi"]
      unload_log: ["m: bye"]
      ordered: true
      allow_taint: [N]
      steps:
        - read: /sys/module/m/initstate
          expect: live
        - write: /dev/m
          value: "1"
---
`, check: func(t *testing.T, l *Lesson) {
			s := l.Exercises[0].Success
			if !slices.Equal(s.Log, []string{"m: hi"}) || !slices.Equal(s.UnloadLog, []string{"m: bye"}) || !s.Ordered ||
				!slices.Equal(s.AllowTaint, []string{"N"}) || len(s.Steps) != 2 ||
				s.Steps[0].Read != "/sys/module/m/initstate" || s.Steps[0].Expect != "live" || s.Steps[0].Line != 17 ||
				s.Steps[1].Write != "/dev/m" || s.Steps[1].Value != "1" {
				t.Errorf("success = %+v", s)
			}
		}},
		{name: "bad boot expectations", in: `---
id: a
title: A
order: 1
exercises:
  - id: ex
    title: X
    snippet: s
    task: T
    hints: [a, b]
    success:
      ordered: yes please
      allow_taint: [O, Z]
      steps:
        - read: /a
          write: /b
        - write: /dev/x
        - read: proc/x
        - read: /x
          value: v
        - write: /y
          value: v
          expect: e
        - run: /bin/sh
---
`, want: []string{
			`12: exercise ex: success: ordered must be true or false`,
			`13: exercise ex: success: allow_taint "Z" is not a kernel taint letter`,
			`15: exercise ex: success: steps item: a step has exactly one of read: PATH, write: PATH, ioctl: PATH or session: PATH`,
			`17: exercise ex: success: steps item: a write step needs value:`,
			`18: exercise ex: success: steps item: read "proc/x" must be an absolute guest path`,
			`20: exercise ex: success: steps item: value belongs to write steps`,
			`21: exercise ex: success: steps item: expect and equals belong to read and ioctl steps`,
			`24: exercise ex: success: steps item: unknown key "run"`,
			`24: exercise ex: success: steps item: a step has exactly one of read: PATH, write: PATH, ioctl: PATH or session: PATH`,
		}},
		{name: "device steps, parameters and devices", in: `---
id: a
title: A
order: 1
exercises:
  - id: ex
    title: X
    snippet: s
    task: T
    hints: [a, b]
    success:
      params: count=3 name=x
      devices: [pci-testdev]
      steps:
        - write: /dev/ring
          value: abc
        - read: /dev/ring
          count: 2
          expect: ab
        - ioctl: /dev/ring
          cmd: 0x40047201
          arg: "@7"
          expect: value 7
        - ioctl: /dev/ring
          cmd: 1234
          errno: ENOTTY
        - session: /dev/ring
          ops:
            - open: a
            - write: a
              value: ping
            - read: a
              count: 2
            - ioctl: a
              cmd: 0x5201
              arg: "@0"
            - close: a
          equals: "a: open"
---
`, check: func(t *testing.T, l *Lesson) {
			s := l.Exercises[0].Success
			if len(s.Steps) != 5 || s.Steps[4].Session != "/dev/ring" || len(s.Steps[4].Ops) != 5 ||
				s.Steps[4].Ops[1] != (SessionOp{Op: "write", File: "a", Value: "ping"}) || s.Steps[4].Ops[2].Count != 2 ||
				s.Steps[4].Ops[3].Cmd != 0x5201 || s.Steps[4].Ops[3].Arg != "@0" {
				t.Errorf("session = %+v", s.Steps)
			}
			s.Steps = s.Steps[:4]
			if s.Params != "count=3 name=x" || !slices.Equal(s.Devices, []string{"pci-testdev"}) || len(s.Steps) != 4 ||
				s.Steps[1].Count != 2 || s.Steps[2].Ioctl != "/dev/ring" || s.Steps[2].Cmd != 0x40047201 || s.Steps[2].Arg != "@7" ||
				s.Steps[3].Errno != "ENOTTY" || s.Steps[3].Cmd != 1234 {
				t.Errorf("success = %+v", s)
			}
		}},
		{name: "bad device steps", in: `---
id: a
title: A
order: 1
exercises:
  - id: ex
    title: X
    snippet: s
    task: T
    hints: [a, b]
    success:
      devices: [pci-testdev, e1000, pci-testdev]
      steps:
        - ioctl: /dev/x
        - ioctl: /dev/x
          cmd: 1
          arg: "1; reboot"
        - read: /dev/x
          count: 0
          cmd: 3
        - write: /dev/x
          value: v
          errno: EWHAT
        - read: /dev/x
          errno: EINVAL
          expect: x
        - ioctl: /dev/x
          cmd: 0x1ffffffff
        - session: /dev/x
          ops:
            - read: a
              count: 2
            - open: ab
            - open: b
              value: v
            - write: b
---
`, want: []string{
			`12: exercise ex: success: devices: "e1000" is not a device the boot stage offers (edu, pci-testdev)`,
			`12: exercise ex: success: devices: "pci-testdev" is named twice`,
			`14: exercise ex: success: steps item: an ioctl step needs cmd:`,
			`17: exercise ex: success: steps item: arg "1; reboot": give a number`,
			`19: exercise ex: success: steps item: count 0: a read asks for 1 to 65536 bytes`,
			`20: exercise ex: success: steps item: cmd belongs to ioctl steps`,
			`23: exercise ex: success: steps item: errno "EWHAT" is not an error name`,
			`24: exercise ex: success: steps item: a step that must fail (errno:) prints only its error`,
			`28: exercise ex: success: steps item: cmd 8589934591 is not an ioctl request number`,
			`31: exercise ex: success: steps item: ops call: read: file a is not open here (open: a first)`,
			`33: exercise ex: success: steps item: ops call: open: "ab": name the open file with one letter a-z`,
			`35: exercise ex: success: steps item: ops call: value does not belong to a session open`,
			`36: exercise ex: success: steps item: ops call: a session write needs value:`,
		}},
		{name: "quiz", in: `---
id: a
title: A
order: 1
quiz:
  - id: q1
    question: Q?
    choices: [a, b, c]
    answer: 3
    explain: E.
  - id: q2
    question: Q?
    choices: [only]
    answer: 0
    explain: E.
  - id: q1
    question: Q?
    choices: [a, b]
    answer: 2
---
`, want: []string{
			"13: question q2: needs at least 2 choices, has 1",
			"14: question q2: answer 0 is out of range",
			`16: question q1: missing required key "explain"`,
			`16: question id "q1" is already used in this lesson (line 6)`,
		}, check: func(t *testing.T, l *Lesson) {
			if len(l.Quiz) != 3 || l.Quiz[0].Answer != 2 || l.Quiz[0].Line != 6 || l.Quiz[1].Answer != -1 {
				t.Errorf("quiz = %+v", l.Quiz)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps problems
			l := parseLesson(&ps, "lessons/x.md", []byte(tt.in))
			checkProblems(t, sortedProblems(ps), tt.want)
			if tt.check != nil {
				if l == nil {
					t.Fatal("no lesson")
				}
				tt.check(t, l)
			}
		})
	}
}

func sortedProblems(ps problems) []Problem {
	if err := ps.err(); err != nil {
		return err.(*Problems).List
	}
	return nil
}

func TestParseSnippetMeta(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []string
		check func(t *testing.T, s *Snippet)
	}{
		{name: "valid", in: "title: T\nkernel: \">= 6.12, < 6.17\"\nconfig: [RUST, PHYLIB=y, NET=m]\nexpect: builds\nstarter:\n  stage: build\n  error: E0425\n",
			check: func(t *testing.T, s *Snippet) {
				if s.Title != "T" || s.KernelRaw != ">= 6.12, < 6.17" || s.Kernel == nil || s.Expect != OutcomeBuilds ||
					s.Starter == nil || *s.Starter != (StarterExpect{StageBuild, "E0425"}) || s.starterLine != 5 {
					t.Errorf("snippet = %+v", s)
				}
				if want := []ConfigOption{{"RUST", ""}, {"PHYLIB", "y"}, {"NET", "m"}}; !slices.Equal(s.Config, want) || !slices.Equal(s.configLines, []int{3, 3, 3}) {
					t.Errorf("config = %v at %v", s.Config, s.configLines)
				}
			}},
		{name: "defaults", in: "title: T\n", check: func(t *testing.T, s *Snippet) {
			if s.Expect != OutcomeBuilds || s.Kernel != nil || s.Starter != nil || len(s.Config) != 0 {
				t.Errorf("snippet = %+v", s)
			}
		}},
		{name: "fails", in: "title: T\nexpect: fails\nerror: E0382\n", check: func(t *testing.T, s *Snippet) {
			if s.Expect != OutcomeFails || s.ExpectError != "E0382" {
				t.Errorf("snippet = %+v", s)
			}
		}},
		{name: "empty", in: "", want: []string{"1: snippet.yaml is empty"}},
		{name: "comments only", in: "# nothing\n", want: []string{"1: snippet.yaml is empty"}},
		{name: "not a mapping", in: "just text\n", want: []string{"1: the file must be a mapping"}},
		{name: "malformed", in: "title: T\n  kernel: x\n", want: []string{"2: malformed YAML"}},
		{name: "no title, unknown key", in: "expected: builds\n", want: []string{
			`1: unknown key "expected" (did you mean "expect"?)`, `1: missing required key "title"`}},
		{name: "bad expect", in: "title: T\nexpect: compiles\n", want: []string{`2: expect must be "builds" or "fails", not "compiles"`}},
		{name: "fails without error", in: "title: T\nexpect: fails\n", want: []string{"2: expect: fails needs error"}},
		{name: "error with builds", in: "title: T\nerror: E0382\n", want: []string{"2: error only applies with expect: fails"}},
		{name: "bad error code", in: "title: T\nexpect: fails\nerror: e382\n", want: []string{`3: error "e382" is not a rustc error code`}},
		{name: "bad range", in: "title: T\nkernel: newest\n", want: []string{`2: kernel "newest" is not a version range`}},
		{name: "config problems", in: "title: T\nconfig:\n  - rust\n  - CONFIG_NET\n  - FOO=n\n  - BAR\n  - BAR=y\n", want: []string{
			`3: config: "rust" is not a kernel config symbol`,
			`4: config: write "NET" without the CONFIG_ prefix`,
			`5: config: "FOO=n": only =y or =m can pin a value`,
			"7: config: BAR is listed twice (first at line 6)",
		}},
		{name: "starter unknown stage", in: "title: T\nstarter:\n  stage: compile\n  error: E0001\n", want: []string{
			`3: starter: unknown stage "compile"`}},
		{name: "starter error at a later stage", in: "title: T\nstarter:\n  stage: style\n  error: E0001\n", want: []string{
			"4: starter: error only applies with stage: build"}},
		{name: "starter without stage", in: "title: T\nstarter: {error: E0001}\n", want: []string{`2: starter: missing required key "stage"`}},
		{name: "shortcut problems", in: "title: T\nshortcuts:\n  - name: a\n    edits: []\n    fails: bake\n    because: x\n  - name: a\n    edits: [{file: a.rs, replace: \"\", with: y}]\n    fails: build\n    because: E0425\n  - {name: b}\n  - name: c\n    edits: [{file: a.rs, replace: x}]\n    fails: build\n    because: E0425\n", want: []string{
			`4: shortcut "a": edits: needs at least one edit`,
			`5: shortcut "a": unknown stage "bake"`,
			`7: shortcut "a" is listed twice`,
			`8: edit: "replace" is empty`,
			`11: shortcut: missing required key "edits"`,
			`11: shortcut: missing required key "fails"`,
			`11: shortcut: missing required key "because"`,
			`13: shortcut "c": an edit needs with:`,
		}},
		{name: "shortcuts empty", in: "title: T\nshortcuts: []\n", want: []string{"2: shortcuts: needs at least one shortcut"}},
		{name: "starter not a mapping", in: "title: T\nstarter: yes\n", want: []string{`2: starter must be a mapping of keys to values, not "yes"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps problems
			s := &Snippet{}
			parseSnippetMeta(&ps, "snippets/x/snippet.yaml", []byte(tt.in), s)
			checkProblems(t, sortedProblems(ps), tt.want)
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

func TestParseConfigOption(t *testing.T) {
	tests := []struct {
		in   string
		want ConfigOption
		err  bool
	}{
		{"RUST", ConfigOption{"RUST", ""}, false},
		{"PHYLIB=y", ConfigOption{"PHYLIB", "y"}, false},
		{" NET = m ", ConfigOption{"NET", "m"}, false},
		{"CONFIG_RUST", ConfigOption{}, true},
		{"rust", ConfigOption{}, true},
		{"NR_CPUS=4", ConfigOption{}, true},
		{"", ConfigOption{}, true},
	}
	for _, tt := range tests {
		got, err := parseConfigOption(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("parseConfigOption(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestMergeOption(t *testing.T) {
	tests := []struct {
		have, o, want ConfigOption
		ok            bool
	}{
		{ConfigOption{"A", ""}, ConfigOption{"A", ""}, ConfigOption{"A", ""}, true},
		{ConfigOption{"A", ""}, ConfigOption{"A", "m"}, ConfigOption{"A", "m"}, true},
		{ConfigOption{"A", "y"}, ConfigOption{"A", ""}, ConfigOption{"A", "y"}, true},
		{ConfigOption{"A", "y"}, ConfigOption{"A", "y"}, ConfigOption{"A", "y"}, true},
		{ConfigOption{"A", "y"}, ConfigOption{"A", "m"}, ConfigOption{"A", "y"}, false},
	}
	for _, tt := range tests {
		if got, ok := mergeOption(tt.have, tt.o); got != tt.want || ok != tt.ok {
			t.Errorf("mergeOption(%v, %v) = %v, %v; want %v, %v", tt.have, tt.o, got, ok, tt.want, tt.ok)
		}
	}
}

func TestExpectationsMarkdown(t *testing.T) {
	cases := []struct {
		name string
		ex   Exercise
		want string
	}{
		{"nothing beyond the stages", Exercise{Stages: []Stage{StageBuild}}, ""},
		{"boot without expectations still promises a clean load",
			Exercise{Stages: []Stage{StageBuild, StageBoot}},
			"**The check also expects that**\n\n- it loads and unloads in a booted kernel without an Oops, warning or panic.\n"},
		{"log lines only matter when the exercise boots",
			Exercise{Stages: []Stage{StageBuild, StageModinfo}, Success: Success{Modinfo: []string{"author"}, Log: []string{"m: hi"}}},
			"**The check also expects that**\n\n- its `.modinfo` has `author`.\n"},
		{"everything, in order",
			Exercise{Stages: DefaultStages, Success: Success{
				Log: []string{"m: one", "m: two"}, UnloadLog: []string{"m: bye"}, Ordered: true,
				Steps: []Step{{Read: "/proc/x", Expect: "42"}, {Read: "/proc/y"}, {Write: "/dev/z", Value: "1"}}}},
			"**The check also expects that**\n\n" +
				"- once loaded, it prints `m: one`, `m: two`, in this order;\n" +
				"- reading `/proc/x` gives a line containing `42`;\n" +
				"- reading `/proc/y` succeeds;\n" +
				"- writing `1` to `/dev/z` succeeds;\n" +
				"- when unloaded (its `Drop`), it prints `m: bye`;\n" +
				"- it loads and unloads in a booted kernel without an Oops, warning or panic.\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ex.ExpectationsMarkdown(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
