# BM25 over ~500-character chunks of every page, official or not.
import json, math, pickle, re
from collections import Counter
import numpy as np

TOK = re.compile(r"[a-z0-9]+")


def sentence_spans(text):
    cuts = [0] + [m.end() for m in re.finditer(r"[.!?](?=\s)|\n", text)] + [len(text)]
    for s, e in zip(cuts, cuts[1:]):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            yield s, e


def chunk(text, size=500):
    """Spans of whole sentences, about size characters each (a longer sentence is cut at 1,000)."""
    out = []
    for s, e in sentence_spans(text):
        if out and e - out[-1][0] <= size:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return [(a, min(a + 1000, e)) for s, e in out for a in range(s, e, 1000)]


docs = [json.loads(l) for l in open("/data/corpus.jsonl")]
chunks = [(di, s, e) for di, d in enumerate(docs) for s, e in chunk(d["text"])]
bags = [Counter(TOK.findall((docs[di]["title"] + " " + docs[di]["text"][s:e]).lower())) for di, s, e in chunks]
avg = sum(sum(b.values()) for b in bags) / len(bags)
df = Counter(t for b in bags for t in b)
post = {}  # term -> (chunk ids, BM25 weights), k1 = 1.2, b = 0.75
for ci, b in enumerate(bags):
    norm = 1.2 * (0.25 + 0.75 * sum(b.values()) / avg)
    for t, c in b.items():
        ids, w = post.setdefault(t, ([], []))
        ids.append(ci)
        w.append(math.log(1 + (len(bags) - df[t] + 0.5) / (df[t] + 0.5)) * c * 2.2 / (c + norm))
with open("/workspace/index.pkl", "wb") as f:
    pickle.dump({"docs": [(d["doc_id"], d["text"]) for d in docs], "chunks": chunks,
                 "post": {t: (np.array(i), np.array(w, dtype=np.float32)) for t, (i, w) in post.items()}}, f)
print(f"{len(docs)} documents, {len(chunks)} chunks")
