// Package rag is the "rag-support" exercise: retrieval and answering over a
// generated help center. A fictional software company's products, plans,
// prices, limits, procedures and versioned regional policies form a fact
// base; the generator renders it into varied prose, tables and FAQs (with the
// character span of every fact recorded) and draws categorized queries with
// gold evidence spans and short answers from it. The scorer grades a
// submission's ranked passages, answers, citations and abstentions.
//
// The same engine grades versions imported from a BEIR folder (FromBEIR):
// those carry document-level relevance only, so passage and answer metrics
// are skipped.
package rag
