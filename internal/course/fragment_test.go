package course

import (
	"reflect"
	"testing"

	"github.com/Masterminds/semver/v3"
)

// A snippet for one kernel adds its options to that kernel's tree only.
func TestKernelFragmentPerVersion(t *testing.T) {
	only73, err := semver.NewConstraint("~7.3")
	if err != nil {
		t.Fatal(err)
	}
	c := &Course{
		KernelConfig: []ConfigOption{{Name: "RUST"}},
		Snippets: map[string]*Snippet{
			"any":  {ID: "any", Config: []ConfigOption{{Name: "NET"}}},
			"pci":  {ID: "pci", Kernel: only73, Config: []ConfigOption{{Name: "PCI"}}},
			"none": {ID: "none"},
		},
	}
	cases := []struct {
		ver  string
		want []ConfigOption
	}{
		{"6.12.118", []ConfigOption{{Name: "NET"}, {Name: "RUST"}}},
		{"7.3.4", []ConfigOption{{Name: "NET"}, {Name: "PCI"}, {Name: "RUST"}}},
		{"", []ConfigOption{{Name: "NET"}, {Name: "PCI"}, {Name: "RUST"}}}, // no version: everything
	}
	for _, tc := range cases {
		var v *semver.Version
		if tc.ver != "" {
			v = semver.MustParse(tc.ver)
		}
		if got := c.KernelFragment(v); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.ver, got, tc.want)
		}
	}
}
