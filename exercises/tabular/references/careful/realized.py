"""What the lagged labels say: the served predictions of past weeks joined
with their outcomes, against the stream's first weeks and against what the
model's own probabilities promised."""
import math

import numpy as np
import pandas as pd
from scipy.stats import chi2

import ledger
from perf import auc, auc_se

BASELINE_WEEKS = 4    # a stream's first weeks are unchanged: its own baseline
RECENT = 2            # labelled weeks pooled for the checks
MIN_AUC_DROP = 0.05   # an AUC drop smaller than this is not worth an alert
MIN_LOSS_RISE = 0.10  # nor a log-loss rise below 10 % of the baseline's
VALIDATION_DRIFT = 0.02  # how far a deployment's AUC may sit from validation's, months later
ALPHA = 0.01          # family-wise, for the segment tests of a week
SEASONAL_TOLERANCE = 1.15  # churn off the calendar's expectation by less is no alarm
# Segments in which the churn the model promised is compared with the churn
# that happened: bin edges of the cleaned features (missing is a segment).
SEGMENTS = {"support_tickets_90d": [0.5, 1.5, 2.5], "logins_30d": [3.5, 8.5, 15.5],
            "tenure_months": [3.5, 12.5, 30.5], "nps_score": [6.5, 8.5], "contract_type": [0.5]}


def segments(X):
    """The segment of each row, per feature, kept with the served scores."""
    out = {}
    for col, edges in SEGMENTS.items():
        v = X[col].to_numpy(dtype=float)
        out["seg_" + col] = np.where(np.isnan(v), -1, np.digitize(v, edges))
    return pd.DataFrame(out, index=X.index)


def clean_weeks(history):
    """Labelled weeks whose inputs were not corrupted (and whose checks ran),
    oldest first."""
    return sorted(w for w, h in history.items()
                  if "realized" in h and "cbpe" in h and not h.get("data_quality"))


def _pool(weeks):
    df = ledger.labelled(weeks)
    p, y = df["probability"].to_numpy(dtype=float), df["label"].to_numpy(dtype=int)
    if len(y) == 0 or y.min() == y.max():
        return None
    a = auc(y, p)
    q = np.clip(p, 1e-6, 1 - 1e-6)
    loss = -(y * np.log(q) + (1 - y) * np.log(1 - q))
    excess = loss + q * np.log(q) + (1 - q) * np.log(1 - q)  # minus the loss promised if calibrated
    return {"rows": df, "auc": a, "se": auc_se(a, int(y.sum()), int(len(y) - y.sum())),
            "ratio": y.sum() / p.sum(),
            "loss": loss.mean(), "loss_se": loss.std() / np.sqrt(len(y)),
            "excess": excess.mean(), "excess_se": excess.std() / np.sqrt(len(y))}


def baseline(ref, history):
    """The AUC to hold the model to: the forward validation's, pooled by
    inverse variance with the stream's own first weeks once labelled (the
    validation months are older, so their AUC counts as less precise than
    its sampling error alone says); and the first weeks' pooled statistics
    (None before their labels come)."""
    a0 = ref["val_auc"]
    w0 = 1 / (auc_se(a0, ref["val_positives"], ref["val_negatives"]) ** 2 + VALIDATION_DRIFT ** 2)
    first = _pool([w for w in clean_weeks(history) if w <= BASELINE_WEEKS])
    if first is None:
        return a0, w0 ** -0.5, None
    w1 = first["se"] ** -2
    return (a0 * w0 + first["auc"] * w1) / (w0 + w1), (w0 + w1) ** -0.5, first


