"""Churn take-home: starter kit.

Fill in train() and evaluate(). Run with: python train.py --data data/churn.csv
"""
import argparse
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

TARGET = "churned"

log = logging.getLogger("churn")


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


@dataclass
class Encoder:
    """Remembers the dummy columns seen in training so scoring data lines up."""

    columns: list = field(default_factory=list)
    fill: dict = field(default_factory=dict)

    def fit(self, frame):
        frame = add_features(frame)
        self.fill = frame.median(numeric_only=True).to_dict()
        self.columns = list(pd.get_dummies(frame.fillna(self.fill)).columns)
        return self

    def transform(self, frame):
        frame = add_features(frame).fillna(self.fill)
        return pd.get_dummies(frame).reindex(columns=self.columns, fill_value=0)


def add_features(frame):
    out = frame.copy()
    if "tenure_months" in out and "monthly_charges" in out:
        out["charges_per_tenure"] = out["monthly_charges"] / (out["tenure_months"] + 1)
        out["new_customer"] = (out["tenure_months"] < 6).astype(int)
    return out.drop(columns=["customer_id"], errors="ignore")


class ChurnModel:
    def __init__(self, seed, folds=5):
        self.seed = seed
        self.folds = folds
        self.encoder = Encoder()
        self.booster = None
        self.fold_scores = []

    def cross_validate(self, X, y):
        splitter = StratifiedKFold(n_splits=self.folds, shuffle=True, random_state=self.seed)
        for fold, (fit_idx, hold_idx) in enumerate(splitter.split(X, y)):
            enc = Encoder().fit(X.iloc[fit_idx])
            booster = self._booster().fit(enc.transform(X.iloc[fit_idx]), y.iloc[fit_idx])
            p = booster.predict_proba(enc.transform(X.iloc[hold_idx]))[:, 1]
            self.fold_scores.append({
                "fold": fold,
                "auc": roc_auc_score(y.iloc[hold_idx], p),
                "ap": average_precision_score(y.iloc[hold_idx], p),
            })
            log.info("fold %d: auc=%.3f", fold, self.fold_scores[-1]["auc"])
        return self

    def _booster(self):
        return GradientBoostingClassifier(n_estimators=200, learning_rate=0.05, max_depth=3,
                                          subsample=0.8, random_state=self.seed)

    def fit(self, X, y):
        self.cross_validate(X, y)
        self.encoder.fit(X)
        self.booster = self._booster().fit(self.encoder.transform(X), y)
        return self

    def summary(self):
        aucs = [s["auc"] for s in self.fold_scores]
        aps = [s["ap"] for s in self.fold_scores]
        return {
            "cv_auc_mean": sum(aucs) / len(aucs),
            "cv_auc_min": min(aucs),
            "cv_ap_mean": sum(aps) / len(aps),
            "folds": self.folds,
        }


def train(X, y, seed):
    return ChurnModel(seed).fit(X, y)


def evaluate(model, X, y):
    report = model.summary()
    ranked = sorted(zip(model.encoder.columns, model.booster.feature_importances_),
                    key=lambda kv: -kv[1])
    report["top_features"] = [name for name, _ in ranked[:10]]
    return report


def main():
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    args = parse_args()
    X, y = load_data(args.data)
    model = train(X, y, args.seed)
    write_report(args.out, evaluate(model, X, y))


if __name__ == "__main__":
    main()
