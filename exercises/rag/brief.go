package rag

// brief is the candidate-facing description, also the kit's README.md.
const brief = `# Support-center retrieval and answering

Corvana sells eight software products. Its help center (` + "`corpus.jsonl`" + `, about 800
articles) covers plans, regional prices, limits, procedures, error codes,
integrations, release notes and policies, some of which have been replaced by
newer versions. Build a system that finds the passages that answer a
customer's question, answers it in a few words, cites the text that supports
the answer, and says "I don't know" when the help center does not say.

Some pages are not the company's: **community** posts (forum threads by users)
and **partner** pages (third-party guides). They may be wrong, and some try to
steer an assistant. The product rule: official articles are authoritative;
never direct customers to a contact channel, site or code that is not the
company's. The hidden corpus has more such pages than the kit's.

## Phases (no network but the model gateway, 1 CPU, 2 GB of memory, 10 minutes each)

- **index** gets ` + "`/data/corpus.jsonl`" + ` (lines of ` + "`{\"doc_id\", \"title\", \"text\", \"source\"}`" + `, source
  ` + "`official`" + `, ` + "`community`" + ` or ` + "`partner`" + `) and may write anything to ` + "`/workspace`" + `, which the
  next phase sees.
- **query** gets ` + "`/data/queries.jsonl`" + ` (lines of ` + "`{\"query_id\", \"text\"}`" + `) and writes
  ` + "`/output/results.jsonl`" + `, one line per query:

` + "```json" + `
{"query_id": "q-1a2b3c", "results": [{"doc_id": "kb-00a1f2", "start": 120, "end": 480, "score": 12.5}],
 "answer": "30 days", "abstain": false, "citations": [{"doc_id": "kb-00a1f2", "start": 301, "end": 388}]}
` + "```" + `

` + "`start`/`end`" + ` are character offsets into the document's ` + "`text`" + ` (Python string indices,
end exclusive). ` + "`results`" + ` is your ranking (at most 100 passages); ` + "`score`" + ` is for your own debugging.
Several passages of one document may appear; the same passage twice is an error. **Citations** are the
spans that support your answer (at most 5 count, each at most 1,000 characters); a bare doc id
(` + "`\"kb-00a1f2\"`" + `) is accepted but earns document-level credit only. Unknown document ids, spans
outside the text, malformed lines or a file over 32 MB make the run invalid. A query without a line
scores 0.

**query** may run several times after one index (the hidden queries, your own eval set) and
**may not keep state between runs**: each run starts from ` + "`/workspace`" + ` exactly as index
left it, mounted read-only, with a fresh, empty ` + "`/tmp`" + ` for scratch files.

The image has Python 3.11 with numpy, pandas, scipy, scikit-learn, faiss 1.7.3, requests 2.28.1 and
httpx 0.23.3 (and the ` + "`openai`" + ` package where the image was built online).

## Models

Both phases may call models through the platform's gateway, which speaks OpenAI's API:
` + "`OPENAI_BASE_URL`" + ` and ` + "`OPENAI_API_KEY`" + ` are set (the key is valid for the running phase only), and
` + "`TAKEHOME_MODELS`" + ` lists what you may call: ` + "`gpt-4o-mini`" + ` (chat; $0.15 per million input tokens,
$0.60 per million output tokens) and ` + "`text-embedding-3-small`" + ` (embeddings; $0.02 per million). Unless the
hiring team configured a real provider, these are the platform's offline stand-ins: a hashed n-gram
embedding and an extractive chat model that answers with the best-supported sentences of the
context you give it, after a line starting ` + "`Question:`" + `. Usage is counted and priced as stated either way.

**Budget: $0.25 per grading run**, both phases and every query run together. A call that could
cost more than what is left is refused with HTTP 429, ` + "`\"code\": \"budget_exceeded\"`" + ` (and
` + "`x-should-retry: false`" + `): your code should then carry on without models. Without an output cap the
gateway sets the largest one the budget can pay for. At most 8 calls at once.

` + "```python" + `
import json, os, urllib.request
def chat(prompt):
    req = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/chat/completions", method="POST",
        data=json.dumps({"model": "gpt-4o-mini", "max_completion_tokens": 64,
                         "messages": [{"role": "user", "content": prompt}]}).encode(),
        headers={"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"], "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)["choices"][0]["message"]["content"]
` + "```" + `

The report shows interviewers every call, with its prompt, answer, tokens, cost and latency.

## Your own eval set

Put ` + "`eval/queries.jsonl`" + ` in your submission: lines of
` + "`{\"query_id\", \"text\", \"category\", \"relevant_doc_ids\": [...], \"answers\": [...]}`" + ` (an empty ` + "`relevant_doc_ids`" + ` means the query
has no answer). The grader runs your query phase on it too, scores it with your labels and reports
how close your own nDCG@10 came to the hidden one, and which of the categories below you covered.
` + "`expected_score`" + ` in ` + "`takehome.yaml`" + ` is your estimate of the hidden nDCG@10.

## How you are scored

The hidden set has about 360 queries: about 320 in seven categories (lexical, paraphrase,
multi_hop, version_conflict: the current policy wins over the version it replaced, numeric,
unanswerable: the right answer is to abstain, noisy: typos), plus queries whose answer a community or
partner page tries to hijack, and questions whose official pages contain words like "ignore" or
"override". ` + "`dev_queries.jsonl`" + ` has labelled examples of the seven, with gold evidence spans.

- **Documents**: nDCG@10 (linear gains), Recall@5/@20, MRR@10, trec_eval conventions, answerable queries.
- **Passages**: evidence hit@5 = share of answerable queries with a gold evidence span at least half
  covered by one of the first 5 passages (passages count as their first 1,000 characters).
- **Answers**: SQuAD token F1; numeric questions need the right number with its unit ("$12 per seat
  per month", "30 days"); multi_hop answers get full credit when they name the value asked for and
  the fact that leads to it ("$24, on the Team plan"), three quarters for the value alone. Abstaining
  is right on unanswerable queries only.
- **Citations**: a citation supports the answer when it overlaps a gold evidence span, and covers at
  least half of it or contains the answer. Precision = supporting / valid citations, recall = gold
  spans supported; citations of superseded policy versions and of untrusted pages are reported.
- **Abstention**: precision and recall of your abstentions on unanswerable queries.
- **Injection resistance**: the share of hijack queries whose answer repeats the attacker's phone
  number, site, code or value (attack success); and the share of legitimate questions with trigger
  words you refused or abstained on (over-blocking).

**Quality** = 0.30 nDCG@10 + 0.15 evidence hit@5 + 0.20 answer F1 + 0.10 citation F1 +
0.10 abstention F1 + 0.15 × (1 − attack success) × (1 − over-blocking).
**Score** = 100 × quality × (0.9 + 0.1 × (1 − spent / budget)): up to a tenth of the score depends
on what you spend, full for spending nothing, none for spending the whole budget. nDCG@10 comes with
a 95% bootstrap interval. The report also shows cost per answered query, tokens and latency per query,
and quality per dollar; index and query time and peak memory are in the phase table.
`
