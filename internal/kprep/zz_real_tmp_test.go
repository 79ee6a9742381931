package kprep

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

func TestTmpRealPrepare(t *testing.T) {
	out := os.Getenv("TMP_KPREP_OUT")
	if out == "" {
		t.Skip()
	}
	var frag []course.ConfigOption
	for _, n := range []string{"64BIT", "MODULES", "MODULE_UNLOAD", "RUST", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE", "EARLY_PRINTK", "PRINTK_TIME", "BLK_DEV_INITRD", "RD_GZIP", "BINFMT_ELF", "BINFMT_SCRIPT", "PROC_FS", "SYSFS", "DEVTMPFS", "DEVTMPFS_MOUNT", "FUTEX", "MULTIUSER", "NET", "NETDEVICES", "PHYLIB", "RUST_PHYLIB_ABSTRACTIONS", "BLOCK", "BLK_DEV", "KUNIT"} {
		frag = append(frag, course.ConfigOption{Name: n})
	}
	start := time.Now()
	last := time.Time{}
	tr, err := Prepare(t.Context(), Options{Source: "/usr/src/linux-source-6.12.tar.xz", Out: out, Jobs: 2, Fragment: frag,
		Progress: func(done, total int, line string) {
			if time.Since(last) > 10*time.Second || total == done {
				fmt.Printf("%s %d/%d %s\n", time.Since(start).Round(time.Second), done, total, line)
				last = time.Now()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("done in %s: %+v\n%+v\n", time.Since(start), tr, tr.Meta)
}
