# Customer attrition model -- my submission
import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

LABEL = "churned"
SKIP = ["customer_id", "signup_date"]


def fit_model(frame, labels, rng_seed):
    frame, nums, cats = partition(frame)
    a_tr, a_ho, b_tr, b_ho = train_test_split(frame, labels, test_size=0.2,
                                              stratify=labels, random_state=rng_seed)
    pipe = make_pipe(nums, cats, rng_seed)
    pipe.fit(a_tr, b_tr)
    cut = tune_cutoff(b_ho, pipe.predict_proba(a_ho)[:, 1])
    return {"pipeline": pipe, "threshold": cut, "val": (a_ho, b_ho)}


def tune_cutoff(truth, probs):
    """Sweep cutoffs, keep the F1-optimal one."""
    top, top_score = 0.5, -1.0
    for c in np.linspace(0.05, 0.95, 19):
        s = f1_score(truth, probs >= c)
        if s > top_score:
            top, top_score = c, s
    return float(top)


def make_pipe(nums, cats, rng_seed):
    num_part = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler()),])
    cat_part = Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                         ("onehot", OneHotEncoder(handle_unknown="ignore")),])
    prep = ColumnTransformer([("num", num_part, nums), ("cat", cat_part, cats),])
    clf = LogisticRegression(max_iter=1000,
                             class_weight="balanced",
                             random_state=rng_seed)
    return Pipeline([("features", prep), ("model", clf)])


def partition(frame):
    # drop identifiers, then numeric vs categorical
    frame = frame.drop(columns=[col for col in SKIP if col in frame.columns])
    nums = frame.select_dtypes(include="number").columns.tolist()
    cats = [col for col in frame.columns if col not in nums]
    return frame, nums, cats


def score(m, frame, labels):
    a_ho, b_ho = m["val"]
    probs = m["pipeline"].predict_proba(a_ho)[:, 1]
    hard = probs >= m["threshold"]
    return {"roc_auc": round(roc_auc_score(b_ho, probs), 4),
            "precision": round(precision_score(b_ho, hard), 4),
            "recall": round(recall_score(b_ho, hard), 4),
            "threshold": m["threshold"],
            "n_val": int(len(b_ho)),}


def read_table(p):
    tbl = pd.read_csv(p)
    labels = tbl.pop(LABEL).astype(int)
    return tbl, labels


def cli():
    ap = argparse.ArgumentParser(description="Churn.")
    ap.add_argument("--data", type=Path, default=Path("data/churn.csv"))
    ap.add_argument("--out", type=Path, default=Path("out"))
    ap.add_argument("--seed", type=int, default=0)
    return ap.parse_args()


def save(d, results):
    d.mkdir(parents=True, exist_ok=True)
    with open(d / "metrics.json", "w") as fh:
        json.dump(results, fh, indent=2, sort_keys=True)


def run():
    opts = cli()
    frame, labels = read_table(opts.data)
    m = fit_model(frame, labels, opts.seed)
    results = score(m, frame, labels)
    print(json.dumps(results, indent=2))
    save(opts.out, results)


if __name__ == "__main__":
    run()
