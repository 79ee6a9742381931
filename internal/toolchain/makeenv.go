package toolchain

import "strings"

// inherited are the variables a kernel build must not take from the caller: an enclosing
// make's jobserver (whose file descriptors are not passed) and flags, e.g. under `make test`;
// Kbuild settings meant for another build; and the caller's colour and language settings, which
// decide what the output looks like to the parsers that read it.
var inherited = map[string]bool{
	"MAKEFLAGS": true, "MFLAGS": true, "MAKELEVEL": true, "MAKEOVERRIDES": true, "GNUMAKEFLAGS": true,
	"ARCH": true, "SUBARCH": true, "CROSS_COMPILE": true, "KBUILD_OUTPUT": true, "KBUILD_EXTMOD": true,
	"KCONFIG_CONFIG": true, "O": true, "M": true,
	"TERM": true, "NO_COLOR": true, "CLICOLOR_FORCE": true, "LC_ALL": true, "LANGUAGE": true,
}

// MakeEnv is the environment for a make of the kernel tree (a module build or a tree
// preparation): base without the inherited variables, then set ("KEY=value"), each of which
// replaces the variable of its name. Messages are in C.UTF-8 unless set says otherwise, since
// the diagnostics parser reads make's English.
func MakeEnv(base []string, set ...string) []string {
	override := map[string]bool{}
	for _, kv := range set {
		k, _, _ := strings.Cut(kv, "=")
		override[k] = true
	}
	env := make([]string, 0, len(base)+len(set)+1)
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !inherited[k] && !override[k] {
			env = append(env, kv)
		}
	}
	if !override["LC_ALL"] {
		env = append(env, "LC_ALL=C.UTF-8")
	}
	return append(env, set...)
}
