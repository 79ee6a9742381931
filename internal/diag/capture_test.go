package diag

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

var capture = flag.Bool("capture", false, "rebuild the broken modules against RFL_TEST_KDIR and store their raw output in testdata/*.txt")

// captureRoot is where the captured builds ran; the goldens map it back to learnerRoot, so
// the stored outputs and their goldens stay the same whoever captures them.
const (
	captureRoot = "/tmp/rfl-tutor-diag-capture"
	learnerRoot = "/home/learner/exercises"
)

// captureCase is one module whose build output is kept as a test input.
type captureCase struct {
	name  string
	files map[string]string
	// kdir, when set, replaces the real tree (E0463 needs a tree without Rust metadata); it
	// is created by prepare.
	prepare func(t *testing.T, kdir string) string
}

func helloRS(fields, body, items string) string {
	if fields == "" {
		fields = `    type: Hello,
    name: "hello",
    author: "Ada",
    description: "A test module",
    license: "GPL",
`
	}
	return `// SPDX-License-Identifier: GPL-2.0
//! A test module.
use kernel::prelude::*;

module! {
` + fields + `}

struct Hello;
` + items + `
impl kernel::Module for Hello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
` + body + `        Ok(Hello)
    }
}
`
}

var kbuildHello = "# SPDX-License-Identifier: GPL-2.0\nobj-m := hello.o\n"

var captureCases = []captureCase{
	{name: "ok", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        pr_info!(\"hello\\n\");\n", "")}},
	{name: "e0308", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let answer: u32 = \"forty-two\";\n        pr_info!(\"{}\\n\", answer);\n", "")}},
	{name: "e0425", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        pr_info!(\"{}\\n\", greeting);\n", "")}},
	{name: "e0382", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let first = KBox::new(1u32, GFP_KERNEL)?;\n        let second = first;\n        pr_info!(\"{} {}\\n\", *first, *second);\n", "")}},
	{name: "e0133", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let value = read_register();\n        pr_info!(\"{}\\n\", value);\n",
		"\n/// Reads a made-up register.\n///\n/// # Safety\n///\n/// Callers must hold the device lock.\nunsafe fn read_register() -> u32 {\n    7\n}\n")}},
	{name: "warning-unused", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let unused = 5;\n        pr_info!(\"hello\\n\");\n", "")}},
	{name: "license-proprietary", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS(`    type: Hello,
    name: "hello",
    author: "Ada",
    description: "A test module",
    license: "Proprietary",
`, "        pr_info!(\"hello\\n\");\n", "")}},
	{name: "proc-macro-missing-license", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS(`    type: Hello,
    name: "hello",
    author: "Ada",
    description: "A test module",
`, "        pr_info!(\"hello\\n\");\n", "")}},
	{name: "kbuild-missing-object", files: map[string]string{"Kbuild": "# SPDX-License-Identifier: GPL-2.0\nobj-m := hello.o\nobj-m += missing.o\n", "hello.rs": helloRS("", "        pr_info!(\"hello\\n\");\n", "")}},
	{name: "kbuild-syntax", files: map[string]string{"Kbuild": "# SPDX-License-Identifier: GPL-2.0\nobj-m := hello.o\nthis line is not make syntax\n", "hello.rs": helloRS("", "        pr_info!(\"hello\\n\");\n", "")}},
	{name: "no-kbuild", files: map[string]string{"hello.rs": helloRS("", "        pr_info!(\"hello\\n\");\n", "")}},
	{name: "undefined-symbol", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        // SAFETY: test of an undefined symbol.\n        let v = unsafe { rfl_tutor_no_such_function() };\n        pr_info!(\"{}\\n\", v);\n",
		"\nextern \"C\" {\n    fn rfl_tutor_no_such_function() -> i32;\n}\n")}},
	{name: "multiple-errors", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let unused = 1;\n        let answer: u32 = \"forty-two\";\n        pr_info!(\"{} {}\\n\", answer, greeting);\n", "")}},
	{name: "e0308-suggestion", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let wide: u64 = 5;\n        let narrow: u32 = wide;\n        pr_info!(\"{}\\n\", narrow);\n", "")}},
	{name: "e0061-other-file", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        let boxed = KBox::new(1u32)?;\n        pr_info!(\"{}\\n\", *boxed);\n", "")}},
	{name: "warning-unused-import", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": strings.Replace(helloRS("", "        pr_info!(\"hello\\n\");\n", ""), "use kernel::prelude::*;\n", "use kernel::prelude::*;\nuse kernel::str::CStr;\n", 1)}},
	{name: "c-error", files: map[string]string{"Kbuild": "# SPDX-License-Identifier: GPL-2.0\nobj-m := cmod.o\n", "cmod.c": "// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n\nstatic int __init cmod_init(void)\n{\n\tint *p = 5;\n\treturn undefined_thing;\n}\nmodule_init(cmod_init);\nMODULE_LICENSE(\"GPL\");\n"}},
	{name: "e0463-no-rust-metadata", files: map[string]string{"Kbuild": kbuildHello, "hello.rs": helloRS("", "        pr_info!(\"hello\\n\");\n", "")},
		prepare: func(t *testing.T, kdir string) string {
			// A tree like a distribution's headers: configured, but without the Rust crates.
			fake := filepath.Join(t.TempDir(), "kdir")
			if err := os.CopyFS(fake, os.DirFS(kdir)); err != nil {
				t.Fatal(err)
			}
			for _, pat := range []string{"rust/*.rmeta", "rust/*.so"} {
				m, _ := filepath.Glob(filepath.Join(fake, pat))
				for _, p := range m {
					if err := os.Remove(p); err != nil {
						t.Fatal(err)
					}
				}
			}
			return fake
		}},
}

// TestCapture records the build output of every case. It runs only with -capture.
func TestCapture(t *testing.T) {
	if !*capture {
		t.Skip("run with -capture (and RFL_TEST_KDIR) to record build outputs")
	}
	kdir := testkernel.Dir(t)
	for _, c := range captureCases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string][]byte{}
			for n, s := range c.files {
				files[n] = []byte(s)
			}
			k := kdir
			if c.prepare != nil {
				k = c.prepare(t, kdir)
			}
			scratch := filepath.Join(captureRoot, c.name)
			if err := os.RemoveAll(scratch); err != nil {
				t.Fatal(err)
			}
			res, err := build.Run(context.Background(), build.Request{
				KDir:       k,
				MakeArgs:   []string{"LLVM=-19", "RUSTC=/usr/bin/rustc"},
				Files:      files,
				ScratchDir: scratch,
				Timeout:    5 * time.Minute,
				Cols:       120,
				Rows:       40,
			})
			if err != nil {
				t.Fatal(err)
			}
			out := strings.ReplaceAll(string(res.Output), k, "/tmp/ktree")
			if err := os.WriteFile(filepath.Join("testdata", c.name+".txt"), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: exit %d, %d bytes", c.name, res.ExitCode, len(out))
		})
	}
}
