// Package doctor checks that this machine can build (and boot) the course's exercises against a
// kernel tree, and says for each problem what to run to fix it. `rfl-tutor doctor` prints its
// report; the exit code follows Report.OK.
package doctor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/sandbox"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// Status is a check's outcome.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn" // works, but something is off or an optional stage cannot run
	Fail Status = "fail" // exercises cannot be checked until this is fixed
)

// Check is one line of the report.
type Check struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Fix is what to run or do, for warnings and failures.
	Fix string `json:"fix,omitempty"`
}

// Unavailable is an exercise that cannot be built on the tree, and why.
type Unavailable struct {
	ExerciseID string `json:"exercise"`
	Reason     string `json:"reason"`
}

// Report is the outcome of Run.
type Report struct {
	Tree        string        `json:"tree,omitempty"`
	Checks      []Check       `json:"checks"`
	Unavailable []Unavailable `json:"unavailable"`
	OtherTrees  []OtherTree   `json:"other_trees"`
}

// OtherTree is a kernel tree besides the judged one, for the learner to know it is there.
type OtherTree struct {
	Dir       string `json:"dir"`
	Release   string `json:"release"`
	NotReady  string `json:"not_ready,omitempty"` // why modules cannot be built against it
	Available int    `json:"exercises_available"`
	Exercises int    `json:"exercises"`
}

// OK reports whether no check failed (warnings allowed).
func (r *Report) OK() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// Check returns the check with the given id, or nil.
func (r *Report) Check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// Input is what doctor examines.
type Input struct {
	Tree    *kernel.Tree // nil when none was found
	FindErr error        // why none was found
	Course  *course.Course
	// WorkspaceDir is where learners' exercise copies go; "" skips that check.
	WorkspaceDir string
	// Others are the other kernel trees the learner could switch to (listed, not judged).
	Others []*kernel.Tree
}

// Run performs every check.
func Run(ctx context.Context, in Input) *Report {
	return run(ctx, in, toolchain.Env{})
}

type doctor struct {
	ctx context.Context
	in  Input
	env toolchain.Env
	t   *kernel.Tree
	// ready says Rust modules can be built against the tree: tools needed only to prepare a
	// tree (rust-src, bindgen, libclang) are then warnings, not failures.
	ready bool
	min   toolchain.Minimums
	r     *Report
}

func run(ctx context.Context, in Input, env toolchain.Env) *Report {
	d := &doctor{ctx: ctx, in: in, env: env, t: in.Tree, r: &Report{Checks: []Check{}, Unavailable: []Unavailable{}, OtherTrees: []OtherTree{}}}
	kver := semver.MustParse("6.12.0") // what the course targets, when there is no tree to ask
	srcDir := ""
	if d.t != nil {
		d.r.Tree = d.t.Dir
		d.ready = d.t.RustReady() == nil
		kver, srcDir = d.t.Version, d.t.SourceDir
	}
	d.min = toolchain.MinVersions(ctx, srcDir, kver)

	d.checkTree()
	d.checkLLVM()
	rustc := d.checkRustc()
	d.checkRustSrc(rustc)
	wrapper := d.checkBindgen()
	d.checkLibclang(wrapper)
	d.checkQEMU()
	d.checkBootImage()
	d.checkBusybox()
	d.checkBootStage()
	d.checkSandbox()
	d.checkWorkspace()
	d.unavailable()
	d.otherTrees()
	return d.r
}

func (d *doctor) add(c Check) { d.r.Checks = append(d.r.Checks, c) }

// prepareFix is the command that makes a Rust-ready tree: again from the same source for a tree
// we prepared (it resumes), else from Debian's kernel source.
func (d *doctor) prepareFix() string {
	if d.t != nil && d.t.Meta != nil && d.t.Meta.Source != "" {
		return fmt.Sprintf("rfl-tutor kernel prepare --source %s --out %s", d.t.Meta.Source, d.t.Dir)
	}
	src, _ := kernel.SourceFor(kernel.DefaultSeries)
	cmd := "rfl-tutor kernel prepare"
	if _, err := os.Stat(src.Path); err != nil {
		cmd = "scripts/install-toolchain.sh && " + cmd
	}
	return cmd
}

// severity is how much a tool needed only to prepare or rebuild a tree matters: a failure when
// there is no ready tree (one must be prepared), a warning when there is.
func (d *doctor) severity() Status {
	if d.ready {
		return Warn
	}
	return Fail
}

