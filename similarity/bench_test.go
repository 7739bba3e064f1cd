package similarity

import (
	"bytes"
	"runtime"
	"sync"
	"testing"
)

// Size of the benchmark corpus: 10,000 stored submissions of about 260
// statements (some 2,700 normalised tokens and 490 fingerprints) each.
const (
	benchDocs  = 10_000
	benchLines = 250
	benchSeed  = 2026
)

var bench struct {
	once  sync.Once
	index *Index
	docs  []Document
	check Document // a new submission, 30 % copied from a stored one
}

// partialCopy is a new synthetic submission with 80 of its statements
// copied from stored document src.
func partialCopy(seed uint64, src int) Document {
	pool := syntheticPool(seed)
	stmts := syntheticStatements(seed, benchDocs+1, benchLines, pool)
	copy(stmts[100:180], syntheticStatements(seed, src, benchLines, pool)[50:130])
	cfg := Config{}.withDefaults()
	doc := Document{K: cfg.K}
	doc.add("main.py", statementTokens(stmts), cfg)
	return doc
}

// benchCorpus builds the indexed corpus once for all benchmarks.
func benchCorpus(b *testing.B) {
	b.Helper()
	bench.once.Do(func() {
		bench.docs = SyntheticDocuments(benchDocs, benchLines, benchSeed, Config{})
		bench.check = partialCopy(benchSeed, 1234)
		bench.index = NewIndex(0)
		for i, d := range bench.docs {
			if err := bench.index.Add(int64(i), d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

var sinkPair Pair

// check is the work of one similarity job: candidates from the index, then
// a pair score for each candidate whose estimate reaches minEstimate.
func check(ix *Index, docs []Document, doc Document, minEstimate float64) (candidates, scored int) {
	matches, _ := ix.Candidates(doc)
	for _, m := range matches {
		if m.Estimate(len(doc.Kgrams)) < minEstimate {
			continue
		}
		sinkPair = Compare(doc, docs[m.ID], ix.IsCommon)
		scored++
	}
	return len(matches), scored
}

// BenchmarkCandidates10k: the index lookup alone for one new submission.
func BenchmarkCandidates10k(b *testing.B) {
	benchCorpus(b)
	var n int
	for b.Loop() {
		m, _ := bench.index.Candidates(bench.check)
		n = len(m)
	}
	b.ReportMetric(float64(n), "candidates")
}

// BenchmarkCheck10k: lookup plus pair scores of the candidates estimated
// at 10 % or more, as a job storing pairs of similarity >= 0.2 would.
func BenchmarkCheck10k(b *testing.B) {
	benchCorpus(b)
	var cands, scored int
	for b.Loop() {
		cands, scored = check(bench.index, bench.docs, bench.check, 0.1)
	}
	b.ReportMetric(float64(cands), "candidates")
	b.ReportMetric(float64(scored), "scored")
	b.ReportMetric(sinkPair.Similarity, "similarity")
}

// BenchmarkCheckAll10k: lookup plus a pair score for every candidate, the
// worst case.
func BenchmarkCheckAll10k(b *testing.B) {
	benchCorpus(b)
	var scored int
	for b.Loop() {
		_, scored = check(bench.index, bench.docs, bench.check, 0)
	}
	b.ReportMetric(float64(scored), "scored")
}

// BenchmarkIndex10k: building the index of 10,000 documents, and its heap
// size per posting. Run with -benchtime=1x.
func BenchmarkIndex10k(b *testing.B) {
	docs := SyntheticDocuments(benchDocs, benchLines, benchSeed, Config{})
	var st IndexStats
	var heap uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix := NewIndex(0)
		for i, d := range docs {
			if err := ix.Add(int64(i), d); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		st, heap = ix.Stats(), after.HeapAlloc-before.HeapAlloc
		runtime.KeepAlive(ix)
	}
	b.ReportMetric(float64(st.Postings), "postings")
	b.ReportMetric(float64(st.Hashes), "hashes")
	b.ReportMetric(float64(heap)/float64(st.Postings), "heap-B/posting")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}

// BenchmarkFingerprint: tokenizing and winnowing real Python, in lines per
// second.
func BenchmarkFingerprint(b *testing.B) {
	var files []File
	lines := 0
	for _, name := range []string{"starter.py", "solution_a.py", "solution_b.py", "solution_a_disguised.py"} {
		src := churnSource(b, name)
		files = append(files, File{Path: name, Src: src})
		lines += bytes.Count(src, []byte("\n"))
	}
	for b.Loop() {
		Fingerprint(files, Config{})
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkCompare: one pair score of two real solutions.
func BenchmarkCompare(b *testing.B) {
	x, y := churnDoc(b, "solution_a.py"), churnDoc(b, "solution_a_disguised.py")
	for b.Loop() {
		sinkPair = Compare(x, y, nil)
	}
}
