package rag

// brief is the candidate-facing description, also the kit's README.md.
const brief = `# Support-center retrieval and answering

Corvana sells eight software products. Its help center (` + "`corpus.jsonl`" + `, about 800
articles) covers plans, regional prices, limits, procedures, error codes,
integrations, release notes and policies, some of which have been replaced by
newer versions. Build a system that finds the passages that answer a
customer's question, answers it in a few words, cites its sources, and says
"I don't know" when the help center does not say.

## Phases (no network, 1 CPU, 2 GB of memory, 10 minutes each)

- **index** gets ` + "`/data/corpus.jsonl`" + ` (lines of ` + "`{\"doc_id\", \"title\", \"text\"}`" + `) and may
  write anything to ` + "`/workspace`" + `, which the next phase sees.
- **query** gets ` + "`/data/queries.jsonl`" + ` (lines of ` + "`{\"query_id\", \"text\"}`" + `) and writes
  ` + "`/output/results.jsonl`" + `, one line per query:

` + "```json" + `
{"query_id": "q-1a2b3c", "results": [{"doc_id": "kb-00a1f2", "start": 120, "end": 480, "score": 12.5}],
 "answer": "30 days", "abstain": false, "citations": ["kb-00a1f2"]}
` + "```" + `

` + "`start`/`end`" + ` are character offsets into the document's ` + "`text`" + ` (Python string indices,
end exclusive). The list order is your ranking (at most 100 passages); ` + "`score`" + ` is kept for
your own debugging and never reorders anything. Several passages of one document may appear;
the same passage twice is an error. Unknown document ids, spans outside the text, malformed lines
or a file over 32 MB make the run invalid. A query without a line scores 0.

**query** may run several times after one index (the hidden queries, your own eval set) and
**may not keep state between runs**: each run starts from ` + "`/workspace`" + ` exactly as index
left it, mounted read-only, with a fresh, empty ` + "`/tmp`" + ` for scratch files.

The image has Python 3.11 with numpy, pandas, scipy and scikit-learn only.

## Your own eval set

Put ` + "`eval/queries.jsonl`" + ` in your submission: lines of
` + "`{\"query_id\", \"text\", \"category\", \"relevant_doc_ids\": [...], \"answers\": [...]}`" + ` (an empty ` + "`relevant_doc_ids`" + ` means the query
has no answer). The grader runs your query phase on it too, scores it with your labels and reports
how close your own nDCG@10 came to the hidden one, and which of the categories below you covered.
` + "`expected_score`" + ` in ` + "`takehome.yaml`" + ` is your estimate of the hidden nDCG@10.

## How you are scored

The hidden set has about 320 queries in seven categories: lexical, paraphrase (few shared
words), multi_hop (needs two articles), version_conflict (the current policy wins over the
version it replaced), numeric (table and price lookups), unanswerable (the right answer is to
abstain) and noisy (typos). ` + "`dev_queries.jsonl`" + ` has labelled examples of each, with gold evidence spans.

- **Documents**: nDCG@10 (linear gains, the ideal list from all relevant documents), Recall@5,
  Recall@20, MRR@10, trec_eval conventions. A document is ranked at its first passage. Unanswerable
  queries are left out of these means.
- **Passages**: evidence hit@k = share of queries with a gold evidence span covered by one of the
  first k passages. A passage covers a span when it contains at least half of it. Passages longer
  than 1,000 characters count as their first 1,000, so returning whole articles only helps when
  the answer is near the top.
- **Answers**: SQuAD exact match and token F1 (lower case, ASCII punctuation and articles
  removed). Abstaining on an unanswerable query scores 1, answering it 0; abstaining on an
  answerable query scores 0.
- **Citations**: precision = cited documents that hold gold evidence / cited; recall = gold
  documents cited / gold documents.
- **Abstention**: precision = correct abstentions / abstentions; recall = correct abstentions /
  unanswerable queries.

**Score** = 100 × (0.35 nDCG@10 + 0.20 evidence hit@5 + 0.25 answer F1 + 0.10 citation F1 +
0.10 abstention F1), where the F1s are harmonic means of the precision and recall above (0 when
undefined). nDCG@10 comes with a 95% bootstrap interval (1,000 resamples of queries).

Index time, query time (hence throughput) and peak memory of each phase are shown in the phase
table of the report, not in the score.
`
