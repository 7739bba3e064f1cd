package rag

import "takehome/exercises"

// starterKit is what the candidate downloads.
func starterKit(corpusFile, dev []byte) []exercises.File {
	return []exercises.File{
		{Name: "README.md", Data: []byte(brief)},
		{Name: "corpus.jsonl", Data: corpusFile},
		{Name: "dev_queries.jsonl", Data: dev},
		{Name: "takehome.yaml", Data: []byte(starterManifest)},
		{Name: "index.py", Data: []byte(starterIndex)},
		{Name: "query.py", Data: []byte(starterQuery)},
		{Name: "eval/queries.jsonl", Data: []byte(starterEval)},
	}
}

const starterManifest = `phases:
  index: python3 index.py
  query: python3 query.py
expected_score: 0.3
`

const starterIndex = `# A deliberately weak start: keep the corpus as it is.
import json, shutil

shutil.copy("/data/corpus.jsonl", "/workspace/corpus.jsonl")
print("indexed")
`

const starterQuery = `# Word overlap on whole documents. Replace with something better.
import json, re

words = lambda s: set(re.findall(r"[a-z0-9]+", s.lower()))
docs = [json.loads(l) for l in open("/workspace/corpus.jsonl")]
bags = [words(d["title"] + " " + d["text"]) for d in docs]
with open("/data/queries.jsonl") as f, open("/output/results.jsonl", "w") as out:
    for line in f:
        q = json.loads(line)
        qw = words(q["text"])
        ranked = sorted(range(len(docs)), key=lambda i: -len(qw & bags[i]))[:10]
        results = [{"doc_id": docs[i]["doc_id"], "start": 0, "end": min(1000, len(docs[i]["text"])),
                    "score": len(qw & bags[i])} for i in ranked]
        out.write(json.dumps({"query_id": q["query_id"], "results": results, "answer": "",
                              "abstain": False, "citations": [results[0]["doc_id"]]}) + "\n")
`

const starterEval = `{"query_id": "mine-1", "text": "Replace these lines with queries you wrote and labelled yourself", "category": "lexical", "relevant_doc_ids": [], "answers": []}
`
