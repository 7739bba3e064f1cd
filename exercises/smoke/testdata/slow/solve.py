import json

model = json.load(open("/workspace/model.json"))
assert model["op"] == "add", model
with open("/data/items.jsonl") as f, open("/output/answers.jsonl", "w") as out:
    for line in f:
        item = json.loads(line)
        out.write(json.dumps({"key": item["key"], "value": item["a"] + item["b"]}) + "\n")
print("solved")
