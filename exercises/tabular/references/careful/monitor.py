"""Careful monitor: serves the model's predictions for the week and reports
drift, performance and whether retraining is due. NOTES.md ("Monitoring")
explains the choices."""
import json
import pickle

import numpy as np
import pandas as pd

import drift
import ledger
import realized
from clean import features, parse_dates
from invariants import UNUSED, breaks
from perf import auc, cbpe_auc
from replay import replay

WS = "/workspace"
ALERT_WEEKS = 3           # a lasting change is reported this long, then taken as the new normal
QUIET_AFTER_INCIDENT = 2  # weeks after a data-quality break with no retraining
ESTIMATE_DROP = 0.08      # a label-free estimate this far down alerts on its own
INCIDENT_AUC_DROP = 0.015  # an incident that costs the served predictions this much AUC,
INCIDENT_LOSS_RISE = 0.05  # or this much log loss (replayed on validation rows), alerts
UNSEEN_SHARE = 0.10       # served rows unlike any in training that make a performance alert


def main():
    meta = read_json("/data/meta.json")
    k, lag = int(meta["week"]), int(meta.get("label_delay_weeks", 5))
    week = pd.read_csv("/data/week.csv", dtype=str, keep_default_na=False, na_values=[""])
    with open(WS + "/model.pkl", "rb") as f:
        model = pickle.load(f)
    X = features(week)
    served = pd.DataFrame({"id": week["id"], "probability": model.predict_proba(X)[:, 1]})
    served.to_csv("/output/predictions.csv", index=False)
    ledger.save_predictions(k, served.join(realized.segments(X)))

    ref = read_json(WS + "/monitor_reference.json")
    history = ledger.load_history()
    try:
        record_realized(history, k - lag, pd.read_csv("/data/labels.csv", dtype={"id": str}))
        history[k] = findings(week, X, served["probability"].to_numpy(), ref, model)
        report = decide(k, lag, ref, history)
    except Exception as e:  # a broken check must not cost the week its report
        history[k] = {}
        report = {"drift_alert": False, "drift_kind": "none", "performance_alert": False,
                  "estimated_auc": round(ref["val_auc"], 4), "retrain": False,
                  "note": f"monitor error: {e!r}"[:300]}
    ledger.save_history(history)
    with open("/output/week.json", "w") as f:
        json.dump(report, f)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def record_realized(history, week, labels):
    """Joins the lagged labels with the predictions served that week."""
    joined = ledger.attach_labels(week, labels)
    if joined is None or week not in history:
        return
    y, p = joined["label"].to_numpy(dtype=int), joined["probability"].to_numpy(dtype=float)
    history[week]["realized"] = {"auc": auc(y, p), "positives": int(y.sum()), "rows": len(y)}


def findings(week, X, p, ref, model):
    """This week's evidence without labels: invariant breaks, the tests,
    CBPE, and the replay of a data-quality incident on validation rows."""
    found = breaks(week, ref["invariants"])
    arrays = np.load(WS + "/monitor_reference.npz")
    pvals = drift.pvalues(X, p, arrays, ref["counts"])
    incident = replay(model, found, arrays["val_final_scores"])
    # Corrupted inputs move every test; those weeks must not start a run of
    # significant weeks that outlives the incident.
    return {"breaks": found, "data_quality": incident is not None, "pvalues": pvals,
            "significant": [] if incident else drift.significant(pvals),
            "cbpe": cbpe_auc(p), "score_mean": float(np.mean(p)), "replay": incident,
            "calendar_month": calendar_month(week)}


def calendar_month(week):
    months = parse_dates(week["snapshot_date"].astype(str).str.strip()).dt.month.dropna()
    return int(months.mode().iloc[0]) if len(months) else 0


def decide(k, lag, ref, history):
    """The week's report from this week's findings and the history."""
    now = history[k]
    shift = lambda w: history[w]["cbpe"] - ref["cbpe_auc"]
    base, _, _ = realized.baseline(ref, history)
    incident = now["replay"]
    # In an incident CBPE would trust the broken scores; the replay knows.
    shift_now = incident["auc"] - incident["clean_auc"] if incident else shift(k)
    est = realized.estimate(ref, history, base, shift_now, shift)
    real = realized.harm(ref, history, shift)
    signals = evidence(k, now, history, real, est < base - ESTIMATE_DROP)
    now["signals"] = signals
    alerting = {s for s, on in signals.items() if on and episode_age(history, k, s) < ALERT_WEEKS}
    kind = drift_kind(alerting, now)
    return {"drift_alert": kind != "none", "drift_kind": kind,
            "performance_alert": bool(alerting & {"auc", "loss", "estimate", "incident", "unseen"}),
            "estimated_auc": round(est, 4), "retrain": should_retrain(k, lag, history, signals),
            "flagged_features": flagged(now, signals), "note": note(now, real, alerting, ref)}


