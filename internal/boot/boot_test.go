package boot

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cavaliergopher/cpio"
)

func TestMakePlan(t *testing.T) {
	ko := filepath.Join(t.TempDir(), "a.ko")
	cases := []struct {
		name    string
		units   []Unit
		want    string
		wantErr string
	}{
		{"load, steps, unload in reverse", []Unit{{ID: "ex", Modules: []Module{{Name: "a", Path: ko}, {Name: "b", Path: ko}}, Steps: []Step{
			{Kind: StepRead, Path: "/sys/module/a/initstate"}, {Kind: StepWrite, Path: "/dev/x y", Data: []byte("1")}}}},
			"begin ex\ninsmod u0m0.ko a\ninsmod u0m1.ko b\nread 0 /sys/module/a/initstate\nwrite 0 /dev/x y\nrmmod b\nrmmod a\nend ex\n", ""},
		{"parameters, a short read, ioctls", []Unit{{ID: "ex", Modules: []Module{{Name: "a", Path: ko, Params: "count=3 name=x"}}, Steps: []Step{
			{Kind: StepRead, Path: "/dev/ring", Count: 4}, {Kind: StepIoctl, Path: "/dev/ring", Cmd: 0x7201},
			{Kind: StepIoctl, Path: "/dev/ring", Cmd: 2, Arg: "@-5"}, {Kind: StepIoctl, Path: "/dev/ring", Cmd: 3, Arg: "0x10"}}}},
			"begin ex\ninsmod u0m0.ko a count=3 name=x\nread 4 /dev/ring\nioctl 29185 - /dev/ring\nioctl 2 @-5 /dev/ring\nioctl 3 0x10 /dev/ring\nrmmod a\nend ex\n", ""},
		{"a session with two open files", []Unit{{ID: "ex", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{
			{Kind: StepWrite, Path: "/dev/r", Data: []byte("x")},
			{Kind: StepSession, Path: "/dev/r", Ops: []SessionOp{{Op: "open", File: "a"}, {Op: "open", File: "b"},
				{Op: "write", File: "a", Data: []byte("ping")}, {Op: "read", File: "b", Count: 2}, {Op: "ioctl", File: "a", Cmd: 5, Arg: "@1"}, {Op: "close", File: "a"}}}}}},
			"begin ex\ninsmod u0m0.ko a\nwrite 0 /dev/r\nsession 2 /dev/r\nrmmod a\nend ex\n", ""},
		{"a session file that is not a letter", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{{Kind: StepSession, Path: "/dev/x", Ops: []SessionOp{{Op: "open", File: "ab"}}}}}}, "", "one letter"},
		{"ioctl argument not a number", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{{Kind: StepIoctl, Path: "/dev/x", Arg: "1; reboot"}}}}, "", "not a number"},
		{"read count too big", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{{Kind: StepRead, Path: "/dev/x", Count: 1 << 20}}}}, "", "outside"},
		{"newline in parameters", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko, Params: "a=1\nrmmod a"}}}}, "", "line break"},
		{"two units", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}}, {ID: "y", Modules: []Module{{Name: "b", Path: ko}}}},
			"begin x\ninsmod u0m0.ko a\nrmmod a\nend x\nbegin y\ninsmod u1m0.ko b\nrmmod b\nend y\n", ""},
		{"no module", []Unit{{ID: "x"}}, "", "loads no module"},
		{"space in module name", []Unit{{ID: "x", Modules: []Module{{Name: "a b", Path: ko}}}}, "", "contains a space"},
		{"newline in path", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{{Kind: StepRead, Path: "/a\nrmmod x"}}}}, "", "line break"},
		{"relative path", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{{Kind: StepRead, Path: "proc/x"}}}}, "", "absolute"},
		{"unknown kind", []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: ko}}, Steps: []Step{{Kind: "exec", Path: "/bin/sh"}}}}, "", "unknown step kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := makePlan(tc.units)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.text != tc.want {
				t.Errorf("plan:\n%s\nwant:\n%s", p.text, tc.want)
			}
		})
	}
}

