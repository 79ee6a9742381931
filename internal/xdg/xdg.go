// Package xdg locates rfl-tutor's directories under the XDG Base Directory specification, so
// learner files, progress and caches land where the user's desktop and backups expect them.
package xdg

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
)

// App is the subdirectory rfl-tutor owns below each base directory.
const App = "rfl-tutor"

// DataHome is $XDG_DATA_HOME/rfl-tutor, or ~/.local/share/rfl-tutor: files the user makes and
// keeps, such as the exercise workspace.
func DataHome() string { return resolve(os.Getenv, home, "XDG_DATA_HOME", ".local/share") }

// StateHome is $XDG_STATE_HOME/rfl-tutor, or ~/.local/state/rfl-tutor: state that should survive
// restarts but is not worth backing up like documents, such as learner progress.
func StateHome() string { return resolve(os.Getenv, home, "XDG_STATE_HOME", ".local/state") }

// CacheHome is $XDG_CACHE_HOME/rfl-tutor, or ~/.cache/rfl-tutor: anything that can be rebuilt.
func CacheHome() string { return resolve(os.Getenv, home, "XDG_CACHE_HOME", ".cache") }

// ConfigHome is $XDG_CONFIG_HOME/rfl-tutor, or ~/.config/rfl-tutor.
func ConfigHome() string { return resolve(os.Getenv, home, "XDG_CONFIG_HOME", ".config") }

// resolve applies the specification's rules: an unset or empty variable means the default below
// the home directory, and a relative value is invalid and ignored (it would otherwise move the
// user's state with the current directory).
func resolve(getenv func(string) string, home func() string, key, fallback string) string {
	if v := getenv(key); v != "" && filepath.IsAbs(v) {
		return filepath.Join(v, App)
	}
	return filepath.Join(home(), filepath.FromSlash(fallback), App)
}

// home finds the user's home directory. $HOME wins as everywhere else; without a usable one
// (some service managers and containers clear it) the password database is asked, and as a last
// resort a per-user folder in the temporary directory keeps rfl-tutor working rather than
// writing into whatever the current directory happens to be.
func home() string {
	if h := os.Getenv("HOME"); h != "" && filepath.IsAbs(h) {
		return h
	}
	if u, err := user.Current(); err == nil && filepath.IsAbs(u.HomeDir) {
		return u.HomeDir
	}
	return filepath.Join(os.TempDir(), App+"-home-"+strconv.Itoa(os.Getuid()))
}
