package diag

import (
	"regexp"
	"strings"
)

// reRustSymbol finds Rust v0 mangled symbols (the kernel builds Rust with
// -Csymbol-mangling-version=v0), which modpost prints as they are.
var reRustSymbol = regexp.MustCompile(`_R[0-9A-Za-z_]+`)

// demangleAll replaces the Rust symbols in s that demangle and returns the pairs
// (mangled, demangled) it replaced.
func demangleAll(s string) (string, [][2]string) {
	var names [][2]string
	out := reRustSymbol.ReplaceAllStringFunc(s, func(sym string) string {
		if d, ok := demangle(sym); ok {
			if len(names) < 8 {
				names = append(names, [2]string{sym, d})
			}
			return d
		}
		return sym
	})
	return out, names
}

// demangle decodes the common subset of Rust's v0 mangling that names kernel items:
// nested paths of plain identifiers ("_RNvNtCs…_6kernel5print11call_printk" is
// kernel::print::call_printk). Anything else (generics, impls, back-references, punycode)
// is left alone rather than half-decoded.
func demangle(sym string) (string, bool) {
	d := demangler{s: sym}
	if !strings.HasPrefix(sym, "_R") {
		return "", false
	}
	d.i = 2
	for d.i < len(d.s) && isDigit(d.s[d.i]) { // encoding version
		d.i++
	}
	parts, ok := d.path(0)
	if !ok || len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "::"), true
}

type demangler struct {
	s string
	i int
}

// path decodes C<identifier> (a crate root) and N<namespace><path><identifier>.
func (d *demangler) path(depth int) ([]string, bool) {
	if depth > 64 || d.i >= len(d.s) {
		return nil, false
	}
	switch d.s[d.i] {
	case 'C':
		d.i++
		name, ok := d.ident()
		return []string{name}, ok && name != ""
	case 'N':
		d.i++
		if d.i >= len(d.s) {
			return nil, false
		}
		ns := d.s[d.i]
		d.i++
		parent, ok := d.path(depth + 1)
		if !ok {
			return nil, false
		}
		name, ok := d.ident()
		if !ok {
			return nil, false
		}
		if ns >= 'A' && ns <= 'Z' { // closures, shims: special namespaces
			if ns == 'C' {
				name = "{closure}"
			} else if name == "" {
				return nil, false
			}
		}
		return append(parent, name), true
	}
	return nil, false
}

// ident decodes [s<base62>_] <decimal length> [_] <bytes>; punycode (u) is not supported.
func (d *demangler) ident() (string, bool) {
	if d.i < len(d.s) && d.s[d.i] == 's' { // disambiguator
		d.i++
		for d.i < len(d.s) && d.s[d.i] != '_' {
			d.i++
		}
		if d.i >= len(d.s) {
			return "", false
		}
		d.i++
	}
	if d.i >= len(d.s) || d.s[d.i] == 'u' || !isDigit(d.s[d.i]) {
		return "", false
	}
	n := 0
	for d.i < len(d.s) && isDigit(d.s[d.i]) {
		n = n*10 + int(d.s[d.i]-'0')
		if n > len(d.s) {
			return "", false
		}
		d.i++
	}
	if n > 0 && d.i < len(d.s) && d.s[d.i] == '_' {
		d.i++
	}
	if d.i+n > len(d.s) {
		return "", false
	}
	name := d.s[d.i : d.i+n]
	d.i += n
	return name, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
