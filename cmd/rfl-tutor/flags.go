package main

import (
	"fmt"
	"time"

	"github.com/spf13/pflag"
)

// positiveDuration is a time limit flag: a Go duration above zero. Zero or a negative value is
// refused when the flags are parsed, rather than quietly meaning "the default" or "no limit".
type positiveDuration struct{ d *time.Duration }

func (p positiveDuration) String() string {
	if p.d == nil {
		return ""
	}
	return p.d.String()
}

func (p positiveDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration (e.g. 90s, 5m): %q", s)
	}
	if d <= 0 {
		return fmt.Errorf("must be above zero, got %s", d)
	}
	*p.d = d
	return nil
}

func (positiveDuration) Type() string { return "duration" }

// durationFlag declares a positiveDuration flag with its default.
func durationFlag(fs *pflag.FlagSet, d *time.Duration, name string, def time.Duration, usage string) {
	*d = def
	fs.Var(positiveDuration{d}, name, usage)
}
