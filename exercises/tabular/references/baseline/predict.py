import pickle

import pandas as pd

from train import features

df = pd.read_csv("/data/test.csv")
with open("/workspace/model.pkl", "rb") as f:
    model = pickle.load(f)
pd.DataFrame({"id": df["id"], "probability": model.predict_proba(features(df))[:, 1]}).to_csv(
    "/output/predictions.csv", index=False)
