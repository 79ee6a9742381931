package check

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// checkPlanted checks the seed exercise with its module source replaced by a planted module
// from testdata/boot, against the real tree, and returns the boot stage's result.
func checkPlanted(t *testing.T, planted string, opts Options) (*Verdict, *StageResult) {
	v, r, _ := checkPlantedIn(t, planted, opts)
	return v, r
}

func checkPlantedIn(t *testing.T, planted string, opts Options) (*Verdict, *StageResult, string) {
	t.Helper()
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	src, err := os.ReadFile(filepath.Join("testdata", "boot", planted))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := learnerCopy(t, c, ex, func(string) string { return string(src) })
	start := time.Now()
	scratch := t.TempDir()
	v, err := New(tree, c, scratch).Check(context.Background(), ex, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: checked in %v", planted, time.Since(start))
	r := v.Stage(course.StageBoot)
	if r == nil {
		t.Fatalf("no boot stage in %+v", v.Stages)
	}
	if st := v.Stage(course.StageBuild); st.Status != Pass {
		t.Fatalf("the planted module did not build: %s\n%s", st.Reason, v.Output)
	}
	return v, r, scratch
}

// qemuUnder lists QEMU processes whose command line mentions dir (their initrd lives there).
func qemuUnder(dir string) []string {
	var found []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmd := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmd, "qemu-system") && strings.Contains(cmd, dir) {
			found = append(found, p+": "+cmd)
		}
	}
	return found
}

func logText(r *StageResult) string { return strings.Join(r.Log, "\n") }

