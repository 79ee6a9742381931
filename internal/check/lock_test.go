package check

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

func TestSecondCheckSaysWhoHoldsTheBuildFolder(t *testing.T) {
	dir := t.TempDir()
	ex := &course.Exercise{ID: "hello-module"}
	unlock, err := lockDir(context.Background(), dir, holderLabel(ex, "learner", "/ws/hello-module"), func(Event) {})
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = lockDir(ctx, dir, holderLabel(ex, "solution", ""), func(e Event) { events = append(events, e) })
	want := "pid " + strconv.Itoa(os.Getpid()) + " (rfl-tutor check hello-module, folder /ws/hello-module) since "
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "held by "+want) {
		t.Errorf("second lock: %v", err)
	}
	if len(events) != 1 || !strings.HasPrefix(events[0].(Waiting).Holder, want) {
		t.Errorf("events %+v, want one Waiting naming %q", events, want)
	}

	unlock()
	events = nil
	unlock, err = lockDir(context.Background(), dir, "x", func(e Event) { events = append(events, e) })
	if err != nil || len(events) != 0 {
		t.Fatalf("lock after unlock: %v, events %v", err, events)
	}
	unlock()
}
