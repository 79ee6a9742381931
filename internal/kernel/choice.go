package kernel

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
)

// SaveChoice makes dir the selected tree by writing `kdir: dir` into the config file at path
// ("" means ConfigFile()), keeping every other key, comment and order of the file as it is.
// The file is replaced atomically, so a crash leaves the old or the new config, never half.
func SaveChoice(path, dir string) error {
	if path == "" {
		path = ConfigFile()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	var doc yaml.Node
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	default:
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %w (fix or remove it first; it was left as it is)", path, err)
		}
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: the config must be a mapping of keys (it was left as it is)", path)
	}
	set := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "kdir" {
			root.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Value: abs}
			set = true
		}
	}
	if !set {
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: "kdir"},
			&yaml.Node{Kind: yaml.ScalarNode, Value: abs})
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, out, 0o644)
}
