package check

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/guestspec"
)

// BootRun is what the boot stage has to judge: a boot's result, or why there was none.
type BootRun struct {
	Result *boot.Result
	// Unavailable says why the stage cannot run on this machine (no QEMU, no bzImage, …):
	// the stage is then skipped with this reason, never passed.
	Unavailable string
	// Err is a failure to attempt the boot at all (unwritable files and the like).
	Err error
	// Timeout is the limit the boot ran under.
	Timeout time.Duration
}

// DefaultBootTimeout bounds one boot of one exercise: booting takes about 2 s here.
const DefaultBootTimeout = 30 * time.Second

// bootEnv finds what booting needs, once per checker.
func (c *Checker) bootEnv() (*boot.Env, string, error) {
	c.bootOnce.Do(func() {
		env, err := boot.Find(c.tree.Dir, nil)
		if err != nil {
			c.bootErr = err
			return
		}
		c.bootImg, c.bootErr = env.Initramfs(c.tree.Dir, filepath.Join(c.ScratchRoot, "boot"))
		c.boot = env
	})
	return c.boot, c.bootImg, c.bootErr
}

// runBoot boots the kernel with the learner's module and the exercise's steps.
func (c *Checker) runBoot(ctx context.Context, ex *course.Exercise, b Built, scratch string, opts Options, emit func(Event)) *BootRun {
	timeout := opts.BootTimeout
	if timeout <= 0 {
		timeout = DefaultBootTimeout
	}
	run := &BootRun{Timeout: timeout}
	if opts.NoBoot {
		run.Unavailable = "turned off (--no-boot)"
		return run
	}
	env, initramfs, err := c.bootEnv()
	if err != nil {
		var u *boot.Unavailable
		if errors.As(err, &u) {
			run.Unavailable = u.Error()
		} else {
			run.Err = err
		}
		return run
	}
	emit(Output{Data: []byte("\r\n── booting the module under QEMU ──\r\n"), Source: SourceBoot})
	run.Result, run.Err = boot.Run(ctx, boot.Request{
		QEMU: env.QEMU, Kernel: env.Kernel, Initramfs: initramfs,
		Units:   []boot.Unit{BootUnit(ex, b)},
		Timeout: timeout, WorkDir: scratch,
		Output:   func(p []byte) { emit(Output{Data: p, Source: SourceBoot}) },
		Keep:     append(slices.Clone(ex.Success.Log), ex.Success.UnloadLog...),
		Devices:  ex.Success.Devices,
		Firmware: env.Firmware,
	})
	return run
}

// BootUnit is what the guest does for exercise ex with the module b built: load it, run the
// exercise's steps, unload it.
func BootUnit(ex *course.Exercise, b Built) boot.Unit {
	name := strings.TrimSuffix(filepath.Base(b.Ko), ".ko")
	if n := b.Modinfo["name"]; len(n) > 0 && n[0] != "" {
		name = n[0]
	}
	u := boot.Unit{ID: ex.ID, Modules: []boot.Module{{Name: name, Path: b.Ko, Params: ex.Success.Params}}}
	for _, s := range ex.Success.Steps {
		switch {
		case s.Read != "":
			u.Steps = append(u.Steps, boot.Step{Kind: boot.StepRead, Path: s.Read, Count: s.Count})
		case s.Ioctl != "":
			u.Steps = append(u.Steps, boot.Step{Kind: boot.StepIoctl, Path: s.Ioctl, Cmd: s.Cmd, Arg: s.Arg})
		case s.Session != "":
			st := boot.Step{Kind: boot.StepSession, Path: s.Session}
			for _, op := range s.Ops {
				st.Ops = append(st.Ops, boot.SessionOp{Op: op.Op, File: op.File, Data: []byte(op.Value), Count: op.Count, Cmd: op.Cmd, Arg: op.Arg})
			}
			u.Steps = append(u.Steps, st)
		default:
			u.Steps = append(u.Steps, boot.Step{Kind: boot.StepWrite, Path: s.Write, Data: []byte(s.Value)})
		}
	}
	return u
}

