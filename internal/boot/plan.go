package boot

import (
	"debug/elf"
	"fmt"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/guestspec"
)

// Unit is one exercise's part of a boot: its modules are loaded in order, its steps run, and the
// modules unloaded in reverse order; the guest reports taint and what is still loaded after it.
type Unit struct {
	// ID names the unit in the transcript (e.g. the exercise id).
	ID      string
	Modules []Module
	Steps   []Step
}

// Module is a .ko to load.
type Module struct {
	// Name is the module's name (its .modinfo name=, what rmmod takes).
	Name string
	// Path is the .ko file on the host.
	Path string
	// Params are module parameters given at load, as insmod takes them ("count=3 name=x").
	Params string
}

// StepKind says what a step does.
type StepKind string

const (
	StepRead  StepKind = "read"  // print the file's contents (at most 64 KiB), or one read of Count bytes
	StepWrite StepKind = "write" // write Data to the file
	StepIoctl StepKind = "ioctl" // ioctl(2) on the file with Cmd and Arg; prints its result
	// StepSession runs Ops in one program that holds several open files of Path at once.
	StepSession StepKind = "session"
)

// SessionOp is one call of a session step on one of its open files (File, a letter): "open",
// "close", "write" (Data), "read" (Count bytes, once) or "ioctl" (Cmd, Arg).
type SessionOp struct {
	Op, File string
	Data     []byte
	Count    int
	Cmd      uint32
	Arg      string
}

// Step is an action in the guest between loading and unloading the unit's modules.
type Step struct {
	Kind StepKind
	// Path is the guest file, e.g. /sys/module/hello/initstate, /proc/modules or /dev/rnullb0.
	Path string
	// Data is what a write step writes, byte for byte.
	Data []byte
	// Count, for a read, asks for one read(2) of that many bytes (1..65536); 0 reads the file.
	Count int
	// Cmd is an ioctl step's request number; Arg its argument: "" none, a number passed as
	// is, or "@N" for a pointer to an int holding N (whose value after the call is printed).
	Cmd uint32
	Arg string
	// Ops are a session step's calls, in order.
	Ops []SessionOp
}

// plan is the guest's script in the form init.sh reads, with the files it names.
type plan struct {
	text    string
	modules map[string]string // archive name → host path
	data    [][]byte
}

func makePlan(units []Unit) (*plan, error) {
	p := &plan{modules: map[string]string{}}
	var b strings.Builder
	for ui, u := range units {
		if err := plainWord(u.ID, "unit id", true); err != nil {
			return nil, err
		}
		if len(u.Modules) == 0 {
			return nil, fmt.Errorf("unit %s loads no module", u.ID)
		}
		fmt.Fprintf(&b, "begin %s\n", u.ID)
		for mi, m := range u.Modules {
			if err := plainWord(m.Name, "module name", false); err != nil {
				return nil, err
			}
			file := fmt.Sprintf("u%dm%d.ko", ui, mi)
			p.modules[file] = m.Path
			if m.Params == "" {
				fmt.Fprintf(&b, "insmod %s %s\n", file, m.Name)
				continue
			}
			if err := plainWord(m.Params, "module parameters", true); err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "insmod %s %s %s\n", file, m.Name, m.Params)
		}
		for _, s := range u.Steps {
			if err := plainWord(s.Path, "step path", true); err != nil {
				return nil, err
			}
			if !strings.HasPrefix(s.Path, "/") {
				return nil, fmt.Errorf("step path %q must be absolute", s.Path)
			}
			switch s.Kind {
			case StepRead:
				if s.Count < 0 || s.Count > 65536 {
					return nil, fmt.Errorf("read of %s: count %d is outside 1..65536", s.Path, s.Count)
				}
				fmt.Fprintf(&b, "read %d %s\n", s.Count, s.Path)
			case StepIoctl:
				arg := s.Arg
				if arg == "" {
					arg = "-"
				} else if !guestspec.ValidIoctlArg(arg) {
					return nil, fmt.Errorf("ioctl on %s: argument %q is not a number or @number", s.Path, arg)
				}
				fmt.Fprintf(&b, "ioctl %d %s %s\n", s.Cmd, arg, s.Path)
			case StepSession:
				ops, err := p.sessionOps(s)
				if err != nil {
					return nil, err
				}
				fmt.Fprintf(&b, "session %d %s\n", len(p.data), s.Path)
				p.data = append(p.data, ops)
			case StepWrite:
				fmt.Fprintf(&b, "write %d %s\n", len(p.data), s.Path)
				p.data = append(p.data, s.Data)
			default:
				return nil, fmt.Errorf("unknown step kind %q", s.Kind)
			}
		}
		for mi := len(u.Modules) - 1; mi >= 0; mi-- {
			fmt.Fprintf(&b, "rmmod %s\n", u.Modules[mi].Name)
		}
		fmt.Fprintf(&b, "end %s\n", u.ID)
	}
	p.text = b.String()
	return p, nil
}

// sessionOps is a session step's ops file as rfl-io reads it, one call a line; the data of its
// writes become data files of their own, named in their lines.
func (p *plan) sessionOps(s Step) ([]byte, error) {
	var b strings.Builder
	for _, op := range s.Ops {
		if len(op.File) != 1 || op.File[0] < 'a' || op.File[0] > 'z' {
			return nil, fmt.Errorf("session on %s: file %q must be one letter a-z", s.Path, op.File)
		}
		switch op.Op {
		case "open", "close":
			fmt.Fprintf(&b, "%s %s\n", op.Op, op.File)
		case "write":
			fmt.Fprintf(&b, "write %s /rfl/data/%d\n", op.File, len(p.data))
			p.data = append(p.data, op.Data)
		case "read":
			if op.Count < 1 || op.Count > 65536 {
				return nil, fmt.Errorf("session on %s: read count %d is outside 1..65536", s.Path, op.Count)
			}
			fmt.Fprintf(&b, "read %s %d\n", op.File, op.Count)
		case "ioctl":
			if op.Arg != "" && !guestspec.ValidIoctlArg(op.Arg) {
				return nil, fmt.Errorf("session on %s: ioctl argument %q is not a number or @number", s.Path, op.Arg)
			}
			fmt.Fprintf(&b, "ioctl %s %d %s\n", op.File, op.Cmd, op.Arg)
		default:
			return nil, fmt.Errorf("session on %s: unknown call %q", s.Path, op.Op)
		}
	}
	return []byte(b.String()), nil
}

// plainWord rejects what would break a plan line: newlines always, spaces where the value is
// not the last field of its line.
func plainWord(s, what string, spacesOK bool) error {
	switch {
	case s == "":
		return fmt.Errorf("empty %s", what)
	case strings.ContainsAny(s, "\n\r\x00"):
		return fmt.Errorf("%s %q contains a line break", what, s)
	case !spacesOK && strings.ContainsAny(s, " \t"):
		return fmt.Errorf("%s %q contains a space", what, s)
	}
	return nil
}

// IsStatic reports whether the ELF executable at path needs no dynamic loader, so it can run
// alone in the initramfs.
func IsStatic(path string) (bool, error) {
	f, err := elf.Open(path)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false, nil
		}
	}
	return true, nil
}
