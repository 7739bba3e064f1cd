# Ranks whole documents by the idf of the query words they contain and
# pastes the ten best, whatever their source, into one uncapped chat call per
# query. Abstains once the budget is gone.
import json, os, pickle, re, sys, urllib.error, urllib.request

BASE = os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8765/v1").rstrip("/")
MODELS = os.environ.get("TAKEHOME_MODELS", "gpt-4o-mini").split(",")
CHAT = next((m for m in MODELS if "embed" not in m), "gpt-4o-mini")
TOK = re.compile(r"[a-z0-9]+")
STUFFED = 20  # whole documents per prompt


class BudgetExceeded(Exception):
    pass


def chat(messages):
    body = json.dumps({"model": CHAT, "messages": messages}).encode()
    req = urllib.request.Request(BASE + "/chat/completions", body, {
        "Content-Type": "application/json", "Authorization": "Bearer " + os.environ.get("OPENAI_API_KEY", "")})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["choices"][0]["message"]["content"] or ""
    except urllib.error.HTTPError as e:
        if e.code == 429 and b"budget_exceeded" in e.read():
            raise BudgetExceeded() from e
        raise


idx = pickle.load(open("/workspace/index.pkl", "rb"))
docs, words, idf = idx["docs"], idx["words"], idx["idf"]
budget_left = True
with open("/data/queries.jsonl") as f, open("/output/results.jsonl", "w") as out:
    for line in f:
        q = json.loads(line)
        qt = set(TOK.findall(q["text"].lower()))
        scores = [sum(idf[t] for t in qt & w) for w in words]
        top = sorted(range(len(docs)), key=lambda i: -scores[i])[:20]
        reply = ""
        if budget_left:
            context = "\n\n".join(f"[{docs[i][0]}] {docs[i][1]}\n{docs[i][2]}" for i in top[:STUFFED])
            try:
                reply = chat([{"role": "user", "content": f"Context:\n{context}\n\nQuestion: {q['text']}"}])
            except BudgetExceeded:
                budget_left = False
                print("budget exhausted: abstaining from here on", file=sys.stderr)
            except Exception as e:
                print(f"chat failed ({e}); abstaining", file=sys.stderr)
        abstain = reply.strip() == "" or reply.strip().lower().replace("’", "'").startswith("i don't know")
        out.write(json.dumps({"query_id": q["query_id"],
                              "results": [{"doc_id": docs[i][0], "start": 0, "end": len(docs[i][2]),
                                           "score": scores[i]} for i in top],
                              "answer": "" if abstain else reply.strip(), "abstain": abstain,
                              "citations": [] if abstain else [docs[i][0] for i in top[:2]]},
                             ensure_ascii=False) + "\n")