// bootStage judges a boot: the guest ran the plan to its end, nothing oopsed, warned or
// panicked, the module loaded, every step did what the exercise expects, the module unloaded
// and is gone, the kernel carries no new taint but O, and the expected lines were printed.
func bootStage(ex *course.Exercise, built bool, run *BootRun) StageResult {
	r := StageResult{Stage: course.StageBoot}
	fail := func(reason string, log []string) StageResult {
		r.Status, r.Reason, r.Log = Fail, reason, log
		return r
	}
	switch {
	case !built:
		r.Status, r.Reason = Skip, "needs a successful build"
		return r
	case run == nil:
		r.Status, r.Reason = Skip, "not run here: the library check builds modules but does not boot them (`rfl-tutor check --solution` does)"
		return r
	case run.Unavailable != "":
		r.Status, r.Reason = Skip, "cannot boot on this machine: "+run.Unavailable
		return r
	case run.Err != nil:
		return fail("could not boot the module: "+run.Err.Error(), nil)
	}
	res := run.Result
	tr := res.Transcript
	r.Duration = res.Duration
	u := tr.Unit(ex.ID)

	// From the unit's start (or the whole boot, when init never got there) to the end.
	from := 0
	if u != nil {
		from = u.From
	}
	if probs := tr.Problems(from, -1); len(probs) > 0 {
		p := probs[0]
		where := ""
		if u != nil {
			where = " " + during(u, p.Line)
		}
		headline := strings.TrimPrefix(firstKernelText(tr, p.Line), "BUG: ")
		if p.Kind == "Rust panic" && strings.HasSuffix(headline, ":") {
			// "panicked at file.rs:20:18:" — the panic's message is the next line.
			headline += " " + firstKernelText(tr, p.Line+1)
		}
		reason := fmt.Sprintf("the kernel reported a %s%s: %s", p.Kind, where, headline)
		if lock := boot.LockdepSummary(p.Excerpt); lock != "" {
			reason += " (lockdep: " + lock + ")"
		}
		if n := len(probs); n > 1 {
			reason += fmt.Sprintf(" (and %d more report(s))", n-1)
		}
		return fail(reason, p.Excerpt)
	}
	if !tr.Ready {
		why := "the guest kernel never started init"
		switch {
		case res.TimedOut:
			why += fmt.Sprintf(" within %s", run.Timeout)
		case res.Exited && res.Stderr != "":
			why += ": QEMU said " + firstLine(res.Stderr)
		}
		return fail(why+"; this is a problem with the kernel tree or QEMU, not your module", tail(tr.Render(0, len(tr.Lines)-1), 30))
	}
	if res.TimedOut || (!tr.Done && u != nil) {
		_, pending := tr.Pending()
		limit := fmt.Sprintf("the guest did not finish within %s", run.Timeout)
		if !res.TimedOut {
			limit = "the guest stopped before it finished"
		}
		log := tail(tr.Render(from, len(tr.Lines)-1), 40)
		if pending == nil {
			return fail(limit, log)
		}
		switch pending.Kind {
		case "insmod":
			return fail(fmt.Sprintf("%s: loading %s never returned: the module's init did not finish (an endless loop, or a wait for something that never happens?); QEMU was stopped", limit, pending.Arg), log)
		case "rmmod":
			return fail(fmt.Sprintf("%s: unloading %s never returned, so Drop never finished; QEMU was stopped", limit, pending.Arg), log)
		default:
			return fail(fmt.Sprintf("%s: the step that %ss %s never finished; QEMU was stopped", limit, pending.Kind, pending.Arg), log)
		}
	}
	if u == nil || !u.Ended {
		return fail("the guest did not report on the module (init ended early)", tail(tr.Render(from, len(tr.Lines)-1), 40))
	}
	log := keptLog(tr, u.From, u.To)

	ins := u.Action("insmod", "")
	if ins == nil {
		return fail("the guest did not load the module", log)
	}
	if ins.RC != 0 {
		errno, text := boot.LoadError(ins.Output)
		switch {
		case errno != "":
			return fail(fmt.Sprintf("the module failed to load: init returned -%s (%s)", errno, text), log)
		case text != "":
			return fail("the module failed to load: "+text, log)
		default:
			return fail(fmt.Sprintf("the module failed to load: insmod exited with status %d: %s", ins.RC, strings.Join(ins.Output, " ")), log)
		}
	}

	if reason := judgeSteps(ex.Success.Steps, u); reason != "" {
		return fail(reason, log)
	}

	for _, a := range u.Actions {
		if a.Kind == "rmmod" && a.RC != 0 {
			return fail(fmt.Sprintf("the module did not unload: rmmod %s exited with status %d: %s", a.Arg, a.RC, strings.Join(a.Output, " ")), log)
		}
	}
	if len(u.Loaded) > 0 {
		return fail("still loaded after rmmod: "+strings.Join(u.Loaded, ", "), log)
	}
	if u.TaintAfter >= 0 {
		allowed := int64(boot.TaintOutOfTree)
		for _, l := range ex.Success.AllowTaint {
			if bit, ok := boot.TaintBit(l); ok {
				allowed |= bit
			}
		}
		before := max(u.TaintBefore, 0)
		if extra := u.TaintAfter &^ before &^ allowed; extra != 0 {
			return fail("the module left the kernel tainted: "+boot.DescribeTaint(extra), log)
		}
	}

	loadEnd := u.To
	if rm := u.Action("rmmod", ""); rm != nil {
		loadEnd = rm.From
	}
	if missing := missingLines(tr, ins.From, loadEnd, ex.Success.Log, ex.Success.Ordered); missing != "" {
		return fail(fmt.Sprintf("expected the module to print %q while loaded, but it did not%s", missing, orderNote(ex.Success.Ordered, len(ex.Success.Log))), log)
	}
	if missing := missingLines(tr, loadEnd, u.To, ex.Success.UnloadLog, ex.Success.Ordered); missing != "" {
		return fail(fmt.Sprintf("expected the module to print %q when unloaded (in Drop), but it did not%s", missing, orderNote(ex.Success.Ordered, len(ex.Success.UnloadLog))), log)
	}

	r.Status = Pass
	n := len(ex.Success.Log) + len(ex.Success.UnloadLog)
	r.Reason = fmt.Sprintf("loaded and unloaded cleanly in a booted kernel (%.1f s)", res.Duration.Seconds())
	if k := len(ex.Success.Steps); k > 0 {
		r.Reason += fmt.Sprintf(", %d step(s) done", k)
	}
	if n > 0 {
		r.Reason += fmt.Sprintf(", %d expected log line(s) printed", n)
	}
	if tr.Dropped > 0 {
		r.Reason += fmt.Sprintf("; %d console line(s) of a flood not kept in the log", tr.Dropped)
	}
	r.Log = log
	return r
}

