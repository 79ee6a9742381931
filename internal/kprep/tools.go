package kprep

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// preferredLLVM is the versioned LLVM the recipe was verified with on Debian 12; when no
// complete versioned LLVM is installed, the error names this one's packages.
const preferredLLVM = 19

// wrapperLibclang is the libclang major bindgen 0.60.1 works with (newer ones make it panic).
const wrapperLibclang = 14

// Toolchain is what a preparation builds with.
type Toolchain struct {
	LLVM    *toolchain.LLVM
	Rustc   *toolchain.Rustc
	Bindgen *toolchain.Bindgen // the real bindgen
	// Libclang is what the wrapper runs bindgen with; nil when bindgen is new enough to be used
	// directly (NeedsWrapper false).
	Libclang     *toolchain.Libclang
	NeedsWrapper bool
}

// MissingTool is one thing a preparation needs and could not find.
type MissingTool struct {
	Tool    string // e.g. "clang-19", "rustc with rust-src"
	Package string // the Debian package(s) providing it
	Detail  string // what was found instead, if anything
}

// MissingToolsError lists every missing tool at once, so one install fixes them all.
type MissingToolsError struct {
	Missing []MissingTool
}

func (e *MissingToolsError) Error() string {
	var b strings.Builder
	b.WriteString("kernel prepare needs tools that are missing:\n")
	pkgs := map[string]bool{}
	for _, m := range e.Missing {
		fmt.Fprintf(&b, "  %-22s package %s", m.Tool, m.Package)
		if m.Detail != "" {
			fmt.Fprintf(&b, " (%s)", m.Detail)
		}
		b.WriteByte('\n')
		for _, p := range strings.Fields(m.Package) {
			pkgs[p] = true
		}
	}
	list := make([]string, 0, len(pkgs))
	for p := range pkgs {
		list = append(list, p)
	}
	sort.Strings(list)
	fmt.Fprintf(&b, "install them with: sudo apt-get install %s\n(or run scripts/install-toolchain.sh from the rfl-tutor checkout)",
		strings.Join(list, " "))
	return b.String()
}

// simpleTools are programs the build runs by name, with their Debian packages.
var simpleTools = []toolchain.Tool{
	{Name: "make", Package: "make"}, {Name: "flex", Package: "flex"}, {Name: "bison", Package: "bison"},
	{Name: "bc", Package: "bc"}, {Name: "cpio", Package: "cpio"},
}

// probeToolchain finds everything a preparation of a kernel of version kver needs, or returns a
// *MissingToolsError listing every missing piece. decompressor is the program the source
// tarball needs ("" for a directory source).
func probeToolchain(ctx context.Context, env toolchain.Env, kver *semver.Version, min toolchain.Minimums, decompressor toolchain.Tool) (*Toolchain, error) {
	var missing []MissingTool
	need := append([]toolchain.Tool(nil), simpleTools...)
	if decompressor.Name != "" {
		need = append(need, toolchain.Tool{Name: "tar", Package: "tar"}, decompressor)
	}
	for _, t := range need {
		if _, err := env.LookPath(t.Name); err != nil {
			missing = append(missing, MissingTool{Tool: t.Name, Package: t.Package})
		}
	}
	// objtool, which every x86_64 build runs, links against libelf.
	if _, err := os.Stat(env.File("/usr/include/libelf.h")); err != nil {
		missing = append(missing, MissingTool{Tool: "libelf headers", Package: "libelf-dev"})
	}

	tc := &Toolchain{}
	if llvms := env.FindLLVMs(ctx); len(llvms) > 0 {
		tc.LLVM = llvms[0]
		for _, l := range llvms {
			if l.Major == preferredLLVM {
				tc.LLVM = l
			}
		}
		if tc.LLVM.Version.LessThan(min.LLVM) {
			missing = append(missing, MissingTool{Tool: fmt.Sprintf("clang-%d", preferredLLVM),
				Package: fmt.Sprintf("clang-%[1]d lld-%[1]d llvm-%[1]d", preferredLLVM),
				Detail:  fmt.Sprintf("found clang %s, kernel %s needs >= %s", tc.LLVM.Version, kver, min.LLVM)})
		}
	} else {
		for _, t := range env.MissingLLVM(preferredLLVM) {
			missing = append(missing, MissingTool{Tool: t.Name, Package: t.Package})
		}
	}

	rustc, probed := env.FindRustc(ctx, func(r *toolchain.Rustc) bool { return r.HasSrc() })
	switch {
	case rustc == nil:
		var found []string
		for _, r := range probed {
			found = append(found, fmt.Sprintf("%s (%s) has no rust-src", r.Path, r.Version))
		}
		missing = append(missing, MissingTool{Tool: "rustc with rust-src", Package: "rustc-web rust-web-src",
			Detail: strings.Join(found, "; ")})
	case rustc.Version.LessThan(min.Rustc):
		missing = append(missing, MissingTool{Tool: "rustc >= " + min.Rustc.String(), Package: "rustc-web rust-web-src",
			Detail: fmt.Sprintf("%s is %s", rustc.Path, rustc.Version)})
	default:
		tc.Rustc = rustc
	}

	bg := env.SelectBindgen(ctx, min.Bindgen)
	switch {
	case len(bg.Probed) == 0:
		missing = append(missing, MissingTool{Tool: "bindgen", Package: "bindgen"})
	case bg.Bindgen == nil:
		missing = append(missing, MissingTool{Tool: "bindgen >= " + min.Bindgen.String(), Package: "bindgen",
			Detail: bindgenDetail(bg, min.Bindgen)})
	case !bg.Wrapper:
		tc.Bindgen = bg.Bindgen
	default:
		tc.Bindgen, tc.NeedsWrapper = bg.Bindgen, true
		lc, err := env.FindLibclang(wrapperLibclang)
		if err != nil {
			missing = append(missing, MissingTool{Tool: fmt.Sprintf("libclang %d", wrapperLibclang),
				Package: fmt.Sprintf("libclang1-%d", wrapperLibclang), Detail: "bindgen 0.60 needs it"})
		}
		tc.Libclang = lc
	}
	if len(missing) > 0 {
		return nil, &MissingToolsError{Missing: missing}
	}
	return tc, nil
}

// bindgenDetail says what was found and, for kernels beyond the wrapper's reach, where a new
// enough bindgen comes from on Debian 12 (whose package is 0.60).
func bindgenDetail(bg toolchain.BindgenChoice, min *semver.Version) string {
	d := bg.Describe()
	if min.GreaterThan(toolchain.WrapperAnnounces) {
		d += "; scripts/install-toolchain.sh installs trixie's bindgen 0.71.1 as " + toolchain.DefaultPrefix + "/bin/bindgen"
	}
	return d
}
