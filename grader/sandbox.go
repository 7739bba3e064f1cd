package grader

import (
	"context"
	"time"

	"takehome/exercises"
)

// Sandbox runs untrusted phases in isolated containers. grader/docker
// implements it on the Docker Engine.
type Sandbox interface {
	// Open prepares a run: its writable workspace holding files, and one
	// output location per step name. The session must be closed.
	Open(ctx context.Context, spec RunSpec) (Session, error)
}

// RunSpec describes one grading run in the sandbox.
type RunSpec struct {
	RunID     string            // labels every container and volume of the run
	Image     string            // image reference; the session resolves its id
	Workspace []exercises.File  // the submission's files, copied into /workspace
	Steps     []string          // step names, each gets its own /output
	Limits    exercises.Limits  // workspace size comes from here
	Labels    map[string]string // extra labels, e.g. the submission id
	// Models says steps of the run may get model access (StepRun.Gateway):
	// the session then carries the gateway's shim.
	Models bool
	// States names the run's state volumes (StepRun.State), each empty at
	// Open and sized by Limits.StateBytes.
	States []string
}

// Session is one prepared run: steps execute one after another against the
// same workspace, which a step may be denied to write (StepRun.FrozenWorkspace).
type Session interface {
	// ImageID is the id of the image the run's containers use.
	ImageID() string
	// Runtime names the OCI runtime the run's containers use, e.g. runc or
	// runsc (gVisor).
	Runtime() string
	// RunStep runs one step to completion. The error is non-nil only for
	// infrastructure failures; everything the candidate's code did is in the
	// result's verdict.
	RunStep(ctx context.Context, step StepRun) (StepResult, error)
	// Close removes every container and volume of the run. It must be
	// called, and runs on a context that survives cancellation.
	Close(ctx context.Context) error
}

// StepRun is one container run inside a session.
type StepRun struct {
	Name    string           // one of RunSpec.Steps
	Command []string         // argv run in /workspace, e.g. sh -c "python3 train.py"
	Inputs  []exercises.File // placed read-only in /data
	Limits  exercises.Limits
	// FrozenWorkspace mounts /workspace read-only: the step sees what the
	// steps before it left and cannot change what later steps see.
	FrozenWorkspace bool
	// State, when set, mounts that state volume (one of RunSpec.States)
	// writable at /state: the steps that name the same state see what the
	// ones before them left there, and no other step does.
	State string
	// Gateway, when set, gives the step model access: the sandbox mounts the
	// gateway's socket and runs the command under the shim that serves it
	// on 127.0.0.1:8765.
	Gateway *StepGateway
}

// StepResult is how a step ended and what it left behind.
type StepResult struct {
	Verdict    Verdict          `json:"verdict"`
	Reason     string           `json:"reason,omitempty"` // for invalid_output, output_limit, infra_error; a hint for exit_nonzero
	ExitCode   int              `json:"exit_code"`
	Wall       time.Duration    `json:"wall_ns"`
	CPU        time.Duration    `json:"cpu_ns,omitempty"`            // CPU time of the step's container; 0 when not reported
	PeakMemory int64            `json:"peak_memory_bytes,omitempty"` // 0 when the engine does not report it
	Log        Log              `json:"log"`
	Outputs    []exercises.File `json:"-"` // regular files found in /output
}

// Log is the head and tail of a step's combined stdout and stderr.
type Log struct {
	Head    string `json:"head"`
	Tail    string `json:"tail"`
	Dropped int64  `json:"dropped_bytes"` // bytes between head and tail that were not kept
}

// String renders the log with a marker where bytes were dropped.
func (l Log) String() string {
	if l.Dropped == 0 {
		return l.Head + l.Tail
	}
	return l.Head + "\n[... " + itoa(l.Dropped) + " bytes dropped ...]\n" + l.Tail
}
