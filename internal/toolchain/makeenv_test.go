package toolchain

import (
	"slices"
	"testing"
)

func TestMakeEnv(t *testing.T) {
	base := []string{"HOME=/home/a", "PATH=/usr/bin", "MAKEFLAGS=-j8 --jobserver-auth=3,4", "MAKELEVEL=1",
		"ARCH=arm64", "KBUILD_OUTPUT=/tmp/o", "TERM=screen", "LC_ALL=de_DE.UTF-8", "NO_COLOR=1", "LANGUAGE=de"}
	got := MakeEnv(base, "PATH=/opt/bin:/usr/bin", "TERM=xterm-256color")
	want := []string{"HOME=/home/a", "LC_ALL=C.UTF-8", "PATH=/opt/bin:/usr/bin", "TERM=xterm-256color"}
	if !slices.Equal(got, want) {
		t.Errorf("MakeEnv = %q\nwant %q", got, want)
	}
	if got := MakeEnv(nil, "LC_ALL=C"); !slices.Equal(got, []string{"LC_ALL=C"}) {
		t.Errorf("an explicit LC_ALL: %q", got)
	}
}
