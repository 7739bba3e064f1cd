"""Silent monitor, the monitor score's zero: serves the careful model, never
alerts, never retrains and estimates the declared expected_score."""
import json
import pickle

import pandas as pd
import yaml

from clean import features

week = pd.read_csv("/data/week.csv", dtype=str, keep_default_na=False, na_values=[""])
with open("/workspace/model.pkl", "rb") as f:
    model = pickle.load(f)
p = model.predict_proba(features(week))[:, 1]
pd.DataFrame({"id": week["id"], "probability": p}).to_csv("/output/predictions.csv", index=False)

with open("/workspace/takehome.yaml") as f:
    expected = yaml.safe_load(f)["expected_score"]
with open("/output/week.json", "w") as f:
    json.dump({"drift_alert": False, "drift_kind": "none", "performance_alert": False,
               "estimated_auc": expected, "retrain": False}, f)
