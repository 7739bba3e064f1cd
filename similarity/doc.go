// Package similarity is the core of a similarity checker for Python
// submissions of one exercise: it fingerprints a submission's code, finds
// earlier submissions sharing fingerprints through an inverted index, and
// scores pairs with the matching fragments a reviewer needs to judge them.
// It is pure Go: no I/O, no database, no randomness.
//
// A similarity job runs, per new submission:
//
//	tpl := similarity.NewTemplate(starterKit, cfg) // once per exercise
//	doc := similarity.Fingerprint(files, cfg).Without(tpl)
//	matches, ignored := index.Candidates(doc)
//	for _, m := range matches {
//		if m.Estimate(len(doc.Kgrams)) < 0.1 {
//			continue
//		}
//		pair := similarity.Compare(doc, stored(m.ID), index.IsCommon)
//		// store pair; flag for review unless pair.Short
//	}
//	index.Add(id, doc)
//
// A score is a reason for a human to look, never a verdict.
//
// # Conventions
//
// Tokens (Tokenize): chroma's Python lexer, then JPlag-style normalisation.
// Comments, whitespace, docstrings and other string statements are dropped;
// identifiers (attribute and module names included) become SymbolName,
// strings SymbolString, numbers SymbolNumber; keywords, operators,
// punctuation and builtins (len, print, self, ValueError, __init__, ...)
// are kept. Attribute names are masked too, although library calls such as
// .fit are distinctive, because the lexer cannot tell them from the
// candidate's own attributes, which a disguised copy renames; library idioms
// common to most solutions are the common-fingerprint filter's job.
//
// Fingerprints (Fingerprint): 64-bit rolling polynomial hashes of k-grams
// of normalised tokens, selected by robust winnowing, K = 15 and W = 10 by
// default, so every shared run of 24 tokens is found and none shorter than
// 15 is. K-grams do not span files. Each fingerprint keeps its hash, token
// offset, file and first and last line.
//
// Template: every k-gram of the starter kit is removed from each document
// (Document.Without), and counted.
//
// Common fingerprints (Index): a hash in more than M = 0.5 of the indexed
// documents is ignored once there are MinCommonDocs (10) of them, in
// Candidates and, through Index.IsCommon, in Compare.
//
// Scores (Compare), all in fingerprints after template and common removal:
//
//	similarity       = (leftCovered + rightCovered) / (leftTotal + rightTotal)   (Dolos)
//	containment      = covered / total, per side; MaxContainment is the larger   (JPlag MAX)
//	longest fragment = the longest run of fingerprints consecutive and in order on both sides
//
// where a side's covered count is how many of its fingerprints have a hash
// present on the other side. ShortSolution flags a pair where either side
// has fewer than MinTokens (150) normalised tokens of its own; flags should
// be suppressed then.
//
// # Storage
//
// A Document is plain data: to compare against stored submissions, persist
// its Files, Kgrams, Tokens, TemplateTokens and K, and rebuild the Index at
// start-up by adding the stored documents in submission order.
package similarity
