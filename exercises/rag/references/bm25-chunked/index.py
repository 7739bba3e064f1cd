import json, pickle, re
import numpy as np
from scipy import sparse

TOK = re.compile(r"[a-z0-9]+")
MAX = 600


def tokens(s):
    return TOK.findall(s.lower())


def sentences(text, s, e):
    """Cut [s, e) at sentence ends into pieces of at most MAX characters."""
    out, start = [], s
    for m in re.finditer(r"[.!?] ", text[s:e]):
        cut = s + m.end()
        if cut - start > MAX and out is not None:
            out.append((start, cut))
            start = cut
    out.append((start, e))
    return out


def chunk(text):
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)]
    pieces = []
    for s, e in paras:
        pieces.extend(sentences(text, s, e) if e - s > MAX else [(s, e)])
    out, cur = [], None
    for s, e in pieces:
        if cur and e - cur[0] <= MAX:
            cur = (cur[0], e)
        else:
            if cur:
                out.append(cur)
            cur = (s, e)
    if cur:
        out.append(cur)
    return out


docs = [json.loads(l) for l in open("/data/corpus.jsonl")]
chunks, rows, cols, vals, vocab = [], [], [], [], {}
for di, d in enumerate(docs):
    for s, e in chunk(d["text"]):
        toks = tokens(d["title"]) + tokens(d["text"][s:e])
        counts = {}
        for t in toks:
            counts[t] = counts.get(t, 0) + 1
        ci = len(chunks)
        chunks.append((di, s, e, len(toks)))
        for t, c in counts.items():
            rows.append(ci)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(c)

tf = sparse.csr_matrix((vals, (rows, cols)), shape=(len(chunks), len(vocab)), dtype=np.float32)
lengths = np.array([c[3] for c in chunks], dtype=np.float32)
df = np.bincount(cols, minlength=len(vocab))
n = len(chunks)
idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
k1, b = 1.2, 0.75
norm = k1 * (1 - b + b * lengths / lengths.mean())
coo = tf.tocoo()
w = coo.data * (k1 + 1) / (coo.data + norm[coo.row]) * idf[coo.col]
weights = sparse.csc_matrix((w, (coo.row, coo.col)), shape=tf.shape)
doc_vocab = set()
for d in docs:
    doc_vocab.update(tokens(d["title"] + " " + d["text"]))
with open("/workspace/index.pkl", "wb") as f:
    pickle.dump({"docs": [(d["doc_id"], d["title"], d["text"]) for d in docs], "chunks": chunks,
                 "vocab": vocab, "weights": weights}, f)
print(f"indexed {len(docs)} documents as {n} chunks, {len(vocab)} terms")
