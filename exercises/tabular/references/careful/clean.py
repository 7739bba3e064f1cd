"""Turns the messy export into model features. Shared by train.py and predict.py."""
import numpy as np
import pandas as pd

# Known only after the outcome, or computed from it: see DATA_DICTIONARY.md.
LEAKS = ["retention_offer_sent", "segment_churn_rate", "account_number"]

CANON = {
    "plan": {"basic": "basic", "pro": "pro", "professional": "pro", "team": "team",
             "teams": "team", "enterprise": "enterprise", "ent": "enterprise"},
    "contract_type": {"monthly": "monthly", "month-to-month": "monthly", "m2m": "monthly",
                      "annual": "annual", "yearly": "annual", "12 months": "annual"},
    "payment_method": {"card": "card", "credit card": "card", "cc": "card", "invoice": "invoice",
                       "bank transfer": "invoice", "paypal": "paypal"},
    "acquisition_channel": {"organic": "organic", "paid": "paid", "paid search": "paid", "ads": "paid",
                            "referral": "referral", "partner": "partner"},
    "country": {"us": "US", "usa": "US", "united states": "US", "de": "DE", "germany": "DE",
                "gb": "GB", "uk": "GB", "united kingdom": "GB", "fr": "FR", "france": "FR",
                "br": "BR", "brazil": "BR", "in": "IN", "india": "IN", "jp": "JP", "japan": "JP",
                "au": "AU", "australia": "AU", "ca": "CA", "canada": "CA", "es": "ES", "spain": "ES",
                "nl": "NL", "netherlands": "NL", "holland": "NL", "sg": "SG", "singapore": "SG"},
}
CATEGORIES = {col: sorted(set(m.values())) for col, m in CANON.items()}
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%Y/%m/%d", "%b %d, %Y"]


def parse_dates(s):
    out = pd.Series(pd.NaT, index=s.index)
    for fmt in DATE_FORMATS:
        missing = out.isna()
        out[missing] = pd.to_datetime(s[missing], format=fmt, errors="coerce")
    return out


def number(s):
    return pd.to_numeric(s.astype(str).str.strip().str.rstrip("%"), errors="coerce")


def month_index(df):
    d = parse_dates(df["snapshot_date"].astype(str).str.strip())
    return (d.dt.year - 2023) * 12 + d.dt.month


def features(df):
    X = pd.DataFrame(index=df.index)
    X["tenure_months"] = number(df["tenure_months"]).where(lambda v: v >= 0)
    X["seats"] = number(df["seats"]).where(lambda v: (v > 0) & (v < 5000))
    fee = number(df["monthly_fee"])
    X["fee_per_seat"] = (fee / X["seats"]).where(lambda v: (v > 0) & (v < 100))
    for col in ["logins_30d", "days_since_last_login", "support_tickets_90d",
                "payment_failures_6m", "nps_score", "features_used"]:
        X[col] = number(df[col])
    # Missing values that carry meaning get their own flag.
    X["no_recent_login"] = df["days_since_last_login"].isna().astype(int)
    X["skipped_survey"] = df["nps_score"].isna().astype(int)
    X["discount_pct"] = number(df["discount_pct"]).fillna(0)  # blank means no discount
    for col, mapping in CANON.items():
        canon = df[col].astype(str).str.strip().str.lower().map(mapping)
        X[col] = pd.Categorical(canon, categories=CATEGORIES[col]).codes.astype(float)
        X.loc[X[col] < 0, col] = np.nan
    return X


def categorical_mask(X):
    return [col in CANON for col in X.columns]
