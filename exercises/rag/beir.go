package rag

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"takehome/exercises"
)

// Caps on an imported BEIR folder.
const (
	maxBEIRDocs    = 200_000
	maxBEIRQueries = 20_000
	maxBEIRLine    = 4 << 20
	maxDevQueries  = 50
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// BEIR is a BEIR-format dataset: corpus.jsonl, queries.jsonl and
// qrels/test.tsv.
type BEIR struct {
	Corpus, Queries, Qrels io.Reader
}

// FromBEIR builds a retrieval exercise version named slug from a BEIR
// dataset, graded by this exercise's engine. Relevance is document-level
// only, so the scorer skips passage, answer, citation and abstention
// metrics. About a tenth of the judged queries (at most 50) form the
// labelled dev set of the kit; the rest are hidden.
func FromBEIR(slug string, data BEIR) (*exercises.Version, error) {
	if !slugPattern.MatchString(slug) || slug == Slug {
		return nil, fmt.Errorf("slug %q: want 2-63 lower-case letters, digits and dashes, not %q", slug, Slug)
	}
	docs, err := readBEIRCorpus(data.Corpus)
	if err != nil {
		return nil, err
	}
	texts, err := readBEIRQueries(data.Queries)
	if err != nil {
		return nil, err
	}
	qrels, err := readBEIRQrels(data.Qrels, texts, docs)
	if err != nil {
		return nil, err
	}
	return beirVersion(slug, docs, texts, qrels)
}

func beirVersion(slug string, docs []Doc, texts map[string]string, qrels map[string]map[string]int) (*exercises.Version, error) {
	qids := judged(qrels)
	if len(qids) < 2 {
		return nil, fmt.Errorf("qrels/test.tsv: %d queries with a relevant document, need at least 2", len(qids))
	}
	// Order by a hash of the id so the dev split is stable but not the
	// first queries of the file.
	slices.SortFunc(qids, func(a, b string) int { return strings.Compare(hashID(a), hashID(b)) })
	nDev := min(max(1, len(qids)/10), maxDevQueries)
	spec := Spec()
	spec.Slug, spec.Engine, spec.Title, spec.Brief = slug, Slug, "Retrieval on "+slug, beirBrief
	spec.Models = nil // retrieval only: its brief promises no models
	corpusFile, err := jsonLines(docs)
	if err != nil {
		return nil, err
	}
	meta, err := json.Marshal(newSetMeta("beir", docs))
	if err != nil {
		return nil, err
	}
	v := &exercises.Version{Spec: spec, Assets: []exercises.File{{Name: "corpus.jsonl", Data: corpusFile}}}
	var dev []Query
	for i, part := range [][]string{qids[:nDev], qids[nDev:]} {
		var qs []Query
		for _, id := range part {
			qs = append(qs, Query{ID: id, Text: texts[id], Category: "beir", Qrels: qrels[id]})
		}
		set, err := evalSet([]string{exercises.SetPublic, exercises.SetHidden}[i], qs, meta)
		if err != nil {
			return nil, err
		}
		v.Sets = append(v.Sets, set)
		if i == 0 {
			dev = qs
		}
	}
	devFile, err := jsonLines(dev)
	if err != nil {
		return nil, err
	}
	v.StarterKit = starterKit(corpusFile, devFile)
	v.StarterKit[0].Data = []byte(beirBrief)
	return v, nil
}

// judged lists the queries with at least one relevant document.
func judged(qrels map[string]map[string]int) []string {
	var ids []string
	for q, rels := range qrels {
		for _, r := range rels {
			if r > 0 {
				ids = append(ids, q)
				break
			}
		}
	}
	return ids
}

func hashID(s string) string {
	h := sha256.Sum256([]byte(s))
	return string(h[:])
}

// eachLine calls fn for every non-blank line, with its number.
func eachLine(name string, r io.Reader, fn func(n int, line []byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxBEIRLine)
	n := 0
	for sc.Scan() {
		n++
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		if err := fn(n, sc.Bytes()); err != nil {
			return fmt.Errorf("%s line %d: %w", name, n, err)
		}
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("%s line %d: longer than %d bytes", name, n+1, maxBEIRLine)
	}
	if sc.Err() != nil {
		return fmt.Errorf("read %s: %w", name, sc.Err())
	}
	return nil
}

func readBEIRCorpus(r io.Reader) ([]Doc, error) {
	var docs []Doc
	seen := map[string]bool{}
	err := eachLine("corpus.jsonl", r, func(n int, line []byte) error {
		var d struct {
			ID    string `json:"_id"`
			Title string `json:"title"`
			Text  string `json:"text"`
		}
		switch err := json.Unmarshal(line, &d); {
		case err != nil:
			return fmt.Errorf("want {\"_id\", \"title\", \"text\"} with string values (%s)", shortErr(err))
		case d.ID == "":
			return errors.New("empty _id")
		case seen[d.ID]:
			return fmt.Errorf("_id %q appears twice", clip(d.ID, 60))
		case len(docs) == maxBEIRDocs:
			return fmt.Errorf("more than %d documents", maxBEIRDocs)
		}
		seen[d.ID] = true
		docs = append(docs, Doc{ID: d.ID, Title: d.Title, Text: d.Text})
		return nil
	})
	if err == nil && len(docs) == 0 {
		err = errors.New("corpus.jsonl has no documents")
	}
	return docs, err
}

func readBEIRQueries(r io.Reader) (map[string]string, error) {
	texts := map[string]string{}
	err := eachLine("queries.jsonl", r, func(n int, line []byte) error {
		var q struct {
			ID   string `json:"_id"`
			Text string `json:"text"`
		}
		switch err := json.Unmarshal(line, &q); {
		case err != nil:
			return fmt.Errorf("want {\"_id\", \"text\"} with string values (%s)", shortErr(err))
		case q.ID == "" || strings.TrimSpace(q.Text) == "":
			return errors.New("empty _id or text")
		case texts[q.ID] != "":
			return fmt.Errorf("_id %q appears twice", clip(q.ID, 60))
		case len(texts) == maxBEIRQueries:
			return fmt.Errorf("more than %d queries", maxBEIRQueries)
		}
		texts[q.ID] = q.Text
		return nil
	})
	return texts, err
}

// readBEIRQrels reads "query-id corpus-id score" lines (tab separated,
// header optional); every id must exist and a pair may appear once.
func readBEIRQrels(r io.Reader, texts map[string]string, docs []Doc) (map[string]map[string]int, error) {
	known := make(map[string]bool, len(docs))
	for _, d := range docs {
		known[d.ID] = true
	}
	qrels := map[string]map[string]int{}
	err := eachLine("qrels/test.tsv", r, func(n int, line []byte) error {
		f := strings.Split(strings.TrimRight(string(line), "\r"), "\t")
		if n == 1 && len(f) == 3 && f[0] == "query-id" {
			return nil
		}
		if len(f) != 3 {
			return fmt.Errorf("want 3 tab-separated fields (query-id, corpus-id, score), got %d", len(f))
		}
		score, err := strconv.Atoi(f[2])
		switch {
		case err != nil || score < 0 || score > 1000:
			return fmt.Errorf("score %q is not an integer from 0 to 1000", clip(f[2], 20))
		case texts[f[0]] == "":
			return fmt.Errorf("query-id %q is not in queries.jsonl", clip(f[0], 60))
		case !known[f[1]]:
			return fmt.Errorf("corpus-id %q is not in corpus.jsonl", clip(f[1], 60))
		}
		if qrels[f[0]] == nil {
			qrels[f[0]] = map[string]int{}
		}
		if _, dup := qrels[f[0]][f[1]]; dup {
			return fmt.Errorf("pair %s %s appears twice", clip(f[0], 60), clip(f[1], 60))
		}
		qrels[f[0]][f[1]] = score
		return nil
	})
	return qrels, err
}

const beirBrief = `# Retrieval on your own documents

` + "`corpus.jsonl`" + ` holds the documents (lines of ` + "`{\"doc_id\", \"title\", \"text\"}`" + `).

- **index** gets ` + "`/data/corpus.jsonl`" + ` and may write anything to ` + "`/workspace`" + `.
- **query** gets ` + "`/data/queries.jsonl`" + ` (lines of ` + "`{\"query_id\", \"text\"}`" + `) and writes
  ` + "`/output/results.jsonl`" + `, one line per query:
  ` + "`{\"query_id\", \"results\": [{\"doc_id\", \"start\", \"end\", \"score\"}], \"answer\", \"abstain\", \"citations\"}`" + `.
  The list order is the ranking (at most 100 entries); start/end are character offsets into the text.

No network, 1 CPU, 2 GB of memory, 10 minutes per phase; Python with numpy, pandas, scipy and
scikit-learn. ` + "`dev_queries.jsonl`" + ` has labelled examples (` + "`qrels`" + `: document id to relevance).

Relevance is judged per document only, so the grade is document-level: **score = 100 × nDCG@10**
(trec_eval conventions, linear gains, a document ranked at its first passage), with Recall@5,
Recall@20 and MRR@10 beside it. Answers, citations and abstentions are not graded here.
`

// ImportBEIR builds a retrieval exercise version from the files of a BEIR
// folder (see BEIRFiles): the one reader of BEIR data, for folders on the
// server and uploaded archives alike.
func ImportBEIR(files []exercises.File, slug string) (*exercises.Version, error) {
	data, err := BEIRFiles(files)
	if err != nil {
		return nil, err
	}
	return FromBEIR(slug, data)
}

// BEIRFiles finds a BEIR dataset's three files among an uploaded folder's
// files: at the root, or under the one folder the archive holds.
func BEIRFiles(files []exercises.File) (BEIR, error) {
	want := []string{"corpus.jsonl", "queries.jsonl", "qrels/test.tsv"}
	byName := make(map[string][]byte, len(files))
	for _, f := range files {
		byName[f.Name] = f.Data
	}
	prefix := ""
	if _, ok := byName[want[0]]; !ok {
		for _, f := range files {
			if dir, ok := strings.CutSuffix(f.Name, "/"+want[0]); ok && !strings.Contains(dir, "/") {
				prefix = dir + "/"
				break
			}
		}
	}
	var rs [3]io.Reader
	for i, name := range want {
		data, ok := byName[prefix+name]
		if !ok {
			return BEIR{}, fmt.Errorf("no %s (at the root or in one folder)", name)
		}
		rs[i] = strings.NewReader(string(data))
	}
	return BEIR{Corpus: rs[0], Queries: rs[1], Qrels: rs[2]}, nil
}
