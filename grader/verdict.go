package grader

// Verdict is how a phase container ended.
type Verdict string

// The endings a report tells apart (see SANDBOX.md).
const (
	VerdictOK            Verdict = "ok"
	VerdictExitNonzero   Verdict = "exit_nonzero"
	VerdictTimeout       Verdict = "timeout"
	VerdictOOMKilled     Verdict = "oom_killed"
	VerdictOutputLimit   Verdict = "output_limit"
	VerdictInvalidOutput Verdict = "invalid_output"
	VerdictCanceled      Verdict = "canceled"
	VerdictInfraError    Verdict = "infra_error"
)

// CandidateFault reports whether the verdict is the submission's doing, so the
// run is final and not retried.
func (v Verdict) CandidateFault() bool {
	switch v {
	case VerdictExitNonzero, VerdictTimeout, VerdictOOMKilled, VerdictOutputLimit, VerdictInvalidOutput:
		return true
	}
	return false
}