func (d *doctor) checkTree() {
	t := d.t
	if t == nil {
		detail := "no kernel tree found"
		if d.in.FindErr != nil {
			detail = d.in.FindErr.Error()
		}
		d.add(Check{ID: "kernel-tree", Title: "kernel tree", Status: Fail, Detail: detail, Fix: d.prepareFix()})
		return
	}
	who := "not prepared by rfl-tutor"
	if t.Meta != nil {
		who = "prepared by rfl-tutor"
	}
	d.add(Check{ID: "kernel-tree", Title: "kernel tree", Status: OK, Detail: fmt.Sprintf("Linux %s at %s (%s)", t.Release, t.Dir, who)})

	if t.Config == nil {
		d.add(Check{ID: "tree-configured", Title: "tree configured", Status: Fail,
			Detail: "no .config: the tree was never configured, so nothing can be built against it",
			Fix:    d.prepareFix()})
		return
	}
	if t.ConfigStale {
		d.add(Check{ID: "tree-configured", Title: "tree configured", Status: Warn,
			Detail: ".config changed after the last build: module builds still see the old configuration",
			Fix:    d.buildFix()})
	} else {
		d.add(Check{ID: "tree-configured", Title: "tree configured", Status: OK, Detail: t.ConfigFile})
	}

	if t.Config["RUST"] != "y" {
		d.add(Check{ID: "config-rust", Title: "CONFIG_RUST", Status: Fail,
			Detail: "CONFIG_RUST is not set: the kernel was built without Rust support (Debian's own kernels and headers are); " +
				"modules would fail with error[E0463]: can't find crate for `kernel`",
			Fix: d.prepareFix()})
	} else {
		d.add(Check{ID: "config-rust", Title: "CONFIG_RUST", Status: OK, Detail: "enabled"})
	}

	missing := t.MissingArtifacts()
	switch {
	case len(missing) == 0:
		d.add(Check{ID: "rust-metadata", Title: "Rust metadata", Status: OK, Detail: strings.Join(kernel.Artifacts, ", ") + " present"})
	case t.Config["RUST"] == "y" && len(missing) == 1 && missing[0] == "Module.symvers":
		d.add(Check{ID: "rust-metadata", Title: "Rust metadata", Status: Fail,
			Detail: "Module.symvers is missing (only modules_prepare ran?): modpost would report every kernel symbol as undefined",
			Fix:    d.buildFix()})
	default:
		why := "module builds would fail with error[E0463]: can't find crate for `kernel`"
		if t.Config["RUST"] == "y" {
			why += " (the tree is configured for Rust but not built)"
		} else {
			why += " (headers-only or built without Rust)"
		}
		fix := d.prepareFix()
		if t.Config["RUST"] == "y" {
			fix = d.buildFix()
		}
		d.add(Check{ID: "rust-metadata", Title: "Rust metadata", Status: Fail,
			Detail: "missing " + strings.Join(missing, ", ") + ": " + why, Fix: fix})
	}
}

// buildFix builds a configured Rust tree fully (what kernel prepare would do).
func (d *doctor) buildFix() string {
	if d.t.Meta != nil {
		return d.prepareFix()
	}
	return fmt.Sprintf("make -C %s %s -j$(nproc)", d.t.Dir, strings.Join(d.t.MakeArgs(), " "))
}

