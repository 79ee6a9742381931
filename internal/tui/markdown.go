package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/render"
)

// ReadableWidth is the widest a text is wrapped, however wide the pane: long lines are hard to
// read, and a projector in a workshop makes panes very wide.
const ReadableWidth = 100

// docKey names one rendering of a markdown document. Renders are cached per key, and a result
// that arrives for a key no pane shows any more (the window was resized again meanwhile, or the
// theme changed) is kept in the cache but not displayed.
type docKey struct {
	doc    string // "lesson:<id>" or "task:<exercise id>"
	width  int
	dark   bool
	kernel string // the kernel version the code shown is for
}

// renderedMsg is a finished rendering.
type renderedMsg struct {
	key docKey
	out string
	err error
}

// maxRenders bounds the cache: every resize step makes new keys.
const maxRenders = 64

type renderCache struct {
	done    map[docKey]renderedMsg
	pending map[docKey]bool
}

func newRenderCache() *renderCache {
	return &renderCache{done: map[docKey]renderedMsg{}, pending: map[docKey]bool{}}
}

// get returns a finished rendering.
func (c *renderCache) get(k docKey) (renderedMsg, bool) {
	r, ok := c.done[k]
	return r, ok
}

// request returns the command that renders md for k, or nil when k is cached or already being
// rendered. source produces the markdown inside the command, so reading snippet files for
// includes happens off the UI goroutine too.
func (c *renderCache) request(k docKey, source func() (string, error)) tea.Cmd {
	if _, ok := c.done[k]; ok || c.pending[k] {
		return nil
	}
	c.pending[k] = true
	theme := render.Light
	if k.dark {
		theme = render.Dark
	}
	return func() tea.Msg {
		md, err := source()
		if err != nil {
			return renderedMsg{key: k, err: err}
		}
		out, err := render.Markdown(md, k.width, theme)
		return renderedMsg{key: k, out: strings.TrimRight(out, "\n"), err: err}
	}
}

// store files a finished rendering.
func (c *renderCache) store(m renderedMsg) {
	delete(c.pending, m.key)
	if len(c.done) >= maxRenders {
		clear(c.done)
	}
	c.done[m.key] = m
}

// wrapWidth is the width to render text at in a pane w columns wide.
func wrapWidth(w int) int {
	return max(min(ReadableWidth, w-2), render.MinWidth)
}

// renderError is what a pane shows when a document cannot be rendered.
func renderError(err error) string {
	return fmt.Sprintf("This text could not be rendered:\n\n%v", err)
}