// A real console, trimmed, from a boot of a module whose init succeeded and whose read step ran.
const cleanConsole = "[    0.000000] Linux version 6.12.117 (root@host) #1\r\n" +
	"[    0.519979] Run /init as init process\r\n" +
	"[    0.593170] rfl:abc:ready\r\n" +
	"[    0.593300] rfl:abc:begin:ex\r\n" +
	"[    0.593400] rfl:abc:taint:0\r\n" +
	"[    0.593500] rfl:abc:insmod:hello\r\n" +
	"[    0.597981] hello: loading out-of-tree module taints kernel.\r\n" +
	"[    0.600317] hello: Hello from Rust!\r\n" +
	"[    0.603169] rfl:abc:insmod-rc:0\r\n" +
	"[    0.604000] rfl:abc:read:/sys/module/hello/initstate\r\n" +
	"[    0.604100] rfl:abc:out:live\r\n" +
	"[    0.604200] rfl:abc:step-rc:0\r\n" +
	"[    0.620000] rfl:abc:rmmod:hello\r\n" +
	"[    0.622028] hello: Goodbye from Rust!\r\n" +
	"[    0.623223] rfl:abc:rmmod-rc:0\r\n" +
	"[    0.623300] rfl:abc:taint:4096\r\n" +
	"[    0.623350] rfl:abc:end:ex\r\n" +
	"[    0.623384] rfl:abc:done\r\n"

func TestTranscriptParsesFramesInAnyChunking(t *testing.T) {
	for _, chunk := range []int{1, 3, 7, 64, len(cleanConsole)} {
		tr := NewTranscript("abc")
		data := []byte(cleanConsole)
		for len(data) > 0 {
			n := min(chunk, len(data))
			_, _ = tr.Write(data[:n])
			data = data[n:]
		}
		tr.Close()
		u := tr.Unit("ex")
		if !tr.Ready || !tr.Done || u == nil || !u.Ended {
			t.Fatalf("chunk %d: ready=%v done=%v unit=%+v", chunk, tr.Ready, tr.Done, u)
		}
		if u.TaintBefore != 0 || u.TaintAfter != 4096 {
			t.Errorf("chunk %d: taint %d → %d", chunk, u.TaintBefore, u.TaintAfter)
		}
		if len(u.Actions) != 3 {
			t.Fatalf("chunk %d: actions %+v", chunk, u.Actions)
		}
		ins, read, rm := u.Actions[0], u.Actions[1], u.Actions[2]
		if ins.Kind != "insmod" || ins.Arg != "hello" || !ins.Done || ins.RC != 0 {
			t.Errorf("insmod %+v", ins)
		}
		if got := strings.Join(tr.Render(ins.From, ins.To), "|"); !strings.Contains(got, "[0.600317] hello: Hello from Rust!") {
			t.Errorf("the init line is not inside the insmod frame: %s", got)
		}
		if read.Kind != "read" || read.Arg != "/sys/module/hello/initstate" || strings.Join(read.Output, "") != "live" {
			t.Errorf("read %+v", read)
		}
		if rm.Kind != "rmmod" || rm.RC != 0 || !strings.Contains(strings.Join(tr.Render(rm.From, rm.To), "|"), "Goodbye") {
			t.Errorf("rmmod %+v", rm)
		}
		if p := tr.Problems(0, -1); len(p) != 0 {
			t.Errorf("problems: %+v", p)
		}
	}
}

func TestTranscriptRender(t *testing.T) {
	tr := NewTranscript("abc")
	_, _ = tr.Write([]byte(cleanConsole))
	u := tr.Unit("ex")
	got := strings.Join(tr.Render(u.From, u.To), "\n")
	want := strings.Join([]string{
		"» begin ex", "» tainted=0", "» insmod hello",
		"[0.597981] hello: loading out-of-tree module taints kernel.",
		"[0.600317] hello: Hello from Rust!", "» exit status 0",
		"» read /sys/module/hello/initstate", "  | live", "» exit status 0",
		"» rmmod hello", "[0.622028] hello: Goodbye from Rust!", "» exit status 0",
		"» tainted=4096", "» end ex"}, "\n")
	if got != want {
		t.Errorf("render:\n%s\nwant:\n%s", got, want)
	}
}

