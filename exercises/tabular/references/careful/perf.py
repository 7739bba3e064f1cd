"""ROC AUC from labels, its standard error, and its label-free CBPE estimate."""
import numpy as np
from scipy.stats import rankdata


def auc(y, p):
    """ROC AUC by the rank-sum formula (ties count one half)."""
    y = np.asarray(y, dtype=bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def auc_se(a, n1, n0):
    """Hanley and McNeil's (1982) standard error of an AUC."""
    if n1 == 0 or n0 == 0:
        return float("inf")
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)
    return float(np.sqrt(max(var, 1e-12)))


def cbpe_auc(p):
    """The AUC expected if each row churns with its own predicted probability
    (NannyML's CBPE): expected concordant pairs over expected pairs, rows
    paired with themselves left out."""
    p = np.sort(np.asarray(p, dtype=float))
    values, start, count = np.unique(p, return_index=True, return_counts=True)
    pos = np.add.reduceat(p, start)
    neg = count - pos
    neg_below = np.cumsum(neg) - neg
    self_pairs = float(np.sum(p * (1 - p)))
    concordant = float(np.sum(pos * (neg_below + 0.5 * neg))) - 0.5 * self_pairs
    pairs = float(p.sum() * (1 - p).sum()) - self_pairs
    return concordant / pairs
