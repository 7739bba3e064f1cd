import pickle

import pandas as pd

from prep import encode

df = pd.read_csv("/data/test.csv")
with open("/workspace/model.pkl", "rb") as f:
    m, cats = pickle.load(f)
X, _ = encode(df, cats)
pd.DataFrame({"id": df["id"], "probability": m.predict_proba(X)[:, 1]}).to_csv("/output/predictions.csv", index=False)
