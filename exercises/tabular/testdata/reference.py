"""Reference numbers for testdata/predictions.csv, with scikit-learn 1.2.1:

docker run --rm --network none -v "$PWD/testdata:/t" takehome/python:1 python3 /t/reference.py > testdata/sklearn.json
"""
import json

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

p = pd.read_csv("/t/predictions.csv", dtype={"id": str})
y = pd.read_csv("/t/labels.csv", dtype={"id": str})
df = y.merge(p, on="id", validate="one_to_one")
yt, yp = df["churned"].to_numpy(), df["probability"].to_numpy()
prob_true, prob_pred = calibration_curve(yt, yp, n_bins=10, strategy="uniform")
# ECE with the same bins calibration_curve uses.
bins = np.searchsorted(np.linspace(0, 1, 11)[1:-1], yp)
counts = np.bincount(bins, minlength=10)
counts = counts[counts > 0]
ece = float(np.sum(counts / len(yp) * np.abs(prob_true - prob_pred)))
print(json.dumps({
    "ROCAUC": roc_auc_score(yt, yp), "AP": average_precision_score(yt, yp),
    "LogLoss": log_loss(yt, yp), "Brier": brier_score_loss(yt, yp), "ECE": ece,
    "ProbTrue": prob_true.tolist(), "ProbPred": prob_pred.tolist(),
}, indent=1))
