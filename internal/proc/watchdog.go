package proc

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// watchdogScript kills process group $1 unless this process says "done" first. Its standard
// input is a pipe whose other end only this process holds: when this process dies, however it
// dies, the kernel closes that end and read returns at end of file. It ignores the signals a
// terminal sends (a closed terminal's SIGHUP, a Ctrl-C to the foreground group), since those
// are the very moments it is needed.
const watchdogScript = `trap '' HUP INT TERM QUIT
IFS= read -r word
[ "$word" = done ] || kill -9 -"$1" 2>/dev/null`

// watchdog is a started watchdog shell and the write end of its pipe.
type watchdog struct {
	cmd  *exec.Cmd
	pipe *os.File
}

// startWatchdog starts a watchdog for process group pgid, in a process group of its own so
// that neither a signal to the watched group nor one to this process's group reaches it.
func startWatchdog(pgid int) (*watchdog, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "rfl-tutor-watchdog", strconv.Itoa(pgid))
	cmd.Stdin = r // stdout and stderr: /dev/null
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = w.Close()
		return nil, err
	}
	return &watchdog{cmd: cmd, pipe: w}, nil
}

// release tells the watchdog the group ended under supervision, and reaps it.
func (w *watchdog) release() {
	_, _ = w.pipe.WriteString("done\n")
	_ = w.pipe.Close()
	_ = w.cmd.Wait()
}