// maxLog bounds the log a verdict carries (printed, shown, cached): a flood is the head and the
// tail of what was kept, with the count of what is left out between them.
const maxLog = 200

// keptLog renders lines [from, to] of tr for a verdict: at most maxLog, the middle of a flood
// left out and counted, and a first line saying how many console lines the transcript itself
// did not keep.
func keptLog(tr *boot.Transcript, from, to int) []string {
	lines := tr.Render(from, to)
	var out []string
	if tr.Dropped > 0 {
		out = append(out, fmt.Sprintf("(the guest printed %d more console line(s) than were kept: the first and last ones, and every line judged, are here)", tr.Dropped))
	}
	if len(lines) <= maxLog {
		return append(out, lines...)
	}
	half := maxLog / 2
	out = append(out, lines[:half]...)
	out = append(out, fmt.Sprintf("… %d line(s) not shown …", len(lines)-2*half))
	return append(out, lines[len(lines)-half:]...)
}

// judgeSteps checks each step's action: it ran, succeeded, and a read printed what is expected.
func judgeSteps(steps []course.Step, u *boot.UnitRun) string {
	var acts []*boot.Action
	for _, a := range u.Actions {
		if a.Kind == "read" || a.Kind == "write" || a.Kind == "ioctl" || a.Kind == "session" {
			acts = append(acts, a)
		}
	}
	for i, s := range steps {
		if i >= len(acts) {
			return fmt.Sprintf("step %d did not run", i+1)
		}
		a := acts[i]
		out := strings.Join(a.Output, "\n")
		got := boot.StepErrno(a.Output)
		if s.Errno != "" {
			want := guestspec.ErrnoNumber(s.Errno)
			switch {
			case a.RC == 0:
				return fmt.Sprintf("step %d: %s %s succeeded, but it must fail with %s%s", i+1, verb(a.Kind), a.Arg, s.Errno, printed(out))
			case got != want:
				return fmt.Sprintf("step %d: %s %s failed with %s, but it must fail with %s", i+1, verb(a.Kind), a.Arg, errnoText(got, out), s.Errno)
			}
			continue
		}
		if a.RC != 0 {
			if got != 0 {
				return fmt.Sprintf("step %d: %s %s failed with %s", i+1, verb(a.Kind), a.Arg, errnoText(got, out))
			}
			return fmt.Sprintf("step %d: %s %s failed: %s", i+1, verb(a.Kind), a.Arg, cmp.Or(strings.TrimSpace(out), fmt.Sprintf("exit status %d", a.RC)))
		}
		if s.Equals != nil && strings.TrimRight(out, "\n") != strings.TrimRight(*s.Equals, "\n") {
			return fmt.Sprintf("step %d: %s printed %q, expected exactly %q", i+1, a.Arg, clip(strings.TrimRight(out, "\n")), *s.Equals)
		}
		if s.Expect != "" && !strings.Contains(out, s.Expect) {
			return fmt.Sprintf("step %d: %s printed %q, expected it to contain %q", i+1, a.Arg, clip(strings.TrimSpace(out)), s.Expect)
		}
	}
	return ""
}

