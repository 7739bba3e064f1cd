"""Data invariants of the export: what train.py records about the raw columns
and the weekly checks monitor.py runs against that record."""
import numpy as np

from clean import LEAKS, number

NUMERIC = ["tenure_months", "seats", "monthly_fee", "logins_30d", "days_since_last_login",
           "support_tickets_90d", "payment_failures_6m", "nps_score", "discount_pct",
           "features_used", "account_number", "segment_churn_rate"]
CATEGORICAL = ["plan", "country", "contract_type", "payment_method", "acquisition_channel",
               "retention_offer_sent"]
# Columns the model never reads: a break there is reported, but it does not
# touch the served predictions, so it does not block retraining.
UNUSED = set(LEAKS)


def profile(df):
    """The reference record of the raw columns: null rates, numeric medians
    and 0.1-99.9 % ranges, and the category spellings seen."""
    ref = {"null_rate": {}, "numeric": {}, "categories": {}}
    for col in NUMERIC + CATEGORICAL:
        ref["null_rate"][col] = float(df[col].isna().mean())
    for col in NUMERIC:
        v = number(df[col]).dropna().to_numpy()
        ref["numeric"][col] = {"median": float(np.median(v)), "low": float(np.quantile(v, 0.001)),
                               "high": float(np.quantile(v, 0.999))}
    for col in CATEGORICAL:
        ref["categories"][col] = sorted(_spellings(df[col]).unique())
    return ref


def _spellings(s):
    return s.dropna().astype(str).str.strip().str.lower()


def breaks(df, ref):
    """Returns the invariant breaks of a week: a list of (column, kind, what,
    how), kind being "data_quality" (the export is broken) or "covariate"
    (values the model never saw), what a phrase for the report and how the
    size of the break, as replay.py re-enacts it."""
    n = len(df)
    out = []
    for col, r0 in ref["null_rate"].items():
        r = float(df[col].isna().mean())
        if r - r0 > max(0.05, 5 * np.sqrt(r0 * (1 - r0) / n)):
            out.append((col, "data_quality", f"null rate {r0:.1%} -> {r:.1%}", {"null_rate": r}))
    for col, q in ref["numeric"].items():
        out += _numeric_breaks(col, df[col], q)
    for col, known in ref["categories"].items():
        s = _spellings(df[col])
        new = s[~s.isin(known)]
        if len(new) > 0.01 * n:
            values = ", ".join(sorted(new.unique())[:3])
            out.append((col, "covariate", f"{len(new) / n:.1%} unseen values ({values})",
                        {"share": len(new) / n}))
    return out


def _numeric_breaks(col, raw, q):
    present = raw.dropna()
    v = number(present)
    bad = v.isna().mean() if len(present) else 0.0
    if bad > 0.02:
        return [(col, "data_quality", f"{bad:.1%} not numbers", {"garbled": float(bad)})]
    v = v.dropna().to_numpy()
    if len(v) == 0:
        return []
    med = float(np.median(v))
    if q["median"] > 0 and med > 0 and abs(np.log10(med / q["median"])) >= 1:
        return [(col, "data_quality", f"median {q['median']:g} -> {med:g} (scale changed)",
                 {"scale": med / q["median"]})]
    outside = float(np.mean((v < q["low"]) | (v > q["high"])))
    if outside > 0.02:
        return [(col, "covariate", f"{outside:.1%} outside the training range "
                                   f"[{q['low']:g}, {q['high']:g}]", {"share": outside})]
    return []
