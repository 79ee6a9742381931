package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

// asMainEnv makes the test binary run as rfl-tutor itself (TestMain), so tests can start,
// signal and kill a real rfl-tutor process.
const asMainEnv = "RFL_TUTOR_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// checkProcess is `rfl-tutor check` run as a process of its own in an isolated home.
type checkProcess struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr bytes.Buffer
	done   chan struct{}
}

func startCheck(t *testing.T, home string, args ...string) *checkProcess {
	t.Helper()
	p := &checkProcess{cmd: exec.Command(os.Args[0], append([]string{"check"}, args...)...), done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), asMainEnv+"=1")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.done })
	return p
}

// leftBehind lists the live processes other than this test whose command line, working
// folder or environment names dir: what a check run with its home in dir started.
func leftBehind(dir string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		if i := bytes.LastIndexByte(stat, ')'); i < 0 || len(stat) < i+3 || stat[i+2] == 'Z' {
			continue // a zombie holds nothing and runs nothing
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		environ, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if bytes.Contains(cmdline, []byte(dir)) || bytes.Contains(environ, []byte(dir)) || strings.HasPrefix(cwd, dir) {
			args := string(bytes.ReplaceAll(bytes.TrimRight(cmdline, "\x00"), []byte{0}, []byte{' '}))
			out = append(out, fmt.Sprintf("%d %s", pid, args))
		}
	}
	return out
}

