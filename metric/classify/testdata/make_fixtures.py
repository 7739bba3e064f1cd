"""Reference values for metric/classify, computed with scikit-learn.

Run in the offline image (Debian bookworm python3-sklearn 1.2.1):
  docker run --rm --network none -v $PWD/metric/classify/testdata:/t \
    takehome/base-offline:bookworm python3 /t/make_fixtures.py
Writes fixtures.json and the CLI pair labels.csv / predictions.csv.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, brier_score_loss,
                             log_loss, precision_recall_curve, roc_auc_score,
                             roc_curve)

OUT = os.path.dirname(os.path.abspath(__file__))
warnings.simplefilter("ignore")


def floats(a):
    return [float(x) for x in a]


def reference(y, p, curves=True):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    two = len(np.unique(y)) == 2
    case = {
        "y": [int(v) for v in y],
        "p": floats(p),
        "roc_auc": float(roc_auc_score(y, p)) if two else None,
        # sklearn returns 0 (with a warning) without positives; we say undefined
        "average_precision": float(average_precision_score(y, p)) if y.sum() > 0 else None,
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p, pos_label=1)),
    }
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    edges = np.linspace(0.0, 1.0, 11)
    ids = np.searchsorted(edges[1:-1], p)
    counts = np.bincount(ids, minlength=10)
    counts = counts[counts != 0]
    case["calibration"] = {
        "edges": floats(edges),
        "fraction_positive": floats(prob_true),
        "mean_predicted": floats(prob_pred),
        "count": [int(c) for c in counts],
        "ece": float(np.sum(counts / len(y) * np.abs(prob_true - prob_pred))),
    }
    if curves and two:
        fpr, tpr, thr = roc_curve(y, p)
        case["roc_curve"] = {"x": floats(fpr), "y": floats(tpr), "threshold": floats(thr)}
    if curves and y.sum() > 0:
        prec, rec, thr = precision_recall_curve(y, p)
        case["pr_curve"] = {"x": floats(rec), "y": floats(prec), "threshold": floats(thr)}
    return case


def main():
    rng = np.random.default_rng(20261126)
    cases = {}
    cases["ties_small"] = reference([0, 0, 1, 1, 0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.1, 0.0])
    cases["exact_0_1"] = reference([0, 1, 1, 0, 1, 0], [0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    cases["perfect"] = reference([0, 0, 1, 1], [0.0, 0.2, 0.8, 1.0])
    cases["inverted"] = reference([1, 1, 0, 0], [0.0, 0.2, 0.8, 1.0])
    cases["all_tied"] = reference([0, 1, 1, 0, 1], [0.5] * 5)
    cases["two_rows"] = reference([0, 1], [0.3, 0.7])
    cases["collinear"] = reference([1, 1, 1, 0, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    cases["only_negatives"] = reference([0, 0, 0], [0.1, 0.5, 0.9])
    cases["only_positives"] = reference([1, 1, 1], [0.1, 0.5, 0.9])
    # values on and next to the inner bin edges, as linspace computes them
    edges = np.linspace(0.0, 1.0, 11)
    on = list(edges) + [0.3, 0.6, 0.7, np.nextafter(0.1, 1), np.nextafter(0.2, 0)]
    cases["bin_edges"] = reference([i % 2 for i in range(len(on))], on)
    cases["near_eps"] = reference([1, 0, 1, 0, 1, 0], [1e-17, 1 - 1e-17, 2.2e-16, 1 - 2.2e-16, 1e-300, 1.0])

    n = 10_000
    y = rng.random(n) < 0.3
    score = np.clip(0.3 + 0.25 * (y - 0.3) + rng.normal(0, 0.2, n), 0, 1)
    cases["random_10k_rounded2"] = reference(y, np.round(score, 2))
    cases["random_10k_rounded1"] = reference(y, np.round(score, 1))
    cases["random_10k_clipped"] = reference(y, score, curves=False)
    m = 2_000
    y = rng.random(m) < 0.02
    cases["imbalanced_2k"] = reference(y, rng.beta(1 + 3 * y, 8))
    vals = rng.normal(0.8, 0.05, 997)
    fixture = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "cases": cases,
        "percentile": {"values": floats(vals), "p2_5": float(np.percentile(vals, 2.5)),
                       "p97_5": float(np.percentile(vals, 97.5))},
    }
    write_cli(rng, fixture)
    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")


def write_cli(rng, fixture):
    """A 5,000-row labels file and its predictions in another row order."""
    n = 5_000
    ids = ["c%05d" % i for i in rng.permutation(n)]
    y = (rng.random(n) < 0.4).astype(int)
    p = np.clip(0.4 + 0.3 * (y - 0.4) + rng.normal(0, 0.25, n), 0, 1)
    p = np.round(p, 3)
    with open(os.path.join(OUT, "labels.csv"), "w") as f:
        f.write("id,label\n")
        for i, v in zip(ids, y):
            f.write("%s,%d\n" % (i, v))
    with open(os.path.join(OUT, "predictions.csv"), "w") as f:
        f.write("id,probability\n")
        for k in rng.permutation(n):
            f.write("%s,%r\n" % (ids[k], float(p[k])))
    case = reference(y, p, curves=False)
    del case["y"], case["p"]
    fixture["cli"] = case


main()
