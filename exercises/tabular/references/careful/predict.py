import pickle

import pandas as pd

from clean import features

df = pd.read_csv("/data/test.csv", dtype=str, keep_default_na=False, na_values=[""])
with open("/workspace/model.pkl", "rb") as f:
    model = pickle.load(f)
p = model.predict_proba(features(df))[:, 1]
pd.DataFrame({"id": df["id"], "probability": p}).to_csv("/output/predictions.csv", index=False)
