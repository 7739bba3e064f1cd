# A solve phase that uses the model gateway with Python's standard library
# only, as a candidate without the openai package would, and then solves.
import array, base64, json, os, socket, urllib.error, urllib.request

BASE = os.environ["OPENAI_BASE_URL"]
KEY = os.environ["OPENAI_API_KEY"]


def post(path, body, key=KEY, raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method="POST",
                                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


req = urllib.request.Request(BASE + "/models", headers={"Authorization": "Bearer " + KEY})
with urllib.request.urlopen(req, timeout=10) as r:
    print("models", ",".join(m["id"] for m in json.load(r)["data"]))

question = ("Context:\n[doc-7] Annual plans can be refunded within 30 days of purchase.\n"
            "[doc-9] Monthly plans renew on the first of the month.\n\n"
            "Question: Within how many days can annual plans be refunded?")
chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": question}]}
status, _, body = post("/chat/completions", chat)
answer = json.loads(body)["choices"][0]["message"]["content"]
print("chat", status, answer)

# Streaming over SSE, read line by line.
stream = dict(chat, stream=True, stream_options={"include_usage": True})
req = urllib.request.Request(BASE + "/chat/completions", data=json.dumps(stream).encode(), method="POST",
                             headers={"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
text, usage, done = "", None, False
with urllib.request.urlopen(req, timeout=30) as r:
    for line in r:
        line = line.decode().strip()
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            done = True
            break
        chunk = json.loads(data)
        for c in chunk["choices"]:
            text += c["delta"].get("content") or ""
        usage = chunk.get("usage") or usage
print("stream", done, text == answer, usage["completion_tokens"] > 0)

# Embeddings as base64 little-endian float32, as the SDKs ask for them.
status, _, body = post("/embeddings", {"model": "text-embedding-3-small", "input": ["refund window"], "encoding_format": "base64"})
vec = array.array("f", base64.b64decode(json.loads(body)["data"][0]["embedding"]))
print("embeddings", status, len(vec), round(sum(v * v for v in vec), 3))

# Refusals: too large, a remote image, another step's ended token.
print("large", post("/chat/completions", None, raw=b"x" * (5 << 20))[0])
remote = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": [
    {"type": "image_url", "image_url": {"url": "http://169.254.169.254/latest/meta-data"}}]}]}
print("remote", post("/chat/completions", remote)[0])
print("ended", post("/chat/completions", chat, key=open("/workspace/ended_token").read().strip())[0])

# The socket serves the gateway's API only: proxy-style requests get 404.
for first in ["GET http://example.com/ HTTP/1.1", "CONNECT example.com:443 HTTP/1.1"]:
    s = socket.create_connection(("127.0.0.1", 8765), timeout=10)
    s.sendall((first + "\r\nHost: example.com\r\nConnection: close\r\n\r\n").encode())
    reply = b""
    while True:
        part = s.recv(4096)
        if not part:
            break
        reply += part
    s.close()
    print("proxy", first.split()[0], reply.split(b"\r\n", 1)[0].decode())

# Spend until the budget refuses, then go on: the phase must still finish.
big = dict(chat, max_completion_tokens=16, messages=[{"role": "user", "content": "refund policy " * 4000 + question}])
for i in range(50):
    status, headers, body = post("/chat/completions", big)
    if status != 200:
        err = json.loads(body)["error"]
        print("budget", status, err["type"], err["code"], headers.get("x-should-retry"), "after", i)
        break

with open("/data/items.jsonl") as f, open("/output/answers.jsonl", "w") as out:
    for line in f:
        item = json.loads(line)
        out.write(json.dumps({"key": item["key"], "value": item["a"] + item["b"]}) + "\n")
print("solved")
