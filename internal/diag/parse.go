package diag

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
)

// maxLine bounds how much of one line the patterns look at: build lines are short, and a
// pathological multi-megabyte line must not make every pattern scan it.
const maxLine = 4096

var (
	// rustc's human format.
	reRustcHeader  = regexp.MustCompile(`^(error|warning)(?:\[([A-Za-z0-9_:-]+)\])?: (.+)$`)
	reRustcSummary = regexp.MustCompile(`^(?:error: aborting due to |warning: \d+ warnings? emitted|Some errors have detailed explanations|For more information about)`)
	reArrow        = regexp.MustCompile(`^ *(-->|:::) (.+):(\d+):(\d+)$`)
	reSource       = regexp.MustCompile(`^ *(\d+) +\|(.*)$`)
	reDiff         = regexp.MustCompile(`^ *(\d+) +([+~-])(.*)$`)
	reAnnotation   = regexp.MustCompile(`^ +\|(.*)$`)
	reElision      = regexp.MustCompile(`^ *\.\.\.`)
	reEqNote       = regexp.MustCompile(`^ *= (note|help|warning|error): ?(.*)$`)
	reSubHeader    = regexp.MustCompile(`^(note|help)(?:\[[A-Za-z0-9_:-]+\])?: (.*)$`)

	// Kbuild's own warning when the C compiler is not the tree's.
	reCompilerDiffers = regexp.MustCompile(`^warning: the (?:Rust )?compiler differs from the one used to build the kernel`)

	// gcc/clang (and rustc's --error-format=short): path:line:col: severity: message.
	reCC     = regexp.MustCompile(`^([^\s:][^:]*):(\d+):(\d+): (fatal error|error|warning|note)(?:\[([A-Za-z0-9_:-]+)\])?: (.*)$`)
	reCCFlag = regexp.MustCompile(` \[(-W[A-Za-z0-9_=-]+)(?:,[^\]]*)?\]$`)

	reModpost = regexp.MustCompile(`^(ERROR|WARNING|FATAL): modpost: (.+)$`)
	reLinker  = regexp.MustCompile(`^(?:\S*/)?(?:ld\.lld|ld\.bfd|ld\.gold|ld|rust-lld)(?:-\d+)?: (error|warning): (.+)$`)

	reMakeRecipe = regexp.MustCompile(`^(?:\S*/)?g?make(?:\[\d+\])?: \*\*\* \[(?:.+?:\d+: )?(.+)\] (Error \d+|Interrupt|Killed|Terminated|Segmentation fault.*)$`)
	reMakeStop   = regexp.MustCompile(`^(?:\S*/)?g?make(?:\[\d+\])?: \*\*\* (.+?)\.? +Stop\.$`)
	// With -k (keep going) make reports a missing prerequisite without the "Stop.".
	reMakeNoRule = regexp.MustCompile(`^(?:\S*/)?g?make(?:\[\d+\])?: \*\*\* (No rule to make target .+?)\.?$`)
	reMakefile   = regexp.MustCompile(`^(\S+?):(\d+): (?:\*\*\* (.+?)\.? +Stop\.|(warning): (.+))$`)
)

// Parse reads a build's output and returns its diagnostics in the order printed. rustc's
// closing summaries ("aborting due to…", "N warnings emitted") are not diagnostics. make's
// "*** [target] Error N" lines repeat at every make level as a consequence of an error shown
// above them: they are kept (the innermost one) only when nothing else explains the failure.
func Parse(output []byte, opts Options) []Diagnostic {
	p := &parser{m: newMapper(opts), seen: map[string]bool{}}
	lines := splitLines(output)
	for i := 0; i < len(lines); {
		i = p.line(lines, i)
	}
	return p.finish()
}

// splitLines strips escape sequences, and turns CRLF ends and carriage-return overwrites
// into plain lines as a terminal would show them.
func splitLines(output []byte) []string {
	text := ansi.Strip(string(output))
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if j := strings.LastIndexByte(l, '\r'); j >= 0 {
			l = l[j+1:]
		}
		if len(l) > maxLine {
			l = l[:maxLine]
		}
		lines[i] = strings.TrimRight(l, " \t")
	}
	return lines
}

