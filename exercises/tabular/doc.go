// Package tabular is the "tabular-churn" exercise: predict which customers of
// a fictional software company cancel their subscription next month, from a
// deliberately messy export with planted target leaks.
//
// The generator is deterministic per seed. Training rows (months 1–18) ship
// in the starter kit; a public block from the same period backs self-check
// runs; a hidden block from months 19–24 backs final runs. In the hidden
// block every leaky column keeps its distribution and missingness but is
// permuted, so a model that leans on a leak collapses there. Final runs add
// probe steps (predict again with one leaky column permuted, and predict on
// the public block) so the scorer can say which leaks a model relies on.
package tabular
