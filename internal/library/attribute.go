package library

import (
	"path"
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
)

// Attribution: every path a batch build prints lies below the batch folder, and the first
// component below it is a job's subfolder, so a diagnostic or a make failure belongs to the job
// it names. What names no job is either a consequence (make's "*** [M/] Error 2" at each level,
// modpost not running) or something that cannot be placed, which makes the jobs it could
// belong to ambiguous: those are built again, alone.

// attribution is what one build said about the jobs in it.
type attribution struct {
	// diags holds each job's diagnostics, paths mapped to the course.
	diags map[*job][]diag.Diagnostic
	// failed holds the jobs a failure names: an error diagnostic in their files, a make
	// "***" line or a modpost error about their folder.
	failed map[*job]bool
	// conflict holds the jobs whose module names clash with another job's in this batch
	// (scripts/modules-check.sh): nothing is wrong with them, but they cannot share it.
	conflict map[*job]bool
	// why holds, for each failed job, the first make or modpost line that names it: the only
	// trace of some failures (with -k, make prints "No rule to make target" without the
	// "Stop." the diagnostics parser looks for).
	why map[*job]string
	// unplacedErrors and unplacedWarnings are compiler or linker diagnostics that name no
	// job: any job of the batch could have printed them.
	unplacedErrors, unplacedWarnings []diag.Diagnostic
}

var (
	reMakeFailure = regexp.MustCompile(`(?:^(?:\S*/)?g?make(?:\[\d+\])?: \*\*\* )|(?:: \*\*\* )|(?:^(?:ERROR|FATAL): modpost: )`)
	reConflict    = regexp.MustCompile(`^error: the following would cause module name conflict:`)
	reRecipe      = regexp.MustCompile(`\*\*\* \[(?:.+?:\d+: )?(.+)\] (Error \d+|Interrupt|Killed|Terminated|Segmentation fault.*)$`)
)

// displayDir is where a job's files appear in diagnostics: the snippet's folder in the course
// and the variant ("snippets/hello_module/src"), unique per job, so mapped paths still name
// the job.
func (j *job) displayDir() string {
	dir := j.target.Snippet.Dir
	if v := j.target.Snippet.Variant; v != nil && v.Folder != "" {
		dir = path.Join(dir, v.Folder)
	}
	return path.Join(dir, j.target.Variant.String())
}

// coursePath is the file's real place in the course: a Kbuild shared by src/ and starter/
// lives at the top of the snippet folder.
func (j *job) coursePath(name string) string {
	paths := j.target.Snippet.Src
	if j.target.Variant == course.VariantStarter {
		paths = j.target.Snippet.StarterFiles
	}
	if p, ok := paths[name]; ok {
		return p
	}
	return path.Join(j.displayDir(), name)
}

// attribute reads the output of a build of jobs in the batch folder dir (absolute). When
// alone is set the build held only jobs[0], which then owns every diagnostic.
func attribute(output []byte, dir, kdir string, jobs []*job, alone bool) *attribution {
	a := &attribution{diags: map[*job][]diag.Diagnostic{}, failed: map[*job]bool{}, conflict: map[*job]bool{}, why: map[*job]string{}}
	bySub := make(map[string]*job, len(jobs))
	pathMap := make(map[string]string, len(jobs))
	for _, j := range jobs {
		bySub[j.subdir()] = j
		pathMap[path.Join(dir, j.subdir())] = j.displayDir()
	}

	a.scanLines(output, dir, bySub)

	for _, d := range diag.Parse(output, diag.Options{PathMap: pathMap, Dir: kdir}) {
		if d.Origin == diag.OriginRustc && reConflict.MatchString("error: "+d.Message) {
			continue // Kbuild's, not rustc's; read by scanLines
		}
		j := owner(d, jobs)
		if j == nil && alone {
			j = jobs[0]
		}
		switch {
		case j != nil:
			fixPaths(&d, j)
			a.diags[j] = append(a.diags[j], d)
			if d.Severity == diag.SeverityError {
				a.failed[j] = true
			}
		case d.Origin == diag.OriginMake || d.Origin == diag.OriginModpost:
			// make and modpost failing as a whole follow from a job's failure shown
			// elsewhere; when no job failed, the batch made no progress and every job is
			// built alone, which places them.
		case d.Severity == diag.SeverityError:
			a.unplacedErrors = append(a.unplacedErrors, d)
		case d.Severity == diag.SeverityWarning:
			a.unplacedWarnings = append(a.unplacedWarnings, d)
		}
	}
	for _, j := range jobs {
		if a.failed[j] && !hasError(a.diags[j]) && a.why[j] != "" {
			a.diags[j] = append(a.diags[j], makeFailure(a.why[j], dir, j))
		}
	}
	return a
}

