package course

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// snippetID is also the Rust crate and Kbuild object name style, hence '_' rather than '-'.
var snippetID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

var errorCode = regexp.MustCompile(`^E[0-9]{4}$`)

// parseSnippetMeta reads a snippet.yaml into s. It returns false when the file cannot be read
// as a mapping at all.
func parseSnippetMeta(ps *problems, file string, data []byte, s *Snippet) bool {
	r := report{problems: ps, file: file}
	top, ok := r.parseYAML(normalize(data), max(strings.Count(string(data), "\n"), 1), "YAML")
	if !ok {
		return false
	}
	if top == nil {
		r.at(1, "snippet.yaml is empty: it needs at least a title")
		return false
	}
	f, ok := r.mapping(top, "", 1, "title", "kernel", "kernel_note", "config", "expect", "error", "starter", "variants", "shortcuts")
	if !ok {
		return false
	}
	f.require("title")
	s.Title = f.str("title")
	s.Kernel, s.KernelRaw = f.constraint("kernel")
	s.KernelNote = f.str("kernel_note")
	if s.KernelNote != "" && s.Kernel == nil {
		r.at(f.keyLine("kernel_note"), "kernel_note says why kernels outside the kernel: range are left out; it needs a kernel: range")
	}
	s.Config, s.configLines = f.configList("config")

	s.Expect = OutcomeBuilds
	if f.has("expect") {
		switch e := Outcome(f.str("expect")); e {
		case OutcomeBuilds, OutcomeFails:
			s.Expect = e
		default:
			r.at(f.keyLine("expect"), "expect must be %q or %q, not %q", OutcomeBuilds, OutcomeFails, e)
		}
	}
	s.ExpectError = f.errorCode("error")
	switch {
	case s.Expect == OutcomeFails && !f.has("error"):
		r.at(f.keyLine("expect"), "expect: fails needs error: the rustc error code the build must report (e.g. E0382)")
	case s.Expect == OutcomeBuilds && f.has("error"):
		r.at(f.keyLine("error"), "error only applies with expect: fails")
	}

	if v := f.vals["starter"]; v != nil && !isNull(v) {
		s.starterLine = f.keyLine("starter")
		if sf, ok := r.mapping(v, "starter", s.starterLine, "stage", "error"); ok {
			sf.require("stage")
			st := &StarterExpect{Error: sf.errorCode("error")}
			if name := sf.str("stage"); name != "" {
				var known bool
				if st.Stage, known = parseStage(name); !known {
					r.at(sf.keyLine("stage"), "starter: unknown stage %q (stages: %s)", name, stageList(allStages))
				}
			}
			if st.Error != "" && st.Stage != "" && st.Stage != StageBuild {
				r.at(sf.keyLine("error"), "starter: error only applies with stage: build")
			}
			s.Starter = st
		}
	}
	if f.has("variants") {
		parseVariants(r, f, s)
	}
	if f.has("shortcuts") {
		parseShortcuts(r, f, s)
	}
	return true
}

// parseShortcuts reads the shortcuts: list (see Shortcut). Whether each edit applies is
// checked once the files are known (checkShortcutEdits).
func parseShortcuts(r report, f fields, s *Snippet) {
	names := map[string]bool{}
	for _, n := range f.list("shortcuts") {
		sf, ok := r.mapping(n, "shortcut", r.line(n), "name", "edits", "fails", "because")
		if !ok {
			continue
		}
		sf.require("name", "edits", "fails", "because")
		sc := &Shortcut{Name: sf.str("name"), Because: sf.str("because"), line: r.line(n)}
		if names[sc.Name] && sc.Name != "" {
			r.at(sc.line, "shortcut %q is listed twice", sc.Name)
		}
		names[sc.Name] = true
		if name := sf.str("fails"); name != "" {
			var known bool
			if sc.Stage, known = parseStage(name); !known {
				r.at(sf.keyLine("fails"), "shortcut %q: unknown stage %q (stages: %s)", sc.Name, name, stageList(allStages))
			}
		}
		for _, en := range sf.list("edits") {
			ef, ok := r.mapping(en, "edit", r.line(en), "file", "replace", "with")
			if !ok {
				continue
			}
			ef.require("file", "replace")
			if !ef.has("with") {
				r.at(r.line(en), "shortcut %q: an edit needs with: (with: \"\" deletes the text)", sc.Name)
			}
			e := Edit{File: ef.str("file"), Replace: ef.str("replace"), With: ef.str("with"), line: r.line(en)}
			sc.Edits = append(sc.Edits, e)
		}
		if sf.has("edits") && len(sc.Edits) == 0 {
			r.at(sf.keyLine("edits"), "shortcut %q: edits: needs at least one edit", sc.Name)
		}
		s.Shortcuts = append(s.Shortcuts, sc)
	}
	if f.has("shortcuts") && len(s.Shortcuts) == 0 {
		r.at(f.keyLine("shortcuts"), "shortcuts: needs at least one shortcut (or leave the key out)")
	}
}

