// Package docker implements grader.Sandbox on the Docker Engine. It is the
// only package that imports the Docker client.
//
// One run is a set of named volumes plus one "holder" container:
//
//	workspace  tmpfs volume, size-capped, /workspace in every step: rw, or
//	           read-only for a step that asks for it (StepRun.FrozenWorkspace)
//	out/<i>    tmpfs volume per step, size-capped, the step's /output
//	in/<i>     disk volume per step, the step's read-only /data
//	state/<i>  tmpfs volume per state name, size-capped, noexec, the /state
//	           of the steps that name it (StepRun.State)
//
// A tmpfs volume is unmounted (and emptied) as soon as no running container
// uses it, so the holder, a hardened idle container, keeps every volume of the
// run mounted for the run's whole life. All copies in and out go through the
// holder with the archive API: the runner never bind-mounts its own files, so
// the daemon may be remote (DOCKER_HOST). Steps run one container each, with
// the hardening of hostConfig and containerConfig.
//
// Writes to a tmpfs volume are charged to the memory limit of the step that
// makes them, as /tmp and /dev/shm are.
//
// Every container and volume carries takehome.* labels (run, session, owner,
// fleet, expiry) so that Close, Reap and tests can find leftovers. Reap
// removes what expired, and what belongs to a dead owner of its own fleet.
package docker
