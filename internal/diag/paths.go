package diag

import (
	"path/filepath"
	"sort"
	"strings"
)

// mapper rewrites paths below the scratch folders to the learner's folders.
type mapper struct {
	keys []string // cleaned PathMap keys, longest first so nested folders win
	to   map[string]string
	dir  string
}

func newMapper(o Options) mapper {
	m := mapper{to: map[string]string{}, dir: o.Dir}
	for k, v := range o.PathMap {
		if k == "" {
			continue
		}
		k = filepath.Clean(k)
		m.keys = append(m.keys, k)
		m.to[k] = v
	}
	sort.Slice(m.keys, func(i, j int) bool {
		if len(m.keys[i]) != len(m.keys[j]) {
			return len(m.keys[i]) > len(m.keys[j])
		}
		return m.keys[i] < m.keys[j]
	})
	return m
}

// resolve maps p if it lies below a key, absolute or relative to Dir.
func (m mapper) resolve(p string) (string, bool) {
	if p == "" || len(m.keys) == 0 {
		return p, false
	}
	q := filepath.Clean(p)
	if !filepath.IsAbs(q) && m.dir != "" {
		q = filepath.Join(m.dir, q)
	}
	for _, k := range m.keys {
		switch {
		case q == k:
			return m.to[k], true
		case strings.HasPrefix(q, k+"/") || k == "/":
			return filepath.Join(m.to[k], strings.TrimPrefix(q, k)), true
		}
	}
	return p, false
}

// path maps a file path, leaving any other path as printed.
func (m mapper) path(p string) string {
	q, _ := m.resolve(p)
	return q
}

func (m mapper) mapped(p string) bool {
	_, ok := m.resolve(p)
	return ok
}

// text rewrites the absolute occurrences of the keys inside a message. A key only matches
// as a whole path prefix: /tmp/a does not rewrite /tmp/ab or /x/tmp/a.
func (m mapper) text(s string) string {
	for _, k := range m.keys {
		if k == "/" || !strings.Contains(s, k) {
			continue
		}
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, k)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			end := i + len(k)
			if (i > 0 && isPathByte(rest[i-1])) || (end < len(rest) && isPathByte(rest[end]) && rest[end] != '/') {
				b.WriteString(rest[:end])
			} else {
				b.WriteString(rest[:i])
				b.WriteString(m.to[k])
				if m.to[k] == "" && end < len(rest) && rest[end] == '/' {
					end++ // mapped to "" (relative): no leading slash
				}
			}
			rest = rest[end:]
		}
		s = b.String()
	}
	return s
}

func isPathByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/'
}
