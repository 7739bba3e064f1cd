# Ignores the question: the first 20 documents of the corpus, every time.
import json

first = json.load(open("/workspace/first.json"))
with open("/data/queries.jsonl") as f, open("/output/results.jsonl", "w") as out:
    for line in f:
        q = json.loads(line)
        results = [{"doc_id": d, "start": 0, "end": min(n, 200), "score": 0.0} for d, n in first]
        out.write(json.dumps({"query_id": q["query_id"], "results": results, "answer": "",
                              "abstain": False, "citations": []}) + "\n")