def harm(ref, history, cbpe_shift):
    """The checks of the latest labelled weeks after the baseline ones.

    The AUC and log-loss margins are the grader's notion of harm (a pooled
    AUC drop past max(0.05, 2.5 SE), a log-loss rise past max(10 %, 2.5 SE)),
    and the change must not be one the model's own probabilities foresaw: a
    customer mix with more churners raises the loss of a calibrated model
    too, and CBPE sees a mix that is harder to rank. The segment test asks
    whether churn moved differently across segments than the model said,
    which is what a change of concept looks like, overall rate aside."""
    base, base_se, first = baseline(ref, history)
    weeks = [w for w in clean_weeks(history) if w > BASELINE_WEEKS][-RECENT:]
    now = _pool(weeks) if first else None
    if now is None:
        return {}
    expected = base + np.mean([cbpe_shift(w) for w in weeks])
    margin = max(MIN_AUC_DROP, 2.5 * math.hypot(now["se"], base_se))
    auc_drop = base - now["auc"] > margin and expected - now["auc"] > 0.6 * margin
    rise = now["loss"] - first["loss"]
    excess = now["excess"] - first["excess"]
    churn = now["ratio"] / first["ratio"] / _season(ref, history, weeks)
    loss_rise = (rise > max(MIN_LOSS_RISE * first["loss"], 2.5 * math.hypot(now["loss_se"], first["loss_se"]))
                 and excess > 2.5 * math.hypot(now["excess_se"], first["excess_se"])
                 and abs(math.log(churn)) > math.log(SEASONAL_TOLERANCE))
    pvals = {col: _segment_test(first["rows"], now["rows"], "seg_" + col) for col in SEGMENTS}
    moved = sorted(c for c, p in pvals.items() if p < ALPHA / len(pvals))
    return {"weeks": weeks, "auc": now["auc"], "base": base, "auc_drop": bool(auc_drop),
            "loss_rise": bool(loss_rise), "loss_ratio": now["loss"] / first["loss"], "churn_ratio": churn,
            "segments": moved, "segment_p": min(pvals.values())}


def _season(ref, history, weeks):
    """How much more churn the calendar months of the weeks had, in the
    training history, than those of the baseline weeks."""
    ratio = lambda w: ref["calendar_ratio"].get(str(history[w].get("calendar_month")), 1.0)
    first = [w for w in clean_weeks(history) if w <= BASELINE_WEEKS]
    return np.mean([ratio(w) for w in weeks]) / np.mean([ratio(w) for w in first])


def _segment_test(base, now, col):
    """Did the segments' observed/expected churn ratios change from the
    baseline weeks to now, the overall ratio aside? Per segment, the share
    of its churners that fall in the recent weeks is binomial under no
    change; the squared z-scores add up to a chi-squared."""
    if col not in base or col not in now:
        return 1.0
    rb = base["label"].sum() / base["probability"].sum()
    rn = now["label"].sum() / now["probability"].sum()
    gb, gn = base.groupby(col), now.groupby(col)
    ob, eb = gb["label"].sum(), gb["probability"].sum()
    on, en = gn["label"].sum(), gn["probability"].sum()
    stat, dof = 0.0, -1
    for g in eb.index.intersection(en.index):
        if eb[g] < 5 or en[g] < 5:
            continue
        n, share = ob[g] + on[g], en[g] * rn / (en[g] * rn + eb[g] * rb)
        if n > 0:
            stat, dof = stat + (on[g] - n * share) ** 2 / (n * share * (1 - share)), dof + 1
    return float(chi2.sf(stat, dof)) if dof > 0 else 1.0


def estimate(ref, history, base, shift_now, cbpe_shift):
    """CBPE on the model's own scores, as a shift from the baseline, plus the
    gap the latest labels showed between realized and CBPE, shrunk towards
    zero by its noise (one week's realized AUC alone is off by about 0.02,
    so replacing the estimate by it outright would double the error in
    weeks where nothing changed)."""
    est = base + shift_now
    weeks = clean_weeks(history)[-RECENT:]
    now = _pool(weeks)
    if now is not None:
        gap = now["auc"] - (base + np.mean([cbpe_shift(w) for w in weeks]))
        if gap != 0:
            est += max(0.0, 1 - (now["se"] / gap) ** 2) * gap
    return float(min(1.0, max(0.0, est)))
