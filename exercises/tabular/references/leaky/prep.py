import pandas as pd

CATEGORICAL = ["plan", "country", "contract_type", "payment_method", "acquisition_channel"]


def encode(df, cats=None):
    X = df.drop(columns=["id", "customer_id", "snapshot_date"]).copy()
    X["retention_offer_sent"] = X["retention_offer_sent"].astype(str).str.lower().str[0].map({"y": 1, "n": 0})
    X["discount_pct"] = pd.to_numeric(X["discount_pct"].astype(str).str.rstrip("%"), errors="coerce")
    if cats is None:
        cats = {c: sorted(X[c].dropna().astype(str).str.lower().unique()) for c in CATEGORICAL}
    for c in CATEGORICAL:
        X[c] = pd.Categorical(X[c].astype(str).str.lower(), categories=cats[c]).codes
    return X.apply(pd.to_numeric, errors="coerce"), cats