func TestTranscriptIgnoresForgedFramesAndPending(t *testing.T) {
	tr := NewTranscript("abc")
	_, _ = tr.Write([]byte("rfl:abc:ready\nrfl:abc:begin:ex\nrfl:abc:insmod:m\n[ 1.0] m: spinning\n[ 1.1] rfl:xyz:insmod-rc:0\nrfl:abc:done-ish\n"))
	u, a := tr.Pending()
	if u == nil || a == nil || a.Kind != "insmod" || a.Done {
		t.Fatalf("pending: %+v %+v", u, a)
	}
	if tr.Done {
		t.Error("a forged or unknown event ended the boot")
	}
	if got := tr.Lines[len(tr.Lines)-2]; got.Kind != Kernel || got.Text != "rfl:xyz:insmod-rc:0" {
		t.Errorf("a frame with another nonce must stay a kernel line: %+v", got)
	}
}

func TestTranscriptBoundsAFlood(t *testing.T) {
	tr := NewTranscript("abc")
	_, _ = tr.Write([]byte("rfl:abc:ready\nrfl:abc:begin:ex\nrfl:abc:insmod:m\n"))
	line := []byte("[ 1.0] m: flood flood flood\n")
	for i := 0; i < maxLines+5000; i++ {
		_, _ = tr.Write(line)
	}
	_, _ = tr.Write([]byte(strings.Repeat("x", 3*maxLineBytes)))
	_, _ = tr.Write([]byte("\nrfl:abc:insmod-rc:0\nrfl:abc:end:ex\nrfl:abc:done\n"))
	if len(tr.Lines) > maxLines+10 || tr.Dropped == 0 {
		t.Errorf("kept %d lines, dropped %d", len(tr.Lines), tr.Dropped)
	}
	if !tr.Done || !tr.Unit("ex").Ended || !tr.Unit("ex").Actions[0].Done {
		t.Error("frames after the flood were lost")
	}
}

// A flood keeps its head, its tail before each frame, every line that is judged (the expected
// ones, a report in the middle of it) and says how many it dropped.
func TestTranscriptKeepsWhatIsJudgedInAFlood(t *testing.T) {
	tr := NewTranscript("abc", "m: Goodbye")
	w := func(s string) { _, _ = tr.Write([]byte(s)) }
	w("rfl:abc:ready\nrfl:abc:begin:ex\nrfl:abc:insmod:m\n")
	const flood = 25000
	for i := range flood {
		w(fmt.Sprintf("[ 1.0] m: line %d\n", i))
		if i == 12000 {
			w("[ 1.1] ------------[ cut here ]------------\n[ 1.1] WARNING: CPU: 0 PID: 25 at m.rs:9 init\n[ 1.1] Call Trace:\n[ 1.1] ---[ end trace 0000000000000000 ]---\n")
		}
	}
	w("rfl:abc:insmod-rc:0\nrfl:abc:rmmod:m\n[ 2.0] m: Goodbye from Rust!\nrfl:abc:rmmod-rc:0\nrfl:abc:end:ex\nrfl:abc:done\n")
	tr.Close()

	text := strings.Join(tr.Render(0, len(tr.Lines)-1), "\n")
	for _, want := range []string{"m: line 0\n", fmt.Sprintf("m: line %d\n", headLines-3), fmt.Sprintf("m: line %d\n", flood-1),
		"m: Goodbye from Rust!", "[ cut here ]", "WARNING: CPU: 0", "---[ end trace"} {
		if !strings.Contains(text+"\n", want) {
			t.Errorf("the kept transcript lacks %q", want)
		}
	}
	if strings.Contains(text, "m: line 10000\n") {
		t.Error("the middle of the flood was kept")
	}
	kept := tr.kernel - tr.Dropped
	if tr.Dropped < flood-headLines-2*tailLines-10 || kept > headLines+2*tailLines+20 { // the tail before the report and before the next frame
		t.Errorf("dropped %d of %d kernel lines, kept %d", tr.Dropped, tr.kernel, kept)
	}
	if p := tr.Problems(0, -1); len(p) != 1 || p[0].Kind != "WARNING" {
		t.Errorf("problems in the flood: %+v", p)
	}
	u := tr.Unit("ex")
	if rm := u.Action("rmmod", ""); rm == nil || !rm.Done || tr.Lines[rm.From].Kind != Marker {
		t.Fatalf("the unload after the flood: %+v", rm)
	}
}

