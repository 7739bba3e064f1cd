// Package postgres stores the grader's domain in PostgreSQL through gorm:
// users and API tokens, exercise versions with their hidden eval data,
// invites, submissions with their archives, runs, phases, reports, the audit
// log and worker heartbeats.
//
// The schema is versioned SQL under migrations/, applied with goose together
// with River's own migrations by Migrate. Store methods map missing rows and
// constraint violations to *grader.Error codes; anything else is returned
// wrapped, for the caller to log once.
package postgres
