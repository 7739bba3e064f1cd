import json

# Prove the workspace persists between phases: solve reads what learn wrote.
rows = [json.loads(line) for line in open("/data/examples.jsonl")]
ok = all(abs(r["a"] + r["b"] - r["sum"]) < 1e-9 for r in rows)
with open("/workspace/model.json", "w") as f:
    json.dump({"op": "add" if ok else "unknown"}, f)
print("learned from", len(rows), "examples")
