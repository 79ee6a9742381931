package kernel

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ParseConfig reads a Kconfig file (.config or include/config/auto.conf) into a map from option
// name without the CONFIG_ prefix (as course files write them) to its value, string values
// unquoted. Options that are "not set" are absent.
func ParseConfig(r io.Reader) (map[string]string, error) {
	cfg := map[string]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		name, val, ok := strings.Cut(s, "=")
		if !ok || !strings.HasPrefix(name, "CONFIG_") || len(name) == len("CONFIG_") {
			return nil, fmt.Errorf("line %d: %q is not CONFIG_NAME=value", line, s)
		}
		if strings.HasPrefix(val, `"`) {
			u, err := strconv.Unquote(val)
			if err != nil {
				return nil, fmt.Errorf("line %d: bad string value %s: %w", line, val, err)
			}
			val = u
		}
		cfg[strings.TrimPrefix(name, "CONFIG_")] = val
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// ReadConfigFile parses the Kconfig file at path.
func ReadConfigFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, err := ParseConfig(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}