func verb(kind string) string {
	switch kind {
	case "write":
		return "writing to"
	case "ioctl":
		return "the ioctl on"
	case "session":
		return "the program using"
	}
	return "reading"
}

// errnoText names an errno the guest reported: "EINVAL (Invalid argument)".
func errnoText(n int, out string) string {
	if n == 0 {
		return cmp.Or(strings.TrimSpace(out), "an error")
	}
	e := unix.Errno(n)
	return fmt.Sprintf("%s (%s)", cmp.Or(unix.ErrnoName(e), fmt.Sprintf("errno %d", n)), e.Error())
}

// clip bounds quoted output in a verdict.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// printed quotes what a step printed, for a verdict: "" when nothing.
func printed(out string) string {
	out = strings.TrimSpace(out)
	if out == "" {
		return ""
	}
	return fmt.Sprintf(" (it printed %q)", clip(out))
}

// missingLines returns the first expected text not found in a kernel line in [from, to]; in
// order when ordered is set (each text after the line that matched the one before it).
func missingLines(tr *boot.Transcript, from, to int, want []string, ordered bool) string {
	pos := from
	for _, w := range want {
		start := from
		if ordered {
			start = pos
		}
		found := -1
		for i := start; i <= to && i < len(tr.Lines); i++ {
			if tr.Lines[i].Kind == boot.Kernel && strings.Contains(tr.Lines[i].Text, w) {
				found = i
				break
			}
		}
		if found < 0 {
			return w
		}
		pos = found + 1
	}
	return ""
}

func orderNote(ordered bool, n int) string {
	if ordered && n > 1 {
		return " (the lines must appear in the order the exercise gives)"
	}
	return ""
}

// during says which action line i happened in: "while loading hello", "while unloading hello",
// "during the step that reads /proc/x".
func during(u *boot.UnitRun, i int) string {
	for _, a := range u.Actions {
		if i < a.From || i > a.To {
			continue
		}
		switch a.Kind {
		case "insmod":
			return "while loading " + a.Arg
		case "rmmod":
			return "while unloading " + a.Arg
		default:
			return fmt.Sprintf("during the step that %ss %s", a.Kind, a.Arg)
		}
	}
	return "while the module was loaded"
}

func firstKernelText(tr *boot.Transcript, i int) string {
	if i >= 0 && i < len(tr.Lines) {
		return strings.TrimSpace(tr.Lines[i].Text)
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func tail(lines []string, n int) []string {
	if len(lines) > n {
		return append([]string{fmt.Sprintf("… %d earlier line(s)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return lines
}
