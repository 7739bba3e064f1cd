"""Serves the leaky model every week and trusts it: no alert, no retraining,
the random split's AUC as the estimate."""
import json
import pickle

import pandas as pd
import yaml

from prep import encode

week = pd.read_csv("/data/week.csv")
with open("/workspace/model.pkl", "rb") as f:
    m, cats = pickle.load(f)
X, _ = encode(week, cats)
pd.DataFrame({"id": week["id"], "probability": m.predict_proba(X)[:, 1]}).to_csv(
    "/output/predictions.csv", index=False)

with open("/workspace/takehome.yaml") as f:
    expected = yaml.safe_load(f)["expected_score"]
with open("/output/week.json", "w") as f:
    json.dump({"drift_alert": False, "drift_kind": "none", "performance_alert": False,
               "estimated_auc": expected, "retrain": False}, f)
