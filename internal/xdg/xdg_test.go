package xdg

import (
	"path/filepath"
	"testing"
)

func TestResolve(t *testing.T) {
	const h = "/home/learner"
	tests := []struct {
		name     string
		env      map[string]string
		key      string
		fallback string
		want     string
	}{
		{"unset uses fallback", nil, "XDG_DATA_HOME", ".local/share", "/home/learner/.local/share/rfl-tutor"},
		{"empty uses fallback", map[string]string{"XDG_STATE_HOME": ""}, "XDG_STATE_HOME", ".local/state", "/home/learner/.local/state/rfl-tutor"},
		{"absolute value wins", map[string]string{"XDG_CACHE_HOME": "/var/cache/me"}, "XDG_CACHE_HOME", ".cache", "/var/cache/me/rfl-tutor"},
		{"relative value ignored", map[string]string{"XDG_CONFIG_HOME": "conf"}, "XDG_CONFIG_HOME", ".config", "/home/learner/.config/rfl-tutor"},
		{"dot-relative value ignored", map[string]string{"XDG_DATA_HOME": "./share"}, "XDG_DATA_HOME", ".local/share", "/home/learner/.local/share/rfl-tutor"},
		{"value is cleaned", map[string]string{"XDG_DATA_HOME": "/srv//data/"}, "XDG_DATA_HOME", ".local/share", "/srv/data/rfl-tutor"},
		{"other variables do not leak", map[string]string{"XDG_DATA_HOME": "/srv/data"}, "XDG_STATE_HOME", ".local/state", "/home/learner/.local/state/rfl-tutor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			got := resolve(getenv, func() string { return h }, tt.key, tt.fallback)
			if got != tt.want {
				t.Errorf("resolve(%s) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

// TestExported checks that each exported function reads its own variable and default, through
// the real environment.
func TestExported(t *testing.T) {
	tests := []struct {
		name     string
		fn       func() string
		key      string
		fallback string
	}{
		{"DataHome", DataHome, "XDG_DATA_HOME", ".local/share"},
		{"StateHome", StateHome, "XDG_STATE_HOME", ".local/state"},
		{"CacheHome", CacheHome, "XDG_CACHE_HOME", ".cache"},
		{"ConfigHome", ConfigHome, "XDG_CONFIG_HOME", ".config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := t.TempDir()
			t.Setenv("HOME", h)
			for _, k := range []string{"XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"} {
				t.Setenv(k, "/elsewhere/"+k)
			}
			t.Setenv(tt.key, "")
			if got, want := tt.fn(), filepath.Join(h, tt.fallback, App); got != want {
				t.Errorf("with %s empty: %q, want %q", tt.key, got, want)
			}
			t.Setenv(tt.key, "/custom")
			if got, want := tt.fn(), "/custom/rfl-tutor"; got != want {
				t.Errorf("with %s=/custom: %q, want %q", tt.key, got, want)
			}
			t.Setenv(tt.key, "relative/dir")
			if got, want := tt.fn(), filepath.Join(h, tt.fallback, App); got != want {
				t.Errorf("with %s relative: %q, want %q", tt.key, got, want)
			}
		})
	}
}

func TestHomeIgnoresRelativeHOME(t *testing.T) {
	t.Setenv("HOME", "not/absolute")
	if got := home(); !filepath.IsAbs(got) {
		t.Errorf("home() = %q with a relative $HOME, want an absolute path", got)
	}
}
