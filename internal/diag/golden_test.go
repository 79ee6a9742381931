package diag

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json from the parser's current output")

// TestGolden parses every captured build output (testdata/NAME.txt, recorded from a real
// kernel tree by TestCapture) and compares with testdata/NAME.json, reviewed by eye.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no captured outputs in testdata: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			diags := Parse(raw, Options{PathMap: map[string]string{
				filepath.Join(captureRoot, name): filepath.Join(learnerRoot, name),
			}})
			got, err := json.MarshalIndent(diags, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s (rerun with -update and review the diff):\n%s", in, golden, got)
			}
		})
	}
}