type parser struct {
	m       mapper
	diags   []Diagnostic
	recipes []Diagnostic // make's "*** [...] Error N" lines
	seen    map[string]bool
}

func (p *parser) add(d Diagnostic) {
	// Compiler output quotes the learner's code: nothing of it may drive the terminal.
	d.Message, d.File, d.SourceLine = sanitize.Text(d.Message), sanitize.Text(d.File), sanitize.Text(d.SourceLine)
	d.Notes = sanitize.Lines(d.Notes)
	for i := range d.Labels {
		d.Labels[i].Text = sanitize.Text(d.Labels[i].Text)
	}
	key := string(d.Severity) + "\x00" + d.Code + "\x00" + d.Message + "\x00" + d.File + "\x00" +
		strconv.Itoa(d.Line) + ":" + strconv.Itoa(d.Column)
	if p.seen[key] {
		return // -j builds and make's restarts can print a diagnostic twice
	}
	p.seen[key] = true
	p.diags = append(p.diags, d)
}

func (p *parser) finish() []Diagnostic {
	for _, d := range p.diags {
		if d.Severity == SeverityError {
			return p.diags
		}
	}
	if len(p.recipes) > 0 {
		return append(p.diags, p.recipes[0])
	}
	return p.diags
}

// line recognises the diagnostic starting at lines[i] and returns the index after it.
func (p *parser) line(lines []string, i int) int {
	l := lines[i]
	switch {
	case l == "" || reRustcSummary.MatchString(l):
		return i + 1
	case reCompilerDiffers.MatchString(l):
		d := Diagnostic{Severity: SeverityWarning, Message: l[len("warning: "):], Origin: OriginMake}
		j := i + 1
		for ; j < len(lines) && (strings.HasPrefix(lines[j], "  The kernel was built by:") ||
			strings.HasPrefix(lines[j], "  You are using:")); j++ {
			d.Notes = append(d.Notes, "note: "+strings.TrimSpace(lines[j]))
		}
		p.add(d)
		return j
	}
	if m := reRustcHeader.FindStringSubmatch(l); m != nil {
		d := Diagnostic{Severity: Severity(m[1]), Code: m[2], Message: p.m.text(m[3]), Origin: OriginRustc}
		j := p.rustcBody(&d, lines, i+1)
		p.add(d)
		return j
	}
	if m := reModpost.FindStringSubmatch(l); m != nil {
		p.add(p.modpost(m[1], m[2]))
		return i + 1
	}
	if m := reLinker.FindStringSubmatch(l); m != nil {
		d := Diagnostic{Severity: Severity(m[1]), Message: p.m.text(m[2]), Origin: OriginLinker}
		j := i + 1
		for ; j < len(lines) && strings.HasPrefix(lines[j], ">>> "); j++ {
			if len(d.Notes) < 20 {
				d.Notes = append(d.Notes, "note: "+p.m.text(strings.TrimPrefix(lines[j], ">>> ")))
			}
		}
		p.add(d)
		return j
	}
	if m := reCC.FindStringSubmatch(l); m != nil {
		return p.cc(m, lines, i)
	}
	if m := reMakeRecipe.FindStringSubmatch(l); m != nil {
		p.recipes = append(p.recipes, Diagnostic{
			Severity: SeverityError,
			Message:  "making " + p.m.text(m[1]) + " failed (" + m[2] + ")",
			Origin:   OriginMake,
		})
		return i + 1
	}
	m := reMakeStop.FindStringSubmatch(l)
	if m == nil {
		m = reMakeNoRule.FindStringSubmatch(l)
	}
	if m != nil {
		d := Diagnostic{Severity: SeverityError, Message: p.m.text(m[1]), Origin: OriginMake}
		d.Notes = p.makeHints(m[1])
		p.add(d)
		return i + 1
	}
	if m := reMakefile.FindStringSubmatch(l); m != nil && (m[3] != "" || isMakefile(m[1])) {
		line, _ := strconv.Atoi(m[2])
		d := Diagnostic{Severity: SeverityError, Message: p.m.text(m[3]), File: p.m.path(m[1]), Line: line, Origin: OriginMake}
		if m[4] != "" {
			d.Severity, d.Message = SeverityWarning, p.m.text(m[5])
		}
		p.add(d)
	}
	return i + 1
}

