"""What the monitor keeps in /state between the weeks of a stream: each
week's served predictions (joined with their labels once those arrive) and
a history of each week's findings."""
import json
import os

import pandas as pd

STATE = "/state"
HISTORY = os.path.join(STATE, "history.json")


def _predictions_path(week):
    return os.path.join(STATE, f"predictions_{week:03d}.csv")


def load_history():
    """The findings of the past weeks, by week number."""
    if not os.path.exists(HISTORY):
        return {}
    with open(HISTORY) as f:
        return {int(k): v for k, v in json.load(f).items()}


def save_history(history):
    tmp = HISTORY + ".tmp"
    with open(tmp, "w") as f:
        json.dump({str(k): v for k, v in sorted(history.items())}, f)
    os.replace(tmp, HISTORY)  # a week killed mid-write leaves the old history


def save_predictions(week, served):
    served.to_csv(_predictions_path(week), index=False)


def attach_labels(week, labels):
    """Joins the lagged labels with what was served that week and keeps the
    result; returns the labelled rows or None."""
    path = _predictions_path(week)
    if week < 1 or len(labels) == 0 or not os.path.exists(path):
        return None
    served = pd.read_csv(path, dtype={"id": str})
    joined = served.drop(columns=["label"], errors="ignore").merge(
        labels.astype({"id": str}), on="id", how="inner")
    if len(joined) == 0:
        return None
    joined.to_csv(path, index=False)
    return joined


def labelled(weeks):
    """The served rows of the given weeks that have labels, pooled: id,
    probability, label and whatever else was saved with them."""
    parts = [pd.read_csv(_predictions_path(w), dtype={"id": str}) for w in weeks]
    parts = [df for df in parts if "label" in df]
    if not parts:
        return pd.DataFrame({"probability": [], "label": []})
    return pd.concat(parts, ignore_index=True)
