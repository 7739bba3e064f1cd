"""Careful churn model: no leaks, deduplicated, validated forward in time."""
import json
import pickle

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score

import drift
import invariants
from clean import categorical_mask, features, month_index, number
from perf import cbpe_auc

df = pd.read_csv("/data/train.csv", dtype=str, keep_default_na=False, na_values=[""])
df["month"] = month_index(df)
# The export re-imported some rows under new ids: keep one per customer and month.
df = df.drop_duplicates(subset=["customer_id", "month"]).reset_index(drop=True)
X, y = features(df), df["churned"].astype(int)


def model():
    # Few, shallow trees with a strong prior: the signal is weak and drifts.
    return HistGradientBoostingClassifier(
        learning_rate=0.05, max_iter=150, max_leaf_nodes=8, min_samples_leaf=80,
        l2_regularization=1.0, categorical_features=categorical_mask(X), random_state=0)


def monitor_reference(val_y, val_p, scores, final_val_p):
    """What monitor.py compares each week against: the forward validation
    (its AUC is the performance baseline), the final model's scores and
    features on the training rows, and the raw columns' invariants."""
    arrays, counts = drift.reference(X, scores)
    for col in invariants.NUMERIC:  # the export's numeric columns, for a per-column KS
        arrays["raw_" + col] = number(df[col]).to_numpy(dtype=float)
    arrays["val_scores"], arrays["val_labels"] = val_p, val_y.to_numpy()
    arrays["val_final_scores"] = final_val_p  # the served model on them, for replay.py
    ref = {
        "val_auc": float(roc_auc_score(val_y, val_p)),
        "val_positives": int(val_y.sum()), "val_negatives": int((1 - val_y).sum()),
        "prevalence": float(y.mean()),
        "score_mean_churned": float(scores[y == 1].mean()),
        "score_mean_stayed": float(scores[y == 0].mean()),
        "cbpe_auc": cbpe_auc(scores),
        "calendar_ratio": calendar_ratio(scores),
        "counts": counts,
        "invariants": invariants.profile(df),
    }
    return ref, arrays


def calendar_ratio(scores):
    """Observed over predicted churners per calendar month, relative to the
    whole history: the seasonal pattern the model does not know. Only the
    months the history covers twice (January to June) count as recurring."""
    cal, overall = (df["month"] - 1) % 12 + 1, y.sum() / scores.sum()
    return {str(m): float(y[cal == m].sum() / scores[cal == m].sum() / overall) for m in range(1, 7)}


# Validate the way the model will be used: fit on the past, score the future.
past, future = df["month"] <= 14, df["month"] > 14
m = model().fit(X[past], y[past])
p = m.predict_proba(X[future])[:, 1]
print(f"forward validation (months 15-18): AUC {roc_auc_score(y[future], p):.3f} "
      f"AP {average_precision_score(y[future], p):.3f} prevalence {y[future].mean():.3f}")

final = model().fit(X, y)
with open("/workspace/model.pkl", "wb") as f:
    pickle.dump(final, f)
scores = final.predict_proba(X)[:, 1]
ref, arrays = monitor_reference(y[future], p, scores, scores[future.to_numpy()])
with open("/workspace/monitor_reference.json", "w") as f:
    json.dump(ref, f, indent=1)
np.savez("/workspace/monitor_reference.npz", **arrays)
df[future].drop(columns=["month"]).to_csv("/workspace/monitor_validation.csv", index=False)
