"""Churn take-home: starter kit.

Fill in train() and evaluate(). Run with: python train.py --data data/churn.csv
"""
import argparse
import json
from pathlib import Path

import pandas as pd

TARGET = "churned"


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


def train(X, y, seed):
    # TODO: fit a model and return it.
    raise NotImplementedError


def evaluate(model, X, y):
    # TODO: return a dict of metrics.
    raise NotImplementedError


def main():
    args = parse_args()
    X, y = load_data(args.data)
    model = train(X, y, args.seed)
    write_report(args.out, evaluate(model, X, y))


if __name__ == "__main__":
    main()