func TestBootSeedSolutionPasses(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	var console strings.Builder
	v, err := New(tree, c, t.TempDir()).CheckSolution(context.Background(), ex, Options{
		OnEvent: func(e Event) {
			if o, ok := e.(Output); ok && o.Source == SourceBoot {
				console.Write(o.Data)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := v.Stage(course.StageBoot)
	if r == nil || r.Status != Pass {
		t.Fatalf("boot stage: %+v", r)
	}
	for _, want := range []string{"hello_module: Hello from Rust!", "hello_module: Goodbye from Rust!", "insmod hello_module", "rmmod hello_module"} {
		if !strings.Contains(logText(r), want) {
			t.Errorf("the boot log lacks %q:\n%s", want, logText(r))
		}
	}
	// The guest's console reached the caller live, as the TUI shows it.
	if !strings.Contains(console.String(), "Run /init as init process") {
		t.Errorf("no live console output: %q", console.String())
	}
}

func TestBootNullDerefFailsWithTheOops(t *testing.T) {
	_, r := checkPlanted(t, "null_deref.rs", Options{})
	if r.Status != Fail || !strings.Contains(r.Reason, "NULL pointer dereference") || !strings.Contains(r.Reason, "while loading hello_module") {
		t.Fatalf("reason: %q", r.Reason)
	}
	log := logText(r)
	if !strings.Contains(log, "BUG: kernel NULL pointer dereference") || !strings.Contains(log, "Oops") {
		t.Errorf("the excerpt lacks the Oops:\n%s", log)
	}
}

func TestBootInitErrorReportsTheErrno(t *testing.T) {
	_, r := checkPlanted(t, "init_error.rs", Options{})
	if r.Status != Fail || !strings.Contains(r.Reason, "failed to load") || !strings.Contains(r.Reason, "-ENODEV") {
		t.Fatalf("reason: %q\n%s", r.Reason, logText(r))
	}
	if !strings.Contains(logText(r), "hello_module: Hello from Rust!") {
		t.Errorf("the log lacks what init printed before failing:\n%s", logText(r))
	}
}

func TestBootMissingExitLineFailsWithTheLog(t *testing.T) {
	_, r := checkPlanted(t, "no_exit_line.rs", Options{})
	if r.Status != Fail || !strings.Contains(r.Reason, `"hello_module: Goodbye from Rust!"`) || !strings.Contains(r.Reason, "Drop") {
		t.Fatalf("reason: %q", r.Reason)
	}
	log := logText(r)
	for _, want := range []string{"hello_module: Hello from Rust!", "rmmod hello_module", "exit status 0"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
}

// A module that prints 25,000 lines in init and its farewell in Drop passes: the expected lines
// are judged on everything the guest printed, and the verdict says how much of the flood it
// did not keep.
func TestBootLogFloodKeepsTheVerdictRight(t *testing.T) {
	v, r := checkPlanted(t, "log_flood.rs", Options{BootTimeout: 2 * time.Minute})
	if r.Status != Pass {
		t.Fatalf("the flood failed the boot stage: %s\n%s", r.Reason, strings.Join(tail(r.Log, 20), "\n"))
	}
	if !strings.Contains(r.Reason, "console line(s) of a flood not kept in the log") {
		t.Errorf("the verdict does not say lines were dropped: %q", r.Reason)
	}
	if len(r.Log) > maxLog+2 {
		t.Errorf("the verdict carries %d log lines", len(r.Log))
	}
	log := logText(r)
	for _, want := range []string{"more console line(s) than were kept", "flood line 0", "flood line 24999", "hello_module: Goodbye from Rust!"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if b, err := json.Marshal(v); err != nil || len(b) > 256<<10 {
		t.Errorf("the verdict is %d bytes (%v): it is cached and printed, it must stay small", len(b), err)
	}
}

func TestBootEndlessLoopIsStoppedByTheTimeout(t *testing.T) {
	const limit = 12 * time.Second
	start := time.Now()
	v, r, scratch := checkPlantedIn(t, "endless_loop.rs", Options{BootTimeout: limit})
	if r.Status != Fail || !strings.Contains(r.Reason, "did not finish within 12s") || !strings.Contains(r.Reason, "loading hello_module never returned") {
		t.Fatalf("reason: %q\n%s", r.Reason, logText(r))
	}
	if !strings.Contains(logText(r), "hello_module: Hello from Rust!") {
		t.Errorf("the log so far is missing:\n%s", logText(r))
	}
	if took := time.Since(start); took > limit+30*time.Second {
		t.Errorf("the check took %v with a %v boot limit", took, limit)
	}
	if v.Passed {
		t.Error("a hung guest passed")
	}
	if left := qemuUnder(scratch); len(left) > 0 {
		t.Errorf("QEMU still running after the timeout: %v", left)
	}
}

func TestBootPanicInDropFails(t *testing.T) {
	_, r := checkPlanted(t, "panic_in_drop.rs", Options{})
	if r.Status != Fail || !strings.Contains(r.Reason, "while unloading hello_module") {
		t.Fatalf("reason: %q\n%s", r.Reason, logText(r))
	}
	if !strings.Contains(logText(r), "planted panic in drop") {
		t.Errorf("the excerpt lacks the panic message:\n%s", logText(r))
	}
}

func TestBootWithoutQEMUIsSkippedWithTheReason(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	t.Setenv("PATH", t.TempDir()) // neither qemu nor busybox can be found
	ck := New(tree, c, t.TempDir())
	b := Built{Ko: "hello_module.ko"}
	run := ck.runBoot(context.Background(), ex, b, t.TempDir(), Options{}, func(Event) {})
	r := bootStage(ex, true, run)
	if r.Status != Skip || !strings.Contains(r.Reason, "qemu-system-x86_64 is not installed") || !strings.Contains(r.Reason, "apt-get install qemu-system-x86") {
		t.Fatalf("%+v", r)
	}
	v := &Verdict{Passed: true, Stages: []StageResult{{Stage: course.StageBuild, Status: Pass}, r}}
	if !strings.Contains(v.Summary(), "boot stage skipped") {
		t.Errorf("summary hides the skip: %q", v.Summary())
	}
	if got := v.PassedText(); got != "1 of 2 stages passed, boot skipped" {
		t.Errorf("PassedText = %q", got)
	}
}

// The boot stage's judgement of transcripts that need no kernel: steps and ordering.
func TestBootStageJudgesStepsAndOrder(t *testing.T) {
	ex := &course.Exercise{ID: "ex", Success: course.Success{
		Log:   []string{"m: one", "m: two"},
		Steps: []course.Step{{Read: "/proc/x", Expect: "42"}, {Write: "/dev/y", Value: "1"}},
	}}
	console := func(lines ...string) *BootRun {
		tr := boot.NewTranscript("n")
		for _, l := range lines {
			_, _ = tr.Write([]byte(l + "\r\n"))
		}
		return &BootRun{Result: &boot.Result{Transcript: tr, Duration: time.Second}, Timeout: time.Minute}
	}
	good := []string{"[ 0.1] rfl:n:ready", "rfl:n:begin:ex", "rfl:n:taint:0", "rfl:n:insmod:m",
		"[ 0.2] m: one", "[ 0.3] m: two", "rfl:n:insmod-rc:0",
		"rfl:n:read:/proc/x", "rfl:n:out:answer 42", "rfl:n:step-rc:0",
		"rfl:n:write:/dev/y", "rfl:n:step-rc:0",
		"rfl:n:rmmod:m", "rfl:n:rmmod-rc:0", "rfl:n:taint:4096", "rfl:n:end:ex", "rfl:n:done"}
	if r := bootStage(ex, true, console(good...)); r.Status != Pass {
		t.Fatalf("good run: %+v", r)
	}
	swap := func(lines []string, i, j int) []string {
		out := append([]string(nil), lines...)
		out[i], out[j] = out[j], out[i]
		return out
	}
	replace := func(lines []string, i int, s string) []string {
		out := append([]string(nil), lines...)
		out[i] = s
		return out
	}
	cases := []struct {
		name    string
		lines   []string
		ordered bool
		want    string
	}{
		{"unordered lines pass without ordered", swap(good, 4, 5), false, ""},
		{"ordered lines out of order", swap(good, 4, 5), true, `"m: two" while loaded`},
		{"read prints something else", replace(good, 8, "rfl:n:out:answer 41"), false, `step 1: /proc/x printed "answer 41", expected it to contain "42"`},
		{"write fails", replace(good, 11, "rfl:n:step-rc:1"), false, "step 2: writing to /dev/y failed"},
		{"rmmod fails", replace(good, 13, "rfl:n:rmmod-rc:1"), false, "did not unload"},
		{"warn taints", replace(good, 14, "rfl:n:taint:4608"), false, "W (a WARN fired)"},
		{"still loaded", append(good[:15:15], "rfl:n:loaded:m", "rfl:n:end:ex", "rfl:n:done"), false, "still loaded after rmmod: m"},
		{"insmod EINVAL", append(good[:4:4], "rfl:n:out:insmod: can't insert '/rfl/mod/u0m0.ko': Invalid argument", "rfl:n:insmod-rc:1", "rfl:n:taint:4096", "rfl:n:end:ex", "rfl:n:done"), false, "init returned -EINVAL (Invalid argument)"},
		{"ENOTSUPP", append(good[:4:4], "rfl:n:out:insmod: can't insert 'x.ko': Unknown error 524", "rfl:n:insmod-rc:1", "rfl:n:end:ex", "rfl:n:done"), false, "-ENOTSUPP"},
		{"forged frame from the module", replace(good, 6, "[ 0.4] rfl:other:insmod-rc:0"), false, "did not finish"},
		{"Drop never returns", good[:13], false, "unloading m never returned, so Drop never finished"},
		{"a step never returns", good[:11], false, "the step that writes /dev/y never finished"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := *ex
			e.Success.Ordered = tc.ordered
			run := console(tc.lines...)
			if strings.Contains(tc.name, "never returns") || tc.name == "forged frame from the module" {
				run.Result.TimedOut = true
			}
			r := bootStage(&e, true, run)
			if tc.want == "" {
				if r.Status != Pass {
					t.Fatalf("want pass, got %+v", r)
				}
				return
			}
			if r.Status != Fail || !strings.Contains(r.Reason, tc.want) {
				t.Fatalf("want a failure with %q, got %s: %q", tc.want, r.Status, r.Reason)
			}
		})
	}
}

func TestBootStageJudgesDeviceSteps(t *testing.T) {
	ex := &course.Exercise{ID: "ex", Success: course.Success{Steps: []course.Step{
		{Ioctl: "/dev/r", Cmd: 1, Arg: "@7", Expect: "value 7"},
		{Ioctl: "/dev/r", Cmd: 2, Errno: "ENOTTY"},
		{Write: "/dev/r", Value: "x", Errno: "EINVAL"},
	}}}
	run := func(lines ...string) *BootRun {
		tr := boot.NewTranscript("n")
		all := append([]string{"[ 0.1] rfl:n:ready", "rfl:n:begin:ex", "rfl:n:taint:0", "rfl:n:insmod:m", "rfl:n:insmod-rc:0"}, lines...)
		all = append(all, "rfl:n:rmmod:m", "rfl:n:rmmod-rc:0", "rfl:n:taint:4096", "rfl:n:end:ex", "rfl:n:done")
		for _, l := range all {
			_, _ = tr.Write([]byte(l + "\r\n"))
		}
		return &BootRun{Result: &boot.Result{Transcript: tr, Duration: time.Second}, Timeout: time.Minute}
	}
	ioctlOK := []string{"rfl:n:ioctl:/dev/r", "rfl:n:out:ioctl returned 0, value 7", "rfl:n:step-rc:0"}
	notty := []string{"rfl:n:ioctl:/dev/r", "rfl:n:out:rfl-io: errno 25", "rfl:n:step-rc:1"}
	einval := []string{"rfl:n:write:/dev/r", "rfl:n:out:rfl-io: errno 22", "rfl:n:step-rc:1"}
	cat := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"all as expected", cat(ioctlOK, notty, einval), ""},
		{"ioctl value wrong", cat([]string{"rfl:n:ioctl:/dev/r", "rfl:n:out:ioctl returned 0, value 0", "rfl:n:step-rc:0"}, notty, einval),
			`step 1: /dev/r printed "ioctl returned 0, value 0", expected it to contain "value 7"`},
		{"ioctl fails unexpectedly", cat([]string{"rfl:n:ioctl:/dev/r", "rfl:n:out:rfl-io: errno 14", "rfl:n:step-rc:1"}, notty, einval),
			"step 1: the ioctl on /dev/r failed with EFAULT (bad address)"},
		{"unknown ioctl accepted", cat(ioctlOK, []string{"rfl:n:ioctl:/dev/r", "rfl:n:out:ioctl returned 0", "rfl:n:step-rc:0"}, einval),
			`step 2: the ioctl on /dev/r succeeded, but it must fail with ENOTTY (it printed "ioctl returned 0")`},
		{"wrong errno", cat(ioctlOK, notty, []string{"rfl:n:write:/dev/r", "rfl:n:out:rfl-io: errno 28", "rfl:n:step-rc:1"}),
			"step 3: writing to /dev/r failed with ENOSPC (no space left on device), but it must fail with EINVAL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := bootStage(ex, true, run(tc.lines...))
			if tc.want == "" {
				if r.Status != Pass {
					t.Fatalf("want pass, got %+v", r)
				}
				return
			}
			if r.Status != Fail || !strings.Contains(r.Reason, tc.want) {
				t.Fatalf("want a failure with %q, got %s: %q", tc.want, r.Status, r.Reason)
			}
		})
	}
}

// equals: holds the whole output, so a device that appends where it should replace fails.
func TestBootStageEqualsIsTheWholeOutput(t *testing.T) {
	bye := "bye"
	ex := &course.Exercise{ID: "ex", Success: course.Success{Steps: []course.Step{{Read: "/dev/e", Equals: &bye}}}}
	for out, pass := range map[string]bool{"bye": true, "hello kernelbye": false, "": false} {
		tr := boot.NewTranscript("n")
		lines := []string{"[ 0.1] rfl:n:ready", "rfl:n:begin:ex", "rfl:n:taint:0", "rfl:n:insmod:m", "rfl:n:insmod-rc:0",
			"rfl:n:read:/dev/e", "rfl:n:out:" + out, "rfl:n:step-rc:0",
			"rfl:n:rmmod:m", "rfl:n:rmmod-rc:0", "rfl:n:taint:4096", "rfl:n:end:ex", "rfl:n:done"}
		if out == "" {
			lines = append(lines[:6:6], lines[7:]...)
		}
		for _, l := range lines {
			_, _ = tr.Write([]byte(l + "\r\n"))
		}
		r := bootStage(ex, true, &BootRun{Result: &boot.Result{Transcript: tr, Duration: time.Second}, Timeout: time.Minute})
		if (r.Status == Pass) != pass || (!pass && !strings.Contains(r.Reason, `expected exactly "bye"`)) {
			t.Errorf("output %q: %s %q", out, r.Status, r.Reason)
		}
	}
}

// Cancelling a check while its guest runs (the learner quits, or saves again) stops QEMU at
// once and reports the cancellation, not a verdict.
func TestBootCancelStopsQEMU(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	src, err := os.ReadFile(filepath.Join("testdata", "boot", "endless_loop.rs"))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := learnerCopy(t, c, ex, func(string) string { return string(src) })
	scratch := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var canceledAt time.Time
	var console strings.Builder // QEMU's output arrives in pieces of any size
	v, err := New(tree, c, scratch).Check(ctx, ex, dir, Options{OnEvent: func(e Event) {
		o, ok := e.(Output)
		if !ok || o.Source != SourceBoot {
			return
		}
		console.Write(o.Data)
		if strings.Contains(console.String(), "Hello from Rust!") && canceledAt.IsZero() {
			canceledAt = time.Now()
			cancel()
		}
	}})
	if canceledAt.IsZero() {
		t.Fatal("the guest never printed the module's line")
	}
	if err == nil || v != nil {
		t.Fatalf("a cancelled check gave verdict %+v, err %v", v, err)
	}
	if took := time.Since(canceledAt); took > 5*time.Second {
		t.Errorf("the check returned %v after the cancel", took)
	}
	if left := qemuUnder(scratch); len(left) > 0 {
		t.Errorf("QEMU still running after the cancel: %v", left)
	}
}

// The teaching kernel names a lock taken twice: the boot stage fails the lock-twice starter with
// lockdep's report, which lock and where, within seconds instead of the 30 s timeout. On every
// tree CI prepares.
func TestBootNamesADoubleLockInSeconds(t *testing.T) {
	c := embeddedCourse(t)
	for _, dir := range testkernel.Dirs(t) {
		tree, err := kernel.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		ex := c.Exercise("lock-twice").For(tree.Version)
		files, err := c.Files(ex.Snippet, course.VariantStarter)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		v, err := New(tree, c, t.TempDir()).CheckFiles(context.Background(), ex, files, ex.Snippet.Dir, "starter", Options{})
		if err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		r := v.Stage(course.StageBoot)
		if r == nil || r.Status != Fail {
			t.Fatalf("%s: boot stage %+v", tree.Release, r)
		}
		for _, want := range []string{"possible recursive locking detected", "lockdep: lock lock_twice.rs:", "while the task already held it"} {
			if !strings.Contains(r.Reason, want) {
				t.Errorf("%s: reason %q lacks %q", tree.Release, r.Reason, want)
			}
		}
		if !strings.Contains(logText(r), "*** DEADLOCK ***") {
			t.Errorf("%s: the log lacks lockdep's report:\n%s", tree.Release, logText(r))
		}
		if elapsed > 10*time.Second {
			t.Errorf("%s: the verdict took %s, want under 10 s", tree.Release, elapsed)
		}
		t.Logf("%s: %s in %s", tree.Release, r.Reason, elapsed.Round(10*time.Millisecond))
	}
}
