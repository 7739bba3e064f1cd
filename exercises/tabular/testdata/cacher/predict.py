"""The leaky reference's model, plus a cache that tries to defeat the probes.

It remembers every prediction it made, keyed by customer and month, and
replays it on later runs, so that a probe run (the same rows with one
column permuted) would repeat the unpermuted predictions. It tries every
writable place it can find; the grader must leave none that outlives a run.
"""
import os
import pickle

import pandas as pd

from prep import encode

CACHES = ["/workspace/cache.pkl", "/tmp/cache.pkl", "/dev/shm/cache.pkl", os.path.expanduser("~/cache.pkl")]

df = pd.read_csv("/data/test.csv")
keys = (df["customer_id"].astype(str) + "|" + df["snapshot_date"].astype(str)).tolist()
cache = {}
for path in CACHES:
    if os.path.exists(path):
        with open(path, "rb") as f:
            cache = pickle.load(f)
        print("cache hit", path, len(cache))
        break
else:
    print("no cache")

with open("/workspace/model.pkl", "rb") as f:
    m, cats = pickle.load(f)
X, _ = encode(df, cats)
p = [cache.get(k, v) for k, v in zip(keys, m.predict_proba(X)[:, 1])]
cache.update(zip(keys, p))
for path in CACHES:
    try:
        with open(path, "wb") as f:
            pickle.dump(cache, f)
        print("cache saved", path)
    except OSError as e:
        print("cannot save", path + ":", e.strerror)
pd.DataFrame({"id": df["id"], "probability": p}).to_csv("/output/predictions.csv", index=False)