func hasError(diags []diag.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == diag.SeverityError {
			return true
		}
	}
	return false
}

// makeFailure turns a make or modpost line about job j into a diagnostic, its paths mapped.
func makeFailure(line, dir string, j *job) diag.Diagnostic {
	d := diag.Diagnostic{Severity: diag.SeverityError, Origin: diag.OriginMake}
	if msg, ok := strings.CutPrefix(line, "ERROR: modpost: "); ok {
		d.Origin, d.Message = diag.OriginModpost, msg
	} else if m := reRecipe.FindStringSubmatch(line); m != nil {
		d.Message = "making " + m[1] + " failed (" + m[2] + ")"
	} else if _, msg, ok := strings.Cut(line, "*** "); ok {
		d.Message = strings.TrimSuffix(strings.TrimSpace(msg), ".  Stop.")
	} else {
		d.Message = line
	}
	d.Message = strings.ReplaceAll(d.Message, path.Join(dir, j.subdir()), j.displayDir())
	return d
}

// scanLines finds the failures diag.Parse keeps no trace of: make's "*** [target] Error" lines
// (diag keeps one only when nothing else explains a failure, but here each names a job), and
// the module name conflicts Kbuild reports by listing the clashing modules.
func (a *attribution) scanLines(output []byte, dir string, bySub map[string]*job) {
	inConflict := false
	for _, l := range strings.Split(ansi.Strip(string(output)), "\n") {
		l = strings.TrimRight(l, "\r \t")
		if i := strings.LastIndexByte(l, '\r'); i >= 0 {
			l = l[i+1:]
		}
		switch {
		case reConflict.MatchString(l):
			inConflict = true
			continue
		case inConflict && strings.HasPrefix(l, "  ") && strings.HasSuffix(l, ".ko"):
			for _, j := range jobsNamed(l, dir, bySub) {
				a.conflict[j] = true
			}
			continue
		}
		inConflict = false
		if reMakeFailure.MatchString(l) {
			for _, j := range jobsNamed(l, dir, bySub) {
				a.failed[j] = true
				if a.why[j] == "" {
					a.why[j] = l
				}
			}
		}
	}
}

// jobsNamed returns the jobs whose folders line mentions, as dir/<subfolder>[/...].
func jobsNamed(line, dir string, bySub map[string]*job) []*job {
	var out []*job
	prefix := dir + "/"
	for rest := line; ; {
		i := strings.Index(rest, prefix)
		if i < 0 {
			return out
		}
		rest = rest[i+len(prefix):]
		end := 0
		for end < len(rest) && isSubdirByte(rest[end]) {
			end++
		}
		if j := bySub[rest[:end]]; j != nil && (end == len(rest) || !isPathByte(rest[end]) || rest[end] == '/') {
			out = append(out, j)
		}
	}
}

func isSubdirByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' }

func isPathByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/'
}

// owner is the job a mapped diagnostic points into: by its file, else by a path in its
// message (modpost names the .ko), its labels or its notes.
func owner(d diag.Diagnostic, jobs []*job) *job {
	in := func(s string) *job {
		for _, j := range jobs {
			if p := j.displayDir() + "/"; strings.HasPrefix(s, p) {
				return j
			}
		}
		return nil
	}
	mentions := func(s string) *job {
		for _, j := range jobs {
			if i := strings.Index(s, j.displayDir()+"/"); i >= 0 && (i == 0 || !isPathByte(s[i-1])) {
				return j
			}
		}
		return nil
	}
	if j := in(d.File); j != nil {
		return j
	}
	if j := mentions(d.Message); j != nil {
		return j
	}
	for _, l := range d.Labels {
		if j := in(l.File); j != nil {
			return j
		}
	}
	for _, n := range d.Notes {
		if j := mentions(n); j != nil {
			return j
		}
	}
	return nil
}

// fixPaths points file locations at where the files live in the course (a shared Kbuild is at
// the top of the snippet folder, not in src/).
func fixPaths(d *diag.Diagnostic, j *job) {
	fix := func(p string) string {
		if name, ok := strings.CutPrefix(p, j.displayDir()+"/"); ok {
			if _, known := j.files[name]; known {
				return j.coursePath(name)
			}
		}
		return p
	}
	d.File = fix(d.File)
	for i := range d.Labels {
		d.Labels[i].File = fix(d.Labels[i].File)
	}
}
