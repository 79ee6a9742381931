package kernel

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"golang.org/x/sys/unix"
	"gopkg.in/yaml.v3"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// FindOptions says where to look for a kernel tree.
type FindOptions struct {
	// Flag is the --kdir value; it wins over everything.
	Flag string
	// ConfigFile is the user's config (key `kdir`); "" means xdg.ConfigHome()/config.yaml.
	ConfigFile string
	// CacheDir holds the trees `kernel prepare` made; "" means CacheDir().
	CacheDir string
	// Fragment, when given, makes Find prefer a cached tree that has all the options it
	// gives for that tree's version set.
	Fragment func(*semver.Version) []course.ConfigOption
}

// CacheDir is where `kernel prepare` puts trees by default: xdg.CacheHome()/kernels.
func CacheDir() string { return filepath.Join(xdg.CacheHome(), "kernels") }

// ConfigFile is the user's configuration file: xdg.ConfigHome()/config.yaml.
func ConfigFile() string { return filepath.Join(xdg.ConfigHome(), "config.yaml") }

// modulesDir is /lib/modules, a variable so tests do not depend on the machine's kernel.
var modulesDir = "/lib/modules"

// NotFoundError lists every place Find looked.
type NotFoundError struct {
	Looked []string
}

func (e *NotFoundError) Error() string {
	return "no kernel tree found; looked at:\n  " + strings.Join(e.Looked, "\n  ") +
		"\n" + PrepareHint
}

// Find locates the kernel tree to use; see Select.
func Find(o FindOptions) (*Tree, error) {
	t, _, err := Select(o)
	return t, err
}

// Select locates the kernel tree to use and says why it is the one, in this order: the --kdir
// flag, $KDIR, `kdir` in the user's config file, the newest ready tree in the prepared-tree
// cache, and the running kernel's /lib/modules/$(uname -r)/build. An explicit choice (the
// first three) is opened or fails; it never silently falls through to a different tree. The
// tree found may still not be able to build Rust modules: callers check RustReady (doctor
// explains why).
func Select(o FindOptions) (t *Tree, reason string, err error) {
	var looked []string
	if o.Flag != "" {
		t, err := Open(o.Flag)
		if err != nil {
			return nil, "", fmt.Errorf("--kdir: %w", err)
		}
		return t, "--kdir", nil
	}
	looked = append(looked, "--kdir: not given")

	if d := os.Getenv("KDIR"); d != "" {
		t, err := Open(d)
		if err != nil {
			return nil, "", fmt.Errorf("$KDIR: %w", err)
		}
		return t, "$KDIR", nil
	}
	looked = append(looked, "$KDIR: not set")

	cfgFile := o.ConfigFile
	if cfgFile == "" {
		cfgFile = ConfigFile()
	}
	d, err := configKDir(cfgFile)
	if err != nil {
		return nil, "", err
	}
	if d != "" {
		t, err := Open(d)
		if err != nil {
			return nil, "", fmt.Errorf("kdir in %s: %w", cfgFile, err)
		}
		return t, "kdir in " + cfgFile, nil
	}
	looked = append(looked, cfgFile+": no kdir key")

	cache := o.CacheDir
	if cache == "" {
		cache = CacheDir()
	}
	if t := newestReady(cache, o.Fragment); t != nil {
		return t, "the newest ready tree in " + cache, nil
	}
	looked = append(looked, cache+": no prepared tree ready")

	var u unix.Utsname
	if err := unix.Uname(&u); err == nil {
		build := filepath.Join(modulesDir, unix.ByteSliceToString(u.Release[:]), "build")
		if _, err := os.Stat(build); err == nil {
			if t, err := Open(build); err == nil {
				return t, "the running kernel's " + build, nil
			}
			looked = append(looked, build+": not a kernel tree")
		} else {
			looked = append(looked, build+": does not exist")
		}
	}
	return nil, "", &NotFoundError{Looked: looked}
}

// configKDir reads the `kdir` key of the user's config file; a missing file is no error.
func configKDir(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var cfg struct {
		KDir string `yaml:"kdir"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	d := cfg.KDir
	if rest, ok := strings.CutPrefix(d, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			d = filepath.Join(home, rest)
		}
	}
	return d, nil
}

// Prepared lists the complete trees kprep made under cacheDir (those with a MetaFile), newest
// kernel first and, within a version, most recently prepared first.
func Prepared(cacheDir string) []*Tree {
	ents, err := os.ReadDir(cacheDir)
	if err != nil {
		return nil
	}
	var trees []*Tree
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(cacheDir, e.Name())
		if _, err := os.Stat(filepath.Join(dir, MetaFile)); err != nil {
			continue
		}
		if t, err := Open(dir); err == nil && t.Meta != nil {
			trees = append(trees, t)
		}
	}
	sortTrees(trees)
	return trees
}

func sortTrees(trees []*Tree) {
	sort.SliceStable(trees, func(i, j int) bool {
		if c := trees[i].Version.Compare(trees[j].Version); c != 0 {
			return c > 0
		}
		return trees[i].Meta.Date.After(trees[j].Meta.Date)
	})
}

// newestReady picks the newest prepared tree that can build Rust modules, preferring one that
// has every option of want.
func newestReady(cacheDir string, want func(*semver.Version) []course.ConfigOption) *Tree {
	var fallback *Tree
	for _, t := range Prepared(cacheDir) {
		if t.RustReady() != nil {
			continue
		}
		if want == nil || len(MissingConfig(t, want(t.Version))) == 0 {
			return t
		}
		if fallback == nil {
			fallback = t
		}
	}
	return fallback
}

// Known is every tree the learner can choose from: the prepared ones in the cache, with the
// selected one first when it lives elsewhere (--kdir, $KDIR, the config).
func Known(selected *Tree) []*Tree {
	trees := Prepared(CacheDir())
	if selected != nil && !slices.ContainsFunc(trees, func(t *Tree) bool { return t.Dir == selected.Dir }) {
		trees = append([]*Tree{selected}, trees...)
	}
	return trees
}