// Reports as the 6.12 kernel prints them (from real boots of the planted modules).
func TestProblems(t *testing.T) {
	cases := []struct {
		name, console string
		kind          string
		excerptHas    string
	}{
		{"null pointer", "[ 0.6] BUG: kernel NULL pointer dereference, address: 0000000000000000\n[ 0.6] #PF: supervisor read access in kernel mode\n[ 0.6] Oops: Oops: 0000 [#1]\n[ 0.6] Call Trace:\n[ 0.6] ---[ end trace 0000000000000000 ]---\n[ 0.7] after\n",
			"BUG", "---[ end trace"},
		{"warn", "[ 0.6] ------------[ cut here ]------------\n[ 0.6] WARNING: CPU: 0 PID: 25 at x.rs:10 init+0x1/0x2\n[ 0.6] ---[ end trace 0 ]---\n",
			"WARNING", "[ cut here ]"},
		{"rust panic", "[ 0.6] rust_kernel: panicked at hello.rs:30:9:\n[ 0.6] planted panic in drop\n[ 0.6] ------------[ cut here ]------------\n[ 0.6] kernel BUG at rust/helpers/bug.c:7!\n",
			"Rust panic", "planted panic in drop"},
		{"panic", "[ 0.6] Kernel panic - not syncing: Attempted to kill init!\n[ 0.6] ---[ end Kernel panic - not syncing: Attempted to kill init! ]---\n",
			"kernel panic", "end Kernel panic"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTranscript("n")
			_, _ = tr.Write([]byte(tc.console))
			ps := tr.Problems(0, -1)
			if len(ps) == 0 || ps[0].Kind != tc.kind {
				t.Fatalf("problems %+v, want first of kind %s", ps, tc.kind)
			}
			if ex := strings.Join(ps[0].Excerpt, "\n"); !strings.Contains(ex, tc.excerptHas) {
				t.Errorf("excerpt lacks %q:\n%s", tc.excerptHas, ex)
			}
			if tc.name == "null pointer" && (len(ps) != 1 || strings.Contains(strings.Join(ps[0].Excerpt, "\n"), "after")) {
				t.Errorf("one report, ending at its end marker: %+v", ps)
			}
		})
	}
}

func TestLoadErrorAndTaint(t *testing.T) {
	cases := []struct {
		out        string
		errno, txt string
	}{
		{"rfl-insmod: errno 19", "ENODEV", "No such device"},
		{"rfl-insmod: errno 22", "EINVAL", "Invalid argument"},
		{"rfl-insmod: errno 524", "ENOTSUPP", "a kernel-internal error code, 524"},
		{"insmod: can't insert '/rfl/mod/u0m0.ko': Invalid argument", "EINVAL", "Invalid argument"},
		{"insmod: can't insert 'x.ko': Unknown error 524", "ENOTSUPP", "Unknown error 524"},
		{"Segmentation fault", "", ""},
	}
	for _, tc := range cases {
		errno, txt := LoadError([]string{tc.out})
		if errno != tc.errno || txt != tc.txt {
			t.Errorf("LoadError(%q) = %q, %q; want %q, %q", tc.out, errno, txt, tc.errno, tc.txt)
		}
	}
	if got := DescribeTaint(1<<7 | 1<<9); got != "D (the kernel died (Oops or BUG)), W (a WARN fired)" {
		t.Errorf("DescribeTaint = %q", got)
	}
	if bit, ok := TaintBit("N"); !ok || bit != 1<<18 {
		t.Errorf("TaintBit(N) = %d, %v", bit, ok)
	}
}

