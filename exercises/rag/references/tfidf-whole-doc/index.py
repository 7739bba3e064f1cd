import json, pickle
from sklearn.feature_extraction.text import TfidfVectorizer

docs = [json.loads(l) for l in open("/data/corpus.jsonl")]
vec = TfidfVectorizer(sublinear_tf=True)
matrix = vec.fit_transform([d["title"] + "\n" + d["text"] for d in docs])
with open("/workspace/index.pkl", "wb") as f:
    pickle.dump({"ids": [d["doc_id"] for d in docs], "lens": [len(d["text"]) for d in docs], "vec": vec, "matrix": matrix}, f)
print("indexed", len(docs), "documents")
