// Package grader is the domain core: submissions, runs, verdicts, reports,
// the manifest, the pipeline that runs one submission through its steps in
// a Sandbox, and the grading use case (Grader.Grade) that loads what a
// submission needs, runs the pipeline and saves the report with the job's
// completion in one transaction. It holds the small interfaces it needs
// (Sandbox, GradeStore) and imports no web, database or Docker packages:
// grader/docker, internal/postgres and internal/queue implement and drive it.
package grader
