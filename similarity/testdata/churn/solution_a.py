"""Churn take-home: starter kit.

Fill in train() and evaluate(). Run with: python train.py --data data/churn.csv
"""
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

TARGET = "churned"
ID_COLUMNS = ["customer_id", "signup_date"]


def load_data(path):
    """Load the customer table and split off the target column."""
    df = pd.read_csv(path)
    y = df.pop(TARGET).astype(int)
    return df, y


def parse_args():
    parser = argparse.ArgumentParser(description="Train a churn model.")
    parser.add_argument("--data", type=Path, default=Path("data/churn.csv"))
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def write_report(out_dir, metrics):
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "metrics.json", "w") as f:
        json.dump(metrics, f, indent=2, sort_keys=True)


def split_columns(X):
    """Numeric columns get scaled, everything else one-hot encoded."""
    X = X.drop(columns=[c for c in ID_COLUMNS if c in X.columns])
    numeric = X.select_dtypes(include="number").columns.tolist()
    categorical = [c for c in X.columns if c not in numeric]
    return X, numeric, categorical


def build_pipeline(numeric, categorical, seed):
    numeric_steps = Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ])
    categorical_steps = Pipeline([
        ("impute", SimpleImputer(strategy="most_frequent")),
        ("onehot", OneHotEncoder(handle_unknown="ignore")),
    ])
    features = ColumnTransformer([
        ("num", numeric_steps, numeric),
        ("cat", categorical_steps, categorical),
    ])
    classifier = LogisticRegression(max_iter=1000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("model", classifier)])


def best_threshold(y_true, scores):
    # Pick the threshold with the best F1 on the validation split.
    best, best_f1 = 0.5, -1.0
    for threshold in np.linspace(0.05, 0.95, 19):
        f1 = f1_score(y_true, scores >= threshold)
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return float(best)


def train(X, y, seed):
    X, numeric, categorical = split_columns(X)
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=seed)
    pipeline = build_pipeline(numeric, categorical, seed)
    pipeline.fit(X_train, y_train)
    threshold = best_threshold(y_val, pipeline.predict_proba(X_val)[:, 1])
    return {"pipeline": pipeline, "threshold": threshold, "val": (X_val, y_val)}


def evaluate(model, X, y):
    X_val, y_val = model["val"]
    scores = model["pipeline"].predict_proba(X_val)[:, 1]
    predicted = scores >= model["threshold"]
    return {
        "roc_auc": round(roc_auc_score(y_val, scores), 4),
        "precision": round(precision_score(y_val, predicted), 4),
        "recall": round(recall_score(y_val, predicted), 4),
        "threshold": model["threshold"],
        "n_val": int(len(y_val)),
    }


def main():
    args = parse_args()
    X, y = load_data(args.data)
    model = train(X, y, args.seed)
    metrics = evaluate(model, X, y)
    print(json.dumps(metrics, indent=2))
    write_report(args.out, metrics)


if __name__ == "__main__":
    main()
