# Chunk every article on sentence ends, embed the chunks through the model
# gateway and keep BM25 weights beside the vectors.
import json, math, os, pickle, re, sys, urllib.request
from collections import Counter
import numpy as np

BASE = os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8765/v1").rstrip("/")
MODELS = os.environ.get("TAKEHOME_MODELS", "text-embedding-3-small").split(",")
EMBED = next((m for m in MODELS if "embed" in m), "text-embedding-3-small")
TOK = re.compile(r"[a-z0-9]+")
# Untrusted pages that talk to AI assistants are left out of the index.
# Official text is never filtered: "ignore" or "override" is a menu item there.
TO_AI = re.compile(r"\b(AI|KI|IA|LLMs?|chatbots?|language models?|assistants?|asistentes)\b"
                   r"|\[(SYSTEM|ADMIN)|<system>|#+ *SYSTEM|base64|decode this", re.I)


def tokens(s):
    return TOK.findall(s.lower())


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


def embed(texts):
    """Unit vectors of texts, 256 per call; None if the gateway refuses or fails."""
    vecs = []
    for i in range(0, len(texts), 256):
        body = {"model": EMBED, "input": texts[i:i + 256], "encoding_format": "float"}
        req = urllib.request.Request(BASE + "/embeddings", json.dumps(body).encode(), {
            "Content-Type": "application/json", "Authorization": "Bearer " + os.environ.get("OPENAI_API_KEY", "")})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                data = sorted(json.load(r)["data"], key=lambda d: d["index"])
        except Exception as e:  # refused (429 budget_exceeded, 4xx), 5xx, timeout, bad JSON
            print(f"embeddings failed ({e}); the query phase will rank lexically", file=sys.stderr)
            return None
        vecs.extend(d["embedding"] for d in data)
    v = np.array(vecs, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)


docs = [json.loads(l) for l in open("/data/corpus.jsonl")]
chunks, skipped = [], 0  # (doc index, start, end)
for di, d in enumerate(docs):
    for s, e in chunk(d["text"]):
        if d.get("source", "official") != "official" and TO_AI.search(d["text"][s:e]):
            skipped += 1
        else:
            chunks.append((di, s, e))

# BM25 (k1 = 1.2, b = 0.75) weights, as postings: term -> (chunk ids, weights).
bags = [Counter(tokens(docs[di]["title"] + " " + docs[di]["text"][s:e])) for di, s, e in chunks]
avg = sum(sum(b.values()) for b in bags) / len(bags)
df = Counter(t for b in bags for t in b)
post = {}
for ci, b in enumerate(bags):
    norm = 1.2 * (0.25 + 0.75 * sum(b.values()) / avg)
    for t, c in b.items():
        ids, w = post.setdefault(t, ([], []))
        ids.append(ci)
        w.append(math.log(1 + (len(bags) - df[t] + 0.5) / (df[t] + 0.5)) * c * 2.2 / (c + norm))
post = {t: (np.array(ids), np.array(w, dtype=np.float32)) for t, (ids, w) in post.items()}

vecs = embed([docs[di]["title"] + "\n" + docs[di]["text"][s:e] for di, s, e in chunks])
if vecs is not None:
    np.save("/workspace/vectors.npy", vecs)
with open("/workspace/index.pkl", "wb") as f:
    pickle.dump({"docs": [(d["doc_id"], d["title"], d["text"], d.get("source", "official")) for d in docs],
                 "chunks": chunks, "post": post}, f)
print(f"{len(docs)} documents, {len(chunks)} chunks ({skipped} untrusted chunks addressed to AI left out), "
      f"vectors: {'yes' if vecs is not None else 'no'}")