// ApplyShortcut returns files (a solution's build folder) with the shortcut's edits made. Each
// edit's text must occur exactly once in its file.
func ApplyShortcut(files map[string][]byte, sc *Shortcut) (map[string][]byte, error) {
	out := maps.Clone(files)
	for _, e := range sc.Edits {
		data, ok := out[e.File]
		if !ok {
			return nil, fmt.Errorf("shortcut %q: the solution has no file %s", sc.Name, e.File)
		}
		switch n := strings.Count(string(data), e.Replace); n {
		case 1:
			out[e.File] = []byte(strings.Replace(string(data), e.Replace, e.With, 1))
		case 0:
			return nil, fmt.Errorf("shortcut %q: %s does not contain %q", sc.Name, e.File, e.Replace)
		default:
			return nil, fmt.Errorf("shortcut %q: %s contains %q %d times; replace: must pick out one place", sc.Name, e.File, e.Replace, n)
		}
	}
	return out, nil
}

// NoError as a variant's starter_error says that variant's starter fails to build without a
// rustc error code (a proc macro's own message, say) where the base's reports one.
const NoError = "none"

// variantFolder is a variant's folder name: like a snippet id, but '-' and '.' are allowed
// ("linux-7").
var variantFolder = regexp.MustCompile(`^[a-z][a-z0-9_.-]*$`)

// parseVariants reads the variants: list. Each entry needs a kernel range and a note; exactly
// one has no folder (the base files); folders are unique.
func parseVariants(r report, f fields, s *Snippet) {
	line := f.keyLine("variants")
	items := f.list("variants")
	if len(items) < 2 {
		r.at(line, "variants: needs at least two entries (one per kernel range); a snippet whose code fits every kernel has none")
	}
	if s.Kernel == nil {
		r.at(line, "variants: needs the snippet's kernel: range (the union of the variants' ranges)")
	}
	bases, folders := 0, map[string]bool{}
	for _, n := range items {
		vf, ok := r.mapping(n, "variant", r.line(n), "kernel", "folder", "note", "starter_error")
		if !ok {
			continue
		}
		vf.require("kernel", "note")
		v := &KernelVariant{line: r.line(n), Note: vf.str("note")}
		if v.StarterError = vf.str("starter_error"); v.StarterError != NoError {
			v.StarterError = vf.errorCode("starter_error")
		}
		v.Kernel, v.KernelRaw = vf.constraint("kernel")
		if vf.has("folder") {
			v.Folder = vf.str("folder")
			switch {
			case !variantFolder.MatchString(v.Folder) || v.Folder == "src" || v.Folder == "starter":
				r.at(vf.keyLine("folder"), "variant folder %q must be a plain lowercase name (letters, digits, _ - .), not src or starter", v.Folder)
			case folders[v.Folder]:
				r.at(vf.keyLine("folder"), "variant folder %q is used twice", v.Folder)
			}
			folders[v.Folder] = true
		} else {
			bases++
		}
		if v.StarterError != "" && (s.Starter == nil || s.Starter.Stage != StageBuild) {
			r.at(vf.keyLine("starter_error"), "starter_error only applies to a snippet whose starter fails at stage build")
		}
		s.Variants = append(s.Variants, v)
	}
	if len(items) >= 2 && bases != 1 {
		r.at(line, "variants: exactly one entry has no folder: the snippet's own files are that kernel range's code (%d have none)", bases)
	}
	checkVariantRanges(r, s)
}

// sampleVersions are the kernel versions variant ranges are compared on: every 5.x to 9.x
// release at its first and a late stable update. Ranges are semver constraints, which have no
// intersection test, and kernel ranges are written on major.minor boundaries, so these decide.
var sampleVersions = func() []*semver.Version {
	var vs []*semver.Version
	for major := uint64(5); major <= 9; major++ {
		for minor := uint64(0); minor <= 30; minor++ {
			vs = append(vs, semver.New(major, minor, 0, "", ""), semver.New(major, minor, 250, "", ""))
		}
	}
	return vs
}()

// checkVariantRanges reports overlapping variants, variants reaching outside the snippet's
// range, and versions of the range that no variant covers.
func checkVariantRanges(r report, s *Snippet) {
	if s.Kernel == nil || len(s.Variants) < 2 {
		return
	}
	overlap, outside := map[[2]int]bool{}, map[int]bool{}
	var uncovered []string
	for _, ver := range sampleVersions {
		var hits []int
		for i, v := range s.Variants {
			if v.Kernel != nil && v.Kernel.Check(ver) {
				hits = append(hits, i)
				if !s.Kernel.Check(ver) && !outside[i] {
					outside[i] = true
					r.at(v.line, "variant %s: range %q includes %s, outside the snippet's kernel range %q", v.Name(), v.KernelRaw, ver, s.KernelRaw)
				}
			}
		}
		for a := 0; a < len(hits); a++ {
			for b := a + 1; b < len(hits); b++ {
				k := [2]int{hits[a], hits[b]}
				if !overlap[k] {
					overlap[k] = true
					va, vb := s.Variants[k[0]], s.Variants[k[1]]
					r.at(vb.line, "variants %s and %s both claim %s: their kernel ranges must not overlap", va.Name(), vb.Name(), ver)
				}
			}
		}
		if len(hits) == 0 && s.Kernel.Check(ver) && len(uncovered) < 3 {
			uncovered = append(uncovered, ver.String())
		}
	}
	if len(uncovered) > 0 {
		r.at(s.Variants[0].line, "variants: no variant covers %s, which the snippet's kernel range %q claims", strings.Join(uncovered, ", "), s.KernelRaw)
	}
}

