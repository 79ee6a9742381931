package check

import (
	"os"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/proc"
)

func TestMain(m *testing.M) {
	// Where PID 1 does not reap (containers, this CI), killed grandchildren would linger as
	// zombies in the build's process group; adopting them lets proc reap them.
	if err := proc.AdoptOrphans(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
