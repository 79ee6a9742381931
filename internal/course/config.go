package course

import (
	"fmt"
	"regexp"
	"strings"
)

var configName = regexp.MustCompile(`^[A-Z0-9_]+$`)

// parseConfigOption reads "NAME", "NAME=y" or "NAME=m".
func parseConfigOption(s string) (ConfigOption, error) {
	name, val, pinned := strings.Cut(strings.TrimSpace(s), "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	switch {
	case strings.HasPrefix(name, "CONFIG_"):
		return ConfigOption{}, fmt.Errorf("write %q without the CONFIG_ prefix", strings.TrimPrefix(name, "CONFIG_"))
	case !configName.MatchString(name):
		return ConfigOption{}, fmt.Errorf("%q is not a kernel config symbol (capital letters, digits and _)", name)
	case pinned && val != "y" && val != "m":
		return ConfigOption{}, fmt.Errorf("%q: only =y or =m can pin a value", s)
	}
	return ConfigOption{Name: name, Value: val}, nil
}

// configList reads a kernel_config or config list, reporting bad and repeated entries.
func (f fields) configList(key string) (opts []ConfigOption, lines []int) {
	vals, valLines := f.texts(key)
	seen := map[string]int{}
	for i, v := range vals {
		o, err := parseConfigOption(v)
		if err != nil {
			f.at(valLines[i], "%s: %v", key, err)
			continue
		}
		if first, dup := seen[o.Name]; dup {
			f.at(valLines[i], "%s: %s is listed twice (first at line %d)", key, o.Name, first)
			continue
		}
		seen[o.Name] = valLines[i]
		opts, lines = append(opts, o), append(lines, valLines[i])
	}
	return opts, lines
}

// mergeOption combines two requirements on the same symbol: a pinned value wins over "y or
// m"; ok is false when they pin different values.
func mergeOption(have, o ConfigOption) (ConfigOption, bool) {
	switch {
	case have.Value == o.Value || o.Value == "":
		return have, true
	case have.Value == "":
		return o, true
	default:
		return have, false
	}
}