// For returns the snippet as a kernel of version ver sees it: the variant whose range holds
// ver, its files and starter expectation in place of the base's. Without variants, or without
// a version, or when no variant matches (the snippet is then unavailable there anyway), it is
// the snippet itself.
func (s *Snippet) For(ver *semver.Version) *Snippet {
	if ver == nil || len(s.Variants) == 0 || s.Variant != nil {
		return s
	}
	for _, v := range s.Variants {
		if v.Kernel != nil && v.Kernel.Check(ver) {
			cp := *s
			cp.Variant, cp.Kernel, cp.KernelRaw = v, v.Kernel, v.KernelRaw
			cp.Src, cp.StarterFiles = v.Src, v.StarterFiles
			if v.StarterError != "" && s.Starter != nil {
				st := *s.Starter
				st.Error = v.StarterError
				if v.StarterError == NoError {
					st.Error = ""
				}
				cp.Starter = &st
			}
			return &cp
		}
	}
	return s
}

// For returns the exercise as a kernel of version ver sees it: its snippet resolved with
// Snippet.For. The exercise keeps its id (progress is keyed by it).
func (ex *Exercise) For(ver *semver.Version) *Exercise {
	if ex.Snippet == nil {
		return ex
	}
	s := ex.Snippet.For(ver)
	if s == ex.Snippet {
		return ex
	}
	cp := *ex
	cp.Snippet = s
	return &cp
}

// WorkspaceName is the learner's folder name for the exercise as resolved by For: the id for
// the base variant, id@folder for another, so a copy made for one kernel is never overwritten
// by another kernel's starter.
func (ex *Exercise) WorkspaceName() string {
	if ex.Snippet == nil {
		return ex.ID
	}
	return VariantWorkspaceName(ex.ID, ex.Snippet.Variant)
}

// VariantWorkspaceName is the folder name of exercise id's copy for variant v (nil: the base).
func VariantWorkspaceName(id string, v *KernelVariant) string {
	if v == nil || v.Folder == "" {
		return id
	}
	return id + "@" + v.Folder
}

// baseVariant is the variant made of the snippet's own files.
func (s *Snippet) baseVariant() *KernelVariant {
	for _, v := range s.Variants {
		if v.Folder == "" {
			return v
		}
	}
	return s.Variants[0]
}

// errorCode reads a rustc error code such as E0382.
func (f fields) errorCode(key string) string {
	s := f.str(key)
	if s != "" && !errorCode.MatchString(s) {
		f.at(f.keyLine(key), "%s %q is not a rustc error code (like E0382)", key, s)
		return ""
	}
	return s
}

// assembleFiles sorts a snippet's files (paths relative to its folder) into the two build
// folders: top-level files are shared, and src/ or starter/ files replace them by name. A
// variant folder's files replace the base's of the same relative path, for that variant only.
func assembleFiles(s *Snippet, rel []string) (hasSrc, hasStarter bool) {
	folders := map[string]bool{}
	for _, v := range s.Variants {
		if v.Folder != "" {
			folders[v.Folder] = true
		}
	}
	base, over := map[string]string{}, map[string]map[string]string{}
	for _, name := range rel {
		if first, rest, nested := strings.Cut(name, "/"); nested && folders[first] {
			if over[first] == nil {
				over[first] = map[string]string{}
			}
			over[first][rest] = path.Join(s.Dir, name)
		} else {
			base[name] = path.Join(s.Dir, name)
		}
	}
	s.Src, s.StarterFiles = assemble(base)
	for _, v := range s.Variants {
		layer := maps.Clone(base)
		maps.Copy(layer, over[v.Folder])
		v.Src, v.StarterFiles = assemble(layer)
	}
	return len(s.Src) > 0, len(s.StarterFiles) > 0
}

// assemble makes the two build folders from files (snippet-relative name → course path).
func assemble(files map[string]string) (src, starter map[string]string) {
	src, starter = map[string]string{}, map[string]string{}
	shared := map[string]string{}
	for name, full := range files {
		switch {
		case name == "snippet.yaml":
		case strings.HasPrefix(name, "src/"):
			src[strings.TrimPrefix(name, "src/")] = full
		case strings.HasPrefix(name, "starter/"):
			starter[strings.TrimPrefix(name, "starter/")] = full
		default:
			shared[name] = full
		}
	}
	hasSrc, hasStarter := len(src) > 0, len(starter) > 0
	for name, full := range shared {
		if _, ok := src[name]; !ok && hasSrc {
			src[name] = full
		}
		if _, ok := starter[name]; !ok && hasStarter {
			starter[name] = full
		}
	}
	return src, starter
}