// The base archive holds busybox, /init and the loader; the per-boot overlay the plan, nonce,
// modules and data. Both must read back as newc archives.
func TestArchivesReadBack(t *testing.T) {
	dir := t.TempDir()
	bb := filepath.Join(dir, "busybox")
	// The archive needs a statically linked busybox; busybox-static is in the toolchain.
	real, err := os.ReadFile("/bin/busybox")
	if err != nil {
		t.Fatal("no /bin/busybox: install busybox-static (scripts/install-toolchain.sh)")
	}
	if err := os.WriteFile(bb, real, 0o755); err != nil {
		t.Fatal(err)
	}
	base, err := EnsureBase(dir, bb, "")
	if err != nil {
		t.Fatal(err)
	}
	again, err := EnsureBase(dir, bb, "")
	if err != nil || again != base {
		t.Fatalf("second EnsureBase: %q %v", again, err)
	}
	f, err := os.Open(base)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	names := archiveNames(t, zr)
	for _, want := range []string{"bin/busybox", "init", "proc", "rfl"} {
		if !names[want] {
			t.Errorf("base lacks %s: %v", want, names)
		}
	}

	ko := filepath.Join(dir, "m.ko")
	_ = os.WriteFile(ko, []byte("module"), 0o644)
	p, err := makePlan([]Unit{{ID: "x", Modules: []Module{{Name: "m", Path: ko}}, Steps: []Step{{Kind: StepWrite, Path: "/dev/x", Data: []byte("v")}}}})
	if err != nil {
		t.Fatal(err)
	}
	initrd, remove, err := writeInitrd(context.Background(), Request{Initramfs: base, WorkDir: dir}, "nonce", p)
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	all, _ := os.ReadFile(initrd)
	st, _ := os.Stat(base)
	off := (st.Size() + 3) &^ 3 // the overlay starts 4-byte aligned after the base
	if !bytes.HasPrefix(all[off:], []byte("070701")) {
		t.Fatalf("no newc archive at offset %d", off)
	}
	names = archiveNames(t, bytes.NewReader(all[off:]))
	for _, want := range []string{"rfl/plan", "rfl/nonce", "rfl/mod/u0m0.ko", "rfl/data/0"} {
		if !names[want] {
			t.Errorf("overlay lacks %s: %v", want, names)
		}
	}
}

func archiveNames(t *testing.T, r io.Reader) map[string]bool {
	t.Helper()
	cr := cpio.NewReader(r)
	names := map[string]bool{}
	for {
		h, err := cr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names[h.Name] = true
	}
}

