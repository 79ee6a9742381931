package progress

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKillDuringWrite kills a writer that saves progress in a tight loop with SIGKILL at random
// moments and checks after every kill that the file parses as a valid state without being taken
// for corrupt, that no update which had completed is lost, and that no temporary files pile up.
func TestKillDuringWrite(t *testing.T) {
	const rounds = 30
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, seed>>1))
	t.Logf("seed %d", seed)

	s := tempStore(t)
	dir := filepath.Dir(s.Path())
	prev, grew, tempsSeen := 0, 0, 0
	start := time.Now()
	for round := range rounds {
		cmd := helper(t, "loop", s.Path())
		ready, err := readyLine(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Count from the first completed save, so the kill lands while the writer is busy
		// writing rather than while the process is still starting.
		select {
		case err := <-ready:
			if err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: writer did not start: %v", round, err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: writer did not start", round)
		}
		time.Sleep(time.Duration(1+rng.IntN(30)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: writer ended on its own (%v), not by the kill", round, err)
		}

		data, err := os.ReadFile(s.Path())
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		st, err := s.Load()
		if err != nil {
			t.Fatalf("round %d: progress file does not load after a kill: %v\n%.300s", round, err, data)
		}
		if st.Version != Version {
			t.Fatalf("round %d: version %d", round, st.Version)
		}
		n := totalAttempts(st)
		if n < prev+1 { // the writer's first save completed before the kill
			t.Fatalf("round %d: %d attempts after the kill, had %d before: a completed update was lost", round, n, prev)
		}
		if n > prev+1 {
			grew++
		}
		prev = n

		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		temps := 0
		for _, e := range entries {
			switch name := e.Name(); {
			case name == "progress.json", name == "progress.json.lock":
			case strings.HasPrefix(name, ".progress.json.tmp-"):
				temps++
			default:
				t.Fatalf("round %d: unexpected file %s", round, name)
			}
		}
		// A kill between creating and renaming the temporary file leaves one behind; the next
		// writer's first update removes it, so there is never more than one.
		if temps > 1 {
			t.Fatalf("round %d: %d temporary files piled up", round, temps)
		}
		tempsSeen += temps
	}
	t.Logf("%d rounds in %v: %d saves survived in all, %d rounds saved more than once, %d kills left a temporary file",
		rounds, time.Since(start).Round(time.Millisecond), prev, grew, tempsSeen)
	if grew < rounds/4 {
		t.Errorf("only %d of %d writers saved more than once before being killed: the test is not exercising writes", grew, rounds)
	}
}
