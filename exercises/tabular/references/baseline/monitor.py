"""Weekly monitor, a starting point: it serves the model and reports that
all is well. Make it notice when the data or the model's performance
changes (see the brief's "Monitoring" section).

Each week runs in a fresh container in /workspace (read-only: what train.py
left) with
  /data/week.csv    this week's accounts, test.csv's columns
  /data/labels.csv  id,label of the accounts of label_delay_weeks ago
                    (only the header in the first weeks)
  /data/meta.json   {"week": k, "weeks": K, "label_delay_weeks": 5, "stream": ...}
  /state            yours to keep files in from week to week of one stream
and must write /output/predictions.csv and /output/week.json.
"""
import json
import pickle

import pandas as pd
import yaml

from train import features

meta = json.load(open("/data/meta.json"))
week = pd.read_csv("/data/week.csv")
with open("/workspace/model.pkl", "rb") as f:
    model = pickle.load(f)

# The served predictions: the grader scores these against the true outcomes.
served = pd.DataFrame({"id": week["id"], "probability": model.predict_proba(features(week))[:, 1]})
served.to_csv("/output/predictions.csv", index=False)
# Kept so that a later week can join them with its labels.csv.
served.to_csv(f"/state/predictions_{meta['week']}.csv", index=False)

# Nothing is checked yet: no alert, no retraining, and the AUC estimate is
# the one declared for unseen accounts.
expected = yaml.safe_load(open("/workspace/takehome.yaml"))["expected_score"]
report = {
    "drift_alert": False,        # has the data changed?
    "drift_kind": "none",        # covariate, label, concept, data_quality or none
    "performance_alert": False,  # has the model got worse?
    "estimated_auc": expected,   # this week's ROC AUC, as you estimate it
    "retrain": False,            # would you retrain now?
}
with open("/output/week.json", "w") as f:
    json.dump(report, f)
