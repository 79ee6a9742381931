package course

import (
	"path"
	"regexp"
	"strings"
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
	f, ok := r.mapping(top, "", 1, "title", "kernel", "config", "expect", "error", "starter")
	if !ok {
		return false
	}
	f.require("title")
	s.Title = f.str("title")
	s.Kernel, s.KernelRaw = f.constraint("kernel")
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
	return true
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
// folders: top-level files are shared, and src/ or starter/ files replace them by name.
func assembleFiles(s *Snippet, rel []string) (hasSrc, hasStarter bool) {
	s.Src, s.StarterFiles = map[string]string{}, map[string]string{}
	shared := map[string]string{}
	for _, name := range rel {
		full := path.Join(s.Dir, name)
		switch {
		case name == "snippet.yaml":
		case strings.HasPrefix(name, "src/"):
			s.Src[strings.TrimPrefix(name, "src/")] = full
		case strings.HasPrefix(name, "starter/"):
			s.StarterFiles[strings.TrimPrefix(name, "starter/")] = full
		default:
			shared[name] = full
		}
	}
	hasSrc, hasStarter = len(s.Src) > 0, len(s.StarterFiles) > 0
	for name, full := range shared {
		if _, ok := s.Src[name]; !ok && hasSrc {
			s.Src[name] = full
		}
		if _, ok := s.StarterFiles[name]; !ok && hasStarter {
			s.StarterFiles[name] = full
		}
	}
	return hasSrc, hasStarter
}