func (d *doctor) checkLLVM() {
	t := d.t
	if t != nil && t.Config != nil {
		switch {
		case t.LLVM == "":
			d.add(Check{ID: "llvm", Title: "LLVM toolchain", Status: Warn,
				Detail: "the tree was built with GCC (" + t.CCVersionText + "): Rust modules need an LLVM-built kernel to be reliable",
				Fix:    d.prepareFix()})
		case t.LLVM == "1":
			d.add(Check{ID: "llvm", Title: "LLVM toolchain", Status: OK, Detail: "LLVM=1 (the clang in PATH is the tree's clang " + fmt.Sprint(t.ClangMajor()) + ")"})
		default:
			major, _ := strconv.Atoi(strings.TrimPrefix(t.LLVM, "-"))
			if miss := d.env.MissingLLVM(major); len(miss) > 0 {
				d.add(Check{ID: "llvm", Title: "LLVM toolchain", Status: Fail,
					Detail: fmt.Sprintf("the tree was built with clang %d (LLVM=%s) but %s %s not installed: builds against it would fail",
						major, t.LLVM, toolNames(miss), isAre(len(miss))),
					Fix: "sudo apt-get install " + packages(miss)})
			} else {
				d.add(Check{ID: "llvm", Title: "LLVM toolchain", Status: OK, Detail: fmt.Sprintf("LLVM=%s (%s)", t.LLVM, t.CCVersionText)})
			}
		}
		return
	}
	if llvms := d.env.FindLLVMs(d.ctx); len(llvms) > 0 {
		d.add(Check{ID: "llvm", Title: "LLVM toolchain", Status: OK, Detail: fmt.Sprintf("LLVM=%s (%s)", llvms[0].Suffix(), llvms[0].VersionText)})
		return
	}
	miss := d.env.MissingLLVM(19)
	d.add(Check{ID: "llvm", Title: "LLVM toolchain", Status: Fail,
		Detail: "no versioned LLVM toolchain (clang-NN, ld.lld-NN, llvm-ar-NN …): preparing a tree needs one",
		Fix:    "sudo apt-get install " + packages(miss)})
}

func toolNames(ts []toolchain.Tool) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

