package tui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// startCheck judges the learner's files, replacing a check in progress (its result is about
// files that changed since).
func (p *exercisePane) startCheck() tea.Cmd {
	if reason := p.unavailableReason(); reason != "" {
		p.note = "Cannot be checked here: " + reason
		return nil
	}
	if !p.ready {
		p.note = "Your copy of the exercise is not set up yet."
		return nil
	}
	if p.run != nil {
		p.run.abandon()
	}
	p.runs++
	p.run = startCheck(p.c.Ctx, p.c.Session, p.ex, p.dir, uint16(max(p.width, 40)), uint16(max(p.bodyHeight(), 10)), p.runs)
	p.cancelling = false
	p.verdict = nil
	p.note = ""
	p.waitingFor = ""
	p.out.Reset()
	p.follow = true
	p.resetStages()
	p.diags = nil
	p.buildDiagnostics()
	if p.tab == tabTask || p.tab == tabDiagnostics {
		p.tab = tabOutput
	}
	return tea.Batch(p.run.next(), p.spin.Tick)
}

func (p *exercisePane) updateCheck(msg checkMsg) tea.Cmd {
	if p.run == nil || msg.run != p.run.id {
		return nil // a replaced run
	}
	for _, e := range msg.events {
		switch e := e.(type) {
		case check.Waiting:
			p.waitingFor = e.Holder
		case check.Output:
			_, _ = p.out.Write(e.Data)
		case check.StageStarted:
			p.waitingFor = "" // the folder is ours now
			if st := p.stage(e.Stage); st != nil {
				st.running = true
			}
		case check.StageDone:
			if st := p.stage(e.Result.Stage); st != nil {
				st.running, st.status, st.reason = false, e.Result.Status, e.Result.Reason
			}
		}
	}
	if msg.result == nil {
		return p.run.next()
	}
	p.run = nil
	return p.finishCheck(*msg.result)
}

func (p *exercisePane) stage(s course.Stage) *stageState {
	for i := range p.stages {
		if p.stages[i].stage == s {
			return &p.stages[i]
		}
	}
	return nil
}

func (p *exercisePane) finishCheck(res runResult) tea.Cmd {
	// Say what was stopped: the stage that was running when the check was cancelled.
	what := "the build was stopped"
	for i := range p.stages {
		if p.stages[i].running && p.stages[i].stage == course.StageBoot {
			what = "the booted guest was stopped"
		}
		p.stages[i].running = false
	}
	switch {
	case res.err != nil && (errors.Is(res.err, context.Canceled) || p.cancelling):
		p.note = "Check cancelled: " + what + "."
		p.cancelling = false
		return nil
	case res.err != nil:
		p.note = "The check could not run: " + res.err.Error()
		return nil
	}
	v := res.verdict
	p.verdict = v
	for _, r := range v.Stages {
		if st := p.stage(r.Stage); st != nil {
			st.status, st.reason = r.Status, r.Reason
		}
	}
	p.diags = v.Diagnostics
	p.diagSel = 0
	p.diagPager.off = 0
	p.buildDiagnostics()
	if !v.Passed && (len(v.Diagnostics) > 0 || p.stageLogs() > 0) && p.tab == tabOutput {
		p.tab = tabDiagnostics
	}
	// Recorded exactly as `rfl-tutor check` records it.
	return p.c.record(tutor.RecordCheck(p.ex, v, p.c.Now()))
}