func TestFindSaysEverythingMissing(t *testing.T) {
	_, err := Find(t.TempDir(), func(string) (string, error) { return "", os.ErrNotExist })
	u, ok := err.(*Unavailable)
	if !ok || len(u.Reasons) != 3 {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"qemu-system-x86_64 is not installed", "no bzImage", "busybox is not installed", "apt-get install qemu-system-x86", "busybox-static"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

// FuzzTranscript feeds arbitrary console output (what a learner's module prints is untrusted):
// parsing must not panic, must keep its bounds, and must stay linear.
func FuzzTranscript(f *testing.F) {
	f.Add([]byte(cleanConsole), 5)
	f.Add([]byte("rfl:abc:begin:\nrfl:abc:taint:x\nrfl:abc:insmod-rc:\nrfl:abc:out:\r\r\n\x00\xff"), 1)
	f.Add([]byte("[ 1.0] BUG: x\n[ 1.0] ---[ end trace\nrfl:abc:end:ex\n"), 2)
	f.Fuzz(func(t *testing.T, data []byte, chunk int) {
		if chunk <= 0 {
			chunk = 1
		}
		start := time.Now()
		tr := NewTranscript("abc")
		for p := data; len(p) > 0; {
			n := min(chunk, len(p))
			_, _ = tr.Write(p[:n])
			p = p[n:]
		}
		tr.Close()
		_ = tr.Problems(0, -1)
		_, _ = tr.Pending()
		for _, u := range tr.Units {
			_ = tr.Render(u.From, u.To)
			for _, a := range u.Actions {
				_, _ = LoadError(a.Output)
				if a.From > a.To || a.To >= len(tr.Lines) {
					t.Fatalf("action range %d..%d of %d lines", a.From, a.To, len(tr.Lines))
				}
			}
		}
		for _, l := range tr.Lines {
			if len(l.Text) > maxLineBytes {
				t.Fatalf("a line of %d bytes was kept", len(l.Text))
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("parsing %d bytes took %v", len(data), d)
		}
	})
}

func TestIsStatic(t *testing.T) {
	if static, err := IsStatic("/bin/sh"); err != nil || static {
		t.Errorf("/bin/sh: static %v err %v, want dynamic", static, err)
	}
	if _, err := os.Stat("/bin/busybox"); err == nil {
		if static, err := IsStatic("/bin/busybox"); err != nil || !static {
			t.Errorf("/bin/busybox (busybox-static): static %v err %v", static, err)
		}
	}
	if _, err := IsStatic("/etc/hostname"); err == nil {
		t.Error("not an ELF file: want an error")
	}
}

func TestDemangleSymbols(t *testing.T) {
	cases := []struct{ in, want string }{
		{"at: _RNvXs_Cs9wtdVo0Oox0_10lock_twiceNtB4_9LockTwiceNtCsl7L7n58I0Vr_6kernel6Module4init+0xde/0x1e9 [lock_twice]",
			"at: <lock_twice::LockTwice as kernel::Module>::init+0xde/0x1e9 [lock_twice]"},
		{" ? __mutex_lock+0x8f/0x680", " ? __mutex_lock+0x8f/0x680"},
		{"_Rnot_a_symbol_at_all", "_Rnot_a_symbol_at_all"},
		{"my_R_value=3", "my_R_value=3"},
	}
	for _, tc := range cases {
		if got := demangleSymbols(tc.in); got != tc.want {
			t.Errorf("demangleSymbols(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLockdepSummary(t *testing.T) {
	report := []string{
		"[1.07] WARNING: possible recursive locking detected",
		"[1.07] rfl-insmod/24 is trying to acquire lock:",
		"[1.07] ffff888000911420 (/root/.cache/rfl-tutor/builds/c/lock-twice/build/lock_twice.rs:46){+.+.}-{3:3}, at: <lock_twice::LockTwice as kernel::Module>::init+0xde/0x1e9 [lock_twice]",
		"[1.07] ",
		"[1.07] but task is already holding lock:",
		"[1.07] ffff888000911420 (/root/.cache/rfl-tutor/builds/c/lock-twice/build/lock_twice.rs:46){+.+.}-{3:3}, at: <lock_twice::LockTwice as kernel::Module>::init+0xba/0x1e9 [lock_twice]",
	}
	want := "lock lock_twice.rs:46 taken at <lock_twice::LockTwice as kernel::Module>::init+0xde/0x1e9 while the task already held it (taken at <lock_twice::LockTwice as kernel::Module>::init+0xba/0x1e9)"
	if got := LockdepSummary(report); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := LockdepSummary([]string{"BUG: kernel NULL pointer dereference"}); got != "" {
		t.Errorf("not lockdep: %q", got)
	}
	other := append(report[:5:5], "[1.07] ffff8880 (&dev->lock){+.+.}-{3:3}, at: probe+0x1/0x2")
	if got := LockdepSummary(other); !strings.Contains(got, "while the task held &dev->lock (taken at probe+0x1/0x2)") {
		t.Errorf("two locks: %q", got)
	}
}
