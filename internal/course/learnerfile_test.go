package course

import "testing"

func TestLearnerFile(t *testing.T) {
	for name, want := range map[string]bool{
		"Kbuild": true, "Makefile": true, "hello_module.rs": true, "mixed_sum.c": true, "mixed_sum.h": true,
		".hello.rs.swp": false, "hello.rs~": false, "#hello.rs#": false, ".#hello.rs": false,
		"hello.o": false, "hello.ko": false, "hello.mod": false, "hello.mod.c": false, ".hello.o.cmd": false,
		"modules.order": false, "Module.symvers": false, "notes.txt": false, "4913": false,
	} {
		if got := LearnerFile(name); got != want {
			t.Errorf("LearnerFile(%q) = %v, want %v", name, got, want)
		}
	}
}