func isMakefile(path string) bool {
	base := path[strings.LastIndexByte(path, '/')+1:]
	return base == "Kbuild" || base == "Makefile" || base == "GNUmakefile" ||
		strings.HasPrefix(base, "Makefile.") || strings.HasSuffix(base, ".mk")
}

// cc reads a C compiler diagnostic and the source excerpt after it; notes attach to the
// diagnostic before them.
func (p *parser) cc(m []string, lines []string, i int) int {
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	msg := m[6]
	code := m[5]
	if f := reCCFlag.FindStringSubmatchIndex(msg); f != nil {
		code = msg[f[2]:f[3]]
		msg = msg[:f[0]]
	}
	origin := OriginCC
	if strings.HasSuffix(m[1], ".rs") {
		origin = OriginRustc
	}
	sev := Severity(m[4])
	if sev == "fatal error" {
		sev = SeverityError
	}
	d := Diagnostic{Severity: sev, Code: code, Message: p.m.text(msg), File: p.m.path(m[1]), Line: line, Column: col, Origin: origin}
	j := i + 1
	for ; j < len(lines); j++ {
		if s := reSource.FindStringSubmatch(lines[j]); s != nil {
			if n, _ := strconv.Atoi(s[1]); n == line && d.SourceLine == "" {
				d.SourceLine = strings.TrimPrefix(s[2], " ")
			}
			continue
		}
		if !reAnnotation.MatchString(lines[j]) {
			break
		}
	}
	if sev == SeverityNote && len(p.diags) > 0 && p.diags[len(p.diags)-1].Origin == origin {
		last := &p.diags[len(p.diags)-1]
		last.Notes = append(last.Notes, "note: "+d.Message+"\n  --> "+d.Location())
		return j
	}
	p.add(d)
	return j
}

// makeHints explains make's terse messages about a module folder.
func (p *parser) makeHints(msg string) []string {
	const prefix = "No rule to make target '"
	if !strings.HasPrefix(msg, prefix) {
		return nil
	}
	target := msg[len(prefix):]
	target = target[:max(strings.IndexByte(target, '\''), 0)]
	if !p.m.mapped(target) {
		return nil
	}
	base := target[strings.LastIndexByte(target, '/')+1:]
	switch {
	case base == "Makefile" || base == "Kbuild":
		return []string{"help: the module folder has no Kbuild file; it names the modules to build, e.g. `obj-m := hello.o`"}
	case strings.HasSuffix(base, ".o"):
		stem := strings.TrimSuffix(base, ".o")
		return []string{"help: Kbuild lists " + base + ", but the module folder has no " + stem + ".rs or " + stem + ".c to build it from"}
	}
	return nil
}

// modpost reads one modpost line; symbols are shown demangled.
func (p *parser) modpost(level, msg string) Diagnostic {
	d := Diagnostic{Severity: SeverityError, Origin: OriginModpost}
	if level == "WARNING" {
		d.Severity = SeverityWarning
	}
	msg, names := demangleAll(msg)
	d.Message = p.m.text(msg)
	switch {
	case strings.HasSuffix(msg, " undefined!"):
		d.Notes = append(d.Notes, "help: nothing in the kernel exports this symbol: check its name, and that the kernel's configuration builds the code that defines it")
	case strings.HasPrefix(msg, "GPL-incompatible module"):
		d.Notes = append(d.Notes, "help: only modules with a GPL-compatible license may use GPL-only symbols: set `license: \"GPL\"` in `module!` (MODULE_LICENSE(\"GPL\") in C)")
	case strings.HasPrefix(msg, "missing MODULE_LICENSE()"):
		d.Notes = append(d.Notes, "help: every module declares its license: `license: \"GPL\"` in `module!` (MODULE_LICENSE(\"GPL\") in C)")
	}
	for _, n := range names {
		d.Notes = append(d.Notes, "note: `"+n[1]+"` is the Rust symbol "+n[0])
	}
	return d
}
