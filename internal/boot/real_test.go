package boot

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// realImage returns QEMU, the tree's bzImage and a base initramfs, or skips/fails like
// testkernel when the tree is missing.
func realImage(t *testing.T) (qemu, bzImage, base string, tree *kernel.Tree) {
	t.Helper()
	dir := testkernel.Dir(t)
	tree, err := kernel.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	qemu, err = exec.LookPath("qemu-system-x86_64")
	if err != nil {
		t.Fatal("the boot tests need qemu-system-x86_64 (scripts/install-toolchain.sh installs it)")
	}
	bzImage = KernelImage(dir)
	env, err := Find(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if env.CC == "" {
		t.Fatal("no C compiler for the guest's module loader")
	}
	base, err = EnsureBase(t.TempDir(), env.Busybox, env.CC)
	if err != nil {
		t.Fatal(err)
	}
	return qemu, bzImage, base, tree
}

// buildModule builds a one-file Rust module named name from src and returns its .ko.
func buildModule(t *testing.T, tree *kernel.Tree, name, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Kbuild"), []byte("obj-m := "+name+".o\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".rs"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-C", tree.Dir, "M=" + dir}, tree.MakeArgs()...)
	out, err := exec.Command("make", append(args, "modules")...).CombinedOutput()
	if err != nil {
		t.Fatalf("make: %v\n%s", err, out)
	}
	return filepath.Join(dir, name+".ko")
}

const greeterSrc = `// SPDX-License-Identifier: GPL-2.0
use kernel::prelude::*;
module! { type: Greeter, name: "greeter", license: "GPL", }
struct Greeter;
impl kernel::Module for Greeter {
    fn init(_m: &'static ThisModule) -> Result<Self> { pr_info!("hello from the guest\n"); Ok(Greeter) }
}
impl Drop for Greeter { fn drop(&mut self) { pr_info!("goodbye from the guest\n"); } }
`

func TestRealBootLoadsStepsAndUnloads(t *testing.T) {
	qemu, bz, base, tree := realImage(t)
	ko := buildModule(t, tree, "greeter", greeterSrc)
	var streamed strings.Builder
	res, err := Run(context.Background(), Request{
		QEMU: qemu, Kernel: bz, Initramfs: base, WorkDir: t.TempDir(), Timeout: 60 * time.Second,
		Units: []Unit{{ID: "greet", Modules: []Module{{Name: "greeter", Path: ko}}, Steps: []Step{
			{Kind: StepRead, Path: "/sys/module/greeter/initstate"},
			{Kind: StepWrite, Path: "/tmp/a file", Data: []byte("written by the host\n")},
			{Kind: StepRead, Path: "/tmp/a file"},
			{Kind: StepRead, Path: "/nonexistent"},
		}}},
		Output: func(b []byte) { streamed.Write(b) },
	})
	if err != nil {
		t.Fatal(err)
	}
	tr := res.Transcript
	t.Logf("boot took %v", res.Duration)
	if !tr.Ready || !tr.Done || res.TimedOut {
		t.Fatalf("ready=%v done=%v timedout=%v stderr=%q\n%s", tr.Ready, tr.Done, res.TimedOut, res.Stderr, strings.Join(tr.Render(0, -1+len(tr.Lines)), "\n"))
	}
	u := tr.Unit("greet")
	if u == nil || !u.Ended {
		t.Fatalf("unit: %+v", u)
	}
	log := strings.Join(tr.Render(u.From, u.To), "\n")
	ins := u.Action("insmod", "greeter")
	if ins == nil || ins.RC != 0 {
		t.Fatalf("insmod: %+v\n%s", ins, log)
	}
	if !strings.Contains(strings.Join(tr.Render(ins.From, ins.To), "\n"), "greeter: hello from the guest") {
		t.Errorf("the module's init line is not inside the insmod frame:\n%s", log)
	}
	var reads []*Action
	for _, a := range u.Actions {
		if a.Kind == "read" {
			reads = append(reads, a)
		}
	}
	if len(reads) != 3 || strings.Join(reads[0].Output, "") != "live" || strings.Join(reads[1].Output, "") != "written by the host" || reads[1].Arg != "/tmp/a file" {
		t.Errorf("reads: %+v / %+v\n%s", reads[0], reads[1], log)
	}
	if reads[2].RC == 0 {
		t.Errorf("reading a missing file succeeded: %+v", reads[2])
	}
	rm := u.Action("rmmod", "greeter")
	if rm == nil || rm.RC != 0 || !strings.Contains(strings.Join(tr.Render(rm.From, rm.To), "\n"), "goodbye from the guest") {
		t.Errorf("rmmod: %+v\n%s", rm, log)
	}
	if u.TaintAfter&^TaintOutOfTree != 0 || u.TaintAfter&TaintOutOfTree == 0 {
		t.Errorf("taint after = %d, want only O", u.TaintAfter)
	}
	if len(u.Loaded) != 0 {
		t.Errorf("still loaded: %v", u.Loaded)
	}
	if p := tr.Problems(0, -1); len(p) != 0 {
		t.Errorf("problems in a clean boot: %+v", p)
	}
	if !strings.Contains(streamed.String(), "Linux version") {
		t.Errorf("the console was not streamed")
	}
}
