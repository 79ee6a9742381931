package tui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// buildOutput is coloured rustc-like output, n lines.
func buildOutput(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "\x1b[0m\x1b[1m\x1b[38;5;9merror[E0425]\x1b[0m\x1b[0m\x1b[1m: cannot find value `x%d` in this scope\x1b[0m\r\n", i)
		case 1:
			fmt.Fprintf(&b, "\x1b[0m  \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m--> \x1b[0m\x1b[0mhello.rs:%d:9\x1b[0m\r\n", i)
		case 2:
			fmt.Fprintf(&b, "\x1b[1m\x1b[38;5;12m%4d |\x1b[0m \tlet y = x%d + 1; // a long enough line of Rust code to be realistic\r\n", i, i)
		default:
			fmt.Fprintf(&b, "  RUSTC [M] /home/learner/.cache/rfl-tutor/builds/hello-module/hello.o\r\n")
		}
	}
	return b.Bytes()
}

func BenchmarkLessonView(b *testing.B) {
	h := newHarness(b, 120, 40)
	h.key("j", "enter")
	h.waitFor("the lesson", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
	b.ReportAllocs()
	for b.Loop() {
		_ = h.m.View()
	}
}

func benchExerciseView(b *testing.B, tab exerciseTab, scroll int) {
	h := newHarness(b, 120, 40)
	p := openHello(b, h)
	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return p.verdict != nil })
	p.out.Reset()
	p.out.Write(buildOutput(OutputLines))
	p.tab = tab
	if scroll != 0 {
		p.Scroll(scroll)
	}
	if p.out.Len() != OutputLines {
		b.Fatalf("%d lines of output", p.out.Len())
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = h.m.View()
	}
}

// BenchmarkExerciseView is one frame of the exercise pane holding 10,000 lines of build output.
func BenchmarkExerciseView(b *testing.B) {
	b.Run("output-tail", func(b *testing.B) { benchExerciseView(b, tabOutput, 0) })
	b.Run("output-scrolled", func(b *testing.B) { benchExerciseView(b, tabOutput, -5000) })
	b.Run("diagnostics", func(b *testing.B) { benchExerciseView(b, tabDiagnostics, 0) })
}

// BenchmarkStartup is from nothing to the first frame's content: read progress, build the
// model, take the window size, render. Init's commands (the doctor, the background colour,
// reopening the last lesson) run concurrently in a program and are not waited for.
func BenchmarkStartup(b *testing.B) {
	h := newHarness(b, 120, 40)
	o := h.m.optionsForTest()
	b.ReportAllocs()
	for b.Loop() {
		m, err := New(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		_ = m.Init()
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if !strings.Contains(m.View().Content, "Lessons") {
			b.Fatal("first frame is not the list")
		}
	}
}

// firstWrite records when the program first writes to its terminal.
type firstWrite struct {
	got chan struct{}
	n   int
}

func (f *firstWrite) Write(p []byte) (int, error) {
	if f.n == 0 && bytes.Contains(p, []byte("Lessons")) {
		close(f.got)
		f.n++
	}
	return len(p), nil
}

// BenchmarkProgramFirstFrame runs the real program (renderer included) until the list is on
// the terminal.
func BenchmarkProgramFirstFrame(b *testing.B) {
	h := newHarness(b, 120, 40)
	o := h.m.optionsForTest()
	for b.Loop() {
		m, err := New(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		out := &firstWrite{got: make(chan struct{})}
		pr, pw := io.Pipe()
		p := tea.NewProgram(m, tea.WithInput(pr), tea.WithOutput(out), tea.WithWindowSize(120, 40),
			tea.WithoutSignals())
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		select {
		case <-out.got:
		case <-time.After(5 * time.Second):
			b.Fatal("no first frame")
		}
		b.StopTimer()
		p.Quit()
		pw.Close()
		<-done
		b.StartTimer()
	}
}

// floodChecker streams total bytes of build output in pty-sized chunks, then fails the build.
type floodChecker struct{ total int }

func (f floodChecker) Check(ctx context.Context, ex *course.Exercise, dir string, opts check.Options) (*check.Verdict, error) {
	chunk := buildOutput(200)
	buf := make([]byte, 4096)
	opts.OnEvent(check.StageStarted{Stage: course.StageBuild})
	for sent := 0; sent < f.total; {
		for off := 0; off < len(chunk) && sent < f.total; off += len(buf) {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			n := copy(buf, chunk[off:])
			opts.OnEvent(check.Output{Data: buf[:n]}) // the same buffer, as the pty reader does
			sent += n
		}
	}
	return failingVerdict(dir), nil
}

func rssBytes(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Skip("no VmRSS")
	return 0
}

// TestOutputFloodBoundedMemory streams 50 MB of build output through the whole path (checker
// callback, bounded channel, re-armed command, termbuf, a frame per message) and checks that
// resident memory stays under 100 MB and the UI keeps only the scrollback.
func TestOutputFloodBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 50 MB")
	}
	const total = 50 << 20
	h := newHarness(t, 120, 40, func(o *Options) { o.Checker = floodChecker{total: total} })
	p := openHello(t, h)
	runtime.GC()
	before := rssBytes(t)

	start := time.Now()
	_, cmd := h.m.Update(keyPress("c"))
	h.exec(cmd)
	var peak int64
	var frames int
	var slowest time.Duration
	for p.verdict == nil {
		select {
		case msg := <-h.inbox:
			h.deliver(msg)
			t0 := time.Now()
			_ = h.m.View()
			slowest = max(slowest, time.Since(t0))
			frames++
			if frames%64 == 0 {
				peak = max(peak, rssBytes(t))
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the flood did not finish")
		}
	}
	peak = max(peak, rssBytes(t))
	elapsed := time.Since(start)
	h.settle() // the verdict's progress write, before the test's folders go
	t.Logf("50 MB in %v (%.0f MB/s), %d messages, slowest frame %v, RSS %d MB before, peak %d MB",
		elapsed.Round(time.Millisecond), float64(total)/(1<<20)/elapsed.Seconds(), frames, slowest,
		before>>20, peak>>20)
	if peak > 100<<20 {
		t.Errorf("resident memory reached %d MB", peak>>20)
	}
	if got := p.out.Len(); got > OutputLines+1 {
		t.Errorf("the scrollback holds %d lines", got)
	}
	if p.out.Dropped() == 0 {
		t.Error("no line was dropped: the flood was not a flood")
	}
}
