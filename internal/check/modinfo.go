package check

import (
	"bytes"
	"debug/elf"
	"fmt"
	"slices"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
)

// readModinfo returns the key=value pairs of a .ko's .modinfo section (NUL-separated strings,
// the same data modinfo(8) prints). A key may repeat (alias=, depends=): values are kept in order.
func readModinfo(ko string) (map[string][]string, error) {
	f, err := elf.Open(ko)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ko, err)
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, fmt.Errorf("%s has no .modinfo section", ko)
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read .modinfo of %s: %w", ko, err)
	}
	info := map[string][]string{}
	for _, entry := range bytes.Split(data, []byte{0}) {
		key, value, ok := strings.Cut(string(entry), "=")
		if !ok || key == "" {
			continue // padding between entries
		}
		info[key] = append(info[key], sanitize.Text(value)) // the module's own strings, quoted in verdicts
	}
	return info, nil
}

// gplCompatible lists the licenses the kernel treats as GPL-compatible (license_is_gpl_compatible
// in include/linux/license.h): a module with any other license cannot use GPL-only symbols, which
// includes everything the Rust `kernel` crate exports.
var gplCompatible = map[string]bool{
	"GPL":                       true,
	"GPL v2":                    true,
	"GPL and additional rights": true,
	"Dual BSD/GPL":              true,
	"Dual MIT/GPL":              true,
	"Dual MPL/GPL":              true,
}

// modinfoProblems checks the module's metadata: a GPL-compatible license, a name, and the
// extra keys the exercise asks for (author, description, …).
func modinfoProblems(info map[string][]string, required []string) []string {
	var probs []string
	lic := info["license"]
	switch {
	case len(lic) == 0:
		probs = append(probs, "no license in .modinfo: add `license: \"GPL\"` to module!")
	case !gplCompatible[lic[0]]:
		probs = append(probs, fmt.Sprintf("license %q is not GPL-compatible: Rust modules use GPL-only kernel symbols, so the license must be GPL", lic[0]))
	}
	if len(info["name"]) == 0 || info["name"][0] == "" {
		probs = append(probs, "no module name in .modinfo")
	}
	for _, key := range required {
		if v := info[key]; len(v) == 0 || strings.TrimSpace(v[0]) == "" {
			fix := fmt.Sprintf("`%s: \"…\"`", key)
			switch key {
			case "author":
				// module! spells it differently on the two kernels the course runs on.
				fix = "`author: \"…\"` (Linux 6.12) or `authors: [\"…\"]` (Linux 7.x)"
			case "parm", "parmtype":
				// Not a key of its own: module! writes both for each parameter it declares.
				fix = "a parameter under `params: { NAME: TYPE { default: …, description: \"…\" } }` (Linux 7.x)"
			}
			probs = append(probs, fmt.Sprintf("no %s in .modinfo: add %s to module!", key, fix))
		}
	}
	return probs
}

// modinfoSummary is what a module's .modinfo says, as modinfo(8) prints it, for the keys a
// learner sets in module! (the rest, vermagic and the like, come from the kernel).
func modinfoSummary(info map[string][]string, required []string) string {
	keys := []string{"name", "license", "author", "description"}
	for _, k := range required {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	var parts []string
	for _, k := range keys {
		for _, v := range info[k] {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, " ")
}
