package check

import (
	"os"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
)

func TestMain(m *testing.M) {
	// Where PID 1 does not reap (containers, this CI), killed grandchildren would linger as
	// zombies in the build's process group; adopting them lets build.Run reap them.
	if err := build.AdoptOrphans(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