func packages(ts []toolchain.Tool) string {
	var out []string
	seen := map[string]bool{}
	for _, t := range ts {
		if !seen[t.Package] {
			seen[t.Package] = true
			out = append(out, t.Package)
		}
	}
	return strings.Join(out, " ")
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// checkRustc checks the rustc module builds will use and returns the one whose rust-src matters.
func (d *doctor) checkRustc() *toolchain.Rustc {
	t := d.t
	if t != nil && t.RustcVersionText != "" {
		if t.Rustc == "" {
			_, probed := d.env.FindRustc(d.ctx, func(*toolchain.Rustc) bool { return false })
			var found []string
			for _, r := range probed {
				found = append(found, fmt.Sprintf("%s is %q", r.Path, r.VersionText))
			}
			if len(found) == 0 {
				found = append(found, "no rustc installed")
			}
			d.add(Check{ID: "rustc", Title: "rustc", Status: Fail,
				Detail: fmt.Sprintf("the tree was built by %q and no installed rustc prints that (%s): modules would fail with error[E0514] (compiled by an incompatible version of rustc)",
					t.RustcVersionText, strings.Join(found, "; ")),
				Fix: "install that rustc again (Debian: sudo apt-get install rustc-web rust-web-src), or rebuild the tree with yours: " + d.prepareFix()})
			return nil
		}
		r, err := d.env.ProbeRustc(d.ctx, t.Rustc)
		if err != nil {
			d.add(Check{ID: "rustc", Title: "rustc", Status: Fail, Detail: err.Error(), Fix: "sudo apt-get install rustc-web rust-web-src"})
			return nil
		}
		d.rustcVersion(r, "matches the tree")
		d.checkRustcPath(r)
		return r
	}
	// No tree to match: the rustc a preparation would pick.
	r, probed := d.env.FindRustc(d.ctx, (*toolchain.Rustc).HasSrc)
	if r == nil && len(probed) > 0 {
		r = probed[0]
	}
	if r == nil {
		d.add(Check{ID: "rustc", Title: "rustc", Status: Fail, Detail: "no rustc found",
			Fix: "sudo apt-get install rustc-web rust-web-src"})
		return nil
	}
	d.rustcVersion(r, "for preparing a tree")
	return r
}

func (d *doctor) rustcVersion(r *toolchain.Rustc, role string) {
	if r.Version.LessThan(d.min.Rustc) {
		d.add(Check{ID: "rustc", Title: "rustc", Status: Fail,
			Detail: fmt.Sprintf("%s is %s, the kernel needs >= %s (%s)", r.Path, r.Version, d.min.Rustc, d.min.From),
			Fix:    "sudo apt-get install rustc-web rust-web-src"})
		return
	}
	d.add(Check{ID: "rustc", Title: "rustc", Status: OK,
		Detail: fmt.Sprintf("%s (%s), %s; kernel minimum %s", r.Path, r.VersionText, role, d.min.Rustc)})
}

// checkRustcPath warns when plain `rustc` in PATH is not the tree's: rfl-tutor passes RUSTC=
// itself, but a learner running make by hand would get E0514.
func (d *doctor) checkRustcPath(tree *toolchain.Rustc) {
	p, err := d.env.LookPath("rustc")
	if err != nil {
		d.add(Check{ID: "rustc-path", Title: "rustc in PATH", Status: Warn,
			Detail: "no rustc in PATH; rfl-tutor uses " + tree.Path + ", but make run by hand would not find one",
			Fix:    fmt.Sprintf("build by hand with: make -C %s M=$PWD %s modules", d.t.Dir, strings.Join(d.t.MakeArgs(), " "))})
		return
	}
	r, err := d.env.ProbeRustc(d.ctx, p)
	if err == nil && r.VersionText == tree.VersionText {
		d.add(Check{ID: "rustc-path", Title: "rustc in PATH", Status: OK, Detail: p + " is the tree's rustc"})
		return
	}
	have := "an unusable rustc"
	if r != nil {
		have = r.VersionText
	}
	d.add(Check{ID: "rustc-path", Title: "rustc in PATH", Status: Warn,
		Detail: fmt.Sprintf("`rustc` in PATH is %s (%s), not the tree's %s: rfl-tutor passes RUSTC=%s, but make run by hand without it fails with error[E0514]",
			p, have, tree.VersionText, tree.Path),
		Fix: fmt.Sprintf("build by hand with: make -C %s M=$PWD %s modules (or put %s first in PATH)",
			d.t.Dir, strings.Join(d.t.MakeArgs(), " "), filepath.Dir(tree.Path))})
}

func (d *doctor) checkRustSrc(r *toolchain.Rustc) {
	if r == nil {
		return
	}
	if r.HasSrc() {
		d.add(Check{ID: "rust-src", Title: "rust-src", Status: OK, Detail: r.SrcFile()})
		return
	}
	fix := "sudo apt-get install rust-web-src"
	if strings.Contains(r.Sysroot, ".rustup") {
		fix = "rustup component add rust-src"
	}
	d.add(Check{ID: "rust-src", Title: "rust-src", Status: d.severity(),
		Detail: fmt.Sprintf("%s missing: %s cannot build a kernel (needed to prepare or rebuild a tree)", r.SrcFile(), r.Path),
		Fix:    fix})
}

// checkBindgen reports bindgen and returns whether it is used through rfl-tutor's wrapper
// (which needs libclang 14).
func (d *doctor) checkBindgen() (wrapper bool) {
	c := d.env.SelectBindgen(d.ctx, d.min.Bindgen)
	switch {
	case len(c.Probed) == 0:
		d.add(Check{ID: "bindgen", Title: "bindgen", Status: d.severity(),
			Detail: "bindgen not found: needed to prepare or rebuild a tree (not for module builds)",
			Fix:    d.bindgenFix()})
		return false
	case c.Bindgen == nil:
		d.add(Check{ID: "bindgen", Title: "bindgen", Status: d.severity(),
			Detail: fmt.Sprintf("%s: the kernel needs >= %s", c.Describe(), d.min.Bindgen),
			Fix:    d.bindgenFix()})
		return false
	case !c.Wrapper:
		d.add(Check{ID: "bindgen", Title: "bindgen", Status: OK,
			Detail: fmt.Sprintf("%s %s; kernel minimum %s", c.Bindgen.Path, c.Bindgen.Version, d.min.Bindgen)})
		return false
	}
	bg := c.Bindgen
	detail := fmt.Sprintf("%s %s is older than the kernel's %s; rfl-tutor kernel prepare runs it through its wrapper", bg.Path, bg.Version, d.min.Bindgen)
	if d.t != nil && d.t.Bindgen != "" {
		detail = fmt.Sprintf("%s %s through the tree's wrapper %s", bg.Path, bg.Version, d.t.Bindgen)
	}
	d.add(Check{ID: "bindgen", Title: "bindgen", Status: OK, Detail: detail})
	return true
}

// bindgenFix is what installs a bindgen the kernel accepts: Debian 12's package works (through
// the wrapper) up to the version the wrapper announces; newer kernels need the project's launcher.
func (d *doctor) bindgenFix() string {
	if d.min.Bindgen.GreaterThan(toolchain.WrapperAnnounces) {
		return "scripts/install-toolchain.sh (installs trixie's bindgen 0.71.1 as " + toolchain.DefaultPrefix + "/bin/bindgen)"
	}
	return "sudo apt-get install bindgen"
}

func (d *doctor) checkLibclang(wrapper bool) {
	if wrapper {
		if lc, err := d.env.FindLibclang(14); err == nil {
			d.add(Check{ID: "libclang", Title: "libclang", Status: OK, Detail: fmt.Sprintf("libclang 14 (%s) for bindgen 0.60", lc.File)})
		} else {
			d.add(Check{ID: "libclang", Title: "libclang", Status: d.severity(),
				Detail: "bindgen 0.60 needs libclang 14 (newer ones make it panic); not found in /usr/lib/llvm-14/lib",
				Fix:    "sudo apt-get install libclang1-14"})
		}
		return
	}
	lcs := d.env.Libclangs()
	if len(lcs) == 0 {
		d.add(Check{ID: "libclang", Title: "libclang", Status: d.severity(),
			Detail: "no libclang found under /usr/lib/llvm-*/lib: bindgen cannot run",
			Fix:    "sudo apt-get install libclang1-19"})
		return
	}
	lc := lcs[0]
	if uint64(lc.Major) < d.min.LLVM.Major() {
		d.add(Check{ID: "libclang", Title: "libclang", Status: d.severity(),
			Detail: fmt.Sprintf("libclang %d (%s) is older than the kernel's minimum %s", lc.Major, lc.File, d.min.LLVM),
			Fix:    "sudo apt-get install libclang1-19"})
		return
	}
	d.add(Check{ID: "libclang", Title: "libclang", Status: OK, Detail: fmt.Sprintf("libclang %d (%s); kernel minimum %s", lc.Major, lc.File, d.min.LLVM)})
}

func (d *doctor) checkQEMU() {
	if p, err := d.env.LookPath("qemu-system-x86_64"); err == nil {
		d.add(Check{ID: "qemu", Title: "QEMU (boot stage)", Status: OK, Detail: p})
		return
	}
	d.add(Check{ID: "qemu", Title: "QEMU (boot stage)", Status: Warn,
		Detail: "qemu-system-x86_64 not found: exercises build, but the boot stage cannot load them",
		Fix:    "sudo apt-get install qemu-system-x86"})
}

func (d *doctor) checkBootImage() {
	if d.t == nil || d.t.Config == nil {
		return
	}
	img := boot.KernelImage(d.t.Dir)
	if _, err := os.Stat(img); err == nil {
		d.add(Check{ID: "boot-image", Title: "bzImage (boot stage)", Status: OK, Detail: img})
		return
	}
	d.add(Check{ID: "boot-image", Title: "bzImage (boot stage)", Status: Warn,
		Detail: img + " missing: the boot stage cannot run",
		Fix:    fmt.Sprintf("make -C %s %s bzImage", d.t.Dir, strings.Join(d.t.MakeArgs(), " "))})
}

func (d *doctor) checkBusybox() {
	p, err := d.env.LookPath("busybox")
	if err != nil {
		d.add(Check{ID: "busybox", Title: "busybox (boot stage)", Status: Warn,
			Detail: "busybox not found: the boot stage's initramfs needs a static busybox",
			Fix:    "sudo apt-get install busybox-static"})
		return
	}
	static, err := boot.IsStatic(p)
	switch {
	case err != nil:
		d.add(Check{ID: "busybox", Title: "busybox (boot stage)", Status: Warn, Detail: err.Error(), Fix: "sudo apt-get install busybox-static"})
	case !static:
		d.add(Check{ID: "busybox", Title: "busybox (boot stage)", Status: Warn,
			Detail: p + " is dynamically linked: it cannot run alone in the boot stage's initramfs",
			Fix:    "sudo apt-get install busybox-static"})
	default:
		d.add(Check{ID: "busybox", Title: "busybox (boot stage)", Status: OK, Detail: p + " (static)"})
	}
}

// bootConfig is what the boot stage's guest needs from the kernel: the serial console, an
// initramfs, /proc (modules, taint) and /sys, /dev, scripts, and unloading modules.
var bootConfig = []string{"PRINTK", "TTY", "SERIAL_8250_CONSOLE", "BLK_DEV_INITRD", "RD_GZIP", "BINFMT_ELF",
	"BINFMT_SCRIPT", "PROC_FS", "PROC_SYSCTL", "SYSFS", "DEVTMPFS", "MODULES", "MODULE_UNLOAD"}

// checkBootStage sums up whether `check` can run its boot stage here, and why not.
func (d *doctor) checkBootStage() {
	const title = "boot stage"
	if d.t == nil || d.t.Config == nil {
		return
	}
	env, err := boot.Find(d.t.Dir, d.env.LookPath)
	if err != nil {
		d.add(Check{ID: "boot-stage", Title: title, Status: Warn,
			Detail: "unavailable, so checks skip it (and say so): " + err.Error(),
			Fix:    "see the boot-stage checks above"})
		return
	}
	var missing []string
	for _, name := range bootConfig {
		if d.t.Config[name] == "" || d.t.Config[name] == "n" {
			missing = append(missing, "CONFIG_"+name)
		}
	}
	if len(missing) > 0 {
		d.add(Check{ID: "boot-stage", Title: title, Status: Warn,
			Detail: "the tree's kernel lacks what the guest needs: " + strings.Join(missing, ", "),
			Fix:    d.prepareFix()})
		return
	}
	detail := "available: QEMU boots " + env.Kernel
	if name, err := boot.BaseName(env.Busybox, env.CC); err == nil {
		if _, err := os.Stat(filepath.Join(boot.BootDir(d.t.Dir), name)); err == nil {
			detail += " with " + filepath.Join(boot.BootDir(d.t.Dir), name)
		} else {
			detail += "; its initramfs is made at the first check"
		}
	}
	if env.CC == "" {
		detail += " (no C compiler for the module loader: busybox insmod is used, which runs a failing init twice)"
	}
	d.add(Check{ID: "boot-stage", Title: title, Status: OK, Detail: detail})
}

// checkSandbox runs a trivial command in the sandbox builds run in. Without one the built-in
// course (and packs the user trusts) still builds, unconfined; another pack does not.
func (d *doctor) checkSandbox() {
	bwrap, err := sandbox.Find()
	if err == nil {
		d.add(Check{ID: "sandbox", Title: "build sandbox", Status: OK,
			Detail: bwrap + " works: builds run with the system read-only, no network, only their build folder writable"})
		return
	}
	c := Check{ID: "sandbox", Title: "build sandbox", Status: Warn,
		Detail: err.Error() + "; builds of the built-in course run unsandboxed",
		Fix:    "install bubblewrap (sudo apt-get install bubblewrap) and make sure it can run (unprivileged user namespaces enabled)"}
	if d.in.Course != nil && !d.in.Course.Trusted {
		c.Status = Fail
		c.Detail = err.Error() + "; this lesson pack's Kbuild files are code, and will not be built outside a sandbox"
		c.Fix += ", or pass --trust if you trust whoever wrote the pack"
	}
	d.add(c)
}

func (d *doctor) checkWorkspace() {
	dir := d.in.WorkspaceDir
	if dir == "" {
		return
	}
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		var f *os.File
		if f, err = os.CreateTemp(dir, ".doctor-*"); err == nil {
			f.Close()
			err = os.Remove(f.Name())
		}
	}
	if err != nil {
		d.add(Check{ID: "workspace", Title: "workspace", Status: Fail,
			Detail: fmt.Sprintf("%s is not writable: %v", dir, err),
			Fix:    fmt.Sprintf("fix its permissions (ls -ld %s), or point RFL_TUTOR_WORKSPACE at a writable directory", dir)})
		return
	}
	d.add(Check{ID: "workspace", Title: "workspace", Status: OK, Detail: dir + " (writable)"})
}

func (d *doctor) unavailable() {
	if d.t == nil || d.in.Course == nil {
		return
	}
	for _, ex := range d.in.Course.Exercises() {
		if why := kernel.Unavailable(d.t, ex.For(d.t.Version).Snippet); why != "" {
			d.r.Unavailable = append(d.r.Unavailable, Unavailable{ExerciseID: ex.ID, Reason: why})
		}
	}
}

// otherTrees lists the trees besides the judged one, with how many exercises each can build.
func (d *doctor) otherTrees() {
	for _, t := range d.in.Others {
		if d.t != nil && t.Dir == d.t.Dir {
			continue
		}
		o := OtherTree{Dir: t.Dir, Release: t.Release}
		if err := t.RustReady(); err != nil {
			o.NotReady = err.Error()
		}
		if d.in.Course != nil {
			o.Available, o.Exercises = kernel.ExercisesAvailable(t, d.in.Course)
		}
		d.r.OtherTrees = append(d.r.OtherTrees, o)
	}
}
