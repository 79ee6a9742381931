package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaveChoice(t *testing.T) {
	for _, tc := range []struct {
		name, before string
		wantKeep     []string
	}{
		{"no file", "", nil},
		{"other keys kept", "# my settings\neditor: vim\n", []string{"# my settings", "editor: vim"}},
		{"replaces kdir", "kdir: /old/tree\ntheme: light # comment\n", []string{"theme: light # comment"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "config.yaml")
			if tc.before != "" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tc.before), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := SaveChoice(path, "/trees/7.3"); err != nil {
				t.Fatal(err)
			}
			got, err := configKDir(path)
			if err != nil || got != "/trees/7.3" {
				t.Fatalf("kdir after save = %q, %v", got, err)
			}
			b, _ := os.ReadFile(path)
			for _, k := range tc.wantKeep {
				if !strings.Contains(string(b), k) {
					t.Errorf("lost %q:\n%s", k, b)
				}
			}
			if strings.Contains(string(b), "/old/tree") {
				t.Errorf("old kdir kept:\n%s", b)
			}
		})
	}
}

func TestSaveChoiceRefusesBrokenConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	broken := "kdir: [unclosed\n"
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveChoice(path, "/t"); err == nil {
		t.Fatal("a broken config was overwritten")
	}
	if b, _ := os.ReadFile(path); string(b) != broken {
		t.Errorf("broken config changed: %q", b)
	}
	if err := os.WriteFile(path, []byte("- a list\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveChoice(path, "/t"); err == nil {
		t.Fatal("a list config was overwritten")
	}
}