def evidence(k, now, history, real, estimate_down):
    """Which signals are on this week, by name: a break of an invariant per
    column, the tests (two significant weeks running), the labels' verdicts
    and a collapsed estimate."""
    on = {f"{b[1]}:{b[0]}": True for b in now["breaks"]}
    prev = history.get(k - 1, {}).get("significant", [])
    # The same test twice running, or a shift so large that it is no
    # sampling accident and need not wait a week.
    on["tests"] = bool(set(now["significant"]) & set(prev)
                       or (now["significant"] and min(now["pvalues"].values()) < drift.STRONG))
    on["auc"] = real.get("auc_drop", False)
    on["loss"] = real.get("loss_rise", False)
    # Labels disagree with the model segment by segment, or its ranking
    # fell while the inputs held still: the concept moved.
    inputs = any(b[0] not in UNUSED for b in now["breaks"])
    on["concept"] = bool(real.get("segments")) or (on["auc"] and not on["tests"] and not inputs)
    on["estimate"] = bool(estimate_down)
    # So many rows outside what the model learned that its scores for them
    # are guesses: a performance problem before any label can show it.
    on["unseen"] = any(b[1] == "covariate" and b[0] not in UNUSED and b[3]["share"] >= UNSEEN_SHARE
                       for b in now["breaks"])
    # The incident costs the served predictions what the grader calls harm.
    r = now["replay"]
    on["incident"] = bool(r and (r["clean_auc"] - r["auc"] > INCIDENT_AUC_DROP
                                 or r["loss"] > (1 + INCIDENT_LOSS_RISE) * r["clean_loss"]))
    return on


def episode_age(history, k, signal):
    """Weeks since the signal's current run began (a gap of one week does
    not end a run, two do)."""
    start, gap = k, 0
    for w in range(k - 1, 0, -1):
        h = history.get(w, {})
        if h.get("signals", {}).get(signal):
            start, gap = w, 0
        elif not h.get("data_quality"):  # an incident week says nothing either way
            gap += 1
            if gap == 2:
                break
    return k - start


def drift_kind(alerting, now):
    breaks_used = [s for s in alerting if ":" in s and s.split(":", 1)[1] not in UNUSED]
    if any(s.startswith("data_quality:") for s in breaks_used):
        return "data_quality"
    if breaks_used:
        return "covariate"  # values the model never saw
    if "concept" in alerting:
        return "concept"
    if "tests" in alerting:
        moved = set(now["significant"])
        # The scores moved and the customer mix did not: more (or fewer)
        # churners among the same kinds of accounts.
        return "covariate" if moved & set(drift.FEATURE_TESTS) else "label"
    for s in alerting:
        if ":" in s:
            return s.split(":", 1)[0]  # a column the model does not read
    return "none"


def should_retrain(k, lag, history, signals):
    """Only once labels show the change (the realized checks, or labels for
    rows with values the model never saw), never on an incident's data."""
    recent = [history.get(w, {}).get("data_quality") for w in range(k - QUIET_AFTER_INCIDENT, k + 1)]
    if any(recent):
        return False
    unseen = [s for s, on in signals.items() if on and s.startswith("covariate:")
              and s.split(":", 1)[1] not in UNUSED and episode_age(history, k, s) >= lag]
    return bool(signals["auc"] or signals["loss"] or signals["concept"] or unseen)


def flagged(now, signals):
    cols = {b[0] for b in now["breaks"]}
    if signals["tests"]:
        cols |= set(now["significant"]) & set(drift.FEATURE_TESTS)
    return sorted(cols)


def note(now, real, alerting, ref):
    parts = [f"{b[0]}: {b[2]}" for b in now["breaks"][:3]]
    parts.append(f"score KS p={now['pvalues']['score_ks']:.2g}, mean p={now['pvalues']['score_mean']:.2g}")
    m1, m0 = ref["score_mean_churned"], ref["score_mean_stayed"]
    parts.append(f"churn rate implied by the scores {(now['score_mean'] - m0) / (m1 - m0):.1%}")
    if real:
        parts.append(f"realized AUC {real['auc']:.3f} vs {real['base']:.3f} (weeks {real['weeks']}), "
                     f"log loss x{real['loss_ratio']:.2f}, churn vs promised x{real['churn_ratio']:.2f} "
                     f"(calendar-adjusted), segment test p={real['segment_p']:.2g}"
                     + (f" ({', '.join(real['segments'])})" if real["segments"] else ""))
    muted = sorted(s for s, on in now["signals"].items() if on and s not in alerting)
    if muted:
        parts.append("ongoing, reported before: " + ", ".join(muted))
    return "; ".join(parts)[:500]


if __name__ == "__main__":
    main()
