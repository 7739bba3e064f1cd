"""Naive monitor: a two-sample KS test of every numeric column of the export
against the training rows, each at p < 0.05 and uncorrected. Any significant
test is taken for drift and for a performance problem, and asks for a
retrain; the AUC estimate is the validation AUC, whatever happens.

A dozen uncorrected tests alarm in many weeks in which nothing changed
(MONITORING.md A.9), and columns computed from the outcome (the segment
churn rate, the renumbered account numbers) move with every week's churn
rate. Overlaid on careful: its train.py saved the training columns in
monitor_reference.npz."""
import json
import pickle

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from clean import features, number
from invariants import NUMERIC

week = pd.read_csv("/data/week.csv", dtype=str, keep_default_na=False, na_values=[""])
with open("/workspace/model.pkl", "rb") as f:
    model = pickle.load(f)
p = model.predict_proba(features(week))[:, 1]
pd.DataFrame({"id": week["id"], "probability": p}).to_csv("/output/predictions.csv", index=False)

ref = np.load("/workspace/monitor_reference.npz")
flagged = []
for col in NUMERIC:
    now, train = number(week[col]).to_numpy(dtype=float), ref["raw_" + col]
    now, train = now[~np.isnan(now)], train[~np.isnan(train)]
    if len(now) == 0 or ks_2samp(now, train).pvalue < 0.05:
        flagged.append(col)

with open("/workspace/monitor_reference.json") as f:
    val_auc = json.load(f)["val_auc"]
alert = bool(flagged)
with open("/output/week.json", "w") as f:
    json.dump({"drift_alert": alert, "drift_kind": "covariate" if alert else "none",
               "performance_alert": alert, "estimated_auc": round(val_auc, 4), "retrain": alert,
               "flagged_features": flagged}, f)
