package grader

import (
	"context"
	"fmt"
	"time"

	"takehome/exercises"
)

// tokenSlack keeps a step's token alive a little past its deadline, for
// the last calls in flight when the step is stopped.
const tokenSlack = 5 * time.Minute

// budget sets the run's model budget before any step runs.
func (p *Pipeline) budget(ctx context.Context, job Job) error {
	if job.Spec.Models == nil {
		return nil
	}
	if p.Gateway == nil {
		return Errorf(CodeUnavailable, "this exercise version gives its phases model access, and this worker runs no model gateway")
	}
	if err := p.Gateway.Budget(ctx, job.RunID, job.Spec.Models); err != nil {
		return fmt.Errorf("set the model budget: %w", err)
	}
	return nil
}

// runStep runs one step, with a token of its own when its phase has model
// access: issued before the step, revoked when it ends, whatever the
// verdict.
func (p *Pipeline) runStep(ctx context.Context, s Session, job Job, step exercises.Step, run StepRun) (StepResult, *ModelUse, error) {
	access := job.Spec.Models
	if !access.For(step.Phase) {
		res, err := s.RunStep(ctx, run)
		return res, nil, err
	}
	g := grantFor(job, step)
	token, err := p.Gateway.Grant(ctx, g, withTimeout(run.Limits).Timeout+tokenSlack)
	if err != nil {
		return StepResult{}, nil, fmt.Errorf("grant model access: %w", err)
	}
	run.Gateway = &StepGateway{Token: token, Models: access.Names()}
	res, err := s.RunStep(ctx, run)
	use, ferr := p.Gateway.Finish(context.WithoutCancel(ctx), token, g)
	if err == nil && ferr != nil {
		err = fmt.Errorf("end model access: %w", ferr)
	}
	return res, &use, err
}

// grantFor is what a step may call. A step that sees hidden data (a later
// phase of a final run) keeps its prompts on the platform, with the builtin
// stand-ins, unless the version allows an external provider there.
func grantFor(job Job, step exercises.Step) ModelGrant {
	access := job.Spec.Models
	hidden := job.Mode == exercises.ModeFinal && step.Phase != job.Spec.Phases[0].Name
	provider := access.Provider
	if provider == "" || (hidden && !access.ExternalOnHidden) {
		provider = BuiltinProvider
	}
	return ModelGrant{RunID: job.RunID, Phase: step.Phase, Step: step.Name, Hidden: hidden, Provider: provider, Models: access.Models}
}

// BuiltinProvider names the offline stand-in models every install serves.
const BuiltinProvider = "builtin"

// withTimeout fills in the default deadline of a phase that sets none.
func withTimeout(l exercises.Limits) exercises.Limits {
	if l.Timeout <= 0 {
		l.Timeout = exercises.DefaultLimits().Timeout
	}
	return l
}
