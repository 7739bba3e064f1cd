# No real index: the documents and the set of words of each, for a simple
# lexical ranking at query time.
import json, math, pickle, re
from collections import Counter

TOK = re.compile(r"[a-z0-9]+")
docs = [json.loads(l) for l in open("/data/corpus.jsonl")]
words = [set(TOK.findall((d["title"] + " " + d["text"]).lower())) for d in docs]
df = Counter(t for w in words for t in w)
idf = {t: math.log(len(docs) / n) for t, n in df.items()}
with open("/workspace/index.pkl", "wb") as f:
    pickle.dump({"docs": [(d["doc_id"], d["title"], d["text"]) for d in docs], "words": words, "idf": idf}, f)
print(f"{len(docs)} documents, {len(idf)} words")
