"""What a data-quality incident does to the served predictions, measured
with labels: the same breakage re-enacted on the forward-validation rows
train.py kept, scored by the model with and without it."""
import numpy as np
import pandas as pd

from clean import features, number
from invariants import UNUSED
from perf import auc

VALIDATION = "/workspace/monitor_validation.csv"


def replay(model, breaks, clean_scores):
    """The validation AUC and log loss of the model with the week's
    data-quality breaks applied, next to the same without them; None when
    no break touches a column the model reads."""
    todo = [b for b in breaks if b[1] == "data_quality" and b[0] not in UNUSED]
    if not todo:
        return None
    val = pd.read_csv(VALIDATION, dtype=str, keep_default_na=False, na_values=[""])
    rng = np.random.default_rng(0)
    for col, _, _, how in todo:
        val[col] = _break(val[col], how, rng)
    y = val["churned"].astype(int).to_numpy()
    p = model.predict_proba(features(val))[:, 1]
    return {"auc": auc(y, p), "clean_auc": auc(y, clean_scores),
            "loss": _loss(y, p), "clean_loss": _loss(y, clean_scores)}


def _break(s, how, rng):
    if "null_rate" in how:  # blank more cells until the week's null rate
        present = s.notna().to_numpy()
        extra = (how["null_rate"] - (1 - present.mean())) / max(present.mean(), 1e-9)
        return s.mask(present & (rng.random(len(s)) < extra))
    if "scale" in how:
        return (number(s) * how["scale"]).astype(str).replace("nan", np.nan)
    if "garbled" in how:
        return s.mask(s.notna().to_numpy() & (rng.random(len(s)) < how["garbled"]), "#VALUE!")
    return s


def _loss(y, p):
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))