// waitUntil polls cond every 20 ms until it holds or within passes.
func waitUntil(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// running reports whether a process whose command name starts with comm runs under dir.
func running(dir, comm string) bool {
	for _, p := range leftBehind(dir) {
		f := strings.Fields(p)
		if len(f) > 1 && strings.HasPrefix(filepath.Base(f[1]), comm) {
			return true
		}
	}
	return false
}

// A check killed during make or during the boot stage (a module whose init never returns,
// so QEMU would spin for ever) leaves no process behind within 5 s, however it is killed; a
// SIGHUP (the terminal closed) exits 129; and the next check cleans what a SIGKILL left (the
// boot's initrd, the build folder's mark) and judges as usual.
func TestKilledCheckLeavesNothingRunning(t *testing.T) {
	kdir := testkernel.Dir(t)
	home := isolate(t)
	ws := filepath.Join(home, "ws")
	t.Setenv(workspace.EnvRoot, ws)
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Exercise("hello-module")
	solution, err := c.Files(ex.Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	loops, err := os.ReadFile(filepath.Join("..", "..", "internal", "check", "testdata", "boot", "endless_loop.rs"))
	if err != nil {
		t.Fatal(err)
	}
	dir := workspace.New(ws).Dir(c.ID, ex.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range solution {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	main := filepath.Join(dir, ex.Snippet.ID+".rs")
	if _, ok := solution[ex.Snippet.ID+".rs"]; !ok {
		t.Fatalf("no %s.rs in the solution", ex.Snippet.ID)
	}

	for i, tc := range []struct {
		stage string // "make" or "boot"
		sig   syscall.Signal
	}{
		{"make", syscall.SIGKILL},
		{"make", syscall.SIGHUP},
		{"boot", syscall.SIGKILL},
		{"boot", syscall.SIGHUP},
	} {
		name := fmt.Sprintf("%s during %s", signalName(tc.sig), tc.stage)
		if tc.sig == syscall.SIGKILL {
			name = "SIGKILL during " + tc.stage
		}
		t.Run(name, func(t *testing.T) {
			// A new source each time, so that make has work to do; the looping module for
			// the boot stage.
			src := loops
			if tc.stage == "make" {
				src = solution[ex.Snippet.ID+".rs"]
			}
			if err := os.WriteFile(main, fmt.Appendf(bytes.Clone(src), "// run %d\n", i), 0o644); err != nil {
				t.Fatal(err)
			}
			p := startCheck(t, home, ex.ID, "--kdir", kdir, "--boot-timeout", "5m")
			comm := map[string]string{"make": "make", "boot": "qemu-system"}[tc.stage]
			if !waitUntil(4*time.Minute, func() bool { return running(home, comm) }) {
				t.Fatalf("no %s started\nstdout:\n%s\nstderr:\n%s", comm, p.stdout.String(), p.stderr.String())
			}
			if tc.stage == "boot" {
				time.Sleep(1500 * time.Millisecond) // the guest is in the module's init by now
			}
			before := leftBehind(home)
			if err := p.cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			signalled := time.Now()
			if !waitUntil(5*time.Second, func() bool { return len(leftBehind(home)) == 0 }) {
				left := leftBehind(home)
				for _, l := range left {
					if pid, err := strconv.Atoi(strings.Fields(l)[0]); err == nil {
						_ = syscall.Kill(pid, syscall.SIGKILL)
					}
				}
				t.Fatalf("5 s after %s, processes of the check still run:\n%s\n(before the signal:\n%s)", name, strings.Join(left, "\n"), strings.Join(before, "\n"))
			}
			t.Logf("%d processes of the check before the signal, none %s after it", len(before), time.Since(signalled).Round(time.Millisecond))
			<-p.done
			code := p.cmd.ProcessState.ExitCode()
			if st, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && st.Signaled() {
				code = 128 + int(st.Signal())
			}
			if code != 128+int(tc.sig) {
				t.Errorf("exit code %d after %s, want %d\nstderr:\n%s", code, name, 128+int(tc.sig), p.stderr.String())
			}
			initrds := findUnder(t, home, "initrd-*.cpio")
			if tc.sig == syscall.SIGHUP && len(initrds) > 0 {
				t.Errorf("a check that handled SIGHUP left initrds: %v", initrds)
			}
			if tc.sig != syscall.SIGKILL {
				return
			}
			if tc.stage == "boot" && len(initrds) == 0 {
				t.Fatal("a SIGKILL during the boot left no initrd: the test no longer sees what the next check must clean")
			}
			// The next check, of the solution, cleans up and passes.
			if err := os.WriteFile(main, solution[ex.Snippet.ID+".rs"], 0o644); err != nil {
				t.Fatal(err)
			}
			next := startCheck(t, home, ex.ID, "--kdir", kdir)
			<-next.done
			if code := next.cmd.ProcessState.ExitCode(); code != 0 {
				t.Fatalf("the next check: exit %d\n%s\n%s", code, next.stdout.String(), next.stderr.String())
			}
			if left := findUnder(t, home, "initrd-*.cpio"); len(left) > 0 {
				t.Errorf("the next check left the killed check's initrd: %v", left)
			}
			if marks := findUnder(t, home, ".rfl-tutor-running"); len(marks) > 0 {
				t.Errorf("the mark of a killed build stays after the next build: %v", marks)
			}
		})
	}
}

// findUnder lists the files under dir whose name matches pattern.
func findUnder(t *testing.T, dir, pattern string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		if m, _ := filepath.Match(pattern, d.Name()); m {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// The make line `kernel make-cmd` prints is one a learner can paste: run by a shell in the
// module's folder, it builds the module against the tree.
func TestKernelMakeCmdBuilds(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolate(t)
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Exercise("hello-module")
	files, err := c.Files(ex.Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := cli(t, "kernel", "make-cmd", dir, "--kdir", kdir)
	if code != 0 || !strings.HasPrefix(out, "make -C "+kdir+" M="+dir+" ") || !strings.HasSuffix(out, " modules\n") {
		t.Fatalf("make-cmd: exit %d, %q %q", code, out, errOut)
	}
	sh := exec.Command("sh", "-c", out)
	sh.Dir = dir
	if b, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("the printed command failed: %v\n%s", err, b)
	}
	if kos, _ := filepath.Glob(filepath.Join(dir, "*.ko")); len(kos) != 1 {
		t.Errorf("the printed command built %v", kos)
	}
}

// The rust-analyzer line of a tree that supports it writes the module's rust-project.json, with
// the module's own crate in it; a tree that does not is refused with the reason.
func TestKernelMakeCmdRustAnalyzer(t *testing.T) {
	isolate(t)
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, kdir := range testkernel.Dirs(t) {
		tree, err := kernel.Open(kdir)
		if err != nil {
			t.Fatal(err)
		}
		ex := c.Exercise("hello-module").For(tree.Version)
		files, err := c.Files(ex.Snippet, course.VariantSrc)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, errOut, code := cli(t, "kernel", "make-cmd", dir, "--kdir", kdir, "--rust-analyzer")
		if tree.Version.Major() < 7 {
			if code != 2 || !strings.Contains(errOut, "cannot write rust-project.json for an out-of-tree module") {
				t.Errorf("%s: exit %d, %q %q", tree.Release, code, out, errOut)
			}
			continue
		}
		if code != 0 || !strings.HasSuffix(out, " rust-analyzer\n") || !strings.Contains(out, "BINDGEN=") {
			t.Fatalf("%s: exit %d, %q %q", tree.Release, code, out, errOut)
		}
		sh := exec.Command("sh", "-c", out)
		sh.Dir = dir
		if b, err := sh.CombinedOutput(); err != nil {
			t.Fatalf("%s: the printed command failed: %v\n%s", tree.Release, err, b)
		}
		project, err := os.ReadFile(filepath.Join(dir, "rust-project.json"))
		if err != nil || !strings.Contains(string(project), "hello_module.rs") {
			t.Errorf("%s: rust-project.json: %v, names the module: %v", tree.Release, err, strings.Contains(string(project), "hello_module.rs"))
		}
	}
}
